"""Backpropagation told step by step: the chain rule of every edge, in real numbers.

``explain(root)`` writes the backward pass as text, one line per edge, in the
order ``backward()`` takes them::

    d(L)/d(w1) += d(L)/d(n) * d(n)/d(w1) = 0.5 * 2.0 = 1.0    [n = x * w1; d(a*b)/db = a]

``to_html(root, path)`` writes the same story, forward pass first, as one
self-contained page to click through (see ``tinygrad_edu.explorer``).

Nothing here changes the graph: the pass is replayed on the side, so the
Values' ``.grad`` s, and any hooks registered on them, are left alone.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .engine import BackwardStep, Value, topological_order
from .formatting import format_number, format_operand

# How each operation's local derivative reads, one line per input (a, b or x).
DERIVATIVE_RULES: dict[str, tuple[str, ...]] = {
    "+": ("d(a+b)/da = 1", "d(a+b)/db = 1"),
    "-": ("d(a-b)/da = 1", "d(a-b)/db = -1"),
    "*": ("d(a*b)/da = b", "d(a*b)/db = a"),
    "/": ("d(a/b)/da = 1/b", "d(a/b)/db = -a/b**2"),
    "**": ("d(a**b)/da = b*a**(b-1)", "d(a**b)/db = a**b*log(a)"),
    "neg": ("d(-x)/dx = -1",),
    "abs": ("d(abs(x))/dx = sign(x)",),
    "exp": ("d(exp(x))/dx = exp(x)",),
    "log": ("d(log(x))/dx = 1/x",),
    "tanh": ("d(tanh(x))/dx = 1 - tanh(x)**2",),
    "sigmoid": ("d(sigmoid(x))/dx = sigmoid(x)*(1 - sigmoid(x))",),
    "relu": ("d(relu(x))/dx = 1 if x > 0 else 0",),
    "sin": ("d(sin(x))/dx = cos(x)",),
    "cos": ("d(cos(x))/dx = -sin(x)",),
    "sqrt": ("d(sqrt(x))/dx = 1/(2*sqrt(x))",),
}


def derivative_rule(op: str, index: int = 0) -> str:
    """The rule of ``op``'s local derivative with respect to its input number ``index``.

    ``derivative_rule("*", 1) == "d(a*b)/db = a"``; a constant power ``"**k"``
    reads ``d(x**k)/dx = k*x**(k-1)`` with k filled in.
    """
    if op in DERIVATIVE_RULES:
        return DERIVATIVE_RULES[op][index]
    if op.startswith("**"):
        k = float(op[2:])
        power = format_number(k - 1).removesuffix(".0")
        k_text = format_number(k).removesuffix(".0")
        slope = "1" if k == 1 else f"{k_text}*x" if k == 2 else f"{k_text}*x**{power}"
        return f"d(x**{k_text})/dx = {slope}"
    raise KeyError(f"no derivative rule for operation {op!r}")


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
    """How ``node`` was computed, with names: ``x * w1``, ``tanh(n)``, ``v3**2``."""
    inputs = [names[inp] for inp in node.inputs]
    if len(inputs) == 2:
        return f"{inputs[0]} {node.op} {inputs[1]}"
    if node.op.startswith("**"):
        return f"{inputs[0]}{node.op}"
    if node.op == "neg":
        return f"-{inputs[0]}"
    return f"{node.op}({inputs[0]})"


def replay_backward(root: Value) -> list[BackwardStep]:
    """The steps of ``root.backward_steps()``, computed without touching any ``.grad``.

    The same chain rule in the same order: ∂root/∂root = 1, then for each node
    in reverse topological order and each of its inputs,
    ``total[input] += local_grad * upstream``. Hooks are not called.
    """
    order = topological_order(root)
    totals = {node: 0.0 for node in order}
    totals[root] = 1.0
    steps = []
    for node in reversed(order):
        upstream = totals[node]
        for inp, local in zip(node.inputs, node.local_grads):
            contribution = local * upstream
            totals[inp] += contribution
            steps.append(BackwardStep(node, inp, upstream, local, contribution, totals[inp]))
    return steps


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
        """The derivative rule of step ``number`` (from 0): ``d(a*b)/db = a``."""
        return derivative_rule(self.steps[number].output.op, self.input_indices[number])

    def chain_rule(self, step: BackwardStep) -> str:
        """``d(L)/d(w) += d(L)/d(n) * d(n)/d(w) = 0.5 * 2.0 = 1.0``."""
        top, out, inp = (self.names[v] for v in (self.root, step.output, step.input))
        return (
            f"d({top})/d({inp}) += d({top})/d({out}) * d({out})/d({inp}) = "
            f"{format_operand(step.upstream)} * {format_operand(step.local_grad)} = "
            f"{format_number(step.contribution)}"
        )

    def why(self, number: int) -> str:
        """Step ``number``'s operation and rule: ``n = x * w1; d(a*b)/db = a``."""
        output = self.steps[number].output
        return f"{self.names[output]} = {formula(output, self.names)}; {self.rule_of(number)}"

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


EXPLAIN_MAX_EDGES = 2000
"""The most edges (lines) ``explain`` writes: one sample through an MLP(2, [16, 16, 1]) has 1,248.

The loss of a whole batch has a hundred times as many, more than anyone reads.
"""

LINE_WIDTH = 120
"""The width ``explain`` keeps its lines within, wrapping an edge over several lines if need be."""


def explain(root: Value, *, max_edges: int = EXPLAIN_MAX_EDGES, width: int = LINE_WIDTH) -> str:
    """The backward pass of ``root`` as text: the chain rule of each edge, in real numbers.

    One line per edge, in ``backward_steps()`` order::

        d(L)/d(input) += d(L)/d(output) * d(output)/d(input) = upstream * local = contribution

    followed by the operation and its derivative rule in brackets.  A node that
    feeds several operations gets one share per edge, marked ``(share i of n)``,
    and after its last share a line adding them up.  Labels name the nodes;
    unlabelled ones are ``v<i>`` by topological position, listed at the top with
    what they hold.  No ``.grad`` changes.

    Lines stay within ``width`` characters: an edge whose line would be longer
    (long labels such as ``layers.0.neurons.2.out``) is written over several
    lines, its chain rule, its numbers and its rule each starting a line.

    Raises:
        TypeError: ``root`` is not a Value.
        ValueError: the graph has more than ``max_edges`` edges (checked first,
            quickly): explain a smaller graph, or pass a larger ``max_edges``.
    """
    if not isinstance(root, Value):
        raise TypeError(f"expected a Value to explain, got {type(root).__name__}")
    _check_size(root, max_edges)
    walk = Walkthrough.of(root)
    top = walk.names[root]
    lines = _wrapped(
        [
            f"Backward pass of {top} = {format_number(root.data)}:",
            f"{len(walk.steps):,} edge{'' if len(walk.steps) == 1 else 's'},",
            "in the order backward() takes them.",
        ],
        "",
        width,
    )
    unnamed = [node for node in walk.order if not node.label]
    if unnamed:
        meanings = [
            f"{walk.names[n]} = {formula(n, walk.names) if n.inputs else format_number(n.data)}"
            for n in unnamed
        ]
        pieces = ["Unlabelled nodes:"] + [f"{m}," for m in meanings[:-1]] + meanings[-1:]
        lines += _wrapped(pieces, "  ", width)
    lines.append(f"d({top})/d({top}) = 1.0 (the start)")
    if not walk.steps:
        lines.append(f"{top} is a leaf: there is nothing to propagate.")
        return "\n".join(lines)
    number_width = len(str(len(walk.steps)))
    indent = " " * (number_width + 2)
    chains = [walk.chain_rule(step) for step in walk.steps]
    shares = walk.shares()
    notes = [
        f"[{walk.why(number)}]" + (f" (share {share} of {count})" if count > 1 else "")
        for number, (share, count) in enumerate(shares)
    ]
    fits = [number_width + 2 + len(c) + 2 + len(n) <= width for c, n in zip(chains, notes)]
    aligned = max((len(c) for c, fit in zip(chains, fits) if fit), default=0)
    for number, (step, (share, count)) in enumerate(zip(walk.steps, shares)):
        head = f"{number + 1:>{number_width}}. "
        line = f"{head}{chains[number].ljust(aligned)}  {notes[number]}"
        if len(line) > width and fits[number]:  # it fits, but not aligned with the others
            line = f"{head}{chains[number]}  {notes[number]}"
        if len(line) <= width:
            lines.append(line)
        else:  # too long for one line: the chain rule, then the rule, over several
            lines += _wrapped_edge(head, walk, number, (share, count), width)
        if count > 1 and share == count:
            used = f"({walk.names[step.input]} is used {count} times: its shares add up)"
            total = walk.sum_line(step.input).replace(" + ", " +\0").split("\0")
            lines += _wrapped([indent + total[0], *total[1:], " " + used], indent + "  ", width)
    return "\n".join(lines)


def _check_size(root: Value, max_edges: int) -> None:
    """Refuse, before any work, a graph with more than ``max_edges`` edges to explain."""
    if isinstance(max_edges, bool) or not isinstance(max_edges, int) or max_edges < 1:
        raise ValueError(f"max_edges must be a whole number >= 1, got {max_edges!r}")
    edges = sum(len(node.inputs) for node in topological_order(root))
    if edges > max_edges:
        raise ValueError(
            f"explain writes one line per edge, and this graph has {edges:,} edges, more than "
            f"max_edges={max_edges:,}: explain a smaller graph (one sample rather than a "
            f"whole batch), or pass max_edges={edges} to write every line"
        )


def _wrapped_edge(
    head: str, walk: Walkthrough, number: int, share: tuple[int, int], width: int
) -> list[str]:
    """Edge ``number``'s entry over several lines: its chain rule, broken before ``+=``,
    ``*`` and ``=``, then its operation and rule on lines of their own."""
    step = walk.steps[number]
    top, out, inp = (walk.names[v] for v in (walk.root, step.output, step.input))
    indent = " " * len(head) + "  "
    equation = [
        f"{head}d({top})/d({inp})",
        f"+= d({top})/d({out})",
        f"* d({out})/d({inp})",
        f"= {format_operand(step.upstream)} * {format_operand(step.local_grad)}",
        f"= {format_number(step.contribution)}",
    ]
    formula_text, rule = walk.why(number).split("; ")
    note = [f"{indent}[{formula_text};", f"{rule}]"]
    if share[1] > 1:
        note.append(f"(share {share[0]} of {share[1]})")
    return _wrapped(equation, indent, width) + _wrapped(note, indent + "  ", width)


def _wrapped(pieces: list[str], indent: str, width: int) -> list[str]:
    """``pieces`` joined by spaces into lines of at most ``width`` characters where possible.

    A piece is never broken; a line that is full goes on with the next piece on
    a new line, after ``indent``.
    """
    lines = [pieces[0]]
    for piece in pieces[1:]:
        if len(lines[-1]) + 1 + len(piece) <= width:
            lines[-1] += " " + piece
        else:
            lines.append(indent + piece)
    return lines


EXPLORER_MAX_NODES = 150
"""The most Values ``to_html`` shows: an MLP 2,4,4,1 has 103.

Beyond that the graph no longer fits a screen in readable type, and stepping
through its hundreds of edges one at a time teaches little that a smaller
graph does not.
"""


def to_html(root: Value, path: str | Path, *, max_nodes: int = EXPLORER_MAX_NODES) -> Path:
    """Write the HTML backprop explorer of ``root`` to ``path`` and return the path.

    One self-contained page (the graph, styles and script inside; no network):
    the forward pass node by node, then the backward pass edge by edge, with
    a slider, Previous/Next buttons and arrow keys, the chain-rule line of the
    current step, and an inspector for any node clicked.  The page holds the
    graph's picture once and a few numbers per step, so it stays small
    (about 275 kB for an MLP 2,4,4,1).

    Raises:
        GraphTooLargeError: the graph has more than ``max_nodes`` Values
            (``EXPLORER_MAX_NODES`` by default); checked before anything is written.
    """
    from .explorer import write_explorer

    return write_explorer(root, Path(path), max_nodes=max_nodes)
