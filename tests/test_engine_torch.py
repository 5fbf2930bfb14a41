"""PyTorch as a second oracle (double precision); skipped when torch is not installed."""

import pytest
from expressions import ValueMath, evaluate, expressions, torch_math
from hypothesis import given, settings
from hypothesis import strategies as st

from tinygrad_edu import Value

torch = pytest.importorskip("torch")


TorchMath = torch_math(torch)


def leaves(xs):
    return [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in xs]


@settings(max_examples=100, deadline=None)
@given(expressions(3), st.lists(st.floats(-2, 2), min_size=3, max_size=3))
def test_random_expressions_match_pytorch(tree, xs):
    ours = [Value(x) for x in xs]
    out = evaluate(tree, ours, ValueMath)
    out.backward()
    theirs = leaves(xs)
    reference = evaluate(tree, theirs, TorchMath)
    reference.backward()
    assert out.data == pytest.approx(reference.item(), rel=1e-12, abs=1e-12)
    for v, t in zip(ours, theirs):
        expected = 0.0 if t.grad is None else t.grad.item()
        assert v.grad == pytest.approx(expected, rel=1e-9, abs=1e-12)


OPS = {
    "relu": (lambda v: v.relu(), torch.relu),
    "abs": (lambda v: abs(v), torch.abs),
    "sigmoid": (lambda v: v.sigmoid(), torch.sigmoid),
    "tanh": (lambda v: v.tanh(), torch.tanh),
    "sqrt": (lambda v: v.sqrt(), torch.sqrt),
    "cube": (lambda v: v**3, lambda t: t**3),
}


POINTS = [-1e6, -2.0, 0.0, 0.5, 3.0, 1e6]


@pytest.mark.parametrize(
    "name, x", [(n, x) for n in sorted(OPS) for x in POINTS if not (n == "sqrt" and x < 0)]
)
def test_single_operations_and_kinks_match_pytorch(name, x):
    ours, theirs = OPS[name]
    v = Value(x)
    out = ours(v)
    out.backward()
    (t,) = leaves([x])
    reference = theirs(t)
    reference.backward()
    assert out.data == pytest.approx(reference.item(), rel=1e-12)
    assert v.grad == pytest.approx(t.grad.item(), rel=1e-12)


def test_accumulation_matches_pytorch():
    a = Value(3.0)
    c = (a + a) * (a + a)
    c.backward()
    c.backward()
    (t,) = leaves([3.0])
    r = (t + t) * (t + t)
    r.backward(retain_graph=True)
    r.backward()
    assert a.grad == t.grad.item() == 48.0
