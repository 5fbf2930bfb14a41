"""The HTML backprop explorer: one self-contained page that steps through both passes.

The page holds everything it needs (the graph's SVG, styles, script and the
numbers as JSON), so it opens from disk with no server and no network.  The
graph's SVG is in the page once; each step is a small description of what it changes (the
data shown, the gradients filled in, the node or edge outlined), which the
page's script applies.  So the page grows with the size of the graph, not
with the graph times the number of steps.  Its steps:

1. the forward pass, one node at a time in topological order, each value
   appearing with the operation that made it;
2. the start of the backward pass, ∂root/∂root = 1;
3. the backward pass, one edge at a time, in ``backward()``'s order:
   ``d(root)/d(input) += d(root)/d(output) * d(output)/d(input)``.
"""

from __future__ import annotations

import html
import json
from importlib.resources import files
from pathlib import Path
from string import Template

from .checks import is_whole
from .draw import GraphTooLargeError
from .draw.frames import GraphPicture
from .draw.graph import COUNT_LIMIT, count_text, count_values
from .engine import Value
from .files import write_atomically
from .formatting import format_number, format_operand
from .walkthrough import (
    Walkthrough,
    backward_states,
    derivative_rule,
    formula,
    forward_states,
)

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
    return write_explorer(root, Path(path), max_nodes=max_nodes)


def _with_numbers(node: Value) -> str:
    """``formula`` with the inputs' values: ``2.0 * (-0.5)``, ``(-0.5)**2``, ``tanh(-0.8814)``.

    A negative operand is bracketed; a function's argument already is.
    """
    in_call = len(node.inputs) == 1 and node.op != "neg" and not node.op.startswith("**")
    write = format_number if in_call else format_operand
    numbers = {inp: write(inp.data) for inp in node.inputs}
    return formula(node, numbers)


def forward_caption(walk: Walkthrough, node: Value) -> tuple[str, str]:
    """The line and the explanation of the forward step that computes ``node``."""
    name = walk.names[node]
    if not node.inputs:
        return f"{name} = {format_number(node.data)}", f"{name} is a leaf: given, not computed."
    value = format_number(node.data)
    line = f"{name} = {formula(node, walk.names)} = {_with_numbers(node)} = {value}"
    return line, f"The forward pass computes {name} with '{node.op}' from its inputs."


def backward_captions(walk: Walkthrough) -> list[tuple[str, str]]:
    """The line and the explanation of the start and of every edge of the backward pass."""
    top = walk.names[walk.root]
    captions = [
        (
            f"d({top})/d({top}) = 1.0",
            f"The backward pass starts at {top}. Each step carries the gradient one edge "
            "back: d(root)/d(input) += d(root)/d(output) * d(output)/d(input).",
        )
    ]
    for number, (step, (share, count)) in enumerate(zip(walk.steps, walk.shares())):
        detail = f"{walk.why(number)}."
        if count > 1:
            detail += f" Share {share} of {count}: {walk.names[step.input]} is used {count} times."
            if share == count:
                detail += f" Summed: {walk.sum_line(step.input)}."
        captions.append((walk.chain_rule(step), detail))
    return captions


def node_facts(walk: Walkthrough) -> dict[str, dict]:
    """What the inspector shows for each node, keyed by its name in the SVG."""
    first_backward = len(walk.order)  # the index of the backward pass's first step
    grads: dict[Value, list] = {walk.root: [[first_backward, format_number(1.0)]]}
    for number, step in enumerate(walk.steps):
        grad_so_far = [first_backward + 1 + number, format_number(step.total)]
        grads.setdefault(step.input, []).append(grad_so_far)
    appears = {node: step for step, node in enumerate(walk.forward_order)}
    facts = {}
    for position, node in enumerate(walk.order):
        inputs = [
            {
                "name": walk.names[inp],
                "data": format_number(inp.data),
                "local_grad": format_number(local),
                "rule": derivative_rule(node.op, index),
            }
            for index, (inp, local) in enumerate(zip(node.inputs, node.local_grads))
        ]
        facts[f"v{position}"] = {
            "name": walk.names[node],
            "label": node.label,
            "op": node.op,
            "formula": formula(node, walk.names) if node.inputs else "",
            "data": format_number(node.data),
            "data_step": appears[node],  # the forward step that shows its value
            "grads": grads.get(node, []),
            "inputs": inputs,
        }
    return facts


def write_explorer(
    root: Value, path: Path, cluster: bool = True, max_nodes: int = EXPLORER_MAX_NODES
) -> Path:
    """Write the explorer page of ``root``'s graph to ``path`` (creating its folder); return it.

    Raises:
        GraphTooLargeError: the graph has more than ``max_nodes`` Values
            (counted, quickly, before anything is drawn or written).
    """
    if not isinstance(root, Value):
        raise TypeError(f"expected a Value to explain, got {type(root).__name__}")
    if not is_whole(max_nodes) or max_nodes < 1:
        raise ValueError(f"max_nodes must be a whole number >= 1, got {max_nodes!r}")
    count = count_values(root, COUNT_LIMIT)
    if count > max_nodes:
        shown = count_text(count)
        raise GraphTooLargeError(
            f"the explorer shows at most {max_nodes} Values and this graph has {shown}: "
            "explore a smaller graph (an MLP(2, [3, 1]), or one Neuron), "
            f"pass a larger max_nodes (to_html(root, path, max_nodes={count}) if you must), "
            "or draw this one with draw_dot(root, collapse=True)"
        )
    walk = Walkthrough.of(root)
    picture = GraphPicture(walk, cluster=cluster, max_nodes=max_nodes)
    states = [*forward_states(walk), *backward_states(walk)]
    captions = [forward_caption(walk, n) for n in walk.forward_order] + backward_captions(walk)
    phases = ["forward"] * len(walk.order) + ["backward"] * (len(walk.steps) + 1)
    data = {
        "frames": [
            picture.changes(state, states[k - 1] if k else None) for k, state in enumerate(states)
        ],
        "steps": [
            {"phase": phase, "line": line, "detail": detail}
            for phase, (line, detail) in zip(phases, captions)
        ],
        "nodes": node_facts(walk),
    }
    top = walk.names[walk.root]
    root = walk.root
    made = f"{formula(root, walk.names)} = " if root.inputs else ""
    subtitle = (
        f"{top} = {made}{format_number(root.data)}"
        f"  ·  {len(walk.order)} nodes, {len(walk.steps)} edges"
    )
    web = files("tinygrad_edu") / "web"
    page = Template((web / "explorer.html").read_text(encoding="utf-8")).substitute(
        title=html.escape(top),
        subtitle=html.escape(subtitle),
        graph=picture.svg_text[picture.svg_text.index("<svg") :],
        style=(web / "explorer.css").read_text(encoding="utf-8"),
        script=(web / "explorer.js").read_text(encoding="utf-8"),
        walkthrough=script_json(data),
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_atomically(path, page)


def script_json(data: object) -> str:
    """``data`` as JSON that is safe inside a ``<script>`` element.

    Every ``<`` is written ``\\u003c``: JSON reads it back as ``<``, while the
    HTML parser never sees a ``</script>``, ``<!--`` or ``<script`` that would end
    or derail the element early (a label may hold any text).
    """
    return json.dumps(data).replace("<", "\\u003c")
