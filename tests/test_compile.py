"""compile(): the generated code computes what eager mode computes."""

import math

import pytest
from expressions import ValueMath, evaluate, expressions
from hypothesis import given, settings
from hypothesis import strategies as st

from tinygrad_edu import Value
from tinygrad_edu.compile import compile
from tinygrad_edu.nn import MLP
from tinygrad_edu.ops import OPERATIONS


def eager(fn, *args):
    """fn's value and the gradient of every argument (flat lists), by backward()."""
    leaves = [[Value(x) for x in arg] if isinstance(arg, list) else Value(arg) for arg in args]
    out = fn(*leaves)
    out.backward()
    grads = [[v.grad for v in leaf] if isinstance(leaf, list) else leaf.grad for leaf in leaves]
    return out.data, grads


def close(a, b, tol=1e-12):
    return math.isclose(a, b, rel_tol=tol, abs_tol=tol)


@settings(max_examples=60, deadline=None)
@given(expressions(3), st.lists(st.floats(-2, 2), min_size=3, max_size=3))
def test_random_expressions_match_eager(tree, xs):
    fn = lambda a, b, c: evaluate(tree, [a, b, c], ValueMath) + 0.0 * a  # noqa: E731
    compiled = compile(fn, *xs)
    value, grads = compiled(*xs)
    eager_value, eager_grads = eager(fn, *xs)
    assert close(value, eager_value)
    assert all(close(g, e) for g, e in zip(grads, eager_grads))


@settings(max_examples=25, deadline=None)
@given(expressions(2), st.lists(st.floats(-2, 2), min_size=2, max_size=2))
def test_one_trace_serves_other_inputs(tree, xs):
    fn = lambda a, b: evaluate(tree, [a, b], ValueMath) + 0.0 * a  # noqa: E731
    compiled = compile(fn, 0.3, -0.7)
    value, grads = compiled(*xs)
    eager_value, eager_grads = eager(fn, *xs)
    assert close(value, eager_value)
    assert all(close(g, e) for g, e in zip(grads, eager_grads))


@pytest.mark.parametrize("x", [-1.5, -0.2, 0.0, 0.7, 2.0])
def test_every_operation_and_both_sides_of_each_kink(x):
    def fn(a, b):
        parts = [a * b, a + b, a - b, a / b, -a, abs(a), a.exp(), b.log(), a.tanh(), a.sigmoid()]
        parts += [a.relu(), a.sin(), a.cos(), b.sqrt(), a**2, a**3, b**-1.5]
        parts += [b**a, 2**a, 1 - a, 2 / b, b**0.5]
        return sum(parts[1:], parts[0])

    compiled = compile(fn, 0.5, 1.3)  # traced on one side of relu's and abs's kinks
    for a in (x, -x):
        value, grads = compiled(a, 1.3)
        eager_value, eager_grads = eager(fn, a, 1.3)
        assert close(value, eager_value)
        assert all(close(g, e) for g, e in zip(grads, eager_grads))


def test_an_mlp_loss_matches_eager_for_parameters_and_data():
    model = MLP(3, [4, 4, 1], seed=1)
    params = model.parameters()
    X = [[0.1, -0.4, 0.9], [1.2, 0.3, -0.5], [-0.7, 0.8, 0.2]]
    Y = [1.0, -1.0, 1.0]

    def loss_of(params, X, Y):
        scores = [model(x) for x in X]
        losses = [(1 + -y * s).relu() for y, s in zip(Y, scores)]
        return sum(losses) * (1.0 / len(losses)) + 1e-4 * sum(p * p for p in params)

    compiled = compile(loss_of, params, X, Y, wrt=(0, 1))
    for shift in (0.0, 0.25):
        for p in params:
            p.data += shift
        value, (param_grads, x_grads) = compiled(params, X, Y)
        model.zero_grad()
        xs = [[Value(v) for v in row] for row in X]
        loss = loss_of(params, xs, Y)
        loss.backward()
        assert close(value, loss.data)
        assert all(close(g, p.grad) for g, p in zip(param_grads, params))
        assert all(close(g, v.grad) for row, vrow in zip(x_grads, xs) for g, v in zip(row, vrow))
        assert [len(row) for row in x_grads] == [3, 3, 3]


def test_source_is_readable_straight_line_python():
    compiled = compile(lambda w, x: (w * x).tanh(), 0.5, 2.0)
    source = compiled.source
    assert source.startswith("def forward_backward(inputs):")
    assert "v0 = w_0 * x_0" in source
    assert "v1 = F.tanh(v0)" in source
    assert "dv1_0 = 1.0 - v1 * v1" in source  # the tanh rule's own derivative, inlined
    assert "g_w_0 = g_v0 * x_0" in source
    for keyword in ("for ", "while ", "if "):
        assert keyword not in source.replace(" if ", " ? ")  # conditional expressions only


def test_each_inlined_line_comes_from_the_rule_table():
    source = compile(lambda a, b: a * b, 1.0, 2.0).source
    assert OPERATIONS["*"].rule(2.0, 3.0, None) == (6.0, (3.0, 2.0))
    assert "v0 = a_0 * b_0" in source and "g_a_0 = g_v0 * b_0" in source


def test_constants_and_unused_arguments():
    compiled = compile(lambda a, b: a * 3 + 1, 2.0, 5.0)
    assert compiled(2.0, 5.0) == (7.0, (3.0, 0.0))


def test_wrt_selects_arguments():
    compiled = compile(lambda a, b: a * b, 2.0, 5.0, wrt=1)
    assert compiled(2.0, 5.0) == (10.0, (2.0,))
    with pytest.raises(ValueError, match="wrt"):
        compile(lambda a, b: a * b, 2.0, 5.0, wrt=2)


def test_arguments_of_another_structure_are_refused_clearly():
    compiled = compile(lambda xs, y: sum(xs) * y, [1.0, 2.0], 3.0)
    with pytest.raises(ValueError, match=r"argument 0: .*sequence of 2, got a sequence of 3"):
        compiled([1.0, 2.0, 3.0], 3.0)
    with pytest.raises(TypeError, match="argument 1: .*expects a number"):
        compiled([1.0, 2.0], [3.0])
    with pytest.raises(TypeError, match="compiled for 2 arguments, got 1"):
        compiled([1.0, 2.0])
    with pytest.raises(TypeError, match="numbers or lists"):
        compile(lambda s: s, "text")
    with pytest.raises(TypeError, match="one Value"):
        compile(lambda a: [a], 1.0)


def test_data_dependent_control_flow_is_baked_in_at_tracing():
    compiled = compile(lambda a: a * 2 if a > 0 else -a, 1.0)
    assert compiled(-1.0) == (-2.0, (2.0,))  # the branch taken while tracing, as documented


def test_compiling_never_touches_the_parameters_gradients():
    model = MLP(2, [2, 1], seed=0)
    params = model.parameters()
    compiled = compile(lambda ps, x: model(x), params, [0.5, -0.5], wrt=0)
    compiled(params, [0.5, -0.5])
    assert all(p.grad == 0.0 for p in params)


@pytest.mark.parametrize(
    "fn, args, error, words",
    [
        (lambda x: x.log(), (-1.0,), ValueError, r"log\(-1.0\) is undefined"),
        (lambda x: x.sqrt(), (-4.0,), ValueError, r"sqrt\(-4.0\) is undefined"),
        (lambda x: 1 / x, (0.0,), ZeroDivisionError, "division by zero: 1.0 / 0.0"),
        (lambda x: x**-0.5, (0.0,), ZeroDivisionError, r"division by zero: 0.0 \*\* -0.5"),
        (lambda x: x**0.5, (-1.0,), ValueError, "is not a real number"),
        (lambda x: (x * 2).exp(), (800.0,), OverflowError, r"exp\(1600.0\) overflows a float"),
    ],
)
def test_generated_code_raises_what_eager_mode_raises(fn, args, error, words):
    compiled = compile(fn, 2.0)
    with pytest.raises(error, match=words):
        compiled(*args)
    with pytest.raises(error, match=words):
        fn(Value(*args))


def test_compile_reads_no_source_a_rule_of_any_spelling_compiles():
    from tinygrad_edu import define_op, ops

    define_op("double_it", lambda value, namespace: (2.0 * value, (2.0,)))
    try:
        compiled = compile(lambda x: x.double_it() * x, 3.0)
        assert compiled(3.0) == (18.0, (12.0,))
        assert "v0 = 2.0 * x_0" in compiled.source
    finally:
        ops.OPERATIONS.pop("double_it")
        ops._DEFINED.pop("double_it")
        for cls, _ in ops._METHOD_MAKERS:
            delattr(cls, "double_it")


def test_a_traceback_shows_the_generated_line():
    import traceback

    compiled = compile(lambda x: x.log(), 2.0)
    try:
        compiled(-1.0)
    except ValueError as error:
        lines = traceback.format_exception(error)
    assert any("check_" in line and "(x_0)" in line for line in lines)
