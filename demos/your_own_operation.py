# %% [markdown]
# # An operation of your own
#
# The lecture's exercise: give the engine a new operation by writing its
# forward value and its local derivative, then check, draw and explain it.
# Our operation is the lecture's tanh, written from its definition
#
#     tanh(x) = (e^{2x} − 1) / (e^{2x} + 1),   d tanh/dx = 1 − tanh(x)²
#
# A rule gets the input x and a namespace m of functions (m.exp, m.log, ...)
# and returns (value, (local derivative,)).  The same rule is then used on
# floats, on Values (for second derivatives), on dual numbers and by compile().

# %%
from tinygrad_edu import GradcheckError, Value, define_op, explain, gradcheck, render
from tinygrad_edu.draw import GraphvizNotFoundError


def my_tanh(x, m):
    e = m.exp(2.0 * x)
    out = (e - 1.0) / (e + 1.0)
    return out, (1.0 - out * out,)


define_op("my_tanh", my_tanh, "d(my_tanh(x))/dx = 1 - my_tanh(x)**2", replace=True)

# %% It agrees with the built-in tanh, value and gradient
x = Value(0.8813735870195432, "x")  # the lecture's n: tanh(n) = 0.7071...
ours = x.my_tanh()
ours.backward()
mine = x.grad
x.grad = 0.0
x.tanh().backward()
print(f"my_tanh(x) = {ours.data:.6f}, tanh(x) = {x.tanh().data:.6f}")
print(f"d/dx: ours {mine:.6f}, built-in {x.grad:.6f}")

# %% Checked against central differences
print("gradcheck:", gradcheck(lambda v: v.my_tanh() * v, [0.3]))

# A classic slip: the factor 2 of e^{2x} counted once too often.  gradcheck says which input is off.
define_op("slipped_tanh", lambda x, m: (my_tanh(x, m)[0], (2.0 * (1.0 - my_tanh(x, m)[0] ** 2),)),
          replace=True)  # fmt: skip
try:
    gradcheck(lambda v: v.slipped_tanh(), [0.3])
except GradcheckError as error:
    print("the slipped rule is caught:", str(error).splitlines()[1].strip())

# %% The lecture's neuron with our operation, explained edge by edge
x1, x2 = Value(2.0, "x1"), Value(0.0, "x2")
w1, w2 = Value(-3.0, "w1"), Value(1.0, "w2")
b = Value(6.8813735870195432, "b")
n = x1 * w1 + x2 * w2 + b
n.label = "n"
o = n.my_tanh()
o.label = "o"
print(explain(o))

# %% Drawn: the edge into my_tanh carries its local derivative, 1 − o² = 0.5
try:
    print("drawn to", render(o, "out/your_own_operation.svg"))
except GraphvizNotFoundError as error:  # no Graphviz on this machine: say so, and carry on
    print("not drawn:", error)
