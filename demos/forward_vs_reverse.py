# %% [markdown]
# # Forward mode or reverse mode? Count the work.
#
# Both modes apply the same chain rule with the same local derivatives (the
# table of operations in `tinygrad_edu.ops`); they differ in direction.
#
# * **Forward mode** (`jvp`, dual numbers) pushes one tangent v from the inputs
#   to the outputs: one pass gives J·v, one *column* of the Jacobian.  A full
#   Jacobian of f: Rⁿ → Rᵐ takes n passes.
# * **Reverse mode** (`backward()`) pulls one output's gradient from the output
#   back to the inputs: one pass gives one *row*.  The full Jacobian takes m
#   backward passes (after one forward pass that records the graph).
#
# So: few inputs and many outputs favour forward mode; many inputs and one
# output (a loss!) favour reverse mode.  We count operations (rules evaluated)
# and chain-rule products (local derivative × tangent or × upstream gradient).
# Set `SIZES="2 4"` for a quick run.

# %%
import os
from pathlib import Path

from tinygrad_edu import Value, topological_order
from tinygrad_edu.dual import forward_pass

SIZES = [int(s) for s in os.environ.get("SIZES", "2 8 32 64").split()]


def jacobian_forward(f, xs):
    """n passes of dual numbers, one per input direction eⱼ: column j is J·eⱼ."""
    columns, operations, products = [], 0, 0
    for j in range(len(xs)):
        direction = [1.0 if i == j else 0.0 for i in range(len(xs))]
        _, column, tally = forward_pass(f, xs, direction)
        columns.append(column if isinstance(column, list) else [column])
        operations, products = operations + tally.operations, products + tally.products
    rows = [list(row) for row in zip(*columns)]
    return rows, operations, products


def jacobian_reverse(f, xs):
    """One recorded forward pass, then one backward pass per output: row k is ∇yₖ."""
    inputs = [Value(x) for x in xs]
    outputs = f(*inputs)
    outputs = outputs if isinstance(outputs, list) else [outputs]
    graph = {node for y in outputs for node in topological_order(y)}
    operations = sum(1 for node in graph if node.op)  # nodes made by an operation
    rows, products = [], 0
    for y in outputs:
        for x in inputs:
            x.grad = 0.0
        products += sum(1 for _ in y.backward_steps())  # one product per edge
        rows.append([x.grad for x in inputs])
    return rows, operations, products


# %% Many inputs, one output: a loss-like sum
def many_to_one(*xs):
    """f(x₁, …, xₙ) = Σᵢ sin(xᵢ)·xᵢ₊₁ + x₁·xₙ: Rⁿ → R."""
    total = xs[0] * xs[-1]
    for a, b in zip(xs, xs[1:]):
        total = total + a.sin() * b
    return total


# %% Few inputs, many outputs: a recurrence unrolled over time
def one_to_many(a, b, steps):
    """yₖ = tanh(yₖ₋₁·b) + a with y₀ = a: R² → Rᵐ, every yₖ an output."""
    ys, y = [], a
    for _ in range(steps):
        y = (y * b).tanh() + a
        ys.append(y)
    return ys


results = []
print(
    f"{'function':>12} {'n':>4} {'m':>4} | {'forward ops':>11} {'products':>8}"
    f" | {'reverse ops':>11} {'products':>8} | cheaper"
)
for size in SIZES:
    point = [0.1 * (i % 7) - 0.3 for i in range(size)]
    cases = [
        ("many -> one", many_to_one, point, size, 1),
        ("one -> many", lambda a, b, m=size: one_to_many(a, b, m), [0.5, 0.8], 2, size),
    ]
    for name, f, xs, n, m in cases:
        forward_rows, forward_ops, forward_products = jacobian_forward(f, xs)
        reverse_rows, reverse_ops, reverse_products = jacobian_reverse(f, xs)
        for row_f, row_r in zip(forward_rows, reverse_rows):  # the same Jacobian
            assert all(abs(p - q) <= 1e-12 * (1 + abs(q)) for p, q in zip(row_f, row_r))
        forward_cost = forward_ops + forward_products
        reverse_cost = reverse_ops + reverse_products
        cheaper = "forward" if forward_cost < reverse_cost else "reverse"
        results.append((name, n, m, forward_cost, reverse_cost, cheaper))
        print(
            f"{name:>12} {n:>4} {m:>4} | {forward_ops:>11} {forward_products:>8}"
            f" | {reverse_ops:>11} {reverse_products:>8} | {cheaper}"
        )

# %% [markdown]
# Forward mode repeats the whole evaluation once per input; reverse mode
# records it once but walks back once per output (here each yₖ's own part of
# the graph).  With one input or one output the two are close; past that, the
# side with fewer passes wins.

# %% A picture of the total work (written to out/forward_vs_reverse.png)
if os.environ.get("NO_PLOTS") != "1" and len(SIZES) > 1:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    for ax, name, varying in zip(axes, ["many -> one", "one -> many"], ["inputs n", "outputs m"]):
        rows = [r for r in results if r[0] == name]
        sizes = [r[1] if name == "many -> one" else r[2] for r in rows]
        ax.plot(sizes, [r[3] for r in rows], "o-", label="forward mode (jvp, n passes)")
        ax.plot(sizes, [r[4] for r in rows], "s-", label="reverse mode (backward, m passes)")
        ax.set(title=f"{name}", xlabel=varying, ylabel="operations + products", yscale="log")
        ax.legend()
    fig.tight_layout()
    Path("out").mkdir(exist_ok=True)
    fig.savefig("out/forward_vs_reverse.png", dpi=120)
    print("wrote out/forward_vs_reverse.png")
