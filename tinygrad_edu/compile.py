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

Every line is the engine's own rule: ``compile`` reads each rule of ``RULES``
from the engine's source (its ``ast``) and inlines it with the node's names
substituted, so no derivative is written twice.  A rule that is more than one
expression is called instead of inlined.

What is not supported, as in ``jax.jit``: control flow that depends on the
data.  An ``if`` on a Value, a loop whose length depends on a Value, or
``float(v)`` runs once, at tracing time, and its outcome is baked in.  Values
the function reads from outside its arguments are constants of the compiled
code.  (Branches *inside* a rule, such as relu's, are part of the generated
code and stay correct for every input.)
"""

from __future__ import annotations

import ast
import builtins
import inspect
import sys
from collections.abc import Callable, Sequence
from functools import cache, partial
from typing import Any

from .engine import FLOATS, Value, enable_grad, rule_for, topological_order

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
    source, namespace = _generate(output, names, wanted)
    return Compiled(source, namespace, structures, list(positions))


class Compiled:
    """The generated function: ``value, grads = compiled(*args)``; ``.source`` to read it."""

    def __init__(self, source: str, namespace: dict, structures: list, wrt: list[int]) -> None:
        self.source = source
        self.structures = structures
        self.wrt = wrt
        code = builtins.compile(source, "<tinygrad_edu.compile>", "exec")
        exec(code, namespace)  # the generated code reads only numbers and the engine's FLOATS
        self._run = namespace["forward_backward"]

    def __call__(self, *args: Any) -> tuple[float, tuple]:
        """The value of the traced function at ``args`` and its gradients for ``wrt``."""
        if len(args) != len(self.structures):
            raise TypeError(f"compiled for {len(self.structures)} arguments, got {len(args)}")
        flat: list[float] = []
        for i, (arg, structure) in enumerate(zip(args, self.structures)):
            _check_structure(arg, structure, f"argument {i}")
            flat.extend(_flatten(arg))
        value, grads = self._run(flat)
        grads = iter(grads)
        return value, tuple(_unflatten(self.structures[p], grads) for p in self.wrt)


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
    """The parameter names of ``fn``, where it has them, else ``x0, x1, ...``."""
    try:
        names = [p.name for p in inspect.signature(fn).parameters.values()][:n]
    except (TypeError, ValueError):
        names = []
    names += [f"x{i}" for i in range(len(names), n)]
    return names if len(set(names)) == n else [f"x{i}" for i in range(n)]


# ---- code generation ----
def _generate(output: Value, inputs: dict[Value, str], wanted: list[Value]) -> tuple[str, dict]:
    """The source of ``forward_backward(inputs) -> (value, [gradient of each wanted leaf])``."""
    order = topological_order(output)
    leaves = list(inputs)
    names = dict(inputs)
    namespace: dict[str, Any] = {"F": FLOATS}
    forward, derivatives = [], {}
    for node in order:
        if node in names:
            continue
        if not node.inputs:  # a constant: a number made inside fn, or a Value from outside
            finite = node.data - node.data == 0
            names[node] = repr(node.data) if finite else f"float('{node.data}')"
            continue
        names[node] = f"v{len(derivatives)}"
        lines, derivatives[node] = _inline(node, names, namespace)
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

    inputs = ", ".join(names[leaf] for leaf in leaves)
    grads = ", ".join(f"g_{names[leaf]}" if leaf in assigned else "0.0" for leaf in wanted)
    body = [f"({inputs},) = inputs", "# forward", *forward, "# backward", *backward]
    body.append(f"return {names[output]}, [{grads}]")
    source = "def forward_backward(inputs):\n" + "".join(f"    {line}\n" for line in body)
    return source, namespace


def _inline(node: Value, names: dict, namespace: dict) -> tuple[list[str], list[str]]:
    """Lines computing ``node`` and the expressions of its local derivatives."""
    var = names[node]
    args = [names[inp] for inp in node.inputs]
    template = _template(node.op)
    if template is None:  # a rule of several statements: call it
        rule_name = f"rule_{len(namespace)}"
        namespace[rule_name] = rule_for(node.op)
        locals_ = [f"d{var}_{i}" for i in range(len(args))]
        call = f"{var}, ({', '.join(locals_)},) = {rule_name}({', '.join(args)}, F)"
        return [call], locals_
    value, locals_ = template

    def fill(text: str) -> str:
        for i, arg in enumerate(args):
            text = text.replace(f"__{i}__", arg)
        return text.replace("__out__", var)

    lines = [f"{var} = {fill(value)}"]
    derivatives = []
    for i, local in enumerate(locals_):
        text = fill(local)
        if not (text in ("1.0", "-1.0") or text.isidentifier() or _is_number(text)):
            lines.append(f"d{var}_{i} = {text}")
            text = f"d{var}_{i}"
        derivatives.append(text)
    return lines, derivatives


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _substitute(expression: ast.expr, rename: dict[str, str]) -> str:
    class Rename(ast.NodeTransformer):
        def visit_Name(self, name: ast.Name) -> ast.AST:
            return ast.Name(rename.get(name.id, name.id), name.ctx)

    return ast.unparse(Rename().visit(_copy(expression)))


def _copy(tree: ast.AST) -> ast.AST:
    return ast.parse(ast.unparse(tree), mode="eval").body


@cache
def _template(op: str) -> tuple[str, list[str]] | None:
    """A rule as code with holes: (value, [local derivatives]), ``__0__`` for its first input.

    Read from the rule's own source; None when the rule is more than one expression.
    """
    rule = rule_for(op)
    bound: dict[str, str] = {}
    if isinstance(rule, partial):  # x**k: the rule with k filled in
        names = inspect.getfullargspec(rule.func).args
        bound = {name: repr(arg) for name, arg in zip(names, rule.args)}
        rule = rule.func
    tree = _definition(rule)
    if isinstance(tree, ast.FunctionDef):
        if len(tree.body) != 1 or not isinstance(tree.body[0], ast.Return):
            return None
        body = tree.body[0].value
    else:
        body = tree.body
    if not (isinstance(body, ast.Tuple) and len(body.elts) == 2):
        return None
    value, locals_ = body.elts
    if isinstance(value, ast.NamedExpr):  # (out := m.exp(x), (out,)): out is the node itself
        value = value.value
    params = [a.arg for a in tree.args.args if a.arg not in bound]
    holes = bound | {p: f"__{i}__" for i, p in enumerate(params)} | {"m": "F", "out": "__out__"}
    return _substitute(value, holes), [_substitute(e, holes) for e in locals_.elts]


def _definition(func: Callable) -> ast.Lambda | ast.FunctionDef:
    """The ``ast`` of a rule: the lambda or def at its line of the engine's source."""
    module = _module_tree(func.__module__)
    line = func.__code__.co_firstlineno
    for node in ast.walk(module):
        is_rule = isinstance(node, ast.FunctionDef) or (
            isinstance(node, ast.Lambda) and node.args.args[-1].arg == "m"
        )
        if is_rule and node.lineno == line:
            return node
    raise LookupError(f"cannot find the source of the rule {func!r}")


@cache
def _module_tree(module: str) -> ast.Module:
    return ast.parse(inspect.getsource(sys.modules[module]))
