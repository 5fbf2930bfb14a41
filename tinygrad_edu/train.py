"""Training a classifier: fit() with a progress bar, its History, predict() and accuracy().

Labels are always the class numbers 0..k-1; each named loss turns them into
the targets it needs and says how an output becomes a class:

- ``"hinge"``: 1 output, a raw score (a linear or tanh output layer), targets
  −1/+1; class 1 if the score > 0.
- ``"bce"``: 1 output, a probability (a sigmoid output layer), targets 0/1;
  class 1 if the probability > 0.5.
- ``"mse"``: 1 output with targets 0/1 (class 1 if > 0.5), or k outputs with
  one-hot targets (class = argmax).
- ``"cross_entropy"``: k ≥ 2 outputs (logits), target the class index; class = argmax.
"""

from __future__ import annotations

import math
import random
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from .checks import is_number, is_whole
from .engine import Value, no_grad
from .losses import binary_cross_entropy, cross_entropy, hinge, mean, mse
from .nn import MLP, Layer, Module, Neuron
from .optim import Adam, Optimizer

Output = Value | list[Value]
LossFunction = Callable[[list[Output], list[int]], Value]


class DivergenceError(ArithmeticError):
    """Training produced an output, loss, gradient or parameter that is not a finite number."""


@dataclass
class History:
    """Per-epoch training record: mean ``loss`` and ``accuracy`` (a fraction) of each epoch."""

    loss: list[float] = field(default_factory=list)
    accuracy: list[float] = field(default_factory=list)


class Objective(NamedTuple):
    """A loss on raw labels, and the threshold that turns one output into class 0 or 1."""

    loss: LossFunction
    threshold: float
    outputs: str  # "one", "many" or "any": how many outputs the model must have


def _flat(outputs: list[Output]) -> list[Value]:
    return [v for out in outputs for v in (out if isinstance(out, list) else [out])]


def _mse_loss(outputs: list[Output], labels: list[int]) -> Value:
    if isinstance(outputs[0], list):  # k outputs: one-hot targets
        targets = [
            float(k == label) for out, label in zip(outputs, labels) for k in range(len(out))
        ]
        return mse(_flat(outputs), targets)
    return mse(outputs, [float(label) for label in labels])


def _cross_entropy_loss(outputs: list[Output], labels: list[int]) -> Value:
    return mean([cross_entropy(out, label) for out, label in zip(outputs, labels)])


OBJECTIVES: dict[str, Objective] = {
    "hinge": Objective(lambda out, y: hinge(out, [2 * c - 1 for c in y]), 0.0, "one"),
    "bce": Objective(binary_cross_entropy, 0.5, "one"),
    "mse": Objective(_mse_loss, 0.5, "any"),
    "cross_entropy": Objective(_cross_entropy_loss, 0.0, "many"),
}


def _objective(loss: str | LossFunction) -> Objective:
    if callable(loss):
        return Objective(loss, 0.0, "any")
    if loss not in OBJECTIVES:
        raise ValueError(f"loss must be one of {', '.join(OBJECTIVES)} or a callable; got {loss!r}")
    return OBJECTIVES[loss]


def _classify(output: Output, threshold: float) -> int:
    """One output: 1 if it is above ``threshold``; several: the index of the largest."""
    if isinstance(output, list):
        return max(range(len(output)), key=lambda k: output[k].data)
    return int(output.data > threshold)


def output_activation(model: Module) -> str | None:
    """The activation of the model's last layer (an MLP, Layer or Neuron); None if unknown."""
    if isinstance(model, MLP):
        return model.layers[-1].activation
    if isinstance(model, Layer | Neuron):
        return model.activation
    return None


def default_threshold(model: Module) -> float:
    """0.5 for a probability (a sigmoid last layer), else 0.0 for a raw score."""
    return 0.5 if output_activation(model) == "sigmoid" else 0.0


def predict(
    model: Module, X: Sequence[Sequence[float]], *, threshold: float | None = None
) -> list[int]:
    """The class of each input: output > ``threshold`` for one output, else argmax.

    ``threshold=None`` follows the model: 0.5 when its last layer is a sigmoid
    (a probability, as for ``"bce"``), otherwise 0.0 (a raw score, as for
    ``"hinge"``).  A linear output trained with ``"mse"`` on the targets 0/1
    needs ``threshold=0.5`` given explicitly.  Nothing is recorded for backward
    (it runs under ``no_grad``).
    """
    if threshold is None:
        threshold = default_threshold(model)
    elif not is_number(threshold):
        raise TypeError(f"threshold must be a number or None, got {threshold!r}")
    with no_grad():
        return [_classify(model(x), threshold) for x in X]


def accuracy(predictions: Sequence[int], labels: Sequence[int]) -> float:
    """The fraction of predictions equal to their label: (1/n) Σᵢ [ŷᵢ = yᵢ]."""
    if len(predictions) != len(labels) or not labels:
        raise ValueError(
            f"accuracy needs as many predictions as labels (at least one): "
            f"got {len(predictions)} and {len(labels)}"
        )
    return sum(p == t for p, t in zip(predictions, labels)) / len(labels)


def _check_setup(model, X, y, objective: Objective, epochs, batch_size) -> None:
    if len(X) != len(y) or not y:
        raise ValueError(f"fit needs one label per input (at least one): got {len(X)} and {len(y)}")
    for i, x in enumerate(X):
        if isinstance(x, str) or not isinstance(x, Sequence) or len(x) != len(X[0]):
            raise ValueError(f"X[{i}] must be a list of {len(X[0])} numbers like X[0], got {x!r}")
        for number in x:
            if not is_number(number):
                raise ValueError(f"X[{i}] must hold numbers, got {number!r}")
            if not math.isfinite(number):
                raise ValueError(f"X[{i}] must hold finite numbers, got {number!r}")
    for label in y:
        if not is_whole(label) or label < 0:
            raise ValueError(f"labels must be class numbers 0, 1, ..., got {label!r}")
    if not is_whole(epochs) or epochs < 1:
        raise ValueError(f"epochs must be a whole number >= 1, got {epochs!r}")
    if batch_size is not None and (not is_whole(batch_size) or batch_size < 1):
        raise ValueError(f"batch_size must be a whole number >= 1 or None, got {batch_size!r}")
    activation = output_activation(model)
    if objective is OBJECTIVES["hinge"] and activation in ("sigmoid", "relu"):
        bounds = "(0, 1)" if activation == "sigmoid" else "[0, inf)"
        raise ValueError(
            f"hinge needs raw scores that go below 0 for class 0, but the model's last layer "
            f"is {activation}, whose outputs lie in {bounds}; use loss='bce' or loss='mse' "
            "(class 1 when the output > 0.5), or build the model with output_activation='linear'"
        )
    with no_grad():
        output = model(X[0])
    outputs = len(output) if isinstance(output, list) else 1
    classes = max(y) + 1
    if objective.outputs == "one" and (outputs != 1 or classes > 2):
        raise ValueError(
            f"this loss needs a model with 1 output and labels 0/1; got {outputs} outputs "
            f"and labels up to {classes - 1} (use 'cross_entropy' for more classes)"
        )
    if objective.outputs == "many" and outputs < max(classes, 2):
        raise ValueError(
            f"cross_entropy needs one output per class: got {outputs} outputs for labels "
            f"up to {classes - 1}"
        )
    if objective.outputs == "any" and outputs != 1 and outputs < classes:
        raise ValueError(f"the model has {outputs} outputs but the labels go up to {classes - 1}")
    if objective.outputs == "any" and outputs == 1 and classes > 2:
        raise ValueError(
            f"a model with 1 output tells 2 classes apart; labels go up to {classes - 1}"
        )


def _diverged(epoch: int, what: str, optimizer: Optimizer) -> DivergenceError:
    return DivergenceError(
        f"training diverged at epoch {epoch}: {what}; lower the learning rate "
        f"(it is {optimizer.lr:g})"
    )


def _step(optimizer: Optimizer, epoch: int) -> None:
    """``optimizer.step()``, undone if it would leave a parameter that is nan or infinite."""
    if not all(math.isfinite(p.grad) for p in optimizer.params):
        raise _diverged(epoch, "a gradient is not finite", optimizer)
    before = [p.data for p in optimizer.params]
    optimizer.step()
    if not all(math.isfinite(p.data) for p in optimizer.params):
        for p, data in zip(optimizer.params, before):
            p.data = data
        raise _diverged(
            epoch, "a step made a parameter nan or infinite (the step is undone)", optimizer
        )


def fit(
    model: Module,
    X: Sequence[Sequence[float]],
    y: Sequence[int],
    *,
    loss: str | LossFunction = "hinge",
    optimizer: Optimizer | None = None,
    epochs: int = 100,
    batch_size: int | None = None,
    progress: bool = True,
    seed: int | None = 0,
) -> History:
    """Train ``model`` to tell the classes ``y`` of the inputs ``X`` apart.

    Each epoch goes through the data in batches (all of it at once when
    ``batch_size`` is None; otherwise shuffled with ``seed``) and, per batch::

        outputs = [model(x) for x in batch];  L = loss(outputs, labels)
        optimizer.zero_grad();  L.backward();  optimizer.step()

    Args:
        loss: ``"hinge"``, ``"bce"``, ``"mse"``, ``"cross_entropy"`` (see the module
            docstring for the targets each one uses), or a callable
            ``loss(outputs, labels) -> Value`` (then one output > 0 means class 1).
            ``"hinge"`` needs raw scores: on a model whose last layer is sigmoid
            or relu (outputs never below 0) it is a ``ValueError``.
        optimizer: defaults to ``Adam(model.parameters(), lr=0.05)``.
        progress: in a terminal, a tqdm bar with the epoch, loss and accuracy;
            when stderr is not a terminal (a log file, a pipe), one summary
            line at the end instead of a redraw per epoch.

    Returns:
        A ``History`` with the mean loss and the accuracy of each epoch, both
        measured on the outputs that epoch's steps were computed from.

    Raises:
        ValueError: bad settings or data, before any training.
        DivergenceError: an output, the loss, a gradient or (after a step) a
            parameter is nan or infinite, usually because the learning rate is
            too large.  The parameters keep their values from before that step.
    """
    objective = _objective(loss)
    X, y = list(X), list(y)
    _check_setup(model, X, y, objective, epochs, batch_size)
    if optimizer is None:
        optimizer = Adam(model.parameters(), lr=0.05)
    size = batch_size or len(X)
    rng = random.Random(seed)
    history = History()
    started = time.perf_counter()
    hide = None if progress else True  # None: tqdm hides the bar when stderr is not a terminal
    from tqdm import tqdm  # loaded when training starts, not with the package

    bar = tqdm(range(1, epochs + 1), desc="training", unit="epoch", disable=hide)
    for epoch in bar:
        order = list(range(len(X)))
        if size < len(X):
            rng.shuffle(order)
        total_loss, correct = 0.0, 0
        for start in range(0, len(order), size):
            batch = order[start : start + size]
            outputs = [model(X[i]) for i in batch]
            labels = [y[i] for i in batch]
            if not all(math.isfinite(v.data) for v in _flat(outputs)):
                raise _diverged(epoch, "the model's outputs are not all finite", optimizer)
            value = objective.loss(outputs, labels)
            if not math.isfinite(value.data):
                raise _diverged(epoch, f"the loss is {value.data}", optimizer)
            optimizer.zero_grad()
            value.backward()
            _step(optimizer, epoch)
            total_loss += value.data * len(batch)
            correct += sum(_classify(o, objective.threshold) == t for o, t in zip(outputs, labels))
        history.loss.append(total_loss / len(X))
        history.accuracy.append(correct / len(X))
        bar.set_postfix(loss=f"{history.loss[-1]:.4f}", accuracy=f"{history.accuracy[-1]:.1%}")
    if progress and bar.disable:
        print(_summary(history, time.perf_counter() - started), file=sys.stderr)
    return history


def _summary(history: History, seconds: float) -> str:
    """The line that stands in for the progress bar outside a terminal."""
    epochs = len(history.loss)
    return (
        f"training: {epochs} epoch{'' if epochs == 1 else 's'} in {seconds:.1f} s, "
        f"final loss {history.loss[-1]:.4f}, accuracy {history.accuracy[-1]:.1%}"
    )
