# %% [markdown]
# # What backpropagation compiles to
#
# Eager mode builds a fresh graph of Values on every call.  When the graph
# is the same every time (the same operations on other numbers), we can
# record it once and write it out as plain Python over floats: one line per
# operation forward, then the chain rule one edge at a time backward.
# `compile(fn, *example_args)` does exactly that, and `.source` shows the
# result.  Set `POINTS` (default 40) and `STEPS` (default 30) to change the size.

# %%
import os
import random
import time

from tinygrad_edu.compile import compile
from tinygrad_edu.nn import MLP

# %% [markdown]
# ## A neuron, compiled
#
# Every line below is one of the table's rules with names filled in:
# `v4 = v3 if v3 > 0 else 0.0` is relu, `m.where(x > 0, x, 0.0)` in
# `tinygrad_edu.ops`, and its local derivative `dv4_0` is the
# `m.where(x > 0, 1.0, 0.0)` written next to it.


# %%
def neuron(w, b, x):
    """relu(w·x + b)"""
    z = b
    for wi, xi in zip(w, x):
        z = z + wi * xi
    return z.relu()


neuron_and_grads = compile(neuron, [0.5, -0.2], 0.1, [2.0, 3.0], wrt=(0, 1))
print(neuron_and_grads.source)
value, (dw, db) = neuron_and_grads([0.5, -0.2], 0.1, [2.0, 3.0])
print(f"value {value:.4f}, d/dw = {dw} (= x), d/db = {db:.1f}")

# %% [markdown]
# ## Training with it
#
# The calling convention is the one a training loop wants: parameters and
# data go in, the loss and the gradients come out.  Passing the model's own
# parameters while tracing lets the loss use the model as it is.

# %%
points = int(os.environ.get("POINTS", "40"))
steps = int(os.environ.get("STEPS", "30"))
rng = random.Random(0)
X = [[rng.uniform(-1, 1), rng.uniform(-1, 1)] for _ in range(points)]
Y = [1.0 if x0 * x1 > 0 else -1.0 for x0, x1 in X]  # the XOR pattern, labels ±1

model = MLP(2, [8, 8, 1], seed=0)
params = model.parameters()


def loss_of(params, X, Y):
    """mean(relu(1 - y·score)) + 1e-4·Σp²: the hinge loss of micrograd's demo."""
    scores = [model(x) for x in X]
    losses = [(1 + -y * score).relu() for y, score in zip(Y, scores)]
    return sum(losses) * (1.0 / len(losses)) + 1e-4 * sum(p * p for p in params)


start = time.perf_counter()
loss_and_grads = compile(loss_of, params, X, Y, wrt=0)
print(f"traced and generated {loss_and_grads.source.count(chr(10))} lines", end=" ")
print(f"in {time.perf_counter() - start:.2f} s")

for step in range(steps):
    loss, (grads,) = loss_and_grads(params, X, Y)
    for p, g in zip(params, grads):
        p.data -= 0.2 * g
    if step % 10 == 0 or step == steps - 1:
        print(f"step {step:3d}: loss = {loss:.4f}")

# %% [markdown]
# ## The same numbers, faster
#
# The compiled step computes what eager mode computes, to the last bits,
# without building a graph.

# %%
model.zero_grad()
eager_loss = loss_of(params, X, Y)
eager_loss.backward()
compiled_loss, (compiled_grads,) = loss_and_grads(params, X, Y)
print(f"eager loss {eager_loss.data!r}, compiled {compiled_loss!r}")
print(
    f"largest gradient difference: {max(abs(p.grad - g) for p, g in zip(params, compiled_grads))}"
)


def seconds(run, repeats=3):
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


def eager_step():
    model.zero_grad()
    loss_of(params, X, Y).backward()


eager = seconds(eager_step)
compiled = seconds(lambda: loss_and_grads(params, X, Y))
print(f"one step: eager {eager * 1e3:.1f} ms, compiled {compiled * 1e3:.1f} ms")
