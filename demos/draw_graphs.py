# %% [markdown]
# # Drawing computation graphs
#
# Three pictures, written to `out/`: the article's neuron with its squared
# error, the micrograd-style expression built from text by the safe parser,
# and a small MLP, drawn node by node (clustered by neuron) and collapsed
# into the input / hidden / output picture.
#
# Read a picture right to left, as `backward()` does: every edge carries its
# local derivative, and an input's grad is the sum, over the edges leaving it,
# of local derivative × the grad of the node it feeds.
# Colour key: inputs light blue, parameters light orange, the root light green,
# highlighted nodes and edges outlined in red.

# %%
import os
from pathlib import Path

from tinygrad_edu import Value, draw_dot, render
from tinygrad_edu.expr import parse
from tinygrad_edu.nn import MLP

OUT = Path("out")
FORMAT = os.environ.get("DRAW_GRAPHS_FORMAT", "svg")  # the test asks for .dot: no Graphviz needed

# %% The article's neuron: y = σ(x1·w1 + x2·w2 + b), loss = (y - 1)²
x1, x2 = Value(2.0, "x1"), Value(3.0, "x2")
w1, w2, b = Value(0.5, "w1"), Value(-0.4, "w2"), Value(0.1, "b")
z = x1 * w1 + x2 * w2 + b
z.label = "z"
y = z.sigmoid()
y.label = "y"
loss = (y - 1.0) ** 2
loss.label = "loss"
loss.backward()
print(f"dloss/dw1 = {w1.grad:.4f}: the edge w1 -> * is labelled x1 = {x1.data}")
print("wrote", render(loss, OUT / f"neuron.{FORMAT}", parameters=[w1, w2, b]))

# %% A micrograd-style expression, from text (the parser never runs Python)
o = parse("tanh(x1*w1 + x2*w2 + b)", {"x1": 2, "w1": -3, "x2": 0, "w2": 1, "b": 6.8813735870195432})
o.backward()
print(f"o = {o.data:.4f}; do/dn = 1 - o² = {1 - o.data**2:.4f} is written on the tanh edge")
print("wrote", render(o, OUT / f"expression.{FORMAT}", rankdir="TB"))

# %% One step of the backward pass, as a frame: the current edge in red, later grads empty
fresh = parse("tanh(x1*w1 + x2*w2 + b)", {"x1": 2, "w1": -3, "x2": 0, "w2": 1, "b": 6.88137})
done = {fresh}  # the nodes whose gradient the pass has filled in so far
for number, step in enumerate(fresh.backward_steps(), start=1):
    done.add(step.input)
    if number == 3:
        frame = draw_dot(fresh, highlight=[step], show_grad=done)
        break
print(f"step 3: {step.input.label} += {step.local_grad:g} × {step.upstream:.4f}")
print("wrote", render(frame, OUT / f"backward_step.{FORMAT}"))

# %% A small MLP: one box per neuron inside one box per layer, then collapsed
model = MLP(2, [3, 1], activation="tanh", seed=0)
out = model([Value(0.5, "x0"), Value(-1.0, "x1")])
out.backward()
print("wrote", render(out, OUT / f"mlp.{FORMAT}"))
print("wrote", render(out, OUT / f"mlp_collapsed.{FORMAT}", collapse=True))
