# %% [markdown]
# # Newton's method with `grad(grad(f))`
#
# Gradient descent steps downhill by a fixed fraction of the slope:
# x ← x − η·f'(x).  Newton's method also uses the curvature: it jumps to the
# bottom of the parabola that touches f at x, x ← x − f'(x) / f''(x).  Near a
# minimum the number of correct digits doubles with every step.
#
# The engine differentiates its own backward pass, so f'' is just
# `grad(grad(f))`: no derivative written by hand.

# %%
import os
from pathlib import Path

from tinygrad_edu import grad


def f(x):
    """A double well: f(x) = x⁴ − 3x² + x, with its lower minimum near x = −1.30."""
    return x**4 - 3 * x**2 + x


slope = grad(f)  # f'(x) = 4x³ − 6x + 1
curvature = grad(grad(f))  # f''(x) = 12x² − 6
print(
    f"at x = 2: f' = {slope(2.0)} (by hand {4 * 8 - 12 + 1}), f'' = {curvature(2.0)} (by hand 42)"
)

# %% Newton: x <- x - f'(x) / f''(x)
x = -2.0
newton_path = [x]
for step in range(8):
    x = x - slope(x) / curvature(x)
    newton_path.append(x)
    print(f"Newton step {step + 1}: x = {x:.15f}, f'(x) = {slope(x):+.3e}")
    if abs(slope(x)) < 1e-12:
        break
newton_minimum = x

# %% Gradient descent from the same start, for comparison
x, learning_rate = -2.0, 0.02
descent_path = [x]
while abs(slope(x)) >= 1e-12 and len(descent_path) < 5000:
    x -= learning_rate * slope(x)
    descent_path.append(x)
print(f"Newton: {len(newton_path) - 1} steps to x = {newton_minimum:.12f}")
print(f"gradient descent (lr = {learning_rate}): {len(descent_path) - 1} steps to x = {x:.12f}")
assert abs(newton_minimum - x) < 1e-9 and curvature(newton_minimum) > 0  # a minimum

# %% A picture: f and the two paths (written to out/newton_method.png)
if os.environ.get("NO_PLOTS") != "1":
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    xs = [-2.2 + i * 0.01 for i in range(441)]
    fig, (ax, steps_ax) = plt.subplots(1, 2, figsize=(11, 4))
    ax.plot(xs, [f(v) for v in xs], color="0.3", label="f(x) = x⁴ − 3x² + x")
    # Newton's few squares first, hollow, so the descent's many dots stay visible on top
    ax.plot(
        newton_path,
        [f(v) for v in newton_path],
        "s-",
        color="C3",
        mfc="none",
        ms=9,
        label=f"Newton ({len(newton_path) - 1} steps)",
    )
    ax.plot(
        descent_path,
        [f(v) for v in descent_path],
        "o-",
        ms=2.5,
        lw=0.6,
        color="C0",
        label=f"gradient descent ({len(descent_path) - 1} steps)",
    )
    ax.set(xlabel="x", ylabel="f(x)", title="Newton's method uses f'' = grad(grad(f))")
    ax.legend()
    # how far each step still is from the minimum: the descent's points spread out here
    for path, style, colour, name in (
        (descent_path, "o-", "C0", "gradient descent"),
        (newton_path, "s-", "C3", "Newton"),
    ):
        gaps = [max(abs(v - newton_minimum), 1e-16) for v in path]
        steps_ax.semilogy(range(len(path)), gaps, style, ms=3, color=colour, label=name)
    steps_ax.set(xlabel="step", ylabel="|x − x*|", title="distance to the minimum, per step")
    steps_ax.legend()
    Path("out").mkdir(exist_ok=True)
    fig.savefig("out/newton_method.png", dpi=120, bbox_inches="tight")
    print("wrote out/newton_method.png")
