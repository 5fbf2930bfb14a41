# %% [markdown]
# # Backpropagation, step by step
#
# The article's neuron y = σ(x1·w1 + x2·w2 + b) and its squared error
# L = (y − 1)².  We print the backward pass edge by edge with `explain`,
# pause at a chosen node with a hook, write one SVG frame per backward step
# for slides, and write the HTML explorer that plays both passes.
# Pictures go to `out/` (set `TINYGRAD_EDU_OUT` to write them elsewhere).

# %%
import os
from pathlib import Path

from tinygrad_edu import Value, explain
from tinygrad_edu.draw import backward_frames
from tinygrad_edu.explain import to_html

out = Path(os.environ.get("TINYGRAD_EDU_OUT", "out"))

x1, x2 = Value(2.0, "x1"), Value(3.0, "x2")  # the inputs
w1, w2 = Value(0.5, "w1"), Value(-0.4, "w2")  # the weights
b = Value(0.1, "b")  # the bias
z = x1 * w1 + x2 * w2 + b
z.label = "z"  # the weighted sum
y = z.sigmoid()
y.label = "y"  # the activation
loss = (y - 1.0) ** 2
loss.label = "L"  # the squared error against the target 1

# %% The backward pass as text: the chain rule of every edge, in real numbers
print(explain(loss))


# %% Pausing at a node: a hook runs once the node's gradient is complete.
# In your own code, `z.register_hook(lambda g: breakpoint())` stops in the
# debugger right there; here the hook just reports what it sees.
def at_z(grad):
    print(f"hook: dL/dz is complete: {grad:.6f} (= 2(y-1) * y(1-y))")


handle = z.register_hook(at_z)
loss.backward()
handle.remove()  # later passes run without it
expected = 2 * (y.data - 1.0) * y.data * (1 - y.data)
assert abs(z.grad - expected) < 1e-12
print(f"dL/dw1 = {w1.grad:.6f}, dL/dw2 = {w2.grad:.6f}, dL/db = {b.grad:.6f}")

# %% One SVG per backward step, for slides
frames = backward_frames(loss, out / "backprop_frames")
print(f"{len(frames)} frames in {out / 'backprop_frames'}")

# %% The explorer: open this file in a browser and press the arrow keys
page = to_html(loss, out / "backprop_explorer.html")
print(f"explorer: {page}")
