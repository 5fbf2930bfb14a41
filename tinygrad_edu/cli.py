"""The command line: ``tinygrad-edu <command>`` or ``python -m tinygrad_edu <command>``.

Each command is two functions: ``_add_<name>_parser(subparsers)`` declares its
arguments and ``_run_<name>(args)`` does the work and returns the exit code.
Bad input exits with code 2 and one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Sequence
from pathlib import Path

from .draw import RANKDIRS, GraphTooLargeError, GraphvizNotFoundError, render
from .engine import Value
from .explain import explain, to_html
from .expr import ExpressionError, parse
from .nn import ACTIVATIONS, MLP


class UsageError(Exception):
    """Bad input on the command line: reported as one line, exit code 2."""


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line on stderr and exit code 2."""

    def error(self, message: str) -> None:
        raise UsageError(f"{self.prog}: error: {message}")


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``tinygrad-edu`` with ``argv`` (default: ``sys.argv[1:]``); return the exit code."""
    parser = _Parser(prog="tinygrad-edu", description=__doc__.splitlines()[0])
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="command")
    _add_graph_parser(subparsers)
    _add_explain_parser(subparsers)
    try:
        args = parser.parse_args(argv)
    except UsageError as error:
        print(error, file=sys.stderr)
        return 2
    try:
        return args.run(args)
    except UsageError as error:
        print(f"{parser.prog} {args.command}: error: {error}", file=sys.stderr)
        return 2


# ---------------------------------------------------------------- graph


def _add_graph_parser(subparsers) -> None:
    graph = subparsers.add_parser(
        "graph",
        help="draw the computation graph of an expression or of an MLP",
        description=(
            "Draw the graph of EXPR (names set with --set) or of an MLP (--mlp 2,3,1) "
            "after a backward pass, and write it to a .svg, .png, .pdf or .dot file."
        ),
    )
    graph.add_argument("expression", nargs="?", metavar="EXPR", help="e.g. 'tanh(x*w + b)'")
    graph.add_argument(
        "--set",
        nargs="+",
        default=[],
        metavar="NAME=NUMBER",
        help="the value of each name in EXPR (or of the MLP's inputs x0, x1, ...)",
    )
    graph.add_argument("--mlp", metavar="SIZES", help="draw an MLP with these layer sizes")
    graph.add_argument("--activation", default="tanh", choices=ACTIVATIONS)
    graph.add_argument("--seed", type=int, default=0, help="the MLP's weights and input")
    graph.add_argument("--collapse", action="store_true", help="one node per neuron")
    graph.add_argument("--no-backward", action="store_true", help="draw without gradients")
    graph.add_argument("--rankdir", default="LR", choices=RANKDIRS)
    graph.add_argument("-o", "--output", default="graph.svg", help="default: graph.svg")
    graph.set_defaults(run=_run_graph)


def _run_graph(args: argparse.Namespace) -> int:
    if (args.expression is None) == (args.mlp is None):
        raise UsageError("give either an expression or --mlp SIZES (not both)")
    values = _named_numbers(args.set)
    root = _mlp_graph(args.mlp, args.activation, args.seed, values) if args.mlp else None
    if root is None:
        try:
            root = parse(args.expression, values)
        except ExpressionError as error:
            raise UsageError(f"{error}") from None
    if not args.no_backward:
        root.backward()
    try:
        path = render(
            root,
            Path(args.output),
            rankdir=args.rankdir,
            show_grad=not args.no_backward,
            collapse=args.collapse,
        )
    except (ValueError, GraphTooLargeError) as error:
        raise UsageError(f"{error}") from None
    except GraphvizNotFoundError as error:
        print(f"tinygrad-edu graph: error: {error}", file=sys.stderr)
        return 1
    print(f"wrote {path}")
    return 0


# ---------------------------------------------------------------- explain


def _add_explain_parser(subparsers) -> None:
    command = subparsers.add_parser(
        "explain",
        help="print the backward pass edge by edge, and write the HTML backprop explorer",
        description=(
            "Print the chain rule of every edge of the backward pass of EXPR (or of an "
            "MLP), in numbers; with --html also write the backprop explorer page."
        ),
    )
    command.add_argument("expression", nargs="?", metavar="EXPR", help="e.g. 'tanh(x*w + b)'")
    command.add_argument(
        "--set",
        nargs="+",
        default=[],
        metavar="NAME=NUMBER",
        help="the value of each name in EXPR (or of the MLP's inputs x0, x1, ...)",
    )
    command.add_argument("--html", metavar="PATH", help="write the backprop explorer here")
    command.add_argument("--mlp", metavar="SIZES", help="explain an MLP with these layer sizes")
    command.add_argument("--activation", default="tanh", choices=ACTIVATIONS)
    command.add_argument("--seed", type=int, default=0, help="the MLP's weights and input")
    command.set_defaults(run=_run_explain)


def _run_explain(args: argparse.Namespace) -> int:
    if (args.expression is None) == (args.mlp is None):
        raise UsageError("give either an expression or --mlp SIZES (not both)")
    values = _named_numbers(args.set)
    if args.mlp:
        root = _mlp_graph(args.mlp, args.activation, args.seed, values)
    else:
        try:
            root = parse(args.expression, values)
        except ExpressionError as error:
            raise UsageError(f"{error}") from None
        root.label = root.label or "f"  # so the lines read d(f)/d(x)
    print(explain(root))
    if args.html:
        try:
            path = to_html(root, Path(args.html))
        except GraphTooLargeError as error:
            raise UsageError(f"{error}") from None
        except GraphvizNotFoundError as error:
            print(f"tinygrad-edu explain: error: {error}", file=sys.stderr)
            return 1
        print(f"wrote {path}")
    return 0


def _named_numbers(assignments: list[str]) -> dict[str, float]:
    """``["x=2", "w=-3"]`` -> ``{"x": 2.0, "w": -3.0}``."""
    values = {}
    for assignment in assignments:
        name, equals, number = assignment.partition("=")
        if not equals or not name.isidentifier():
            raise UsageError(f"--set takes NAME=NUMBER, got {assignment!r}")
        try:
            values[name] = float(number)
        except ValueError:
            raise UsageError(f"{name} must be a number, got {number!r}") from None
    return values


def _mlp_graph(sizes: str, activation: str, seed: int, values: dict[str, float]) -> Value:
    """An MLP's output on one input (``values`` x0, x1, ..., or seeded numbers in [-1, 1])."""
    try:
        nouts = [int(size) for size in sizes.split(",")]
    except ValueError:
        raise UsageError(f"--mlp takes sizes like 2,3,1, got {sizes!r}") from None
    if len(nouts) < 2 or min(nouts) < 1:
        raise UsageError(f"--mlp needs an input size and layer sizes >= 1, got {sizes!r}")
    nin, *layers = nouts
    rng = random.Random(seed)
    unknown = sorted(set(values) - {f"x{i}" for i in range(nin)})
    if unknown:
        raise UsageError(f"the MLP's inputs are x0..x{nin - 1}, not {', '.join(unknown)}")
    x = [Value(values.get(f"x{i}", round(rng.uniform(-1, 1), 2)), f"x{i}") for i in range(nin)]
    model = MLP(nin, layers, activation=activation, seed=seed)
    out = model(x)
    if isinstance(out, list):
        total = out[0]
        for value in out[1:]:
            total = total + value
        total.label = "sum of outputs"
        return total
    return out
