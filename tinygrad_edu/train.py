"""Training a classifier: fit() with a progress bar, its History, predict(), evaluate(), accuracy().

Labels are always the class numbers 0..k-1; each named loss turns them into
the targets it needs and says how an output becomes a class:

- ``"hinge"``: 1 output, a raw score (a linear or tanh output layer), targets
  −1/+1; class 1 if the score > 0.
- ``"bce"``: 1 output, a probability (a sigmoid output layer), targets 0/1;
  class 1 if the probability > 0.5.
- ``"mse"``: 1 output with targets 0/1 (class 1 if > 0.5), or k outputs with
  one-hot targets (class = argmax).
- ``"cross_entropy"``: k ≥ 2 outputs (logits), target the class index; class = argmax.

Data goes in as lists, tuples or numpy arrays (see ``tinygrad_edu.samples``).
Ctrl-C during ``fit`` stops training after the step in progress, and ``fit``
returns the History so far, marked ``interrupted``.
"""

from __future__ import annotations

import math
import random
import signal
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from .checks import is_number, is_whole
from .engine import Value, no_grad
from .losses import binary_cross_entropy, cross_entropy, hinge, mean, mse
from .nn import MLP, Layer, Module, Neuron
from .optim import SGD, Adam, Optimizer
from .samples import as_labels, as_samples

Output = Value | list[Value]
LossFunction = Callable[[list[Output], list[int]], Value]


class DivergenceError(ArithmeticError):
    """Training produced an output, loss, gradient or parameter that is not a finite number."""


@dataclass
class History:
    """Per-epoch training record: mean ``loss`` and ``accuracy`` (a fraction) of each epoch.

    Both are measured on the outputs each step was computed from, so before
    that step's update.  ``interrupted`` is True when Ctrl-C stopped training
    early; the lists then hold the epochs that were completed.
    """

    loss: list[float] = field(default_factory=list)
    accuracy: list[float] = field(default_factory=list)
    interrupted: bool = False


class Objective(NamedTuple):
    """A loss on raw labels, how one output becomes a class, and its learning rates.

    ``learning_rates`` holds the default ``lr`` of each named optimizer for
    this loss: the learning rate ``fit`` (and ``tinygrad-edu train``) use when
    none is given.
    """

    loss: LossFunction
    threshold: float
    outputs: str  # "one", "many" or "any": how many outputs the model must have
    learning_rates: dict[str, float]


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


OPTIMIZERS: dict[str, type[Optimizer]] = {"adam": Adam, "sgd": SGD}

# The learning rates come from training MLP(2, [16, 16, k]), relu, full batch, for
# 100 epochs on 100 points of moons, circles, xor and spirals (seed 0), with each
# loss at Adam 0.01, 0.02, 0.05, 0.1 and SGD 0.03, 0.1, 0.3, 1.0.  With Adam, hinge,
# bce and cross_entropy reach the same accuracies (within a point) at every rate;
# mse at 0.1 leaves moons at 50% and circles at 72% (its relu units die), so it
# gets 0.02, well below that.  With SGD, 0.03 and 0.1 are too slow for 100 epochs
# except for mse, which dies at 0.3 on xor and at 1.0 everywhere: mse gets 0.1, the
# others the rate with the best mean accuracy (1.0, and 0.3 for bce).
OBJECTIVES: dict[str, Objective] = {
    "hinge": Objective(
        lambda out, y: hinge(out, [2 * c - 1 for c in y]), 0.0, "one", {"adam": 0.05, "sgd": 1.0}
    ),
    "bce": Objective(binary_cross_entropy, 0.5, "one", {"adam": 0.05, "sgd": 0.3}),
    "mse": Objective(_mse_loss, 0.5, "any", {"adam": 0.02, "sgd": 0.1}),
    "cross_entropy": Objective(_cross_entropy_loss, 0.0, "many", {"adam": 0.05, "sgd": 1.0}),
}
CALLABLE_LEARNING_RATES = {"adam": 0.02, "sgd": 0.1}  # a loss of your own: mse's careful rates


def choose_loss(outputs: int, activation: str | None) -> str:
    """The named loss that fits a model with ``outputs`` outputs whose last layer is ``activation``.

    Several outputs: ``"cross_entropy"`` (one logit per class).  One output:
    ``"bce"`` for a sigmoid (a probability), ``"mse"`` for a relu (which
    never goes below 0, as hinge needs), and ``"hinge"`` for a raw score.
    """
    if outputs > 1:
        return "cross_entropy"
    return {"sigmoid": "bce", "relu": "mse"}.get(activation, "hinge")


def _objective(loss: str | LossFunction) -> Objective:
    if callable(loss):
        return Objective(loss, 0.0, "any", CALLABLE_LEARNING_RATES)
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
    """The threshold of the loss ``fit`` chooses for one output of this model.

    0.5 for a sigmoid (a probability, ``"bce"``) and a relu (``"mse"`` on 0/1),
    0.0 for a raw score (``"hinge"``).
    """
    return OBJECTIVES[choose_loss(1, output_activation(model))].threshold


def predict(
    model: Module, X: Sequence[Sequence[float]], *, threshold: float | None = None
) -> list[int]:
    """The class of each input: output > ``threshold`` for one output, else argmax.

    ``X`` is a list of samples (or a 2-D numpy array); for one sample x, use
    ``predict(model, [x])[0]``.  ``threshold=None`` follows the model: 0.5 when
    its last layer is a sigmoid (a probability, as for ``"bce"``) or a relu
    (trained with ``"mse"`` on 0/1), otherwise 0.0 (a raw score, as for
    ``"hinge"``).  A linear output trained with ``"mse"`` on the targets 0/1
    needs ``threshold=0.5`` given explicitly.
    Nothing is recorded for backward (it runs under ``no_grad``).
    """
    if threshold is None:
        threshold = default_threshold(model)
    elif not is_number(threshold):
        raise TypeError(f"threshold must be a number or None, got {threshold!r}")
    samples = as_samples(X, "predict")
    with no_grad():
        return [_classify(model(x), threshold) for x in samples]


def accuracy(predictions: Sequence[int], labels: Sequence[int]) -> float:
    """The fraction of predictions equal to their label: (1/n) Σᵢ [ŷᵢ = yᵢ]."""
    predictions = as_labels(predictions, "accuracy")
    labels = as_labels(labels, "accuracy")
    if len(predictions) != len(labels) or not labels:
        raise ValueError(
            f"accuracy needs as many predictions as labels (at least one): "
            f"got {len(predictions)} and {len(labels)}"
        )
    return sum(p == t for p, t in zip(predictions, labels)) / len(labels)


class Evaluation(NamedTuple):
    """A model's ``loss`` and ``accuracy`` on a dataset, as it is now."""

    loss: float
    accuracy: float


def evaluate(
    model: Module,
    X: Sequence[Sequence[float]],
    y: Sequence[int],
    *,
    loss: str | LossFunction | None = None,
) -> Evaluation:
    """The model's mean loss and its accuracy on ``(X, y)`` now, without training.

    ``loss`` as in ``fit`` (None chooses the same one); the accuracy counts a
    class as ``fit`` does for that loss, (1/n) Σᵢ [ŷᵢ = yᵢ].  Nothing is
    recorded for backward.
    """
    samples, labels = as_samples(X, "evaluate"), as_labels(y, "evaluate")
    objective = _objective(_chosen_loss(loss, model, samples))
    _check_setup(model, samples, labels, objective, 1, None)
    with no_grad():
        outputs = [model(x) for x in samples]
        value = objective.loss(outputs, labels)
    correct = sum(_classify(o, objective.threshold) == t for o, t in zip(outputs, labels))
    return Evaluation(value.data, correct / len(labels))


def _output_count(model: Module, x: list[float]) -> int:
    with no_grad():
        output = model(x)
    return len(output) if isinstance(output, list) else 1


def _chosen_loss(loss: str | LossFunction | None, model: Module, X: list) -> str | LossFunction:
    if loss is not None or not X:
        return loss if loss is not None else "hinge"
    return choose_loss(_output_count(model, X[0]), output_activation(model))


def _check_setup(model, X, y, objective: Objective, epochs, batch_size) -> None:
    if len(X) != len(y) or not y:
        raise ValueError(f"fit needs one label per input (at least one): got {len(X)} and {len(y)}")
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
    outputs = _output_count(model, X[0])
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


def _optimizer(
    optimizer: Optimizer | str | None, lr: float | None, model: Module, objective: Objective
) -> Optimizer:
    """The optimizer ``fit`` steps with: the one given, or a new one named by string."""
    if isinstance(optimizer, Optimizer):
        if lr is not None:
            raise ValueError(
                f"lr= goes with an optimizer named by string (optimizer='sgd', lr=0.1); the "
                f"{type(optimizer).__name__} given has its own lr ({optimizer.lr:g}): "
                "set that one instead"
            )
        return optimizer
    name = "adam" if optimizer is None else optimizer
    name = name.lower() if isinstance(name, str) else name  # "SGD", as the class is called
    if name not in OPTIMIZERS:
        raise ValueError(
            f"optimizer must be {' or '.join(map(repr, OPTIMIZERS))}, or an optimizer such "
            f"as SGD(model.parameters(), lr=0.1); got {optimizer!r}"
        )
    if lr is None:
        lr = objective.learning_rates[name]
    return OPTIMIZERS[name](model.parameters(), lr=lr)


def _diverged(epoch: int, what: str, optimizer: Optimizer) -> DivergenceError:
    return DivergenceError(
        f"training diverged at epoch {epoch}: {what}; lower the learning rate "
        f"(it is {optimizer.lr:g})"
    )


def _step(optimizer: Optimizer, epoch: int) -> None:
    """``optimizer.step()``, undone if it would leave a parameter that is nan or infinite.

    It is undone too when it is interrupted half-way (a second Ctrl-C), so a
    step moves every parameter or none, and the optimizer's own state
    (momentum, Adam's moments and step count) with them.
    """
    if not all(math.isfinite(p.grad) for p in optimizer.params):
        raise _diverged(epoch, "a gradient is not finite", optimizer)
    before = [p.data for p in optimizer.params], _state_of(optimizer)
    try:
        optimizer.step()
    except BaseException:
        _put_back(optimizer, *before)
        raise
    if not all(math.isfinite(p.data) for p in optimizer.params):
        _put_back(optimizer, *before)
        raise _diverged(
            epoch, "a step made a parameter nan or infinite (the step is undone)", optimizer
        )


def _state_of(optimizer: Optimizer) -> dict:
    """A copy of what an optimizer keeps between steps (its lists copied, the rest as is)."""
    held = vars(optimizer).items()
    return {name: list(value) if isinstance(value, list) else value for name, value in held}


def _put_back(optimizer: Optimizer, data: list[float], state: dict) -> None:
    for parameter, number in zip(optimizer.params, data):
        parameter.data = number
    vars(optimizer).update(state)


class _CtrlC:
    """Within ``with _CtrlC() as ctrl_c:``, Ctrl-C asks training to stop after its step.

    Python turns Ctrl-C (SIGINT) into a KeyboardInterrupt wherever the program
    happens to be: in the middle of a backward pass or of an optimizer's
    update.  Here the first Ctrl-C only sets ``pressed``; ``fit`` looks at it
    before each step (``stop_if_pressed``) and ends cleanly.  The second
    Ctrl-C interrupts at once, as usual.  Python's own handler is back when the
    block ends.  Only the main thread can handle signals, and a program that
    set a handler of its own keeps it: there a KeyboardInterrupt comes at once.
    """

    def __enter__(self) -> _CtrlC:
        self.pressed = False
        self._previous = None
        main = threading.current_thread() is threading.main_thread()
        if main and signal.getsignal(signal.SIGINT) is signal.default_int_handler:
            self._previous = signal.signal(signal.SIGINT, self._press)
        return self

    def _press(self, signal_number: int, frame: Any) -> None:
        self.pressed = True
        signal.signal(signal.SIGINT, self._previous)  # a second Ctrl-C interrupts at once

    def stop_if_pressed(self) -> None:
        if self.pressed:
            raise KeyboardInterrupt

    def __exit__(self, *exception: object) -> None:
        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)


def fit(
    model: Module,
    X: Sequence[Sequence[float]],
    y: Sequence[int],
    *,
    loss: str | LossFunction | None = None,
    optimizer: Optimizer | str | None = "adam",
    lr: float | None = None,
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
        X, y: the samples (lists of numbers, or a 2-D numpy array) and their
            class numbers 0..k−1 (ints, numpy integers, or whole floats such as 1.0).
        loss: ``"hinge"``, ``"bce"``, ``"mse"``, ``"cross_entropy"`` (see the module
            docstring for the targets each one uses), or a callable
            ``loss(outputs, labels) -> Value`` (then one output > 0 means class 1).
            None chooses by the model (``choose_loss``): cross_entropy for
            several outputs, bce for a sigmoid output, mse for a relu output,
            hinge for a raw score.
            ``"hinge"`` needs raw scores: on a model whose last layer is sigmoid
            or relu (outputs never below 0) it is a ``ValueError``.
        optimizer: ``"adam"`` or ``"sgd"``, made for the model's parameters
            with ``lr`` (None: the loss's default, ``OBJECTIVES[loss].learning_rates``,
            0.05 for Adam with hinge); or an ``Optimizer`` such as
            ``SGD(model.parameters(), lr=0.1)``, which brings its own ``lr``.
        progress: in a terminal, a tqdm bar with the epoch, loss and accuracy;
            when stderr is not a terminal (a log file, a pipe), one summary
            line at the end instead of a redraw per epoch.

    Returns:
        A ``History`` with the mean loss and the accuracy of each epoch, both
        measured on the outputs that epoch's steps were computed from.  After
        Ctrl-C, which stops training once the step in progress is done (a
        second Ctrl-C stops it at once and undoes that step's update), it holds
        the completed epochs and ``interrupted`` is True; one line on stderr
        says so (unless ``progress`` is False).

    Raises:
        ValueError: bad settings or data, before any training.
        DivergenceError: an output, the loss, a gradient or (after a step) a
            parameter is nan or infinite, usually because the learning rate is
            too large.  The parameters keep their values from before that step.
    """
    X, y = as_samples(X, "fit"), as_labels(y, "fit")
    objective = _objective(_chosen_loss(loss, model, X))
    _check_setup(model, X, y, objective, epochs, batch_size)
    optimizer = _optimizer(optimizer, lr, model, objective)
    size = batch_size or len(X)
    rng = random.Random(seed)
    history = History()
    started = time.perf_counter()
    hide = None if progress else True  # None: tqdm hides the bar when stderr is not a terminal
    from tqdm import tqdm  # loaded when training starts, not with the package

    bar = tqdm(range(1, epochs + 1), desc="training", unit="epoch", disable=hide)
    steps = 0  # the steps done in the epoch in progress, for the line after Ctrl-C
    with _CtrlC() as ctrl_c:
        try:
            for epoch in bar:
                order = list(range(len(X)))
                if size < len(X):
                    rng.shuffle(order)
                total_loss, correct, steps = 0.0, 0, 0
                for start in range(0, len(order), size):
                    ctrl_c.stop_if_pressed()
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
                    steps = start // size + 1
                    total_loss += value.data * len(batch)
                    correct += sum(
                        _classify(o, objective.threshold) == t for o, t in zip(outputs, labels)
                    )
                history.loss.append(total_loss / len(X))
                history.accuracy.append(correct / len(X))
                steps = 0
                bar.set_postfix(
                    loss=f"{history.loss[-1]:.4f}", accuracy=f"{history.accuracy[-1]:.1%}"
                )
        except KeyboardInterrupt:
            history.interrupted = True
        finally:
            bar.close()
    if progress and history.interrupted:
        print(interruption_line(history, epochs, steps), file=sys.stderr)
    elif progress and bar.disable:
        print(_summary(history, time.perf_counter() - started), file=sys.stderr)
    return history


def interruption_line(history: History, epochs: int, steps: int = 0) -> str:
    """What ``fit`` says on Ctrl-C: ``training interrupted (Ctrl-C) after 37 of 100 epochs``.

    ``steps`` counts the steps done in the epoch that was cut short.
    """
    done = len(history.loss)
    more = f" and {steps} step{'' if steps == 1 else 's'} of the next" if steps else ""
    return f"training interrupted (Ctrl-C) after {done} of {epochs} epochs{more}"


def _summary(history: History, seconds: float) -> str:
    """The line that stands in for the progress bar outside a terminal."""
    epochs = len(history.loss)
    return (
        f"training: {epochs} epoch{'' if epochs == 1 else 's'} in {seconds:.1f} s; "
        f"during the last epoch: loss {history.loss[-1]:.4f}, accuracy {history.accuracy[-1]:.1%}"
    )
