"""Loss functions: how far predictions are from targets, as a Value to call backward() on.

Each batch loss takes a list of predictions (Values or numbers) and a list of
targets of the same length, and returns their mean.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from .checks import is_number, is_whole
from .engine import Value

Number = int | float
Scalar = Value | Number

EPSILON = 1e-12  # how close to 0 or 1 a probability may come in binary_cross_entropy


def _check_list(given: object, what: str, who: str) -> None:
    """``given`` must be a list (or tuple) of ``what``, not one Value or number."""
    if isinstance(given, str | bytes) or not hasattr(given, "__len__"):
        raise TypeError(
            f"{who} expects a list of {what}, got {type(given).__name__}; "
            f"for one sample use {who}([y], [t])"
        )


def _pair_up(
    predictions: Sequence[Scalar], targets: Sequence[Number], who: str, what: str = "predictions"
) -> None:
    _check_list(predictions, what, who)
    _check_list(targets, "targets", who)
    if len(predictions) != len(targets):
        raise ValueError(
            f"{who} needs one target per prediction: got {len(predictions)} predictions "
            f"and {len(targets)} targets"
        )
    if not predictions:
        raise ValueError(f"{who} needs at least one prediction")


def mean(terms: Sequence[Value]) -> Value:
    """The mean of a non-empty list of Values as one Value: (1/n) Σᵢ tᵢ, with ∂/∂tᵢ = 1/n.

    The sum is scaled by the number 1/n, so the graph holds no node for the
    count n; the mean of one term is that term itself, with no node added.
    """
    if not terms:
        raise ValueError("mean needs at least one term")
    if len(terms) == 1:
        return terms[0]
    return sum(terms[1:], terms[0]) * (1.0 / len(terms))


def _check_number(x: object, what: str, who: str) -> None:
    if not is_number(x):
        raise TypeError(f"{who} needs numbers as {what}, got {type(x).__name__}: {x!r}")


def _check_finite(values: list[Value], what: str, who: str) -> None:
    for v in values:
        if not math.isfinite(v.data):
            raise ValueError(f"{who} needs finite {what}, got {v.data!r}")


def _as_value(x: Scalar) -> Value:
    return x if isinstance(x, Value) else Value(x)


def mse(predictions: Sequence[Scalar], targets: Sequence[Number]) -> Value:
    """Mean squared error: L = (1/n) Σᵢ (pᵢ − tᵢ)².

    ∂L/∂pᵢ = 2(pᵢ − tᵢ)/n.
    """
    _pair_up(predictions, targets, "mse")
    return mean([(_as_value(p) - t) ** 2 for p, t in zip(predictions, targets)])


def binary_cross_entropy(probabilities: Sequence[Scalar], targets: Sequence[Number]) -> Value:
    """Binary cross-entropy: L = −(1/n) Σᵢ [tᵢ log pᵢ + (1 − tᵢ) log(1 − pᵢ)].

    ``probabilities`` lie in [0, 1] (a sigmoid output) and targets in [0, 1]
    (usually the labels 0 and 1).  ∂L/∂pᵢ = (pᵢ − tᵢ) / (pᵢ(1 − pᵢ)) / n.  A
    probability closer than 1e-12 to 0 or 1 is moved to that distance, keeping
    its gradient, so the loss and its gradient stay finite.  A target that is
    not a number is a ``TypeError``; values outside [0, 1] are ``ValueError``s.
    """
    _pair_up(probabilities, targets, "binary_cross_entropy", "probabilities")
    terms = []
    for p, t in zip(probabilities, targets):
        p = _as_value(p)
        _check_number(t, "targets", "binary_cross_entropy")
        if not 0.0 <= p.data <= 1.0:
            raise ValueError(
                f"binary_cross_entropy needs probabilities in [0, 1], got {p.data!r} "
                "(give the model output_activation='sigmoid')"
            )
        if not 0.0 <= t <= 1.0:
            raise ValueError(f"binary_cross_entropy needs targets in [0, 1], got {t!r}")
        p = _clamp(p, EPSILON, 1.0 - EPSILON)
        terms.append(-(t * p.log() + (1 - t) * (1 - p).log()))
    return mean(terms)


def _clamp(p: Value, low: float, high: float) -> Value:
    """p moved into [low, high] by adding a constant: the value is clamped, the slope stays 1."""
    if p.data < low:
        return p + (low - p.data)
    if p.data > high:
        return p - (p.data - high)
    return p


def hinge(scores: Sequence[Scalar], targets: Sequence[int]) -> Value:
    """Hinge loss of a max-margin classifier: L = (1/n) Σᵢ max(0, 1 − yᵢ·sᵢ), yᵢ ∈ {−1, +1}.

    A score on the right side by a margin of 1 or more costs nothing;
    ∂L/∂sᵢ = −yᵢ/n while the margin is missed, else 0.  A nan or infinite
    score is a ``ValueError`` (relu would quietly turn a nan margin into 0).
    """
    _pair_up(scores, targets, "hinge", "scores")
    for y in targets:
        if y not in (-1, 1) or isinstance(y, bool):
            raise ValueError(f"hinge needs targets -1 or +1, got {y!r}")
    scores = [_as_value(s) for s in scores]
    _check_finite(scores, "scores", "hinge")
    return mean([(1 - y * s).relu() for s, y in zip(scores, targets)])


def softmax(values: Sequence[Scalar]) -> list[Value]:
    """Probabilities from scores: softmax(v)ᵢ = e^(vᵢ − m) / Σⱼ e^(vⱼ − m), m = max v.

    Subtracting the constant m changes nothing mathematically and keeps every
    exponent ≤ 0, so large scores never overflow.  A nan or infinite value is a
    ``ValueError``.
    """
    if not values:
        raise ValueError("softmax needs at least one value")
    values = [_as_value(v) for v in values]
    _check_finite(values, "values", "softmax")
    largest = max(v.data for v in values)
    exps = [(v - largest).exp() for v in values]
    total = sum(exps[1:], exps[0])
    return [e / total for e in exps]


def cross_entropy(logits: Sequence[Scalar], target: int) -> Value:
    """Cross-entropy of one sample with class ``target``: L = −log softmax(z)_target.

    Computed as log Σⱼ e^(zⱼ − m) + m − z_target (log-sum-exp with m = max z), so
    large logits never overflow; ∂L/∂zᵢ = softmax(z)ᵢ − [i = target].  Every
    logit must be finite (a ``ValueError`` otherwise).
    """
    if not logits:
        raise ValueError("cross_entropy needs at least one logit (one per class)")
    if not is_whole(target) or not 0 <= target < len(logits):
        raise ValueError(
            f"cross_entropy needs a class index from 0 to {len(logits) - 1}, got {target!r}"
        )
    logits = [_as_value(z) for z in logits]
    _check_finite(logits, "logits", "cross_entropy")
    largest = max(z.data for z in logits)
    exps = [(z - largest).exp() for z in logits]
    return sum(exps[1:], exps[0]).log() + largest - logits[target]
