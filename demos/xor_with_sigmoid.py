# %% [markdown]
# # XOR with sigmoid neurons and mean squared error
#
# The article's network: every neuron computes σ(w·x + b), the loss is the
# mean squared error against the targets 0 and 1, and plain gradient descent
# follows `backward()`'s gradients.  One neuron cannot learn XOR (no straight
# line separates its classes); a hidden layer of sigmoid neurons can.
#
# It takes about a second, so `TINYGRAD_EDU_QUICK=1` (which shortens the other
# training demo) changes nothing here.

# %%
from tinygrad_edu import MLP, SGD, accuracy, fit, make_xor, mse, no_grad, predict

EPOCHS = 1000

# %% The truth table: label = a XOR b
X, y = make_xor(4, shuffle=False)
for x, label in zip(X, y):
    print(f"{x} -> {label}")

# %% The network: 2 inputs -> 4 sigmoid neurons -> 1 sigmoid output in (0, 1)
model = MLP(2, [4, 1], activation="sigmoid", output_activation="sigmoid", seed=0)
print(model)
outputs = [model(x) for x in X]
print(f"before training: outputs {[round(o.data, 3) for o in outputs]}")
print(f"mean squared error {mse(outputs, y).data:.4f}")

# %% [markdown]
# ## Training
#
# Each epoch: forward propagation for the four inputs, L = ¼ Σ (yᵢ − tᵢ)²,
# `backward()`, then p ← p − 2·∂L/∂p for every weight and bias.

# %%
history = fit(model, X, y, loss="mse", optimizer=SGD(model.parameters(), lr=2.0), epochs=EPOCHS)
for epoch in (0, EPOCHS // 10, EPOCHS // 2, EPOCHS - 1):
    print(f"epoch {epoch + 1:4d}: mse {history.loss[epoch]:.4f}")

# %% What it learned (an output above 0.5 means class 1)
with no_grad():
    for x, label in zip(X, y):
        print(f"{x} -> {model(x).data:.3f} (target {label})")
final = accuracy(predict(model, X), y)  # a sigmoid output: predict thresholds it at 0.5
print(f"accuracy {final:.0%}, final mse {history.loss[-1]:.4f}")
assert final == 1.0, f"expected all four XOR cases right, got {final:.0%}"
