"""The command line: ``tinygrad-edu <command>`` or ``python -m tinygrad_edu <command>``.

Each command is two functions: ``_add_<name>_parser(subparsers)`` declares its
arguments and ``_run_<name>(args)`` does the work and returns the exit code.
Bad input exits with code 2 and one line on stderr, never a traceback; so does
Ctrl-C (exit code 130, 128 + SIGINT, as a shell reports it) and a reader that
stops reading the output, as ``| head`` does (quietly, exit code 141, 128 + SIGPIPE).
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import random
import sys
import tempfile
import warnings
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .draw import RANKDIRS, GraphTooLargeError, GraphvizNotFoundError, GraphvizWarning, render
from .engine import Value, topological_order
from .explain import EXPLAIN_MAX_EDGES, explain
from .explorer import to_html
from .expr import ExpressionError, parse
from .nn import ACTIVATIONS, MLP
from .train import OBJECTIVES
from .train import OPTIMIZERS as NAMED_OPTIMIZERS

INTERRUPTED = 130  # the exit code after Ctrl-C: 128 + SIGINT, as a shell reports it
BROKEN_PIPE = 141  # the exit code when the reader of the output went away: 128 + SIGPIPE


class UsageError(Exception):
    """Bad input on the command line: reported as one line, exit code 2."""


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line on stderr and exit code 2."""

    def error(self, message: str) -> None:
        raise UsageError(f"{self.prog}: error: {message}")


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``tinygrad-edu`` with ``argv`` (default: ``sys.argv[1:]``); return the exit code."""
    parser = _Parser(
        prog="tinygrad-edu",
        description="Train, draw and explain small autograd graphs: tinygrad-edu <command> "
        "(or python -m tinygrad_edu <command>); tinygrad-edu <command> --help for its options.",
    )
    parser.add_argument("--version", action="version", version=f"tinygrad-edu {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="command")
    _add_train_parser(subparsers)
    _add_graph_parser(subparsers)
    _add_explain_parser(subparsers)
    try:
        args = parser.parse_args(argv)
    except UsageError as error:
        print(error, file=sys.stderr)
        return 2
    except SystemExit as exit:  # --help or --version has been printed
        return exit.code if isinstance(exit.code, int) else 0
    if args.command is None:  # `tinygrad-edu` alone: what it can do
        parser.print_help()
        return 0
    try:
        with _graphviz_warnings_in_one_line(args.command):
            code = args.run(args)
        sys.stdout.flush()  # here, so that a reader gone away is noticed inside the try
        return code
    except (UsageError, OSError) as error:
        if isinstance(error, BrokenPipeError):
            return _reader_gone()
        print(f"{parser.prog} {args.command}: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"{parser.prog} {args.command}: interrupted (Ctrl-C)", file=sys.stderr)
        return INTERRUPTED


def _reader_gone() -> int:
    """The output's reader stopped reading (``| head``): end quietly, as ``cat`` does.

    Python would report the unflushed rest of the output when it exits, so
    standard output is pointed at the null device first.
    """
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
    return BROKEN_PIPE


# ---------------------------------------------------------------- train

DATASETS = ("moons", "circles", "xor", "spirals")
LOSSES = tuple(OBJECTIVES)
OPTIMIZERS = tuple(NAMED_OPTIMIZERS)


def _positive_int(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 1, got {text!r}")
    return number


def _number(minimum: float, strict: bool):
    def parse(text: str) -> float:
        try:
            number = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
        if not math.isfinite(number) or number < minimum or (strict and number == minimum):
            relation = ">" if strict else ">="
            raise argparse.ArgumentTypeError(
                f"expected a number {relation} {minimum:g}, got {text!r}"
            )
        return number

    return parse


def _layer_sizes(text: str) -> list[int]:
    try:
        sizes = [int(part) for part in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected layer sizes separated by commas such as 16,16, got {text!r}"
        ) from None
    if any(size < 1 for size in sizes):
        raise argparse.ArgumentTypeError(f"every layer size must be >= 1, got {text!r}")
    return sizes


def _add_train_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "train",
        help="train an MLP on a toy dataset",
        description="Train an MLP classifier on a 2-D toy dataset and report its accuracy.",
    )
    default = " (default: %(default)s)"
    parser.add_argument(
        "--dataset", choices=DATASETS, default="moons", help="the data to learn" + default
    )
    parser.add_argument(
        "--samples", type=_positive_int, default=100, help="number of points" + default
    )
    parser.add_argument(
        "--noise",
        type=_number(0, strict=False),
        default=0.1,
        help="std. dev. of the noise" + default,
    )
    parser.add_argument(
        "--classes",
        type=_positive_int,
        default=3,
        help="number of spiral arms, for spirals only" + default,
    )
    parser.add_argument(  # a text default: argparse passes it through _layer_sizes too
        "--hidden",
        type=_layer_sizes,
        default="16,16",
        metavar="SIZES",
        help="hidden layer sizes, separated by commas" + default,
    )
    parser.add_argument(
        "--activation",
        choices=("relu", "tanh", "sigmoid"),
        default="relu",
        help="activation of the hidden layers" + default,
    )
    parser.add_argument(
        "--loss",
        choices=LOSSES,
        help="the loss to minimise (default: hinge for 2 classes, cross_entropy for more)",
    )
    parser.add_argument(
        "--optimizer",
        type=str.lower,  # --optimizer SGD, as the class is called
        choices=OPTIMIZERS,
        default="adam",
        help="the optimizer" + default,
    )
    parser.add_argument(
        "--epochs", type=_positive_int, default=100, help="passes over the data" + default
    )
    parser.add_argument(
        "--lr",
        type=_number(0, strict=True),
        help=f"learning rate (default: the one that fits the loss and optimizer: {_rates()})",
    )
    parser.add_argument(
        "--batch-size",
        type=_positive_int,
        default=None,
        metavar="N",
        help="samples per step (default: all of them)",
    )
    parser.add_argument(
        "--seed", type=int, default=0, help="seed for the data and the weights" + default
    )
    parser.add_argument("--plot", metavar="PNG", help="save a picture of the decision boundary")
    parser.add_argument("--save", metavar="JSON", help="save the trained model")
    parser.add_argument("--quiet", action="store_true", help="no progress bar or summary line")
    parser.set_defaults(run=_run_train)


def _rates() -> str:
    """The default learning rates, for --help: ``adam 0.05 (hinge, bce, ...); sgd ...``."""
    parts = []
    for optimizer in OPTIMIZERS:
        by_rate: dict[float, list[str]] = {}
        for loss, objective in OBJECTIVES.items():
            by_rate.setdefault(objective.learning_rates[optimizer], []).append(loss)
        rates = ", ".join(f"{rate:g} ({', '.join(losses)})" for rate, losses in by_rate.items())
        parts.append(f"{optimizer} {rates}")
    return "; ".join(parts)


def _check_output_path(path: str | None, option: str) -> None:
    """Fail now, before training, if ``path`` could not be written later.

    Missing folders are fine (they are made when the file is written, as
    ``graph -o`` does); the nearest existing one must be a folder we can write
    in, which is tried with a temporary file that is deleted at once.
    """
    if path is None:
        return
    if os.path.isdir(path):
        raise UsageError(f"{option} {path}: that is a folder; give a file name")
    folder = os.path.dirname(os.path.abspath(path))
    while not os.path.exists(folder):
        folder = os.path.dirname(folder)
    if not os.path.isdir(folder):
        raise UsageError(f"{option} {path}: {folder} is a file, not a folder")
    try:
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as error:
        raise UsageError(
            f"{option} {path}: cannot write in {folder} ({error.strerror or error})"
        ) from None


def _check_picture_format(path: str) -> None:
    """``path`` must end in a format matplotlib writes, such as .png, .svg or .pdf."""
    from matplotlib.figure import Figure

    formats = Figure().canvas.get_supported_filetypes()
    extension = os.path.splitext(path)[1].lower().lstrip(".")
    if extension not in formats:
        raise UsageError(
            f"--plot {path}: give a file name ending in one of "
            f"{', '.join('.' + name for name in sorted(formats))}"
        )


def _make_folder_for(path: str) -> None:
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)


def _run_train(args: argparse.Namespace) -> int:
    from . import data
    from .train import DivergenceError, choose_loss, evaluate, fit, interruption_line

    if args.dataset == "spirals" and args.classes < 2:
        raise UsageError(f"--classes must be >= 2 for spirals, got {args.classes}")
    classes = args.classes if args.dataset == "spirals" else 2
    loss = args.loss or choose_loss(1 if classes == 2 else classes, "linear")
    if classes > 2 and loss in ("hinge", "bce"):
        raise UsageError(
            f"--loss {loss} tells 2 classes apart; use --loss cross_entropy or mse for "
            f"{classes} spiral arms"
        )
    if args.samples < classes:
        raise UsageError(f"--samples must be at least the number of classes ({classes})")
    _check_output_path(args.save, "--save")
    _check_output_path(args.plot, "--plot")
    if args.plot:
        try:
            import matplotlib  # noqa: F401
        except ImportError:
            raise UsageError("--plot needs matplotlib: pip install 'tinygrad-edu[plot]'") from None
        _check_picture_format(args.plot)

    make = getattr(data, f"make_{args.dataset}")
    extra = {"n_classes": classes} if args.dataset == "spirals" else {}
    X, y = make(args.samples, noise=args.noise, seed=args.seed, **extra)
    outputs = classes if loss == "cross_entropy" or classes > 2 else 1
    output_activation = "sigmoid" if loss == "bce" else "linear"
    model = MLP(2, [*args.hidden, outputs], args.activation, output_activation, seed=args.seed)
    lr = args.lr if args.lr is not None else OBJECTIVES[loss].learning_rates[args.optimizer]
    try:
        history = fit(
            model,
            X,
            y,
            loss=loss,
            optimizer=args.optimizer,
            lr=lr,
            epochs=args.epochs,
            batch_size=args.batch_size,
            progress=not args.quiet,
            seed=args.seed,
        )
    except DivergenceError as error:
        raise UsageError(f"{error}") from None
    if history.interrupted:  # fit has said so, unless --quiet; nothing is written
        if args.quiet:
            print(interruption_line(history, args.epochs), file=sys.stderr)
        return INTERRUPTED
    after = evaluate(model, X, y, loss=loss)
    sizes = [*args.hidden, outputs]
    print(
        f"trained MLP(2, {sizes}) on {args.samples} {args.dataset} points: "
        f"{args.epochs} epoch{'' if args.epochs == 1 else 's'}, {loss} loss, "
        f"{args.optimizer} with lr {lr:g}"
    )
    print(f"after training: loss {after.loss:.4f}, accuracy {after.accuracy:.1%}")
    if args.save:
        model.save(args.save)
        print(f"saved the model to {args.save}")
    if args.plot:
        from .plot import plot_decision_boundary

        title = f"{args.dataset}: MLP(2, {sizes}), training accuracy {after.accuracy:.0%}"
        _make_folder_for(args.plot)
        threshold = OBJECTIVES[loss].threshold
        plot_decision_boundary(model, X, y, args.plot, threshold=threshold, title=title)
        print(f"saved the decision boundary to {args.plot}")
    return 0


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
    _add_graph_source_arguments(graph, "draw")
    graph.add_argument(
        "--params",
        metavar="NAMES",
        help="names in EXPR to colour as parameters, e.g. w1,w2,b (an MLP's weights already are)",
    )
    graph.add_argument("--collapse", action="store_true", help="one node per neuron")
    graph.add_argument("--no-backward", action="store_true", help="draw without gradients")
    graph.add_argument("--rankdir", default="LR", choices=RANKDIRS)
    graph.add_argument("-o", "--output", default="graph.svg", help="default: graph.svg")
    graph.set_defaults(run=_run_graph)


def _run_graph(args: argparse.Namespace) -> int:
    root = _graph_from(args)
    parameters = _named_leaves(root, args.params, args.mlp)
    if not args.no_backward:
        root.backward()
    try:
        path = render(
            root,
            Path(args.output),
            rankdir=args.rankdir,
            show_grad=not args.no_backward,
            collapse=args.collapse,
            parameters=parameters,
        )
    except GraphTooLargeError as error:
        reason = str(error).split(";")[0]  # the counts; the advice is for the shell here
        advice = "" if args.collapse else "; draw an MLP with --collapse (one node per neuron)"
        raise UsageError(f"{reason}{advice}") from None
    except ValueError as error:
        raise UsageError(f"{error}") from None
    except GraphvizNotFoundError as error:
        print(f"tinygrad-edu graph: error: {error}", file=sys.stderr)
        return 1
    print(f"wrote {path}")
    return 0


def _named_leaves(root: Value, names: str | None, mlp: str | None) -> list[Value]:
    """The leaves of ``root``'s graph that ``--params w1,w2,b`` names, each of them used."""
    if names is None:
        return []
    if mlp:
        raise UsageError("--params marks names of an expression; an MLP's weights already are")
    wanted = [name.strip() for name in names.split(",") if name.strip()]
    leaves = {node.label: node for node in topological_order(root) if not node.op}
    unknown = [name for name in wanted if name not in leaves]
    if not wanted or unknown:
        raise UsageError(
            f"--params takes names the expression uses, such as w,b; got {names!r}"
            + (f" ({', '.join(unknown)} not in it)" if wanted else "")
        )
    return [leaves[name] for name in wanted]


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
    _add_graph_source_arguments(command, "explain")
    command.add_argument("--html", metavar="PATH", help="write the backprop explorer here")
    command.add_argument(
        "--max-edges",
        type=_positive_int,
        default=EXPLAIN_MAX_EDGES,
        metavar="N",
        help="refuse a graph of more edges, each a line (default: %(default)s)",
    )
    command.set_defaults(run=_run_explain)


def _run_explain(args: argparse.Namespace) -> int:
    root = _graph_from(args)
    root.label = root.label or "f"  # so the lines read d(f)/d(x)
    text, too_long = None, None
    try:
        text = explain(root, max_edges=args.max_edges)
    except ValueError as error:  # too many edges: the message names the count and the limit
        too_long = str(error).replace("max_edges=", "--max-edges ")
        if not args.html:
            raise UsageError(too_long) from None
    path, missing_dot = None, None
    if args.html:  # the page first: a graph too large for it is refused before any output
        try:
            path = to_html(root, Path(args.html))
        except GraphTooLargeError as error:
            reason = str(error).split(":")[0]  # the counts; the advice is for the shell here
            raise UsageError(
                f"{reason}: explore a smaller graph (an MLP of at most 64 neurons opens on "
                "the network view), or draw this one with `tinygrad-edu graph --mlp SIZES "
                "--collapse`"
            ) from None
        except GraphvizNotFoundError as error:
            missing_dot = error
    if too_long is None:
        print(text)
    else:  # the page was asked for and written; the text would be too long to read
        print(f"tinygrad-edu explain: note: no text printed: {too_long}", file=sys.stderr)
    if path is not None:
        print(f"wrote {path}")
    if missing_dot is not None:  # the explanation stands; only the page could not be drawn
        print(f"tinygrad-edu explain: error: no page written: {missing_dot}", file=sys.stderr)
        return 1
    return 0


@contextlib.contextmanager
def _graphviz_warnings_in_one_line(command: str):
    """Graphviz's warnings while drawing, said on one line of stderr instead of one each."""
    caught: list[warnings.WarningMessage] = []
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", GraphvizWarning)
            yield
    finally:  # said even when the command then fails
        for warning in caught:
            if issubclass(warning.category, GraphvizWarning):
                print(f"tinygrad-edu {command}: note: {warning.message}", file=sys.stderr)
            else:  # any other warning, as Python would have shown it
                warnings.showwarning(
                    warning.message, warning.category, warning.filename, warning.lineno
                )


# ---------------------------------------------------------------- shared by graph and explain


def _add_graph_source_arguments(parser: argparse.ArgumentParser, verb: str) -> None:
    """Where the graph comes from: an expression with --set values, or --mlp sizes."""
    parser.add_argument("expression", nargs="?", metavar="EXPR", help="e.g. 'tanh(x*w + b)'")
    parser.add_argument(
        "--set",
        nargs="+",
        default=[],
        metavar="NAME=NUMBER",
        help="the value of each name in EXPR (or of the MLP's inputs x0, x1, ...)",
    )
    parser.add_argument("--mlp", metavar="SIZES", help=f"{verb} an MLP with these layer sizes")
    parser.add_argument(
        "--activation",
        default="tanh",
        choices=ACTIVATIONS,
        help="the MLP's hidden activation (default: tanh, whose slope is never 0, so every "
        "gradient shows; train's default is relu)",
    )
    parser.add_argument("--seed", type=int, default=0, help="the MLP's weights and input")


def _graph_from(args: argparse.Namespace) -> Value:
    """The graph the arguments describe: the parsed expression, or the MLP's output."""
    if (args.expression is None) == (args.mlp is None):
        raise UsageError("give either an expression or --mlp SIZES (not both)")
    values = _named_numbers(args.set)
    if args.mlp:
        return _mlp_graph(args.mlp, args.activation, args.seed, values)
    try:
        return parse(args.expression, values)
    except ExpressionError as error:
        raise UsageError(f"{error}") from None


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
        if not math.isfinite(values[name]):
            raise UsageError(f"{name} must be a finite number, got {number!r}")
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
