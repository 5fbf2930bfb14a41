"""The passes as data: the names, steps and states that explain, frames and the explorer read.

A ``Walkthrough`` of a graph holds its nodes in topological order, a short
name for each, and the backward pass replayed on the side (``BackwardStep`` s,
one per edge), so that nothing here changes a ``.grad``.  A ``FrameState`` is
what one moment of a pass shows: which values are known, which gradients have
arrived, and the node or edge of the current step.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from .accumulation import Accumulation
from .engine import BackwardStep, Value, backward_pass, operation_of, topological_order
from .formatting import format_number, format_operand
from .ops import operation


def derivative_rule(op: str | Value, index: int = 0) -> str:
    """The text of an operation's local derivative with respect to its input number ``index``.

    From the operation's record in the table: ``derivative_rule("*", 1) ==
    "d(a*b)/db = a"``; a constant power reads ``d(x**3)/dx = 3*x**2``.  Given
    a node, the record of the operation that made it (even one defined again since).
    """
    record = operation_of(op) if isinstance(op, Value) else operation(op)
    return record.derivative_text[index]


def in_names(node: Value, index: int, names: dict[Value, str]) -> str:
    """``derivative_rule(node, index)`` with its placeholders (x, or a and b) as ``names`` has them.

    ``d(a*b)/db = a`` for ``n = x * w1`` reads ``d(x*w1)/dw1 = x``; a name with an
    operator in it is bracketed, ``d((y-1)**2)/d(y-1) = 2*(y-1)``.  Names longer
    than ``SHORT_NAME`` (a model's ``layers.0.neurons.2.z``) leave the rule as
    the table writes it, which then reads more easily.
    """
    text = derivative_rule(node, index)
    if any(len(names[inp]) > SHORT_NAME for inp in node.inputs):
        return text
    placeholders = ["x"] if len(node.inputs) == 1 else ["a", "b"]
    raw = {p: names[inp] for p, inp in zip(placeholders, node.inputs)}

    def named(found: re.Match) -> str:
        wrt, placeholder = found[1], found[2]
        if wrt:  # the dx of d(...)/dx
            return f"d{raw[wrt]}" if raw[wrt].isidentifier() else f"d({raw[wrt]})"
        return _bracketed(raw[placeholder]) if placeholder in raw else placeholder

    return _PLACEHOLDER.sub(named, text)  # in one pass: no name is replaced twice


SHORT_NAME = 10
"""The longest name ``in_names`` writes into a rule."""


def _bracketed(name: str) -> str:
    """``name`` as an operand: bracketed when it holds an operator (``(x*w)``, ``(-0.5)``)."""
    whole = _SIMPLE.fullmatch(name) or (name.startswith("(") and name.endswith(")"))
    return name if whole else f"({name})"


_SIMPLE = re.compile(r"[\w.\[\],#]+")  # x, 2.0, layers.0.neurons.1.w.0, w[1][0,2], v#3
_PLACEHOLDER = re.compile(r"(?<=/)d([abx])\b|\b([abx])\b")  # the dx of d(x**2)/dx, and x


def node_names(order: list[Value]) -> dict[Value, str]:
    """A name for every node: its label, or ``v<i>`` (its topological position) without one.

    A label that several nodes share gets ``#<i>`` appended, so names stay unique.
    """
    label_counts = Counter(node.label for node in order if node.label)
    names = {}
    for position, node in enumerate(order):
        if not node.label:
            names[node] = f"v{position}"
        elif label_counts[node.label] > 1:
            names[node] = f"{node.label}#{position}"
        else:
            names[node] = node.label
    return names


def formula(node: Value, names: dict[Value, str]) -> str:
    """How ``node`` was computed, with names: ``x * w1``, ``tanh(n)``, ``v3**2``, ``f(a, b)``."""
    inputs = [names[inp] for inp in node.inputs]
    if len(inputs) == 2 and not node.op.isidentifier():
        return f"{inputs[0]} {node.op} {inputs[1]}"
    if node.op.startswith("**"):
        return f"{_bracketed(inputs[0])}{node.op}"
    if node.op == "neg":
        return f"-{_bracketed(inputs[0])}"
    return f"{node.op}({', '.join(inputs)})"


def replay_backward(root: Value) -> list[BackwardStep]:
    """The steps of ``root.backward_steps()``, with every ``.grad`` left as it was.

    The engine's own pass, run with no hook called; each node's ``.grad`` is
    put back afterwards, so the graph ends as it began.  So it may run while
    another pass is paused (at a debugger's prompt, in a hook), which then
    goes on with its gradients as they were.
    """
    order = topological_order(root)
    saved = [node.grad for node in order]
    try:
        with Accumulation.aside():
            return list(backward_pass(root, call_hooks=False))
    finally:
        for node, grad in zip(order, saved):
            node.grad = grad


@dataclass(frozen=True)
class Walkthrough:
    """Everything one needs to tell a graph's story: its nodes, names and backward steps."""

    root: Value
    order: list[Value]
    names: dict[Value, str]
    steps: list[BackwardStep]
    input_indices: list[int]  # for each step, which input of its operation it is (0 or 1)
    grads: dict[Value, float]  # ∂root/∂node for every node, as this pass computes it
    share_counts: dict[Value, int]  # how many edges bring a gradient into each node

    @classmethod
    def of(cls, root: Value) -> Walkthrough:
        """Replay ``root``'s backward pass and name its nodes."""
        if not isinstance(root, Value):
            raise TypeError(f"expected a Value to explain, got {type(root).__name__}")
        order = topological_order(root)
        steps = replay_backward(root)
        indices = [i for node in reversed(order) for i in range(len(node.inputs))]
        grads = {node: 0.0 for node in order}
        grads[root] = 1.0
        for step in steps:
            grads[step.input] = step.total
        shares = Counter(step.input for step in steps)
        return cls(root, order, node_names(order), steps, indices, grads, shares)

    @property
    def forward_order(self) -> list[Value]:
        """The nodes in an order a learner computes them: each operation after its
        inputs (as in ``order``), and each leaf just before its first use, so that
        a network's story starts at its inputs rather than at a far-away bias."""
        placed: set[Value] = set()
        story: list[Value] = []
        for node in self.order:
            if not node.inputs:
                continue
            for leaf in node.inputs:
                if not leaf.inputs and leaf not in placed:
                    placed.add(leaf)
                    story.append(leaf)
            story.append(node)
        return story or list(self.order)  # a lone leaf is its own story

    def rule_of(self, number: int) -> str:
        """The derivative rule of step ``number`` (from 0), in the graph's own names.

        The table's text with the operation's inputs named as this node's are:
        for ``n = x * w1``, ``d(a*b)/db = a`` reads ``d(x*w1)/dw1 = x``.
        """
        output = self.steps[number].output
        return in_names(output, self.input_indices[number], self.names)

    def chain_rule(self, step: BackwardStep) -> str:
        """``d(L)/d(w) += d(L)/d(n) * d(n)/d(w) = 0.5 * 2.0 = 1.0``."""
        top, out, inp = (self.names[v] for v in (self.root, step.output, step.input))
        return (
            f"d({top})/d({inp}) += d({top})/d({out}) * d({out})/d({inp}) = "
            f"{format_operand(step.upstream)} * {format_operand(step.local_grad)} = "
            f"{format_number(step.contribution)}"
        )

    def why(self, number: int) -> str:
        """Step ``number``'s operation and rule: ``n = x * w1; d(x*w1)/dw1 = x``."""
        return f"{self.made(number)}; {self.rule_of(number)}"

    def made(self, number: int) -> str:
        """How the output of step ``number`` was computed: ``n = x * w1``."""
        output = self.steps[number].output
        return f"{self.names[output]} = {formula(output, self.names)}"

    def shares(self) -> list[tuple[int, int]]:
        """For each step: (which share it is, how many shares its input receives)."""
        seen: Counter[Value] = Counter()
        result = []
        for step in self.steps:
            seen[step.input] += 1
            result.append((seen[step.input], self.share_counts[step.input]))
        return result

    def sum_line(self, node: Value) -> str:
        """``d(L)/d(a) = 6.0 + 2.0 = 8.0``: a reused node's gradient as the sum of its shares."""
        parts = [format_operand(s.contribution) for s in self.steps if s.input is node]
        top = self.names[self.root]
        total = format_number(self.grads[node])
        return f"d({top})/d({self.names[node]}) = {' + '.join(parts)} = {total}"


@dataclass
class FrameState:
    """What one frame shows: known data, gradients so far, and the current step.

    ``known_data`` is the nodes the forward pass has computed so far, in the
    walkthrough's forward order (all of them during the backward pass).
    """

    known_data: set[Value]
    grads: dict[Value, float]  # the gradient shown so far; nodes missing show an empty grad
    nodes: set[Value] = field(default_factory=set)  # outlined Values (and their operation)
    edges: list[tuple[Value, int]] = field(default_factory=list)  # (output, input number)


def forward_states(walk: Walkthrough) -> Iterator[FrameState]:
    """One state per node, in ``walk.forward_order``: its value appears, made by its operation."""
    order = walk.forward_order
    for k, node in enumerate(order):
        yield FrameState(set(order[: k + 1]), {}, nodes={node})


def backward_states(walk: Walkthrough) -> Iterator[FrameState]:
    """The start, then one state per edge, gradients filled in so far.

    The start is the root's gradient as the walkthrough has it: ∂root/∂root = 1
    for a whole graph's, ∂L/∂a (arriving from the layers above) for one
    neuron's part of a network's pass.
    """
    known = set(walk.order)
    grads = {walk.root: walk.grads[walk.root]}
    yield FrameState(known, dict(grads), nodes={walk.root})
    for step, index in zip(walk.steps, walk.input_indices):
        grads[step.input] = step.total
        yield FrameState(known, dict(grads), edges=[(step.output, index)])
