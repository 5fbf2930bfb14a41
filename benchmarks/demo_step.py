"""Workload 1: micrograd's demo step, written once per peer the way a user writes it.

``MLP(2, [16, 16, 1])`` (relu, relu, linear) on 100 two-moons points, full
batch: the SVM hinge loss ``mean(relu(1 - y·score)) + 1e-4·Σ p²``, then
backward, then an SGD update.  Every peer starts from the same weights (the
flat list of ``tinygrad_edu.MLP(...).parameters()``, layer by layer, neuron
by neuron, weights then bias) and computes the same floats in the same order,
so their losses agree to rounding.

Each ``make_<peer>(weights, X, Y)`` returns a ``step()`` that trains once and
returns the loss it computed.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable

SIZES = (2, 16, 16, 1)
LEARNING_RATE = 0.05
ALPHA = 1e-4  # the weight-decay factor of the loss

Step = Callable[[], float]


def moons(n: int = 100, seed: int = 0) -> tuple[list[list[float]], list[float]]:
    """Two interleaving half circles with Gaussian noise, labels -1 and +1."""
    try:
        from tinygrad_edu.data import make_moons
    except ImportError:
        rng = random.Random(seed)
        X, y = [], []
        for i in range(n):
            t = math.pi * rng.random()
            upper = i % 2 == 0
            cx, cy = (math.cos(t), math.sin(t)) if upper else (1 - math.cos(t), 0.5 - math.sin(t))
            X.append([cx + rng.gauss(0, 0.1), cy + rng.gauss(0, 0.1)])
            y.append(-1.0 if upper else 1.0)
        return X, y
    X, labels = make_moons(n, noise=0.1, seed=seed)
    return [list(map(float, x)) for x in X], [1.0 if label > 0 else -1.0 for label in labels]


def initial_weights(seed: int = 0) -> list[float]:
    """The starting parameters every peer copies."""
    from tinygrad_edu.nn import MLP

    return [p.data for p in MLP(SIZES[0], list(SIZES[1:]), seed=seed).parameters()]


def _layers(weights: list[float]) -> list[list[tuple[list[float], float]]]:
    """The flat weights as layers of neurons (w, b)."""
    it = iter(weights)
    return [
        [([next(it) for _ in range(nin)], next(it)) for _ in range(nout)]
        for nin, nout in zip(SIZES, SIZES[1:])
    ]


def tinygrad_edu_model(weights: list[float]):
    """tinygrad_edu's ``MLP`` holding ``weights``, and its parameters."""
    from tinygrad_edu.nn import MLP

    model = MLP(SIZES[0], list(SIZES[1:]))
    params = model.parameters()
    for p, w in zip(params, weights):
        p.data = w
    return model, params


def make_tinygrad_edu(weights: list[float], X, Y) -> Step:
    from tinygrad_edu import Value

    model, params = tinygrad_edu_model(weights)

    def step() -> float:
        inputs = [[Value(a), Value(b)] for a, b in X]
        scores = [model(x) for x in inputs]
        losses = [(1 + -y * score).relu() for y, score in zip(Y, scores)]
        loss = sum(losses) * (1.0 / len(losses)) + ALPHA * sum(p * p for p in params)
        model.zero_grad()
        loss.backward()
        for p in params:
            p.data -= LEARNING_RATE * p.grad
        return loss.data

    return step


def make_tinygrad_edu_compiled(weights: list[float], X, Y) -> Step:
    from tinygrad_edu.compile import compile

    model, params = tinygrad_edu_model(weights)

    def loss_of(params, X, Y):  # while tracing, params are the model's own Values
        scores = [model(x) for x in X]
        losses = [(1 + -y * score).relu() for y, score in zip(Y, scores)]
        return sum(losses) * (1.0 / len(losses)) + ALPHA * sum(p * p for p in params)

    loss_and_grads = compile(loss_of, params, X, Y, wrt=0)

    def step() -> float:
        loss, (grads,) = loss_and_grads(params, X, Y)
        for p, g in zip(params, grads):
            p.data -= LEARNING_RATE * g
        return loss

    return step


def make_micrograd(weights: list[float], X, Y) -> Step:
    from micrograd.engine import Value
    from micrograd.nn import MLP

    return _micrograd_step(Value, MLP, weights, X, Y)


def make_tinygrad_edu_micrograd(weights: list[float], X, Y) -> Step:
    """micrograd's program with its imports changed to tinygrad_edu.micrograd's."""
    from tinygrad_edu.micrograd.engine import Value
    from tinygrad_edu.micrograd.nn import MLP

    return _micrograd_step(Value, MLP, weights, X, Y)


def _micrograd_step(Value, MLP, weights: list[float], X, Y) -> Step:
    """micrograd's demo step, on the Value and MLP of a micrograd package."""
    model = MLP(SIZES[0], list(SIZES[1:]))
    params = model.parameters()
    for p, w in zip(params, weights):
        p.data = w

    def step() -> float:
        inputs = [list(map(Value, x)) for x in X]
        scores = list(map(model, inputs))
        losses = [(1 + -y * score).relu() for y, score in zip(Y, scores)]
        loss = sum(losses) * (1.0 / len(losses)) + ALPHA * sum(p * p for p in params)
        model.zero_grad()
        loss.backward()
        for p in params:
            p.data -= LEARNING_RATE * p.grad
        return loss.data

    return step


def make_torch(weights: list[float], X, Y) -> Step:
    import torch

    def scalar(x: float, grad: bool = False):
        return torch.tensor(x, dtype=torch.float64, requires_grad=grad)

    layers = [
        [([scalar(w, True) for w in ws], scalar(b, True)) for ws, b in layer]
        for layer in _layers(weights)
    ]
    params = [p for layer in layers for ws, b in layer for p in (*ws, b)]

    def model(x):
        for i, layer in enumerate(layers):
            out = []
            for ws, b in layer:
                z = b
                for w, xi in zip(ws, x):
                    z = z + w * xi
                out.append(z.relu() if i < len(layers) - 1 else z)
            x = out
        return x[0]

    def step() -> float:
        inputs = [[scalar(a), scalar(b)] for a, b in X]
        scores = [model(x) for x in inputs]
        losses = [(1 + -y * score).relu() for y, score in zip(Y, scores)]
        loss = sum(losses) * (1.0 / len(losses)) + ALPHA * sum(p * p for p in params)
        for p in params:
            p.grad = None
        loss.backward()
        with torch.no_grad():
            for p in params:
                p -= LEARNING_RATE * p.grad
        return loss.item()

    return step


def make_plain_floats(weights: list[float], X, Y) -> Step:
    """The floor for a pure-Python engine: the same step by hand, with a dense backward."""
    layers = [[[*ws, b] for ws, b in layer] for layer in _layers(weights)]  # rows: w..., b
    last = len(layers) - 1
    n = len(X)

    def step() -> float:
        grads = [[[0.0] * len(row) for row in layer] for layer in layers]
        data_loss = 0.0
        for x, y in zip(X, Y):
            activations = [x]  # the input of each layer
            for i, layer in enumerate(layers):
                zs = []
                for row in layer:
                    z = row[-1]
                    for w, xi in zip(row, activations[-1]):
                        z = z + w * xi
                    zs.append(z if i == last or z > 0 else 0.0)
                activations.append(zs)
            margin = 1 + -y * activations[-1][0]
            data_loss = data_loss + (margin if margin > 0 else 0.0)
            # backward for this point: d loss / d score, then layer by layer
            upstream = [-y / n if margin > 0 else 0.0]
            for i in range(last, -1, -1):
                inputs, outputs = activations[i], activations[i + 1]
                below = [0.0] * len(inputs)
                for j, row in enumerate(layers[i]):
                    g = upstream[j] if i == last or outputs[j] > 0 else 0.0
                    if g == 0.0:
                        continue
                    grad_row = grads[i][j]
                    for k, xk in enumerate(inputs):
                        grad_row[k] += g * xk
                        below[k] += g * row[k]
                    grad_row[-1] += g
                upstream = below
        reg = 0.0
        for layer in layers:
            for row in layer:
                for p in row:
                    reg = reg + p * p
        loss = data_loss * (1.0 / n) + ALPHA * reg
        for layer, grad_layer in zip(layers, grads):
            for row, grad_row in zip(layer, grad_layer):
                for k, p in enumerate(row):
                    row[k] = p - LEARNING_RATE * (grad_row[k] + 2 * ALPHA * p)
        return loss

    return step


PEERS: dict[str, Callable[..., Step]] = {
    "tinygrad_edu": make_tinygrad_edu,
    "tinygrad_edu compile()": make_tinygrad_edu_compiled,
    "micrograd": make_micrograd,
    "tinygrad_edu.micrograd": make_tinygrad_edu_micrograd,
    "pytorch (scalar tensors)": make_torch,
    "plain floats": make_plain_floats,
}
