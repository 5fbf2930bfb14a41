"""Second and third derivatives: grad(grad(f)), hessian, and backward(create_graph=True)."""

import math

import pytest
from expressions import ValueMath, evaluate, expressions
from hypothesis import given, settings
from hypothesis import strategies as st

from tinygrad_edu import Value, grad, hessian, no_grad, numerical_grad, value_and_grad


def reals(low, high):
    return st.floats(low, high, allow_nan=False, allow_infinity=False)


away_from_zero = reals(-3, 3).filter(lambda x: abs(x) > 0.1)
positive = reals(0.2, 5)
LN2 = math.log(2)


def sig(x):
    return 1 / (1 + math.exp(-x))


# name: (f on Values, domain, [f', f'', f'''] analytically)
UNARY = {
    "exp": (lambda x: x.exp(), reals(-5, 5), [math.exp] * 3),
    "log": (
        lambda x: x.log(),
        positive,
        [lambda x: 1 / x, lambda x: -1 / x**2, lambda x: 2 / x**3],
    ),
    "tanh": (
        lambda x: x.tanh(),
        reals(-3, 3),
        [
            lambda x: 1 - math.tanh(x) ** 2,
            lambda x: -2 * math.tanh(x) * (1 - math.tanh(x) ** 2),
            lambda x: -2 * (1 - math.tanh(x) ** 2) * (1 - 3 * math.tanh(x) ** 2),
        ],
    ),
    "sigmoid": (
        lambda x: x.sigmoid(),
        reals(-6, 6),
        [
            lambda x: sig(x) * (1 - sig(x)),
            lambda x: sig(x) * (1 - sig(x)) * (1 - 2 * sig(x)),
            lambda x: sig(x) * (1 - sig(x)) * (1 - 6 * sig(x) + 6 * sig(x) ** 2),
        ],
    ),
    "sin": (
        lambda x: x.sin(),
        reals(-6, 6),
        [math.cos, lambda x: -math.sin(x), lambda x: -math.cos(x)],
    ),
    "cos": (
        lambda x: x.cos(),
        reals(-6, 6),
        [lambda x: -math.sin(x), lambda x: -math.cos(x), math.sin],
    ),
    "sqrt": (
        lambda x: x.sqrt(),
        positive,
        [lambda x: 0.5 * x**-0.5, lambda x: -0.25 * x**-1.5, lambda x: 0.375 * x**-2.5],
    ),
    "neg": (lambda x: -x, reals(-5, 5), [lambda x: -1.0, lambda x: 0.0, lambda x: 0.0]),
    "abs": (
        lambda x: abs(x),
        away_from_zero,
        [lambda x: math.copysign(1, x), lambda x: 0.0, lambda x: 0.0],
    ),
    "relu": (
        lambda x: x.relu(),
        away_from_zero,
        [lambda x: float(x > 0), lambda x: 0.0, lambda x: 0.0],
    ),
    "cube": (lambda x: x**3, reals(-5, 5), [lambda x: 3 * x**2, lambda x: 6 * x, lambda x: 6.0]),
    "reciprocal": (
        lambda x: x**-1,
        away_from_zero,
        [lambda x: -(x**-2), lambda x: 2 * x**-3, lambda x: -6 * x**-4],
    ),
    "root": (
        lambda x: x**0.5,
        positive,
        [lambda x: 0.5 * x**-0.5, lambda x: -0.25 * x**-1.5, lambda x: 0.375 * x**-2.5],
    ),
    "two_to_the": (lambda x: 2**x, reals(-4, 4), [lambda x, k=k: LN2**k * 2**x for k in (1, 2, 3)]),
    "divide_into_one": (
        lambda x: 1 / x,
        away_from_zero,
        [lambda x: -(x**-2), lambda x: 2 * x**-3, lambda x: -6 * x**-4],
    ),
}


@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_derivatives_up_to_the_third(name):
    f, domain, exact = UNARY[name]
    first, second, third = grad(f), grad(grad(f)), grad(grad(grad(f)))

    @settings(max_examples=25, deadline=None)
    @given(domain)
    def run(x):
        for derivative, formula in zip([first, second, third], exact):
            assert derivative(x) == pytest.approx(formula(x), rel=1e-9, abs=1e-12)
        # each level against central differences of the level below it
        assert second(x) == pytest.approx(numerical_grad(first, [x])[0], rel=1e-5, abs=1e-6)
        assert third(x) == pytest.approx(numerical_grad(second, [x])[0], rel=1e-5, abs=1e-6)

    run()


# name: (f(a, b), domain of a, domain of b, Hessian [[faa, fab], [fab, fbb]], (faaa, fbbb))
BINARY = {
    "add": (lambda a, b: a + b, reals(-5, 5), reals(-5, 5), lambda a, b: [[0, 0], [0, 0]], (0, 0)),
    "sub": (lambda a, b: a - b, reals(-5, 5), reals(-5, 5), lambda a, b: [[0, 0], [0, 0]], (0, 0)),
    "mul": (lambda a, b: a * b, reals(-5, 5), reals(-5, 5), lambda a, b: [[0, 1], [1, 0]], (0, 0)),
    "div": (
        lambda a, b: a / b,
        reals(-5, 5),
        away_from_zero,
        lambda a, b: [[0, -(b**-2)], [-(b**-2), 2 * a * b**-3]],
        (lambda a, b: 0, lambda a, b: -6 * a * b**-4),
    ),
    "pow": (
        lambda a, b: a**b,
        positive,
        reals(-2, 2),
        lambda a, b: [
            [b * (b - 1) * a ** (b - 2), a ** (b - 1) * (1 + b * math.log(a))],
            [a ** (b - 1) * (1 + b * math.log(a)), a**b * math.log(a) ** 2],
        ],
        (
            lambda a, b: b * (b - 1) * (b - 2) * a ** (b - 3),
            lambda a, b: a**b * math.log(a) ** 3,
        ),
    ),
}


@pytest.mark.parametrize("name", sorted(BINARY))
def test_binary_hessians_and_third_derivatives(name):
    f, left, right, exact_hessian, exact_third = BINARY[name]
    third_in_a = grad(grad(grad(f, 0), 0), 0)
    third_in_b = grad(grad(grad(f, 1), 1), 1)

    @settings(max_examples=25, deadline=None)
    @given(left, right)
    def run(a, b):
        h = hessian(f)(a, b)
        expected = exact_hessian(a, b)
        for i in range(2):
            assert h[i] == pytest.approx(expected[i], rel=1e-9, abs=1e-12)
            row = numerical_grad(grad(f, i), [a, b])  # ∂/∂xⱼ of ∂f/∂xᵢ by differences
            assert h[i] == pytest.approx(row, rel=1e-5, abs=1e-6)
        third_a = exact_third[0] if callable(exact_third[0]) else lambda a, b: exact_third[0]
        third_b = exact_third[1] if callable(exact_third[1]) else lambda a, b: exact_third[1]
        assert third_in_a(a, b) == pytest.approx(third_a(a, b), rel=1e-9, abs=1e-12)
        assert third_in_b(a, b) == pytest.approx(third_b(a, b), rel=1e-9, abs=1e-12)

    run()


@settings(max_examples=60, deadline=None)
@given(expressions(3), st.lists(reals(-2, 2), min_size=3, max_size=3))
def test_hessians_of_random_expressions_are_symmetric_and_match_differences(tree, xs):
    f = lambda *vs: evaluate(tree, vs, ValueMath)
    h = hessian(f)(*xs)
    for i in range(3):
        for j in range(i):
            assert h[i][j] == pytest.approx(h[j][i], rel=1e-9, abs=1e-12)
        assert h[i] == pytest.approx(numerical_grad(grad(f, i), xs), rel=1e-4, abs=1e-5)


def test_hand_derived_second_and_third_derivatives():
    # f(x) = x·sin(x): f' = sin x + x cos x, f'' = 2 cos x − x sin x, f''' = −3 sin x − x cos x
    f = lambda x: x * x.sin()
    x = 0.7
    assert grad(f)(x) == pytest.approx(math.sin(x) + x * math.cos(x), rel=1e-12)
    assert grad(grad(f))(x) == pytest.approx(2 * math.cos(x) - x * math.sin(x), rel=1e-12)
    assert grad(grad(grad(f)))(x) == pytest.approx(-3 * math.sin(x) - x * math.cos(x), rel=1e-12)


def test_mixed_partials_through_closures():
    # ∂/∂y [∂(x²y³)/∂x] = 6xy², with the inner grad closing over the outer y
    f = lambda x, y: x**2 * y**3
    mixed = grad(lambda y: grad(f)(1.5, y))(2.0)
    assert mixed == pytest.approx(6 * 1.5 * 2.0**2, rel=1e-12)
    assert hessian(f)(1.5, 2.0)[0][1] == pytest.approx(mixed, rel=1e-12)


# ---- backward(create_graph=True) on the engine itself ----


def test_create_graph_makes_every_grad_a_value():
    x = Value(2.0, "x")
    h = x + 1.0
    y = h * h * x  # (x + 1)² x
    y.backward(create_graph=True)
    for node in (x, h, y):
        assert isinstance(node.grad, Value)
    assert y.grad.data == 1.0
    assert h.grad.data == pytest.approx(2 * 3.0 * 2.0)  # ∂y/∂h = 2hx
    assert x.grad.data == pytest.approx(3.0**2 + 2 * 3.0 * 2.0)  # (x+1)² + 2(x+1)x
    assert x.grad.inputs != ()  # a graph that can be differentiated again


def test_differentiating_a_grad_accumulates_into_the_leaf_as_pytorch_does():
    x = Value(2.0)
    (x**3).backward(create_graph=True)
    first = x.grad  # 3x² = 12
    first.backward()  # x is a leaf: it adds 6x = 12 to what it held
    assert x.grad.data == pytest.approx(12.0 + 12.0)
    x.grad = 0.0  # reset between passes to read the second derivative alone
    first.backward()
    assert x.grad == pytest.approx(12.0)


def test_leaves_accumulate_value_grads_across_calls():
    x = Value(0.5)
    y = x.sin() * x
    y.backward(create_graph=True)
    y.backward(create_graph=True)
    total = x.grad
    assert isinstance(total, Value)
    assert total.data == pytest.approx(2 * (math.cos(0.5) * 0.5 + math.sin(0.5)))
    x.grad = 0.0
    total.backward()  # the sum of both passes differentiates to twice f''
    assert x.grad == pytest.approx(2 * (2 * math.cos(0.5) - 0.5 * math.sin(0.5)))


def test_float_and_value_passes_accumulate_together():
    x = Value(3.0)
    (x * x).backward()  # 6.0, a float
    (x * x).backward(create_graph=True)  # + 2x, a Value
    assert isinstance(x.grad, Value)
    assert x.grad.data == 12.0
    x.grad, g = 0.0, x.grad
    g.backward()
    assert x.grad == 2.0  # the float part is a constant; the Value part is 2x


def test_intermediate_grads_hold_only_the_latest_pass():
    x = Value(1.5)
    h = x * x
    (h * 3.0).backward(create_graph=True)
    assert h.grad.data == 3.0
    (h.sin()).backward(create_graph=True)
    assert h.grad.data == pytest.approx(math.cos(2.25))  # reset, not 3 + cos


def test_hooks_see_value_gradients_with_create_graph():
    x = Value(2.0)
    h = x.exp()
    seen = []
    h.register_hook(seen.append)
    (h * h).backward(create_graph=True)
    assert isinstance(seen[0], Value) and seen[0].data == pytest.approx(2 * math.exp(2.0))


# ---- no_grad together with create_graph and grad ----


def test_create_graph_records_the_pass_even_inside_no_grad_as_pytorch_does():
    x = Value(2.0)
    y = x**3
    with no_grad():
        y.backward(create_graph=True)
        assert (x * 2).inputs == ()  # the block itself still records nothing
    first = x.grad
    assert isinstance(first, Value) and first.data == 12.0  # 3x²
    x.grad = 0.0
    first.backward()
    assert x.grad == 12.0  # d(3x²)/dx = 6x: the pass was recorded


def test_grad_differentiates_even_inside_no_grad():
    with no_grad():
        assert grad(grad(lambda x: x**3))(2.0) == pytest.approx(12.0)
        assert hessian(lambda x, y: x * y * y)(1.0, 3.0) == [[0.0, 6.0], [6.0, 2.0]]


def test_no_grad_inside_f_is_a_constant():
    def f(x):
        with no_grad():
            frozen = x * x  # held constant: a stop-gradient
        return frozen * x

    assert grad(f)(3.0) == 9.0  # d/dx (c·x) = c = x² at 3
    assert grad(grad(f))(3.0) == 0.0  # c does not move with x


def test_no_grad_between_passes_changes_nothing_recorded_before():
    x = Value(0.3)
    y = x.tanh()
    with no_grad():
        z = y * 2.0  # not recorded: z is a leaf
    y.backward(create_graph=True)
    assert z.inputs == ()
    assert x.grad.data == pytest.approx(1 - math.tanh(0.3) ** 2)


# ---- the functional API's contract ----


def test_grad_returns_floats_for_numbers_and_values_when_nested():
    f = lambda x: x**2
    assert type(grad(f)(3.0)) is float
    seen = []
    grad(lambda x: seen.append(grad(f)(x)) or seen[-1])(3.0)
    assert isinstance(seen[0], Value) and seen[0].data == 6.0
    assert isinstance(grad(f)(Value(3.0)), Value)


def test_argnums_tuple_gives_a_tuple_and_value_and_grad_the_value():
    f = lambda a, b, c: a * b + c * c  # c stays a float when not differentiated
    assert grad(f, (0, 2))(2.0, 5.0, 1.0) == (5.0, 2.0)
    value, (da, db) = value_and_grad(f, (0, 1))(2.0, 5.0, 1.0)
    assert (value, da, db) == (11.0, 5.0, 2.0)
    assert value_and_grad(f, 1)(2.0, 5.0, 1.0) == (11.0, 2.0)


def test_the_same_value_passed_twice_gets_its_own_partials():
    x = Value(3.0)
    assert grad(lambda a, b: a * b * b, (0, 1))(x, x)[0].data == 9.0  # b² = 9, not 27


def test_grad_leaves_the_grads_it_touches_unchanged():
    w = Value(2.0, "w")
    w.grad = 5.0
    h = w * 3.0
    h.grad = 7.0
    assert grad(lambda x: x * h)(4.0) == 6.0
    assert grad(grad(lambda x: x * x * h))(4.0) == 12.0
    assert (w.grad, h.grad) == (5.0, 7.0)


def test_constant_functions_have_zero_derivatives():
    assert grad(lambda x: 4.0)(1.0) == 0.0
    assert grad(lambda x, y: y * 2, 0)(1.0, Value(3.0)).data == 0.0
    assert hessian(lambda x, y: x + y)(1.0, 2.0) == [[0.0, 0.0], [0.0, 0.0]]


@pytest.mark.parametrize(
    ("argnums", "error", "message"),
    [
        ("0", TypeError, "argnums must be an int or a tuple of ints, got str"),
        (1.0, TypeError, "got float"),
        (True, TypeError, "got bool"),
        ([0], TypeError, "got list"),
        (-1, ValueError, "must be >= 0"),
        ((), ValueError, "names no argument"),
        ((0, 0), ValueError, "repeats a position"),
    ],
)
def test_bad_argnums_are_refused_when_grad_is_made(argnums, error, message):
    with pytest.raises(error, match=message):
        grad(lambda x: x, argnums)
    with pytest.raises(error, match=message):
        value_and_grad(lambda x: x, argnums)


def test_argnums_past_the_arguments_is_a_clear_error():
    with pytest.raises(ValueError, match=r"argument 2, but f was called with 2 argument\(s\)"):
        grad(lambda a, b: a * b, (0, 2))(1.0, 2.0)


@pytest.mark.parametrize(
    ("output", "name"),
    [(lambda x: [x, x], "list of length 2"), (lambda x: None, "NoneType"), (lambda x: "x", "str")],
)
def test_non_scalar_outputs_are_refused(output, name):
    for transform in (grad, value_and_grad, hessian):
        with pytest.raises(TypeError, match=f"f must return a scalar .*got {name}"):
            transform(output)(1.0)


def test_bad_arguments_and_functions_are_refused():
    with pytest.raises(TypeError, match="argument 0 is differentiated.*got str: 'a'"):
        grad(lambda x: x)("a")
    with pytest.raises(TypeError, match="got bool"):
        grad(lambda x: x)(True)
    with pytest.raises(TypeError, match="grad needs a function, got int"):
        grad(3)
    with pytest.raises(ValueError, match="at least one argument"):
        hessian(lambda: Value(1.0))()
    assert grad(lambda x, name: x * len(name))(2.0, "abc") == 3.0  # others pass through


def test_an_infinite_slope_at_zero_is_inf_at_every_order_as_in_pytorch():
    # d/dx √x = 0.5·x^-0.5 and d²/dx² √x = -0.25·x^-1.5: inf and -inf at 0 (PyTorch agrees)
    for f in (lambda x: x.sqrt(), lambda x: x**0.5, lambda x: x ** Value(0.5)):
        assert grad(f)(0.0) == math.inf
        assert grad(grad(f))(0.0) == -math.inf
    x = Value(0.0)
    x.sqrt().backward(create_graph=True)
    assert x.grad.data == math.inf
    with pytest.raises(ZeroDivisionError, match=r"0.0 \*\* -0.5"):
        x**-0.5  # in the user's own code it is still a division by zero
