"""Rules on symbols: the text they write computes exactly what the rule computes on floats."""

import math

import pytest
from expressions import FloatMath, evaluate, expressions
from hypothesis import given, settings
from hypothesis import strategies as st

from tinygrad_edu.ops import FLOATS, OPERATIONS
from tinygrad_edu.symbols import NotWritable, Symbol, SymbolicMath, written, written_out


@settings(max_examples=200, deadline=None)
@given(expressions(3), st.lists(st.floats(-2, 2), min_size=3, max_size=3))
def test_the_text_of_an_expression_computes_the_same_float(tree, xs):
    """Brackets only where Python needs them, and never one missing: the very same float."""
    symbols = [Symbol.named(f"x{i}") for i in range(3)]
    text = written(evaluate(tree, symbols, SymbolicMath("F.")), {})
    variables = {f"x{i}": x for i, x in enumerate(xs)}
    expected = evaluate(tree, xs, FloatMath)
    got = eval(text, {"F": FloatMath}, variables)
    assert got == expected or (math.isnan(got) and math.isnan(expected)), text


@pytest.mark.parametrize(
    "make, text",
    [
        (lambda a, b: a - (b - a), "a - (b - a)"),
        (lambda a, b: (a - b) - a, "a - b - a"),
        (lambda a, b: -(a**2), "-a ** 2"),
        (lambda a, b: (-a) ** 2, "(-a) ** 2"),
        (lambda a, b: a ** (b**2), "a ** b ** 2"),
        (lambda a, b: (a**b) ** 2, "(a ** b) ** 2"),
        (lambda a, b: a / (b * a), "a / (b * a)"),
        (lambda a, b: a * -1.5, "a * -1.5"),
        (lambda a, b: (-1.5) ** a, "(-1.5) ** a"),
        (lambda a, b: a * math.inf, "a * inf"),
    ],
)
def test_brackets_follow_python(make, text):
    assert written(make(Symbol.named("a"), Symbol.named("b")), {}) == text


def test_every_built_in_rule_but_the_power_of_two_values_writes_itself_out():
    for name, record in OPERATIONS.items():
        inputs = [Symbol.named(x) for x in "ab"[: record.arity]]
        if name == "**":  # it looks at its inputs' numbers (0 ** 0), so compile() calls it
            with pytest.raises(NotWritable):
                record.rule(*inputs, SymbolicMath())
            continue
        value, local_grads = record.rule(*inputs, SymbolicMath())
        numbers = {x: 0.75 for x in "ab"}
        floats = record.rule(*[0.75] * record.arity, FLOATS)
        names = {value: "out"} if isinstance(value, Symbol) else {}
        for local, expected in zip(local_grads, floats[1]):
            env = dict(numbers, out=floats[0], F=FLOATS)
            assert eval(written(local, names), env) == expected, name


def test_the_value_of_a_node_is_written_by_its_name_where_its_derivative_reuses_it():
    value, (slope,) = OPERATIONS["tanh"].rule(Symbol.named("x"), SymbolicMath())
    assert value.text({}) == "F.tanh(x)"
    assert slope.text({value: "y"}) == "1.0 - y * y"


def test_a_branch_on_a_symbol_says_why_it_cannot_be_written():
    with pytest.raises(NotWritable, match="branches on its inputs"):
        bool(Symbol.named("x") > 0)


def test_a_rule_written_out_names_its_value_where_a_derivative_reuses_it():
    assert written_out(OPERATIONS["tanh"].rule, ["x"], "out") == ("F.tanh(x)", ["1.0 - out * out"])
    assert written_out(OPERATIONS["*"].rule, ["a", 2.0], "v0") == ("a * 2.0", ["2.0", "a"])
    assert written_out(OPERATIONS["exp"].rule, ["x"], "exp(x)", prefix="") == ("exp(x)", ["exp(x)"])


def test_a_rule_that_cannot_be_written_out_says_so():
    with pytest.raises(NotWritable):
        written_out(lambda x, m: (x if x > 0 else 0.0, (1.0,)), ["x"], "out")
    with pytest.raises(NotWritable, match="cannot be written out"):
        written_out(lambda x, m: (math.exp(x), (1.0,)), ["x"], "out")  # math's own function
