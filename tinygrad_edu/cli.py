"""The ``tinygrad-edu`` command line (also ``python -m tinygrad_edu``).

Each subcommand is a pair of functions: ``_add_<name>_parser(subparsers)``
declares its options and ``_run_<name>(args)`` does the work.  Bad input exits
with code 2 and a one-line message on stderr.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
from collections.abc import Sequence


class UsageError(Exception):
    """Bad input on the command line: reported in one line, exit code 2."""


class _Parser(argparse.ArgumentParser):
    """argparse, with errors in one line (and no usage block above them)."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


# ---- train ----

DATASETS = ("moons", "circles", "xor", "spirals")
LOSSES = ("hinge", "bce", "mse", "cross_entropy")
OPTIMIZERS = ("adam", "sgd")


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
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("--dataset", choices=DATASETS, default="moons", help="the data to learn")
    parser.add_argument("--samples", type=_positive_int, default=100, help="number of points")
    parser.add_argument(
        "--noise", type=_number(0, strict=False), default=0.1, help="std. dev. of the noise"
    )
    parser.add_argument(
        "--classes", type=_positive_int, default=3, help="number of spiral arms (spirals only)"
    )
    parser.add_argument(
        "--hidden", type=_layer_sizes, default=[16, 16], help="hidden layer sizes, e.g. 16,16"
    )
    parser.add_argument(
        "--activation",
        choices=("relu", "tanh", "sigmoid"),
        default="relu",
        help="activation of the hidden layers",
    )
    parser.add_argument("--loss", choices=LOSSES, default="hinge", help="the loss to minimise")
    parser.add_argument("--optimizer", choices=OPTIMIZERS, default="adam", help="the optimizer")
    parser.add_argument("--epochs", type=_positive_int, default=100, help="passes over the data")
    parser.add_argument("--lr", type=_number(0, strict=True), default=0.1, help="learning rate")
    parser.add_argument(
        "--batch-size", type=_positive_int, default=None, help="samples per step (default: all)"
    )
    parser.add_argument("--seed", type=int, default=0, help="seed for the data and the weights")
    parser.add_argument("--plot", metavar="PNG", help="save a picture of the decision boundary")
    parser.add_argument("--save", metavar="JSON", help="save the trained model")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.set_defaults(run=_run_train)


def _check_output_path(path: str | None, option: str) -> None:
    if path is None:
        return
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise UsageError(f"{option} {path}: the folder {folder} does not exist")
    if os.path.isdir(path):
        raise UsageError(f"{option} {path}: that is a folder; give a file name")


def _run_train(args: argparse.Namespace) -> int:
    from . import data
    from .nn import MLP
    from .optim import SGD, Adam
    from .train import OBJECTIVES, accuracy, fit, predict

    if args.dataset == "spirals" and args.classes < 2:
        raise UsageError(f"--classes must be >= 2 for spirals, got {args.classes}")
    classes = args.classes if args.dataset == "spirals" else 2
    if classes > 2 and args.loss in ("hinge", "bce"):
        raise UsageError(
            f"--loss {args.loss} tells 2 classes apart; use --loss cross_entropy or mse for "
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

    make = getattr(data, f"make_{args.dataset}")
    extra = {"n_classes": classes} if args.dataset == "spirals" else {}
    X, y = make(args.samples, noise=args.noise, seed=args.seed, **extra)
    outputs = classes if args.loss == "cross_entropy" or classes > 2 else 1
    output_activation = "sigmoid" if args.loss == "bce" else "linear"
    model = MLP(2, [*args.hidden, outputs], args.activation, output_activation, seed=args.seed)
    if args.optimizer == "adam":
        optimizer = Adam(model.parameters(), lr=args.lr)
    else:
        optimizer = SGD(model.parameters(), lr=args.lr)
    history = fit(
        model,
        X,
        y,
        loss=args.loss,
        optimizer=optimizer,
        epochs=args.epochs,
        batch_size=args.batch_size,
        progress=not args.quiet,
        seed=args.seed,
    )
    threshold = OBJECTIVES[args.loss].threshold
    final = accuracy(predict(model, X, threshold=threshold), y)
    sizes = [*args.hidden, outputs]
    print(f"trained MLP(2, {sizes}) on {args.samples} {args.dataset} points")
    print(f"final loss {history.loss[-1]:.4f}, training accuracy {final:.1%}")
    if args.save:
        model.save(args.save)
        print(f"saved the model to {args.save}")
    if args.plot:
        from .plot import plot_decision_boundary

        title = f"{args.dataset}: MLP(2, {sizes}), training accuracy {final:.0%}"
        plot_decision_boundary(model, X, y, args.plot, threshold=threshold, title=title)
        print(f"saved the decision boundary to {args.plot}")
    return 0


# ---- the program ----


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="tinygrad-edu",
        description="tinygrad_edu: a scalar autograd engine for learning backpropagation.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="<command>", required=True)
    _add_train_parser(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); return the exit code."""
    args = _parser().parse_args(argv)
    try:
        return args.run(args)
    except (UsageError, OSError) as error:
        print(f"tinygrad-edu {args.command}: error: {error}", file=sys.stderr)
        return 2
