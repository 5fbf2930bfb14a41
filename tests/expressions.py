"""Random expression trees, evaluated on Values, on floats or on torch tensors."""

import math

from hypothesis import strategies as st

# Unary and binary steps that stay inside every operation's domain for any finite input.
UNARY = {
    "tanh": lambda v, m: m.tanh(v),
    "sigmoid": lambda v, m: m.sigmoid(v),
    "sin": lambda v, m: m.sin(v),
    "cos": lambda v, m: m.cos(v),
    "square": lambda v, m: v**2,
    "log1p_sq": lambda v, m: m.log(v * v + 1),
    "sqrt1p_sq": lambda v, m: m.sqrt(v * v + 1),
    "exp_tanh": lambda v, m: m.exp(m.tanh(v)),
    "neg": lambda v, m: -v,
    "cube": lambda v, m: v**3,
}
BINARY = {
    "add": lambda a, b, m: a + b,
    "sub": lambda a, b, m: a - b,
    "rsub": lambda a, b, m: 2 - a * b,
    "mul": lambda a, b, m: a * b,
    "div": lambda a, b, m: a / (b * b + 1),
    "rdiv": lambda a, b, m: 1 / (a * a + 0.5) + b,
    "pow": lambda a, b, m: (m.sigmoid(a) + 0.5) ** m.tanh(b),
    "rpow": lambda a, b, m: 2 ** m.tanh(a) * b,
}


class ValueMath:
    tanh = staticmethod(lambda v: v.tanh())
    sigmoid = staticmethod(lambda v: v.sigmoid())
    sin = staticmethod(lambda v: v.sin())
    cos = staticmethod(lambda v: v.cos())
    log = staticmethod(lambda v: v.log())
    sqrt = staticmethod(lambda v: v.sqrt())
    exp = staticmethod(lambda v: v.exp())


class FloatMath:
    tanh = staticmethod(math.tanh)
    sigmoid = staticmethod(lambda v: 1 / (1 + math.exp(-v)))
    sin = staticmethod(math.sin)
    cos = staticmethod(math.cos)
    log = staticmethod(math.log)
    sqrt = staticmethod(math.sqrt)
    exp = staticmethod(math.exp)


def expressions(n_vars: int):
    """Trees of ("var", i) leaves under unary and binary steps."""
    leaves = st.tuples(st.just("var"), st.integers(0, n_vars - 1))
    return st.recursive(
        leaves,
        lambda inner: st.one_of(
            st.tuples(st.sampled_from(sorted(UNARY)), inner),
            st.tuples(st.sampled_from(sorted(BINARY)), inner, inner),
        ),
        max_leaves=8,
    )


def evaluate(tree, xs, m):
    """The expression's value with variables ``xs`` and functions ``m``."""
    kind = tree[0]
    if kind == "var":
        return xs[tree[1]]
    if kind in UNARY:
        return UNARY[kind](evaluate(tree[1], xs, m), m)
    return BINARY[kind](evaluate(tree[1], xs, m), evaluate(tree[2], xs, m), m)


def torch_math(torch):
    """The same functions from PyTorch, for the oracle tests."""

    class TorchMath:
        tanh = staticmethod(torch.tanh)
        sigmoid = staticmethod(torch.sigmoid)
        sin = staticmethod(torch.sin)
        cos = staticmethod(torch.cos)
        log = staticmethod(torch.log)
        sqrt = staticmethod(torch.sqrt)
        exp = staticmethod(torch.exp)

    return TorchMath
