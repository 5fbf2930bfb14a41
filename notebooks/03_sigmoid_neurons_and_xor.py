# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Sigmoid neurons, mean squared error, and XOR
#
# The classic account of a neural network, in four steps: a neuron computes
# a weighted sum of its inputs and squashes it with the sigmoid; the mean
# squared error measures how far its output is from the target; backpropagation
# gives the gradient of that error with respect to every weight; and gradient
# descent moves each weight a little against its gradient. First with one
# neuron, then with a small network that learns XOR, which no single neuron
# can.

# %%
import io
import math

from IPython.display import Image

from tinygrad_edu import (
    MLP,
    Neuron,
    Value,
    accuracy,
    draw_dot,
    explore,
    make_xor,
    mse,
    no_grad,
    numerical_grad,
    predict,
)
from tinygrad_edu.plot import plot_decision_boundary, plot_history
from tinygrad_edu.train import History

# %% [markdown]
# ## 1. One sigmoid neuron
#
# The neuron has two inputs x = (x₁, x₂), a weight for each, w = (w₁, w₂),
# and a bias b. Its output is
#
#     z = x·w + b = x₁w₁ + x₂w₂ + b        (the weighted sum)
#     y = σ(z) = 1 / (1 + e^(−z))          (the activation, between 0 and 1)
#
# and we want it to answer 1 for the input (2, 3).

# %%
x1, x2 = Value(2.0, "x1"), Value(3.0, "x2")  # the input: fixed
w1, w2 = Value(0.5, "w1"), Value(-0.4, "w2")  # the weights: learned
b = Value(0.1, "b")  # the bias: learned
target = 1.0

# %% [markdown]
# ## 2. Forward propagation
#
# From the inputs to the error, one operation at a time. With one example the
# mean squared error E = (1/n) Σ (yᵢ − tᵢ)² is just (y − t)².

# %%
z = x1 * w1 + x2 * w2 + b
z.label = "z"
y = z.sigmoid()
y.label = "y"
E = mse([y], [target])
E.label = "E"
print(f"z = 2(0.5) + 3(-0.4) + 0.1 = {z.data:.4f}")
print(f"y = sigmoid(z) = {y.data:.4f}")
print(f"E = (y - 1)^2 = {E.data:.4f}")
assert math.isclose(y.data, 1 / (1 + math.exp(0.1)))

# %% [markdown]
# ## 3. Backpropagation
#
# The chain rule, from E back to each weight:
#
#     ∂E/∂y = 2(y − t)
#     ∂y/∂z = σ(z)(1 − σ(z)) = y(1 − y)
#     ∂z/∂w₁ = x₁,   ∂z/∂w₂ = x₂,   ∂z/∂b = 1
#
# so ∂E/∂w₁ = 2(y − t) · y(1 − y) · x₁, and likewise for w₂ and b. By hand,
# and by `backward()`:

# %%
E.backward()
delta = 2 * (y.data - target) * y.data * (1 - y.data)  # dE/dz
by_hand = {"w1": delta * x1.data, "w2": delta * x2.data, "b": delta}
for p in (w1, w2, b):
    print(f"dE/d{p.label:<2}: by hand {by_hand[p.label]:+.6f}, backward() {p.grad:+.6f}")
    assert math.isclose(p.grad, by_hand[p.label])

# %% [markdown]
# A third opinion, by nudging each parameter (central differences):


# %%
def error_of(w1, w2, b):
    return mse([(x1 * w1 + x2 * w2 + b).sigmoid()], [target])


numerical = numerical_grad(error_of, [w1.data, w2.data, b.data])
print("  ".join(f"{g:+.6f}" for g in numerical))

# %% [markdown]
# The graph of this neuron and its error, with every gradient on it. The
# weights and the bias, passed as `parameters`, are orange; the inputs are
# blue. Check the chain rule on the picture: w₁'s grad is the number on its
# edge (x₁ = 2) times the grad of the product it feeds.

# %%
draw_dot(E, parameters=[w1, w2, b])

# %% [markdown]
# ## 4. Gradient descent
#
# Move each parameter a small step against its gradient, p ← p − η·∂E/∂p with
# the learning rate η = 0.5, and repeat: forward, backward, step. The
# gradients must be set back to zero before each backward pass, because
# `backward()` adds to them.

# %%
learning_rate = 0.5
parameters = [w1, w2, b]
for step in range(20):
    for p in parameters:
        p.grad = 0.0
    y = (x1 * w1 + x2 * w2 + b).sigmoid()
    E = mse([y], [target])
    E.backward()
    for p in parameters:
        p.data -= learning_rate * p.grad
    if step % 4 == 0 or step == 19:
        print(f"step {step:2d}: y = {y.data:.4f}, E = {E.data:.5f}")
assert E.data < 0.01

# %% [markdown]
# ## 5. XOR
#
# XOR answers 1 when exactly one of its two inputs is 1:

# %%
X, labels = make_xor(4, shuffle=False)
for x, t in zip(X, labels):
    print(f"{x} -> {t}")

# %% [markdown]
# ### One neuron is not enough
#
# A sigmoid neuron answers above 0.5 on one side of the line x·w + b = 0 and
# below it on the other. No straight line puts (0, 1) and (1, 0) on one side
# and (0, 0) and (1, 1) on the other, so however long it trains, one neuron
# never gets all four right. Trained by the same gradient descent on the mean
# squared error over the four examples, it settles where that error is 0.25:
# an output of almost exactly 0.5 for every input, the least error a line
# allows here. Which side of 0.5 each answer falls on is then a matter of
# rounding, so its accuracy means nothing (a line could get 3 of the 4 right,
# but that would cost it a larger squared error).

# %%
neuron = Neuron(2, activation="sigmoid", seed=0)
for _ in range(300):
    error = mse([neuron(x) for x in X], labels)
    neuron.zero_grad()
    error.backward()
    for p in neuron.parameters():
        p.data -= 2.0 * p.grad
with no_grad():
    print("outputs:", [round(neuron(x).data, 7) for x in X])
print(f"mse {error.data:.4f}, accuracy {accuracy(predict(neuron, X), labels):.0%}")

# %% [markdown]
# ### A hidden layer can
#
# Two inputs, four sigmoid neurons, one sigmoid output: `MLP(2, [4, 1])`. The
# hidden neurons draw four lines, and the output neuron combines them. The
# training loop is the one above, for every parameter of the network: forward
# propagation for the four examples, the mean squared error, backpropagation,
# a gradient descent step.

# %%
model = MLP(2, [4, 1], activation="sigmoid", output_activation="sigmoid", seed=0)
learning_rate = 2.0
history = History()
for epoch in range(1000):
    outputs = [model(x) for x in X]  # forward propagation
    error = mse(outputs, labels)  # mean squared error
    model.zero_grad()
    error.backward()  # backpropagation
    for p in model.parameters():  # gradient descent
        p.data -= learning_rate * p.grad
    history.loss.append(error.data)
    history.accuracy.append(accuracy([int(o.data > 0.5) for o in outputs], labels))
    if epoch in (0, 99, 299, 999):
        print(f"epoch {epoch + 1:4d}: mse {error.data:.4f}")

# %% [markdown]
# The error sits near 0.25 for the first few hundred epochs, as the single
# neuron's did: the hidden neurons start almost alike and must drift apart
# before they can draw different lines. Then it falls.
#
# What it learned: an output above 0.5 is class 1.

# %%
with no_grad():
    for x, t in zip(X, labels):
        print(f"{x} -> {model(x).data:.3f} (target {t})")
final = accuracy(predict(model, X), labels)
print(f"accuracy {final:.0%}")
assert final == 1.0

# %% [markdown]
# ## 6. Pictures of the network
#
# The network collapsed into layers: each circle a neuron (the error of the
# four examples called each one 4 times, which the circle says), each edge a
# weight (blue positive, orange negative, thicker when larger). The input
# column has one circle per input position, x0 and x1, with how many values
# it took over the four examples.

# %%
draw_dot(error, collapse=True)

# %% [markdown]
# The explorer plays the two passes of one example, (1, 0), through the
# trained network, neuron by neuron: the forward pass computes each neuron's
# weighted sum z and output a, the backward pass each ∂L/∂a, ∂L/∂z and the
# weights' ∂L/∂w. Click a neuron to see its own graph, node by node.

# %%
example_error = mse([model([1.0, 0.0])], [1.0])
example_error.backward()
explore(example_error)

# %% [markdown]
# The decision boundary: where the network's output crosses 0.5, over the
# whole plane around the four examples. It takes two lines to separate XOR's
# classes, and the hidden layer found them.

# %%
picture = io.BytesIO()  # the plot functions write to a file or, as here, to memory
plot_decision_boundary(model, X, labels, picture, threshold=0.5, title="XOR, MLP(2, [4, 1])")
Image(picture.getvalue())

# %% [markdown]
# And the training itself: the mean squared error and the accuracy, epoch by
# epoch.

# %%
picture = io.BytesIO()
plot_history(history, picture, title="XOR by gradient descent")
Image(picture.getvalue())
