"""compile(): trace a function once, then run its forward and backward pass as plain Python.

Eager mode builds a graph of Values on every call.  When the graph is the same
every time (the same operations, only other numbers), we can record it once
and write it out as straight-line Python over floats::

    v2 = w_0 * x_0                  # forward: one line per node
    v3 = v2 + b_0
    v4 = v3 if v3 > 0 else 0.0
    d4 = 1.0 if v3 > 0 else 0.0     # a local derivative that is not an input
    g_v3 = d4                       # backward: the chain rule, edge by edge
    g_v2 = g_v3
    g_b_0 = g_v3
    g_w_0 = g_v2 * x_0

Every line is the operation's own rule from the table in ``ops.py``: called
on symbols (``symbols.py``) instead of numbers, a rule writes its math out as
Python with the node's names in it, so no derivative is written twice and no
source text is read.  A rule that branches on its inputs in Python is called
instead of written out.  Before each operation with a domain, the generated
code runs that operation's own check, so ``log(-1.0)`` raises the same
ValueError as in eager mode, and ``1/0`` the same ZeroDivisionError.

What is not supported, as in ``jax.jit``: control flow that depends on the
data.  An ``if`` on a Value or a loop whose length depends on a Value runs
once, at tracing time, and its outcome is baked in.  Values
the function reads from outside its arguments are constants of the compiled
code.  (Branches *inside* a rule, such as relu's, are part of the generated
code and stay correct for every input.)
"""

from __future__ import annotations

import builtins
import inspect
import linecache
import math
import re
from collections.abc import Callable, Sequence
from itertools import count
from types import SimpleNamespace
from typing import Any

from .engine import Value, enable_grad, operation_of, topological_order
from .ops import FLOATS, describe
from .symbols import NotWritable, number_text, written_out

Structure = Any  # None for a number, else a tuple of the items' structures


def compile(  # shadows the builtin on purpose: the name jax and torch users know
    fn: Callable[..., Value], *example_args: Any, wrt: int | Sequence[int] | None = None
) -> Compiled:
    """Trace ``fn(*example_args)`` once and generate its forward and backward pass.

    Args:
        fn: a function of numbers (or lists and tuples of numbers, nested)
            returning one Value, for example a loss of parameters and data.
        example_args: arguments of the shape later calls will have.
        wrt: the positions of the arguments to differentiate with respect to
            (default: all of them).

    Returns:
        A ``Compiled`` function: ``value, grads = f(*args)`` where ``grads``
        holds, for each argument in ``wrt``, ∂value/∂argument with the
        argument's own structure.  ``f.source`` is the generated Python.
    """
    positions = range(len(example_args)) if wrt is None else _positions(wrt, len(example_args))
    structures = [_structure(arg, f"argument {i}") for i, arg in enumerate(example_args)]
    leaves, names = [], {}
    for arg, arg_name in zip(example_args, _argument_names(fn, len(example_args))):
        leaves.append([x if isinstance(x, Value) else Value(x) for x in _items(arg)])
        for i, leaf in enumerate(leaves[-1]):
            if leaf in names:
                raise ValueError(f"the Value {leaf!r} appears twice in the arguments")
            names[leaf] = f"{arg_name}_{i}"
    with enable_grad():
        output = fn(*(_unflatten(s, iter(ls)) for s, ls in zip(structures, leaves)))
    if not isinstance(output, Value):
        raise TypeError(f"compile needs fn to return one Value, got {type(output).__name__}")
    wanted = [leaf for p in positions for leaf in leaves[p]]
    source, namespace, sites = _generate(output, names, wanted)
    return Compiled(source, namespace, sites, structures, list(positions))


class Compiled:
    """The generated function: ``value, grads = compiled(*args)``; ``.source`` to read it."""

    _numbers = count()

    def __init__(
        self, source: str, namespace: dict, sites: str, structures: list, wrt: list[int]
    ) -> None:
        self.source = source
        self.structures = structures
        self.wrt = wrt
        self._sites = sites
        filename = f"<tinygrad_edu.compile #{next(self._numbers)}>"
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
        exec(builtins.compile(source, filename, "exec"), namespace)  # reads numbers and F only
        self._run = namespace["forward_backward"]

    def __call__(self, *args: Any) -> tuple[float, tuple]:
        """The value of the traced function at ``args`` and its gradients for ``wrt``."""
        if len(args) != len(self.structures):
            raise TypeError(f"compiled for {len(self.structures)} arguments, got {len(args)}")
        flat: list[float] = []
        for i, (arg, structure) in enumerate(zip(args, self.structures)):
            _check_structure(arg, structure, f"argument {i}")
            flat.extend(_flatten(arg))
        try:
            value, grads = self._run(flat)
        except OverflowError as error:
            raise OverflowError(f"{self._what_overflowed(error)} overflows a float") from None
        grads = iter(grads)
        return value, tuple(_unflatten(self.structures[p], grads) for p in self.wrt)

    def _what_overflowed(self, error: OverflowError) -> str:
        """The operation on the line of the generated code that raised, with its numbers."""
        trace = error.__traceback__
        while trace.tb_next is not None and trace.tb_frame.f_code is not self._run.__code__:
            trace = trace.tb_next
        sites = self._sites.split("\n")
        index = trace.tb_lineno - FIRST_FORWARD_LINE
        op, *inputs = sites[index].split(" ") if 0 <= index < len(sites) else ["an operation"]
        values = trace.tb_frame.f_locals
        numbers = [values[x] if x in values else float(x) for x in inputs]
        return describe(op, *(SimpleNamespace(label="", data=x) for x in numbers))


# ---- the arguments' structure: numbers in nested lists and tuples ----
def _structure(arg: Any, where: str) -> Structure:
    if isinstance(arg, list | tuple):
        return tuple(_structure(item, f"{where}[{i}]") for i, item in enumerate(arg))
    if isinstance(arg, bool) or not isinstance(arg, int | float | Value):
        raise TypeError(f"{where}: compile needs numbers or lists of numbers, got {arg!r}")
    return None


def _check_structure(arg: Any, structure: Structure, where: str) -> None:
    """Raise a clear error when ``arg`` is not shaped as the traced argument was."""
    if structure is None:
        if isinstance(arg, bool) or not isinstance(arg, int | float | Value):
            raise TypeError(f"{where}: the compiled function expects a number, got {arg!r}")
        return
    if not isinstance(arg, list | tuple) or len(arg) != len(structure):
        got = f"a sequence of {len(arg)}" if isinstance(arg, list | tuple) else repr(arg)
        raise ValueError(
            f"{where}: the compiled function was traced with a sequence of {len(structure)}, "
            f"got {got}; compile again for arguments of another shape"
        )
    for i, (item, inner) in enumerate(zip(arg, structure)):
        _check_structure(item, inner, f"{where}[{i}]")


def _items(arg: Any) -> list:
    """The numbers (or Values) in ``arg``, depth first."""
    if isinstance(arg, list | tuple):
        return [x for item in arg for x in _items(item)]
    return [arg]


def _flatten(arg: Any) -> list[float]:
    return [x.data if isinstance(x, Value) else float(x) for x in _items(arg)]


def _unflatten(structure: Structure, items):
    if structure is None:
        return next(items)
    return [_unflatten(inner, items) for inner in structure]


def _positions(wrt: int | Sequence[int], n: int) -> list[int]:
    positions = [wrt] if isinstance(wrt, int) else list(wrt)
    for p in positions:
        if not isinstance(p, int) or not 0 <= p < n:
            raise ValueError(f"wrt must name argument positions 0..{n - 1}, got {wrt!r}")
    return positions


def _argument_names(fn: Callable, n: int) -> list[str]:
    """The parameter names of ``fn``, where it has them, else ``x0, x1, ...``.

    A name that the generated code could mistake for one of its own (``v3``,
    ``dv3_0``, ``g_...``, ``check_...``, ``F``) gives way to ``x0, x1, ...``.
    """
    try:
        names = [p.name for p in inspect.signature(fn).parameters.values()][:n]
    except (TypeError, ValueError):
        names = []
    names += [f"x{i}" for i in range(len(names), n)]
    if len(set(names)) < n or any(_GENERATED.match(name) for name in names):
        return [f"x{i}" for i in range(n)]
    return names


_GENERATED = re.compile(r"v\d|dv\d|g_|check_|rule_|_|(F|inf|nan|inputs|forward_backward)$")
"""The start of every name the generated code makes or holds (a fallback ``x0`` never matches)."""


# ---- code generation ----
def _generate(
    output: Value, inputs: dict[Value, str], wanted: list[Value]
) -> tuple[str, dict, str]:
    """The source of ``forward_backward(inputs) -> (value, [gradient of each wanted leaf])``.

    Also its namespace, and for each line of the forward pass the operation it
    computes and the names of that operation's inputs (to say what overflowed),
    one line of text each, ``"exp v3"``: one string rather than a Python object
    per line, which cost the compiled step of the demo a third more time (the
    many small objects it left behind slowed each call's allocation of floats).
    """
    order = topological_order(output)
    leaves = list(inputs)
    names: dict[Value, Any] = dict(inputs)  # a node's variable, or a constant's number
    namespace: dict[str, Any] = {"F": FLOATS, "inf": math.inf, "nan": math.nan}
    forward, derivatives, sites = [], {}, []
    for node in order:
        if node in names:
            continue
        if not node.inputs:  # a constant: a number made inside fn, or a Value from outside
            names[node] = node.data
            continue
        names[node] = f"v{len(derivatives)}"
        lines, derivatives[node] = _inline(node, names, namespace)
        sites += [" ".join([node.op, *(_text(names[inp]) for inp in node.inputs)])] * len(lines)
        forward += lines

    needs_grad = set(wanted)
    for node in order:
        if any(inp in needs_grad for inp in node.inputs):
            needs_grad.add(node)
    backward = [f"g_{names[output]} = 1.0"] if output in needs_grad else []
    assigned = {output}
    for node in reversed(order):
        if node not in needs_grad or not node.inputs:
            continue
        upstream = f"g_{names[node]}"
        for inp, local in zip(node.inputs, derivatives[node]):
            if inp not in needs_grad:
                continue
            contribution = {"1.0": upstream, "-1.0": f"-{upstream}"}.get(local)
            contribution = contribution or f"{upstream} * {local}"
            operator = "+=" if inp in assigned else "="
            assigned.add(inp)
            backward.append(f"g_{names[inp]} {operator} {contribution}")

    inputs_text = ", ".join(names[leaf] for leaf in leaves)
    grads = ", ".join(f"g_{names[leaf]}" if leaf in assigned else "0.0" for leaf in wanted)
    body = [f"({inputs_text},) = inputs", "# forward", *forward, "# backward", *backward]
    body.append(f"return {_text(names[output])}, [{grads}]")
    source = "def forward_backward(inputs):\n" + "".join(f"    {line}\n" for line in body)
    return source, namespace, "\n".join(sites)


FIRST_FORWARD_LINE = 4  # the def, the unpacking of the inputs and "# forward" come first


def _inline(node: Value, names: dict, namespace: dict) -> tuple[list[str], list[str]]:
    """Lines computing ``node`` (after its domain check), and its local derivatives' texts.

    The operation's rule is called on symbols, which writes its math out as
    Python; a rule that cannot be written out (it branches on its inputs in
    Python) is called instead.
    """
    operation = operation_of(node)
    var = names[node]
    args = [names[inp] for inp in node.inputs]  # variable names, or constants' numbers
    lines = []
    if operation.check is not None:
        check = _add(namespace, f"check_{_word(operation.name)}", operation.check)
        lines.append(f"{check}({', '.join(map(_text, args))})")
    try:
        value_text, local_texts = written_out(operation.rule, args, var)
    except NotWritable:  # it is called instead
        rule = _add(namespace, f"rule_{_word(operation.name)}", operation.rule)
        locals_ = [f"d{var}_{i}" for i in range(len(args))]
        arguments = ", ".join(map(_text, args))
        return [*lines, f"{var}, ({', '.join(locals_)},) = {rule}({arguments}, F)"], locals_
    lines.append(f"{var} = {value_text}")
    derivatives = []
    for i, text in enumerate(local_texts):
        if not (text.isidentifier() or _is_number(text)):
            lines.append(f"d{var}_{i} = {text}")
            text = f"d{var}_{i}"
        derivatives.append(text)
    return lines, derivatives


def _add(namespace: dict, name: str, function: Callable) -> str:
    """Put ``function`` in the generated code's namespace (once) and return its name there."""
    for held_as, held in namespace.items():
        if held is function:
            return held_as
    while name in namespace:  # another function under that name: x**-1 and x**-2, say
        name += "_"
    namespace[name] = function
    return name


def _word(operation: str) -> str:
    """An operation's name as part of a Python name: ``log``, ``divide``, ``power``."""
    return operation if operation.isidentifier() else _WORDS.get(operation[:2], "operation")


_WORDS = {"/": "divide", "**": "power", "+": "add", "-": "subtract", "*": "multiply"}


def _text(name_or_number: str | float) -> str:
    return name_or_number if isinstance(name_or_number, str) else number_text(name_or_number)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
