"""Pictures of training with matplotlib (the ``plot`` extra): decision boundaries and loss curves.

matplotlib is imported only when a picture is drawn, and no global matplotlib
state (pyplot, the backend) is touched: each picture is its own ``Figure``.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING

from .checks import is_whole
from .engine import no_grad
from .nn import Module
from .samples import as_labels, as_samples

if TYPE_CHECKING:
    from .train import History

# matplotlib's "tab10" colours; more classes than that take evenly spaced colours of "turbo".
COLORS = [
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
    "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
]  # fmt: skip
MARKERS = ["o", "s", "^", "D", "v", "P", "X", "<", ">", "*"]


def class_colors(count: int) -> list:
    """``count`` distinct colours: tab10 up to 10 classes, else ``count`` samples of turbo."""
    if count <= len(COLORS):
        return COLORS[:count]
    from matplotlib import colormaps

    turbo = colormaps["turbo"]
    return [turbo(0.05 + 0.9 * k / (count - 1)) for k in range(count)]


def _figure(**options):
    try:
        from matplotlib.figure import Figure
    except ImportError:
        raise ImportError(
            "drawing pictures needs matplotlib: pip install 'tinygrad-edu[plot]'"
        ) from None
    return Figure(layout="constrained", **options)


def _grid(X: Sequence[Sequence[float]], resolution: int, margin: float = 0.5):
    """Evenly spaced x1 and x2 covering the points with a margin around them."""
    lows = [min(p[i] for p in X) - margin for i in (0, 1)]
    highs = [max(p[i] for p in X) + margin for i in (0, 1)]
    return [
        [lo + (hi - lo) * j / (resolution - 1) for j in range(resolution)]
        for lo, hi in zip(lows, highs)
    ]


def _scores(output) -> list[float]:
    """A model's output as a list of numbers (one for a single Value)."""
    return [v.data for v in output] if isinstance(output, list) else [output.data]


def _fill_region(axes, xs, ys, margin: list[list[float]], color) -> None:
    """Fill where ``margin`` > 0 in ``color`` and draw its edge (margin = 0) in black."""
    values = [m for row in margin for m in row]
    top, bottom = max(values), min(values)
    if top <= 0:
        return  # this class wins nowhere on the grid
    axes.contourf(xs, ys, margin, levels=[0, top], colors=[color], alpha=0.25)
    if bottom < 0:
        axes.contour(xs, ys, margin, levels=[0], colors="black", linewidths=1.5)


def plot_decision_boundary(
    model: Module,
    X: Sequence[Sequence[float]],
    y: Sequence[int],
    path: str | os.PathLike,
    *,
    threshold: float = 0.0,
    title: str = "Decision boundary",
    resolution: int = 60,
) -> None:
    """Save a picture of the regions a 2-input classifier assigns to each class, with the points.

    The model is evaluated on a ``resolution`` × ``resolution`` grid.  With one
    output o, class 1 is where m = o − ``threshold`` > 0.  With several outputs,
    class k is where its margin mₖ = oₖ − maxⱼ₍ⱼ≠ₖ₎ oⱼ > 0 (it is the largest).
    Each class's region is filled in its colour and outlined by the contour
    m = 0, so every boundary is the line where two outputs tie, drawn once in
    the right place whatever the class numbers on either side.

    ``X`` and ``y`` may be lists or numpy arrays, as for ``fit``.

    Raises:
        ValueError: ``X`` and ``y`` differ in length or are empty, or
            ``resolution`` is not a whole number >= 2.
    """
    X, y = as_samples(X, "plot_decision_boundary"), as_labels(y, "plot_decision_boundary")
    if len(X) != len(y) or not y:
        raise ValueError(f"need one label per point (at least one): got {len(X)} and {len(y)}")
    if not is_whole(resolution) or resolution < 2:
        raise ValueError(f"resolution must be a whole number >= 2, got {resolution!r}")
    xs, ys = _grid(X, resolution)
    with no_grad():
        outputs = [[_scores(model([a, b])) for a in xs] for b in ys]
    classes = max(max(y) + 1, len(outputs[0][0]), 2)
    colors = class_colors(classes)
    figure = _figure(figsize=(6.4, 5.2))
    axes = figure.subplots()
    if len(outputs[0][0]) == 1:
        margin = [[o[0] - threshold for o in row] for row in outputs]
        _fill_region(axes, xs, ys, [[-m for m in row] for row in margin], colors[0])
        _fill_region(axes, xs, ys, margin, colors[1])
    else:
        for k in range(len(outputs[0][0])):
            margin = [[o[k] - max(o[:k] + o[k + 1 :]) for o in row] for row in outputs]
            _fill_region(axes, xs, ys, margin, colors[k])
    for k in range(classes):
        points = [p for p, label in zip(X, y) if label == k]
        axes.scatter(
            [p[0] for p in points],
            [p[1] for p in points],
            color=colors[k],
            marker=MARKERS[k % len(MARKERS)],
            edgecolors="black",
            linewidths=0.6,
            s=36,
            label=f"class {k}",
        )
    axes.plot([], [], color="black", linewidth=1.5, label="decision boundary")
    axes.set_xlabel("$x_1$")
    axes.set_ylabel("$x_2$")
    axes.set_title(title)
    axes.set_xlim(xs[0], xs[-1])
    axes.set_ylim(ys[0], ys[-1])
    if classes <= 6:
        axes.legend(loc="best", framealpha=0.9)
    else:  # a long legend would hide the points: put it beside the picture
        axes.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), framealpha=0.9)
    figure.savefig(path, dpi=120)


def plot_history(history: History, path: str | os.PathLike, *, title: str = "Training") -> None:
    """Save the loss (left) and the accuracy (right) of each epoch as two line plots."""
    figure = _figure(figsize=(9.6, 4.0))
    loss_axes, accuracy_axes = figure.subplots(1, 2)
    epochs = range(1, len(history.loss) + 1)
    loss_axes.plot(epochs, history.loss, color=COLORS[0], linewidth=2, label="training loss")
    loss_axes.set_xlabel("epoch")
    loss_axes.set_ylabel("loss")
    loss_axes.set_title("Loss")
    accuracy_axes.plot(
        epochs,
        [100 * a for a in history.accuracy],
        color=COLORS[2],
        linewidth=2,
        label="training accuracy",
    )
    accuracy_axes.set_xlabel("epoch")
    accuracy_axes.set_ylabel("accuracy (%)")
    accuracy_axes.set_ylim(0, 102)
    accuracy_axes.set_title("Accuracy")
    loss_axes.legend(loc="upper right")
    accuracy_axes.legend(loc="lower right")
    for axes in (loss_axes, accuracy_axes):
        axes.grid(alpha=0.3)
    figure.suptitle(title)
    figure.savefig(path, dpi=120)
