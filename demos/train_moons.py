# %% [markdown]
# # Training an MLP on two moons
#
# Two interleaving half circles of points, one class each: no straight line
# separates them, so the network has to learn a curved boundary.  We build
# `MLP(2, [16, 16, 1])` (two hidden layers of 16 ReLU neurons and one linear
# output, the score), look at one training step by hand, let `fit` do the
# rest, and draw what it learned: `out/moons_boundary.png` and
# `out/loss_curve.png`.
#
# Set `TINYGRAD_EDU_QUICK=1` to train for 40 epochs instead of 100 (the tests
# do); both must reach 97% training accuracy.

# %%
import os
from pathlib import Path

from tinygrad_edu import MLP, accuracy, evaluate, fit, hinge, make_moons, predict
from tinygrad_edu.plot import plot_decision_boundary, plot_history

QUICK = os.environ.get("TINYGRAD_EDU_QUICK") == "1"
EPOCHS = 40 if QUICK else 100
OUT = Path("out")
OUT.mkdir(exist_ok=True)

# %% The data: 100 points, labels 0 and 1
X, y = make_moons(100, noise=0.1, seed=0)
print(f"{len(X)} points, e.g. {[round(v, 3) for v in X[0]]} with label {y[0]}")

# %% The model: 2 inputs -> 16 -> 16 -> 1 score (class 1 when the score is > 0)
model = MLP(2, [16, 16, 1], seed=0)
print(model)
print(f"{len(model.parameters())} parameters, e.g. {model.parameters()[0]!r}")

# %% [markdown]
# ## One step by hand
#
# The hinge loss wants the score s of each point on the right side of 0 by a
# margin of 1: with the labels mapped to y = −1 / +1, L = mean(max(0, 1 − y·s)).
# `backward()` then fills in ∂L/∂p for every parameter p.

# %%
scores = [model(x) for x in X]
targets = [2 * label - 1 for label in y]  # 0/1 -> -1/+1
loss = hinge(scores, targets)
loss.backward()
first = model.layers[0].neurons[0].w[0]
print(f"before training: loss = {loss.data:.4f}, accuracy = {accuracy(predict(model, X), y):.0%}")
print(f"∂L/∂{first.label} = {first.grad:+.4f}: a small step against it lowers the loss")
model.zero_grad()

# %% [markdown]
# ## Training
#
# `fit` repeats that step for every epoch: forward, loss, `backward()`, and an
# optimizer step (Adam with learning rate 0.05 unless you pass another).  Its
# summary line reports the last epoch as it went, before that epoch's update;
# `evaluate` measures the model as it is after training.

# %%
history = fit(model, X, y, loss="hinge", epochs=EPOCHS)
after = evaluate(model, X, y, loss="hinge")
final = after.accuracy
print(f"after {EPOCHS} epochs: loss = {after.loss:.4f}, training accuracy = {final:.0%}")
assert final >= 0.97, f"expected at least 97% training accuracy, got {final:.0%}"

# %% The pictures
boundary, curve = OUT / "moons_boundary.png", OUT / "loss_curve.png"
plot_decision_boundary(
    model,
    X,
    y,
    boundary,
    title=f"Two moons: MLP(2, [16, 16, 1]), training accuracy {final:.0%}",
)
plot_history(history, curve, title="MLP(2, [16, 16, 1]) on two moons, hinge loss, Adam")
print(f"decision boundary: {boundary.resolve()}")
print(f"loss curve:        {curve.resolve()}")
