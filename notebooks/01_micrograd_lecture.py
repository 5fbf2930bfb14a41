# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # From a derivative to a trained network
#
# This notebook walks the path of Andrej Karpathy's micrograd lecture ("The
# spelled-out intro to neural networks and backpropagation") with
# tinygrad_edu: a derivative found by nudging, an expression whose gradients
# we work out by hand and then with `backward()`, a neuron, the order in which
# `backward()` visits the graph, and finally a small network trained on four
# examples.
#
# Run the cells from top to bottom (Shift+Enter). Every picture is drawn by
# Graphviz from the graph that the code just built, with each node's `data`
# and `grad`, and each edge's *local derivative* written on it.

# %%
import math

from tinygrad_edu import MLP, Value, draw_dot, topological_order

# %% [markdown]
# ## 1. A derivative by nudging
#
# Take a function of one number, f(x) = 3x² − 4x + 5.


# %%
def f(x):
    return 3 * x**2 - 4 * x + 5


print([f(x) for x in (-2.0, 0.0, 3.0)])

# %% [markdown]
# Its derivative at x says how fast f changes when x is nudged: move x by a
# tiny h and divide the change of f by h:
#
#     f′(x) ≈ (f(x + h) − f(x)) / h
#
# By hand, f′(x) = 6x − 4, so the slope is 14 at x = 3, −22 at x = −3 and 0 at
# x = 2/3, where f has its minimum.

# %%
h = 0.0001
for x in (3.0, -3.0, 2 / 3):
    slope = (f(x + h) - f(x)) / h
    print(f"x = {x:7.4f}: nudged slope {slope:9.4f}, by hand 6x - 4 = {6 * x - 4:8.4f}")

# %% [markdown]
# A smaller h is not always better. Floating-point numbers carry about 16
# significant digits, so when h gets tiny, f(x + h) − f(x) loses its digits and
# the estimate falls apart. The *central* difference (f(x + h) − f(x − h)) / 2h
# is exact for a parabola, up to rounding. (For h of 1e-8 and below the two
# columns agree: what is left of f(x + h) − f(x) is rounding either way.)

# %%
print(f"{'h':<7}  {'forward':>18}  {'central':>18}")
for k in (1, 2, 4, 6, 8, 10, 12, 14, 15, 16):
    h = 10.0**-k
    forward = (f(3.0 + h) - f(3.0)) / h
    central = (f(3.0 + h) - f(3.0 - h)) / (2 * h)
    print(f"{f'1e-{k}':<7}  {forward:18.12f}  {central:18.12f}")

# %% [markdown]
# ## 2. An expression of several inputs
#
# With a = 2, b = −3 and c = 10, let d = a·b + c. Nudging one input at a time
# gives one partial derivative each: ∂d/∂a = b = −3, ∂d/∂b = a = 2 and
# ∂d/∂c = 1.

# %%
a, b, c = 2.0, -3.0, 10.0
h = 0.0001
d = a * b + c
print(f"d = {d}")
print(f"dd/da ~ {((a + h) * b + c - d) / h:.4f}")
print(f"dd/db ~ {(a * (b + h) + c - d) / h:.4f}")
print(f"dd/dc ~ {(a * b + (c + h) - d) / h:.4f}")

# %% [markdown]
# ## 3. Values: numbers that remember how they were made
#
# A `Value` holds a number (`.data`), its gradient (`.grad`, 0 until a
# backward pass fills it in) and a label. Every operation on Values makes a new
# Value that records its inputs (`.inputs`), its operation (`.op`) and the
# local derivative of itself with respect to each input (`.local_grads`).
# Here is the lecture's expression, e = a·b, d = e + c, f = −2 and L = d·f:

# %%
a = Value(2.0, "a")
b = Value(-3.0, "b")
c = Value(10.0, "c")
e = a * b
e.label = "e"
d = e + c
d.label = "d"
f = Value(-2.0, "f")
L = d * f
L.label = "L"
print(repr(L))
print("L was made by", repr(L.op), "from", [v.label for v in L.inputs])
print("its local derivatives dL/dd and dL/df:", L.local_grads)

# %% [markdown]
# The graph, drawn left to right from the inputs to L. Each box is a Value
# (label, data, grad), each grey oval an operation, and the number on each
# edge into an operation is that edge's local derivative: into `*` from d it
# is f = −2, from f it is d = 4. Every grad is still 0.

# %% tags=["small-graph"]
draw_dot(L)

# %% [markdown]
# ## 4. Gradients by hand: the chain rule
#
# We want ∂L/∂x for every x in the graph, starting at L and going backwards:
#
# - ∂L/∂L = 1.
# - L = d·f, so ∂L/∂d = f = −2 and ∂L/∂f = d = 4.
# - d = e + c, and a sum passes its gradient on unchanged (its local
#   derivatives are 1): ∂L/∂e = ∂L/∂d · 1 = −2 and ∂L/∂c = −2.
# - e = a·b: ∂L/∂a = ∂L/∂e · b = (−2)(−3) = 6 and ∂L/∂b = ∂L/∂e · a = (−2)(2) = −4.
#
# Each step multiplies the gradient that arrived from above (the *upstream*
# gradient) by the local derivative of one edge. That product is the chain
# rule, and it is all that backpropagation does. Let us write the results in
# by hand:

# %%
L.grad = 1.0
d.grad = f.data  # -2
f.grad = d.data  # 4
e.grad = d.grad * 1.0  # -2
c.grad = d.grad * 1.0  # -2
a.grad = e.grad * b.data  # 6
b.grad = e.grad * a.data  # -4
by_hand = {v.label: v.grad for v in (a, b, c, d, e, f, L)}
print(by_hand)

# %% [markdown]
# A check by nudging: rebuild L with one input moved by h, and see how much L
# moves.


# %%
def lecture_L(a=2.0, b=-3.0, c=10.0, f=-2.0):
    return ((a * b) + c) * f


inputs = {"a": 2.0, "b": -3.0, "c": 10.0, "f": -2.0}
h = 0.0001
for name in inputs:
    nudged = dict(inputs, **{name: inputs[name] + h})
    slope = (lecture_L(**nudged) - lecture_L(**inputs)) / h
    print(f"dL/d{name} ~ {slope:.4f}  (by hand {by_hand[name]})")

# %% [markdown]
# ## 5. The same, by `backward()`
#
# `L.backward()` does exactly what we just did by hand, for every node. One
# thing to know first: gradients of *leaves* (the Values you made yourself,
# such as a and b) **add up** across backward passes, as in PyTorch, because a
# Value used twice must collect a gradient from both uses. So we clear the
# leaves' hand-written gradients before calling it.

# %%
for leaf in (a, b, c, f):
    leaf.grad = 0.0
L.backward()
by_backward = {v.label: v.grad for v in (a, b, c, d, e, f, L)}
print(by_backward)
assert by_backward == by_hand

# %% [markdown]
# The picture now carries every gradient. Check one with the chain rule on the
# picture itself: a's grad (6) is the number on its edge (b = −3) times the
# grad of e (−2).

# %% tags=["small-graph"]
draw_dot(L)

# %% [markdown]
# The gradient says which way to move each input to make L larger. One small
# step in that direction, and L goes up from −8:

# %%
step = 0.01
for leaf in (a, b, c, f):
    leaf.data += step * leaf.grad
print(f"L after one step: {lecture_L(a.data, b.data, c.data, f.data):.4f}")

# %% [markdown]
# ## 6. A neuron
#
# A neuron multiplies each input by a weight, adds a bias and squashes the sum
# with an activation function; the lecture uses tanh:
#
#     n = x1·w1 + x2·w2 + b,    o = tanh(n)
#
# The lecture picks b = 6.8813735870195432 so that n = 0.8814 and o is a round
# 0.7071.

# %%
x1 = Value(2.0, "x1")
x2 = Value(0.0, "x2")
w1 = Value(-3.0, "w1")
w2 = Value(1.0, "w2")
b = Value(6.8813735870195432, "b")
x1w1 = x1 * w1
x1w1.label = "x1*w1"
x2w2 = x2 * w2
x2w2.label = "x2*w2"
x1w1x2w2 = x1w1 + x2w2
x1w1x2w2.label = "x1*w1 + x2*w2"
n = x1w1x2w2 + b
n.label = "n"
o = n.tanh()
o.label = "o"
print(f"n = {n.data:.4f}, o = {o.data:.4f}")

# %% [markdown]
# By hand, from the top: ∂o/∂o = 1; tanh′(n) = 1 − tanh(n)² = 1 − o², so
# ∂o/∂n = 1 − 0.7071² = 0.5. The two sums pass 0.5 on to b, x1·w1 and x2·w2.
# Then each product swaps its inputs: ∂o/∂w1 = x1 · 0.5 = 1, ∂o/∂x1 = w1 · 0.5
# = −1.5, ∂o/∂w2 = x2 · 0.5 = 0 (x2 is 0: this weight cannot matter here) and
# ∂o/∂x2 = w2 · 0.5 = 0.5.

# %%
o.backward()
for v in (n, b, x1w1, x2w2, w1, x1, w2, x2):
    print(f"do/d{v.label:<6} = {v.grad:+.4f}")
assert math.isclose(n.grad, 0.5) and math.isclose(w1.grad, 1.0) and math.isclose(x1.grad, -1.5)

# %% [markdown]
# The neuron, with its gradients. The edge into `tanh` carries 1 − o² = 0.5.

# %% tags=["small-graph"]
draw_dot(o)

# %% [markdown]
# Any function whose local derivatives we know can stand in for tanh. Written
# out as (e²ⁿ − 1) / (e²ⁿ + 1), the graph has more nodes (an `exp`, a
# subtraction, an addition, a division) but the chain rule gives the same
# gradients:

# %%
n2 = x1 * w1 + x2 * w2 + b
e2n = (2 * n2).exp()
o2 = (e2n - 1) / (e2n + 1)
for leaf in (x1, x2, w1, w2, b):
    leaf.grad = 0.0
o2.backward()
print(f"o = {o2.data:.4f}; do/dw1 = {w1.grad:.4f}, do/dx1 = {x1.grad:.4f}")

# %% [markdown]
# ## 7. How `backward()` works: the topological order
#
# The chain rule needs a node's gradient to be complete before it is passed
# on to that node's inputs. `backward()` therefore first lists the graph in
# *topological order*, every node after all of its inputs, and then walks that
# list backwards:

# %%
order = topological_order(o)
print(" -> ".join(v.label for v in order))

# %% [markdown]
# Walking it backwards is then one loop, with the chain rule in its plainest
# form: each input's gradient gets the local derivative of its edge times the
# gradient of the node above. This is the loop `backward()` runs (it also
# resets the gradients first); written out here, it gives the same numbers:

# %%
for v in order:
    v.grad = 0.0
o.grad = 1.0
for node in reversed(order):
    for inp, local in zip(node.inputs, node.local_grads):
        inp.grad += local * node.grad
by_loop = [v.grad for v in order]

for v in (x1, x2, w1, w2, b):
    v.grad = 0.0
o.backward()
print([round(g, 4) for g in by_loop])
assert by_loop == [v.grad for v in order]

# %% [markdown]
# Why `+=` and not `=`: a Value used twice gets a gradient from each use.
# With b = a + a, ∂b/∂a is 2, one share of 1 from each edge. (The lecture
# finds this bug in its first version of micrograd.)

# %%
a = Value(3.0, "a")
b = a + a
b.label = "b"
b.backward()
print(f"db/da = {a.grad}")

# %% [markdown]
# ## 8. A multi-layer perceptron
#
# `Neuron`, `Layer` and `MLP` are built from Values, so everything above
# applies to them. `MLP(3, [4, 4, 1])` takes three inputs, has two hidden
# layers of four neurons and one output neuron; as in the lecture, every
# neuron here uses tanh. `seed=0` makes the random starting weights the same
# on every run.

# %%
model = MLP(3, [4, 4, 1], activation="tanh", output_activation="tanh", seed=0)
print(model)
print(f"{len(model.parameters())} parameters")
x = [2.0, 3.0, -1.0]
out = model(x)
out.backward()
print(f"model(x) = {out.data:.4f}")

# %% [markdown]
# Its graph node by node: every weight, product and sum of 9 neurons (126
# Values), each neuron in a box of its own inside the box of its layer. The
# inputs are plain numbers, so each first-layer neuron turns each of them into
# a constant of its own: 12 dashed boxes for the 3 inputs, each with the
# gradient of that one use (pass `[Value(2.0, "x0"), ...]` to have one Value
# per input, whose grad adds up the four). That
# is too wide to read in one piece, so the picture keeps its text readable and
# scrolls sideways. It opens on the right, where the output neuron sits at the
# top; scroll left to follow the gradient back through the layers.

# %%
draw_dot(out)

# %% [markdown]
# The same network collapsed into the familiar picture: one circle per input
# and per neuron, one edge per weight (blue positive, orange negative, thicker
# when larger).

# %%
draw_dot(out, collapse=True)

# %% [markdown]
# ## 9. Training: the lecture's loop
#
# Four examples of three inputs, and the output we want for each:

# %%
xs = [
    [2.0, 3.0, -1.0],
    [3.0, -1.0, 0.5],
    [0.5, 1.0, 1.0],
    [1.0, 1.0, -1.0],
]
ys = [1.0, -1.0, -1.0, 1.0]  # the targets

# %% [markdown]
# One training step is: the forward pass for all four examples; the loss,
# here the sum of the squared errors Σ (ŷ − y)²; zeroing every gradient (they
# would add up otherwise, the lecture's second bug); `backward()`; and
# nudging every parameter a little *against* its gradient, p ← p − 0.1·∂loss/∂p,
# which makes the loss smaller.

# %%
learning_rate = 0.1
for k in range(20):
    ypred = [model(x) for x in xs]  # forward pass
    loss = sum((yout - ygt) ** 2 for ygt, yout in zip(ys, ypred))

    for p in model.parameters():  # zero_grad
        p.grad = 0.0
    loss.backward()  # backward pass

    for p in model.parameters():  # update
        p.data += -learning_rate * p.grad

    print(f"step {k:2d}: loss {loss.data:.4f}")

# %% [markdown]
# The predictions are now close to the targets 1, −1, −1, 1:

# %%
print([round(y.data, 3) for y in ypred])
assert loss.data < 0.05

# %% [markdown]
# `model.zero_grad()` does the zeroing in one call, and `tinygrad_edu.SGD`
# (or `Adam`) the update: `optimizer.zero_grad()`, `loss.backward()`,
# `optimizer.step()`, as in PyTorch. The next notebook,
# `02_seeing_backpropagation`, looks inside `backward()` step by step.
#
# Have the lecture's own notebook, written for the micrograd package? Change
# its imports to `from tinygrad_edu.micrograd.engine import Value` and
# `from tinygrad_edu.micrograd.nn import Neuron, Layer, MLP` and it runs as
# it is, on tinygrad_edu's Values, so `draw_dot`, `explain` and `explore`
# work on its graphs too (the README's "Coming from micrograd" has the rest).
