"""The node-level view: a graph's every Value and operation, both passes told node by node.

Its steps:

1. the forward pass, one node at a time in the walkthrough's forward order,
   each value appearing with the operation that made it;
2. the start of the backward pass, ∂root/∂root = 1;
3. the backward pass, one edge at a time, in ``backward()``'s order:
   ``d(root)/d(input) += d(root)/d(output) * d(output)/d(input)``.

The graph's SVG is in the page once (once per layout direction); each step is
a small description of what it changes (the gradients filled in, the node or
edge outlined), which the page's script applies.  So the page grows with the
size of the graph, not with the graph times the number of steps.
"""

from __future__ import annotations

from ..draw.frames import GraphPicture
from ..engine import Value
from ..formatting import format_number, format_operand
from ..walkthrough import (
    Walkthrough,
    backward_states,
    derivative_rule,
    formula,
    forward_states,
)

NODE_VIEW_DIRECTIONS = ("LR", "TB")  # both are laid out; the page shows the one that fits best


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
    grads: dict[Value, list] = {walk.root: [[first_backward, format_number(walk.grads[walk.root])]]}
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
                "rule": derivative_rule(node, index),
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


def graph_view(
    walk: Walkthrough,
    pictures: list[GraphPicture],
    captions: list[tuple[str, str]] | None = None,
) -> tuple[dict, list[str]]:
    """The page's data for a node-level view of ``walk``, and the SVG of each picture.

    Its steps are ``walk``'s story: the forward pass node by node, then the
    backward pass edge by edge, from the root's gradient as ``walk`` has it.
    ``captions`` default to that story's; a neuron's view passes its own.
    """
    states = [*forward_states(walk), *backward_states(walk)]
    if captions is None:
        captions = [forward_caption(walk, n) for n in walk.forward_order] + backward_captions(walk)
    phases = ["forward"] * len(walk.order) + ["backward"] * (len(states) - len(walk.order))
    picture = pictures[0]  # all pictures name their nodes alike; one describes the changes
    data = {
        "kind": "graph",
        "frames": [
            picture.changes(state, states[k - 1] if k else None) for k, state in enumerate(states)
        ],
        "steps": [
            {"phase": phase, "lines": [line], "detail": detail}
            for phase, (line, detail) in zip(phases, captions)
        ],
        "nodes": node_facts(walk),
    }
    return data, [p.svg_text[p.svg_text.index("<svg") :] for p in pictures]
