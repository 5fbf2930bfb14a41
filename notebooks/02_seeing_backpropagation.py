# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Seeing backpropagation
#
# `backward()` fills in every gradient at once. This notebook slows it down so
# that each step can be seen: the chain rule of every edge as text
# (`explain`), the same pass one edge at a time (`backward_steps`), the
# explorer, which plays both passes inline in the notebook, hooks, which let
# your own code run at a chosen node, and an operation of your own
# (`define_op`), which gets all of this for free.

# %%
import itertools

from tinygrad_edu import (
    MLP,
    Value,
    define_op,
    draw_dot,
    explain,
    explore,
    gradcheck,
    topological_order,
)

# %% [markdown]
# ## 1. One neuron and its error
#
# A neuron with one input: z = x·w + b, the sigmoid y = σ(z), and the squared
# error against the target 1, L = (y − 1)². Every node gets a label, so that
# the text below can name it.

# %%
x, w, b = Value(2.0, "x"), Value(-0.5, "w"), Value(0.3, "b")
xw = x * w
xw.label = "x*w"
z = xw + b
z.label = "z"
y = z.sigmoid()
y.label = "y"
error = y - 1.0
error.label = "y-1"
L = error**2
L.label = "L"
print(f"z = {z.data:.4f}, y = {y.data:.4f}, L = {L.data:.4f}")

# %% [markdown]
# ## 2. `explain`: the chain rule of every edge, in numbers
#
# One line per edge, in the order `backward()` takes them. Each line reads
# *gradient of the input += gradient of the output × local derivative of the
# edge*, then, in brackets, the operation and the rule of its derivative.
# `explain` works on the side: it changes no `.grad`.

# %%
print(explain(L))

# %% [markdown]
# ## 3. `backward_steps`: the same pass, one edge at a time
#
# `L.backward_steps()` is `backward()` as a generator: each `next()` does one
# edge and hands back a `BackwardStep` with its numbers. `upstream` is the
# output's gradient ∂L/∂output, `local_grad` the edge's ∂output/∂input,
# `contribution` their product, and `total` the input's gradient so far.

# %%
steps = L.backward_steps()
first = next(steps)
print(first)
print("output:", first.output.label, " input:", first.input.label)
print(f"upstream {first.upstream}, local {first.local_grad:.4f}, total {first.total:.4f}")

# %% [markdown]
# The pass goes on where it stopped. During the pass every `.grad` holds this
# pass's gradient so far: the constant 1.0 of y − 1 (a leaf) was reached at
# the third step. Closing the generator half-way (`steps.close()`, or leaving
# a `for` loop over it with `break`) ends the pass early, and each leaf gets
# back the gradient it had before: an unfinished pass adds nothing to them.

# %%
one = error.inputs[1]  # the constant 1.0 in y - 1.0
for step in itertools.islice(steps, 3):
    print(step)
print(f"during the pass, after 4 of 8 steps: grad of the constant 1.0 = {one.grad:.4f}")
steps.close()
print(f"after closing the pass: {one.grad:.4f}")

# %% [markdown]
# Run to the end, it leaves the same gradients as `backward()`. Each printed
# step is the line that `backward()` executes, `input.grad += local * upstream`:

# %%
for step in L.backward_steps():
    print(step)
print(f"dL/dw = {w.grad:.4f}, dL/db = {b.grad:.4f}, dL/dx = {x.grad:.4f}")
assert abs(w.grad - 2 * (y.data - 1) * y.data * (1 - y.data) * x.data) < 1e-12

# %% [markdown]
# A step can also be drawn: `highlight=[step]` marks its edge in red, and
# `show_grad` shows only the gradients known by then. Here is the graph in the
# middle of a pass, at its fifth step, with ∂L/∂(x·w) just arrived:

# %%
known = {L}
for number, step in enumerate(L.backward_steps(), start=1):
    known.add(step.input)
    if number == 5:
        frame = draw_dot(L, highlight=[step], show_grad=known)
        break  # the rest of the pass is not needed: stopping it undoes it
frame

# %% [markdown]
# ## 4. The explorer
#
# `explore(L)` plays both passes, step by step, right here in the notebook:
# first the forward pass, node by node, then the backward pass, edge by edge,
# with the chain rule of each step on the card beside the picture. Use
# **Next** and **Previous**, the slider, or click the explorer and press the
# arrow keys (Home and End jump to the start and the end). Click a node to see
# its data, gradient and the derivative rule of each edge into it.

# %%
explore(L)

# %% [markdown]
# ## 5. A model's explorer: the network view
#
# The graph of a model is large: every weight, product and sum of every
# neuron. For one sample's pass through a model, the explorer opens on the
# *network view* instead: one circle per neuron, one edge per weight. The
# forward pass goes neuron by neuron, layer by layer; the backward pass goes
# back the other way, each neuron filling in ∂L/∂a (its output), ∂L/∂z (its
# weighted sum) and ∂L/∂w for its weights, with the chain rule on the card.
#
# Click a neuron to open its own graph (its inputs and weights, their
# products, the sums and the activation) with the same steps; **← Network**
# (or Escape) brings you back.

# %%
model = MLP(2, [3, 1], activation="tanh", seed=0)
loss = (model([0.5, -1.0]) - 1.0) ** 2
loss.label = "loss"
loss.backward()
print(model)
explore(loss)

# %% [markdown]
# ## 6. Hooks: your code at a node
#
# `v.register_hook(fn)` calls `fn(g)` during every backward pass, as soon as
# v's gradient g is complete (after all its shares have arrived). It returns a
# handle; `handle.remove()` takes the hook away again. A hook that records what
# it sees shows the order of the pass: from L back to the inputs.

# %%
seen = []


def recorder(name):
    """A hook that notes the gradient it is given, under ``name``."""

    def hook(g):
        seen.append((name, g))

    return hook


handles = [v.register_hook(recorder(v.label)) for v in (x, w, z, y, L)]
for leaf in (x, w, b):
    leaf.grad = 0.0
L.backward()
for handle in handles:
    handle.remove()
for name, g in seen:
    print(f"hook on {name}: dL/d{name} = {g:+.4f}")
assert dict(seen)["z"] == z.grad

# %% [markdown]
# A hook can watch a whole network. Each neuron of a model labels its output
# `<name>.out` (and the weighted sum before a tanh, relu or sigmoid
# `<name>.z`). A hook on each output prints ∂L/∂a as the backward pass reaches
# it: the output neuron first, then the hidden layer, the same numbers as the
# network view above shows.


# %%
def report(name):
    def hook(g):
        print(f"dL/d({name}) = {g:+.5f}")

    return hook


outputs = [v for v in topological_order(loss) if v.label.endswith(".out")]
handles = [v.register_hook(report(v.label)) for v in outputs]
model.zero_grad()
loss.backward()
for handle in handles:
    handle.remove()

# %% [markdown]
# ### Pausing in the debugger
#
# To stop *inside* the backward pass at one node, make the hook call
# `breakpoint()`. Write it as a `def`, so that `g` is a named variable in the
# debugger (a `lambda`'s frame shows poorly):
#
# ```python
# def pause(g):
#     breakpoint()  # the debugger opens here: `p g` is dL/dz, `up` shows backward()'s loop
#
# handle = z.register_hook(pause)
# L.backward()
# handle.remove()
# ```
#
# In JupyterLab the debugger's prompt opens under the cell; type `c` to let
# the pass go on. (This notebook does not run it, because a notebook executed
# from start to end has nobody to type at that prompt.)

# %% [markdown]
# ## 7. An operation of your own
#
# Every operation is one record in a table: a *rule* that, given the input
# and a namespace `m` of functions, returns the value and the local
# derivative. Here is SiLU (also called swish), silu(x) = x·σ(x), whose slope
# is σ(x)·(1 + x·(1 − σ(x))). This cell may run again: the same definition
# defines it again (a changed rule under the same name needs `replace=True`).


# %%
def silu(x, m):
    s = m.sigmoid(x)
    return x * s, (s * (1.0 + x * (1.0 - s)),)


define_op("silu", silu)

u = Value(1.5, "u")
v = u.silu()
v.label = "v"
v.backward()
print(f"silu(1.5) = {v.data:.4f}, d silu/du = {u.grad:.4f}")
print("checked against central differences:", gradcheck(lambda t: t.silu() * t, [0.7]))

# %% [markdown]
# From then on `x.silu()` is an operation like any other: `backward()`,
# `explain` (with its derivative written out from the rule), the drawings and
# the explorer all know it. A neuron with it as its activation:

# %%
x1, x2 = Value(1.0, "x1"), Value(-2.0, "x2")
w1, w2, c = Value(0.8, "w1"), Value(0.3, "w2"), Value(0.1, "c")
s = x1 * w1 + x2 * w2 + c
s.label = "s"
a = s.silu()
a.label = "a"
a.backward()
print(explain(a))
draw_dot(a)

# %% [markdown]
# And its explorer:

# %%
explore(a)
