"""The safe expression parser: what it accepts, what it refuses, and fuzzing."""

import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tinygrad_edu import Value, numerical_grad
from tinygrad_edu.expr import MAX_DEPTH, ExpressionError, parse
from tinygrad_edu.ops import functions

VALUES = {"x": 2.0, "y": -3.0, "w1": 0.5, "w2": -1.5, "b": 0.25}


# ---------------------------------------------------------------- accepted


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("x", 2.0),
        ("1 + 2 * 3", 7.0),
        ("(1 + 2) * 3", 9.0),
        ("x - y - 1", 4.0),  # left to right: (x - y) - 1
        ("x / 4 / 2", 0.25),
        ("-x ** 2", -4.0),  # as in Python: -(x**2)
        ("2 ** 3 ** 2", 512.0),  # right-associative: 2**(3**2)
        ("2 ** -1", 0.5),
        ("x ** y", 0.125),
        ("--x", 2.0),
        ("1.5e1 + .5 + 3.", 18.5),
        ("tanh(x*w1 + y*w2 + b)", math.tanh(2 * 0.5 + 3 * 1.5 + 0.25)),
        ("exp(0) + log(1) + sin(0) + cos(0) + sqrt(9) + abs(y)", 8.0),
        ("sigmoid(0) + relu(y) + relu(x)", 2.5),
        ("\tx\n+ y ", -1.0),
    ],
)
def test_accepted_expressions_compute_what_python_would(text, expected):
    assert parse(text, VALUES).data == pytest.approx(expected, rel=1e-12)


def test_the_classic_neuron_has_the_hand_derived_gradients():
    o = parse("tanh(x1*w1 + x2*w2 + b)", dict(x1=2, w1=-3, x2=0, w2=1, b=6.8813735870195432))
    o.backward()
    n = o.inputs[0]  # n = (x1*w1 + x2*w2) + b
    products, b = n.inputs
    (x1, w1), (x2, w2) = (p.inputs for p in products.inputs)
    assert o.data == pytest.approx(math.sqrt(0.5))
    # do/dn = 1 - o² = 0.5; then dn/dx1 = w1, dn/dw1 = x1, dn/db = 1
    assert [v.label for v in (x1, w1, x2, w2, b)] == ["x1", "w1", "x2", "w2", "b"]
    assert [v.grad for v in (x1, w1, x2, w2, b)] == pytest.approx([-1.5, 1.0, 0.5, 0.0, 0.5])


def test_a_name_used_twice_is_one_leaf_that_collects_both_uses():
    y = parse("x*x + 3*x", {"x": 2.0})
    y.backward()
    x = y.inputs[0].inputs[0]
    assert x is y.inputs[0].inputs[1] and x is y.inputs[1].inputs[1]
    assert x.grad == pytest.approx(2 * 2.0 + 3)


def test_a_number_exponent_is_a_one_input_power_node():
    assert parse("x ** 2", VALUES).op == "**2"
    assert parse("x ** -0.5", VALUES).op == "**-0.5"
    assert parse("x ** y", VALUES).op == "**"


def test_given_values_are_used_and_labelled_only_when_unlabelled():
    w, kept = Value(0.5), Value(1.0, "bias")
    out = parse("w + b", {"w": w, "b": kept})
    assert out.inputs == (w, kept) and w.label == "w" and kept.label == "bias"


@settings(max_examples=60, deadline=None)
@given(
    st.floats(-2, 2),
    st.floats(-2, 2),
    st.sampled_from(["tanh(x*y + 1)", "x*y - y/(x*x + 1)", "sigmoid(x) * exp(y/3)", "(x - y)**2"]),
)
def test_gradients_match_central_differences(x, y, text):
    out = parse(text, {"x": x, "y": y})
    out.backward()
    leaves = {}
    stack = [out]
    while stack:
        node = stack.pop()
        if node.label in ("x", "y"):
            leaves[node.label] = node
        stack.extend(node.inputs)
    numeric = numerical_grad(lambda a, b: parse(text, {"x": a, "y": b}), [x, y])
    assert leaves["x"].grad == pytest.approx(numeric[0], rel=1e-4, abs=1e-6)
    assert leaves["y"].grad == pytest.approx(numeric[1], rel=1e-4, abs=1e-6)


# ---------------------------------------------------------------- refused


@pytest.mark.parametrize(
    ("text", "column", "says"),
    [
        ("__import__('os').system('rm -rf /')", 12, "strings are not allowed"),
        ("__import__(x)", 1, "unknown function '__import__'"),
        ("x.real", 2, "attribute access is not allowed"),
        ("x[0]", 2, "subscripts are not allowed"),
        ("lambda: 1", 1, "the Python keyword 'lambda'"),
        ("[x for x in y]", 1, "subscripts are not allowed"),
        ("x if y else 1", 3, "the Python keyword 'if'"),
        ("exp(x=1)", 6, "keyword arguments are not allowed"),
        ("exp(x, y)", 6, "exactly one argument"),
        ("print(x)", 1, "unknown function 'print'"),
        ("exp + 1", 1, "'exp' at column 1 is a function"),
        ("x @ y", 3, "unexpected '@'"),
        ("x // y", 4, "unexpected '/'"),
        ("2x", 2, "right after the number '2'"),
        ("0x1F", 2, "right after the number '0'"),
        ("1.2.3", 4, "right after the number '1.2'"),
        ("(x + y", 7, "expected ')' at column 7 to close the '(' at column 1"),
        ("x + y)", 6, "unexpected ')'"),
        ("x +", 4, "unexpected end of the expression"),
        ("", 1, "unexpected end of the expression"),
        ("٣ + 1", 1, "unexpected '٣' at column 1"),  # digits are ASCII 0-9 only
        ("x ** ²", 6, "unexpected '²'"),
        ("+x", 1, "unexpected '+'"),
        ("x = 1", 3, "assignments"),
        ("z + 1", 1, "no value for the variable 'z'"),
        ("log(y)", 1, "cannot compute 'log'"),
        ("1 / (x - 2)", 3, "division by zero"),
        ("y ** 0.5", 3, "not a real number"),
        ("exp(1000)", 1, "overflows"),
        ("x ∗ y", 3, "unexpected '∗'"),
    ],
)
def test_refused_text_names_the_offending_text_and_column(text, column, says):
    with pytest.raises(ExpressionError) as refusal:
        parse(text, VALUES)
    assert refusal.value.column == column
    assert says in str(refusal.value)
    assert f"column {column}" in str(refusal.value)
    assert "\n" not in str(refusal.value)


def test_nothing_is_ever_evaluated_as_python(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for text in ["__import__('pathlib').Path('pwned').touch()", "open('pwned', 'w')"]:
        with pytest.raises(ExpressionError):
            parse(text, {})
    assert not Path("pwned").exists()


def test_deep_nesting_and_long_text_are_clean_errors():
    with pytest.raises(ExpressionError, match=f"nests more than {MAX_DEPTH} levels"):
        parse("(" * 2000 + "x" + ")" * 2000, VALUES)
    with pytest.raises(ExpressionError, match="nests more than"):
        parse("-" * 5000 + "x", VALUES)
    with pytest.raises(ExpressionError, match="nests more than"):
        parse("x" + "**x" * 200, VALUES)
    with pytest.raises(ExpressionError, match="at most 10,000 are allowed"):
        parse("x+" * 6000 + "x", VALUES)
    chain = parse("+".join(["x"] * 4000), VALUES)  # long but flat: fine
    assert chain.data == 8000.0
    assert parse("(" * MAX_DEPTH + "x" + ")" * MAX_DEPTH, VALUES).data == 2.0


def test_bad_arguments_are_type_errors():
    with pytest.raises(TypeError, match="as a str"):
        parse(b"x", VALUES)
    with pytest.raises(TypeError, match="the value of 'x' must be a number or a Value"):
        parse("x", {"x": "2"})
    with pytest.raises(TypeError, match="values must be a mapping"):
        parse("x", [("x", 1)])


def test_every_function_is_accepted():
    for name in functions():
        assert parse(f"{name}(x)", VALUES).op == name


# ---------------------------------------------------------------- fuzzing


@settings(max_examples=250, deadline=None)
@given(st.text(max_size=60))
def test_arbitrary_text_gives_a_value_or_an_expression_error(text):
    try:
        result = parse(text, VALUES)
    except ExpressionError as error:
        assert 1 <= error.column <= len(text) + 1
    else:
        assert isinstance(result, Value)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="xyb12.e()+-*/ exptanhlog,", max_size=40))
def test_near_miss_text_gives_a_value_or_an_expression_error(text):
    try:
        assert isinstance(parse(text, VALUES), Value)
    except ExpressionError as error:
        assert 1 <= error.column <= len(text) + 1


def expressions():
    """Random well-formed arithmetic over x, y and small integers, as text."""
    leaves = st.sampled_from(["x", "y", "1", "2", "3", "0.5"])

    def extend(inner):
        return st.one_of(
            st.tuples(inner, st.sampled_from([" + ", " - ", " * ", " / "]), inner).map("".join),
            inner.map(lambda e: f"({e})"),
            inner.map(lambda e: f"-{e}"),
            st.tuples(inner, st.sampled_from(["**2", "**3"])).map("".join),
        )

    return st.recursive(leaves, extend, max_leaves=12)


@settings(max_examples=300, deadline=None)
@given(expressions())
def test_precedence_and_associativity_agree_with_python(text):
    environment = {"__builtins__": {}, "x": 2.0, "y": -3.0}
    try:
        expected = eval(text, environment)  # trusted, generated text: only + - * / ** ( )
    except (ZeroDivisionError, OverflowError):
        with pytest.raises(ExpressionError):
            parse(text, VALUES)
        return
    if isinstance(expected, complex) or not math.isfinite(expected):
        return
    assert parse(text, VALUES).data == pytest.approx(expected, rel=1e-9, abs=1e-12)


def test_a_number_too_large_for_a_float_is_refused_not_read_as_inf():
    with pytest.raises(ExpressionError, match="the number 1e400 at column 5 is too large") as info:
        parse("x * 1e400", {"x": 1.0})
    assert (info.value.column, info.value.fragment) == (5, "1e400")
    assert parse("1e308", {}).data == 1e308
