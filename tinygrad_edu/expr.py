"""A safe parser: expression text such as ``tanh(x*w1 + y*w2 + b)`` -> a Value graph.

It never evaluates Python. A small recursive-descent parser reads this grammar,
written with the loosest-binding rule first::

    expression := term (("+" | "-") term)*
    term       := unary (("*" | "/") unary)*
    unary      := "-" unary | power
    power      := atom ("**" unary)?             right-associative: 2**3**2 = 2**9
    atom       := number | name | "(" expression ")"
                | function "(" expression ("," expression)? ")"   one argument per input

and writes the expression out in postfix order (``x w * b +``), which a small
stack machine then turns into Values. Anything else (attribute access,
subscripts, strings, lambdas, keywords, other calls) is an ``ExpressionError``
naming the offending text and its column.
"""

from __future__ import annotations

import keyword
import math
import re
from collections.abc import Mapping
from typing import NamedTuple

from .checks import is_number
from .engine import Value
from .ops import functions

MAX_LENGTH = 10_000
MAX_DEPTH = 50  # parentheses, calls, unary minus and powers nested inside each other

_TOKEN = re.compile(
    r"(?P<space>[ \t\r\n]+)"
    r"|(?P<number>(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)"  # ASCII digits only
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<operator>\*\*|[-+*/(),])"
)
_WHY_NOT = {
    ".": "attribute access is not allowed",
    "[": "subscripts are not allowed",
    "]": "subscripts are not allowed",
    "'": "strings are not allowed",
    '"': "strings are not allowed",
    "=": "assignments and keyword arguments are not allowed",
    ":": "lambdas and slices are not allowed",
    "{": "dicts and sets are not allowed",
    "}": "dicts and sets are not allowed",
}
_EXPECTED = "expected a number, a name, '(', '-' or a function call"


class ExpressionError(ValueError):
    """Text that is not an expression this parser accepts, or that cannot be computed.

    ``column`` is where the trouble starts (1 for the first character) and
    ``fragment`` the offending text.
    """

    def __init__(self, message: str, column: int, fragment: str) -> None:
        super().__init__(message)
        self.column = column
        self.fragment = fragment


class _Token(NamedTuple):
    kind: str  # number, name, operator or end
    text: str
    column: int


class _Step(NamedTuple):
    """One postfix instruction: push a number or a variable, or apply an operation."""

    kind: str  # number, name, binary, neg, power, call
    argument: object
    column: int


def parse(text: str, values: Mapping[str, Value | int | float]) -> Value:
    """Build the Value graph of ``text``, with ``values`` giving each name's value.

    Each name becomes one leaf labelled with the name (used twice, it is the
    same leaf, so its gradient collects both uses). A name given a Value uses
    that Value (labelling it with the name if it has no label). ``x ** 2``
    with a number exponent is the one-input power node ``**2``.

    Args:
        text: numbers, names, ``+ - * / **``, unary minus, parentheses and calls
            of the operations written as functions (``exp log tanh sigmoid relu
            sin cos sqrt abs``, and any ``define_op``: ``name(x)`` or ``name(a, b)``).
        values: a number or a Value for every name in ``text``.

    Returns:
        The Value the expression computes; call ``backward()`` on it.

    Raises:
        ExpressionError: the text is not such an expression, a name has no
            value, or an operation has no real value (``log(0)``, ``1/0``).
        TypeError: ``text`` is not a str, or a value is not a number or a Value.
    """
    if not isinstance(text, str):
        raise TypeError(f"parse needs the expression as a str, got {type(text).__name__}")
    program = compile_expression(text)
    leaves = _leaves(program, values)
    result = _run(program, leaves, text)
    for name, leaf in leaves.items():
        if not leaf.label:
            leaf.label = name
    return result


def compile_expression(text: str) -> list[_Step]:
    """Check ``text`` and write it in postfix order: ``x*w + b`` -> ``x w * b +``."""
    if len(text) > MAX_LENGTH:
        raise ExpressionError(
            f"the expression is {len(text):,} characters long; at most {MAX_LENGTH:,} are allowed",
            MAX_LENGTH + 1,
            text[MAX_LENGTH : MAX_LENGTH + 10],
        )
    return _Parser(text).parse()


# ---------------------------------------------------------------- reading text


def _tokens(text: str) -> list[_Token]:
    tokens = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            _refuse_character(text, position)
        kind = match.lastgroup
        if kind == "number" and _NAME_START.match(text, match.end()):
            column = match.end() + 1
            raise ExpressionError(
                f"unexpected {text[match.end()]!r} right after the number {match[0]!r} "
                f"at column {column}: put an operator between them, e.g. 2*x",
                column,
                text[match.end()],
            )
        if kind == "name" and keyword.iskeyword(match[0]):
            raise ExpressionError(
                f"the Python keyword {match[0]!r} at column {position + 1} is not allowed: "
                "an expression holds only numbers, names, + - * / **, parentheses and "
                f"calls of {', '.join(functions())}",
                position + 1,
                match[0],
            )
        if kind != "space":
            tokens.append(_Token(kind, match[0], position + 1))
        position = match.end()
    tokens.append(_Token("end", "", len(text) + 1))
    return tokens


_NAME_START = re.compile(r"[A-Za-z_.]")


def _refuse_character(text: str, position: int) -> None:
    character = text[position]
    why = _WHY_NOT.get(character, _EXPECTED.replace("expected", "expected only"))
    raise ExpressionError(
        f"unexpected {character!r} at column {position + 1}: {why}", position + 1, character
    )


class _Parser:
    """Recursive descent over the grammar in the module docstring, writing postfix steps."""

    def __init__(self, text: str) -> None:
        self.tokens = _tokens(text)
        self.position = 0
        self.depth = 0
        self.steps: list[_Step] = []

    def parse(self) -> list[_Step]:
        self.expression()
        token = self.peek()
        if token.kind != "end":
            raise ExpressionError(
                f"unexpected {token.text!r} at column {token.column}: "
                "expected an operator (+ - * / **) or the end of the expression",
                token.column,
                token.text,
            )
        return self.steps

    def peek(self) -> _Token:
        return self.tokens[self.position]

    def take(self) -> _Token:
        token = self.tokens[self.position]
        self.position += 1
        return token

    def enter(self, token: _Token) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExpressionError(
                f"the expression nests more than {MAX_DEPTH} levels deep at column {token.column}",
                token.column,
                token.text,
            )

    def expression(self) -> None:
        self.term()
        while self.peek().text in ("+", "-"):
            operator = self.take()
            self.term()
            self.steps.append(_Step("binary", operator.text, operator.column))

    def term(self) -> None:
        self.unary()
        while self.peek().text in ("*", "/"):
            operator = self.take()
            self.unary()
            self.steps.append(_Step("binary", operator.text, operator.column))

    def unary(self) -> None:
        if self.peek().text != "-":
            self.power()
            return
        minus = self.take()
        self.enter(minus)
        self.unary()
        self.depth -= 1
        self.steps.append(_Step("neg", None, minus.column))

    def power(self) -> None:
        self.atom()
        if self.peek().text != "**":
            return
        operator = self.take()
        start = len(self.steps)
        self.enter(operator)
        self.unary()
        self.depth -= 1
        exponent = _constant(self.steps[start:])
        if exponent is None:
            self.steps.append(_Step("binary", "**", operator.column))
        else:
            del self.steps[start:]
            self.steps.append(_Step("power", exponent, operator.column))

    def atom(self) -> None:
        token = self.take()
        if token.kind == "number":
            number = float(token.text)
            if math.isinf(number):
                raise ExpressionError(
                    f"the number {token.text} at column {token.column} is too large for a "
                    "float (at most about 1.8e308)",
                    token.column,
                    token.text,
                )
            self.steps.append(_Step("number", number, token.column))
        elif token.kind == "name":
            self.name(token)
        elif token.text == "(":
            self.enter(token)
            self.expression()
            self.closing(token)
            self.depth -= 1
        else:
            where = "end of the expression" if token.kind == "end" else repr(token.text)
            raise ExpressionError(
                f"unexpected {where} at column {token.column}: {_EXPECTED}",
                token.column,
                token.text,
            )

    def name(self, token: _Token) -> None:
        calls = self.peek().text == "("
        arity = functions().get(token.text)
        if arity is not None:
            example = f"{token.text}({', '.join('xy'[:arity])})"
            if not calls:
                raise ExpressionError(
                    f"{token.text!r} at column {token.column} is a function: "
                    f"call it, as in {example}",
                    token.column,
                    token.text,
                )
            opening = self.take()
            self.enter(opening)
            self.expression()
            for _ in range(arity - 1):
                self.comma(example)
                self.expression()
            if self.peek().text == ",":
                comma = self.peek()
                raise ExpressionError(
                    f"unexpected ',' at column {comma.column}: {token.text} takes exactly "
                    f"{'one argument' if arity == 1 else f'{arity} arguments'}, as in {example}",
                    comma.column,
                    ",",
                )
            self.closing(opening)
            self.depth -= 1
            self.steps.append(_Step("call", token.text, token.column))
        elif calls:
            raise ExpressionError(
                f"unknown function {token.text!r} at column {token.column}: "
                f"the functions are {', '.join(functions())}",
                token.column,
                token.text,
            )
        else:
            self.steps.append(_Step("name", token.text, token.column))

    def comma(self, example: str) -> None:
        token = self.take()
        if token.text != ",":
            raise ExpressionError(
                f"expected ',' at column {token.column}: the function takes more arguments, "
                f"as in {example}",
                token.column,
                token.text,
            )

    def closing(self, opening: _Token) -> None:
        token = self.take()
        if token.text != ")":
            found = "the end" if token.kind == "end" else repr(token.text)
            raise ExpressionError(
                f"expected ')' at column {token.column} to close the '(' at column "
                f"{opening.column}, found {found}",
                token.column,
                token.text,
            )


def _constant(steps: list[_Step]) -> float | None:
    """The number that ``steps`` push when they are a literal or a negated literal."""
    if len(steps) == 1 and steps[0].kind == "number":
        return steps[0].argument
    if len(steps) == 2 and steps[0].kind == "number" and steps[1].kind == "neg":
        return -steps[0].argument
    return None


# ---------------------------------------------------------------- computing


def _leaves(program: list[_Step], values: Mapping) -> dict[str, Value]:
    """One leaf per name: the Value given for it, or a new Value labelled with the name."""
    if not isinstance(values, Mapping):
        raise TypeError(
            f"values must be a mapping of names to numbers, got {type(values).__name__}"
        )
    leaves: dict[str, Value] = {}
    for step in program:
        if step.kind != "name" or step.argument in leaves:
            continue
        name = step.argument
        if name not in values:
            raise ExpressionError(
                f"no value for the variable {name!r} (column {step.column}): "
                f"give one, e.g. values={{{name!r}: 1.0}} or --set {name}=1.0",
                step.column,
                name,
            )
        given = values[name]
        if isinstance(given, Value):
            leaves[name] = given
        elif is_number(given):
            leaves[name] = Value(given, label=name)
        else:
            raise TypeError(
                f"the value of {name!r} must be a number or a Value, got {type(given).__name__}"
            )
    return leaves


_BINARY = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: a / b,
    "**": lambda a, b: a**b,
}


def _call(function: str, arguments: list[Value]) -> Value:
    """``abs(x)``, ``x.exp()``, or ``a.name(b)`` for an operation of two inputs."""
    first, *rest = arguments
    return abs(first) if function == "abs" else getattr(first, function)(*rest)


def _run(program: list[_Step], leaves: dict[str, Value], text: str) -> Value:
    """The postfix program on a stack: numbers and names push, operations pop and push."""
    stack: list[Value] = []
    for step in program:
        try:
            if step.kind == "number":
                stack.append(Value(step.argument))
            elif step.kind == "name":
                stack.append(leaves[step.argument])
            elif step.kind == "neg":
                stack.append(-stack.pop())
            elif step.kind == "power":
                stack.append(stack.pop() ** step.argument)
            elif step.kind == "call":
                arguments = [stack.pop() for _ in range(functions()[step.argument])][::-1]
                stack.append(_call(step.argument, arguments))
            else:
                b = stack.pop()
                stack.append(_BINARY[step.argument](stack.pop(), b))
        except (ValueError, ZeroDivisionError, OverflowError) as error:
            operation = step.argument if step.kind != "power" else f"**{step.argument:g}"
            raise ExpressionError(
                f"cannot compute {operation!r} at column {step.column}: {error}",
                step.column,
                text[step.column - 1 : step.column - 1 + len(str(operation))],
            ) from None
    (result,) = stack
    return result
