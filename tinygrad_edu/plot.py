"""Pictures of training with matplotlib (the ``plot`` extra): decision boundaries and loss curves.

matplotlib is imported only when a picture is drawn, and no global matplotlib
state (pyplot, the backend) is touched: each picture is its own ``Figure``.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING

from .engine import no_grad
from .nn import Module

if TYPE_CHECKING:
    from .train import History

COLORS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"]
MARKERS = ["o", "s", "^", "D", "v", "P"]


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

    The model is evaluated on a ``resolution`` × ``resolution`` grid: with one
    output, class 1 where output > ``threshold`` (the boundary is the contour
    output = threshold); with several, the class of the largest output.
    """
    xs, ys = _grid(X, resolution)
    with no_grad():
        outputs = [[model([a, b]) for a in xs] for b in ys]
    classes = max(max(y) + 1, 2)
    figure = _figure(figsize=(6.4, 5.2))
    axes = figure.subplots()
    if isinstance(outputs[0][0], list):
        field = [[max(range(len(o)), key=lambda k, o=o: o[k].data) for o in row] for row in outputs]
        levels = [k - 0.5 for k in range(classes + 1)]
        axes.contourf(xs, ys, field, levels=levels, colors=COLORS[:classes], alpha=0.25)
        axes.contour(xs, ys, field, levels=levels[1:-1], colors="black", linewidths=1.2)
    else:
        field = [[o.data - threshold for o in row] for row in outputs]
        top = max(abs(v) for row in field for v in row) or 1.0
        axes.contourf(xs, ys, field, levels=[-top, 0, top], colors=COLORS[:2], alpha=0.25)
        axes.contour(xs, ys, field, levels=[0], colors="black", linewidths=1.5)
    for k in range(classes):
        points = [p for p, label in zip(X, y) if label == k]
        axes.scatter(
            [p[0] for p in points],
            [p[1] for p in points],
            c=COLORS[k % len(COLORS)],
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
    axes.legend(loc="best", framealpha=0.9)
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
