"""Hessians against PyTorch's torch.autograd.functional.hessian (double precision)."""

import pytest
from expressions import ValueMath, evaluate, expressions
from hypothesis import given, settings
from hypothesis import strategies as st

from tinygrad_edu import hessian, jvp

torch = pytest.importorskip("torch")


class TorchMath:
    tanh = staticmethod(torch.tanh)
    sigmoid = staticmethod(torch.sigmoid)
    sin = staticmethod(torch.sin)
    cos = staticmethod(torch.cos)
    log = staticmethod(torch.log)
    sqrt = staticmethod(torch.sqrt)
    exp = staticmethod(torch.exp)


def torch_point(xs):
    return tuple(torch.tensor(x, dtype=torch.float64) for x in xs)


@settings(max_examples=60, deadline=None)
@given(expressions(3), st.lists(st.floats(-2, 2), min_size=3, max_size=3))
def test_hessians_match_pytorch(tree, xs):
    ours = hessian(lambda *vs: evaluate(tree, vs, ValueMath))(*xs)
    theirs = torch.autograd.functional.hessian(
        lambda *ts: evaluate(tree, ts, TorchMath) + 0 * sum(ts), torch_point(xs)
    )
    for i in range(3):
        for j in range(3):
            assert ours[i][j] == pytest.approx(theirs[i][j].item(), rel=1e-8, abs=1e-10)


@settings(max_examples=60, deadline=None)
@given(
    expressions(2),
    st.lists(st.floats(-2, 2), min_size=2, max_size=2),
    st.lists(st.floats(-2, 2), min_size=2, max_size=2),
)
def test_jvp_matches_pytorch(tree, xs, v):
    value, derivative = jvp(lambda *vs: evaluate(tree, vs, ValueMath), xs, v)
    their_value, their_derivative = torch.autograd.functional.jvp(
        lambda *ts: evaluate(tree, ts, TorchMath) + 0 * sum(ts), torch_point(xs), torch_point(v)
    )
    assert value == pytest.approx(their_value.item(), rel=1e-12, abs=1e-12)
    assert derivative == pytest.approx(their_derivative.item(), rel=1e-9, abs=1e-10)
