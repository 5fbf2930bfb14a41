# %% [markdown]
# # One neuron, from scratch
#
# The article's neuron: inputs x, weights w and a bias b make the weighted sum
# z = x·w + b, and the sigmoid squashes it into (0, 1): y = σ(z).  We run it
# forward, measure the mean squared error against a target, let `backward()`
# compute every gradient, check them numerically, and take a few steps of
# gradient descent.

# %%
from tinygrad_edu import Value, numerical_grad

x = [Value(2.0, "x1"), Value(3.0, "x2")]  # the inputs (fixed)
w = [Value(0.5, "w1"), Value(-0.4, "w2")]  # the weights (learned)
b = Value(0.1, "b")  # the bias (learned)
target = 1.0


def neuron(x, w, b):
    """Forward propagation: y = σ(x·w + b)."""
    z = sum((xi * wi for xi, wi in zip(x, w)), b)
    return z.sigmoid()


def mse(prediction, target):
    """Mean squared error of one prediction: (y - t)²."""
    return (prediction - target) ** 2


# %% Forward propagation
y = neuron(x, w, b)
loss = mse(y, target)
print(f"prediction y = {y.data:.4f}, target = {target}, loss = {loss.data:.4f}")

# %% Backpropagation, checked against central differences
loss.backward()


def loss_of(w1, w2, bias):
    return mse(neuron(x, [w1, w2], bias), target)


numerical = numerical_grad(loss_of, [w[0].data, w[1].data, b.data])
print(f"{'parameter':>9}  {'backward()':>12}  {'numerical':>12}")
for p, n in zip([*w, b], numerical):
    print(f"{p.label:>9}  {p.grad:12.8f}  {n:12.8f}")
    assert abs(p.grad - n) < 1e-6

# %% Gradient descent: w <- w - lr * dL/dw
learning_rate = 0.5
for step in range(20):
    for p in [*w, b]:
        p.grad = 0.0
    loss = mse(neuron(x, w, b), target)
    loss.backward()
    for p in [*w, b]:
        p.data -= learning_rate * p.grad
    if step % 5 == 0 or step == 19:
        print(f"step {step:2d}: loss = {loss.data:.5f}")

final = mse(neuron(x, w, b), target).data
print(f"after training: prediction = {neuron(x, w, b).data:.4f}, loss = {final:.5f}")
