"""The HTML backprop explorer: one self-contained page that steps through both passes.

The page holds everything it needs (SVG frames, styles, script and the numbers
as JSON), so it opens from disk with no server and no network.  Its steps:

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

from .engine import Value
from .explain import Walkthrough, _number, derivative_rule, formula
from .frames import GraphPicture, backward_states, forward_states


def _with_numbers(node: Value) -> str:
    """``formula`` with the inputs' values: ``2.0 * -0.5``, ``tanh(0.8814)``."""
    numbers = {inp: _number(inp.data) for inp in node.inputs}
    return formula(node, numbers)


def forward_caption(walk: Walkthrough, node: Value) -> tuple[str, str]:
    """The line and the explanation of the forward step that computes ``node``."""
    name = walk.names[node]
    if not node.inputs:
        return f"{name} = {_number(node.data)}", f"{name} is a leaf: given, not computed."
    line = f"{name} = {formula(node, walk.names)} = {_with_numbers(node)} = {_number(node.data)}"
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
    grads: dict[Value, list] = {walk.root: [[first_backward, _number(1.0)]]}
    for number, step in enumerate(walk.steps):
        grads.setdefault(step.input, []).append([first_backward + 1 + number, _number(step.total)])
    facts = {}
    for position, node in enumerate(walk.order):
        inputs = [
            {
                "name": walk.names[inp],
                "data": _number(inp.data),
                "local_grad": _number(local),
                "rule": derivative_rule(node.op, index),
            }
            for index, (inp, local) in enumerate(zip(node.inputs, node.local_grads))
        ]
        facts[f"v{position}"] = {
            "name": walk.names[node],
            "label": node.label,
            "op": node.op,
            "formula": formula(node, walk.names) if node.inputs else "",
            "data": _number(node.data),
            "data_step": position,
            "grads": grads.get(node, []),
            "inputs": inputs,
        }
    return facts


def write_explorer(walk: Walkthrough, path: Path, cluster: bool = True) -> Path:
    """Write the explorer page of ``walk`` to ``path`` (creating its folder) and return it."""
    picture = GraphPicture(walk, cluster=cluster)
    states = [*forward_states(walk), *backward_states(walk)]
    captions = [forward_caption(walk, node) for node in walk.order] + backward_captions(walk)
    phases = ["forward"] * len(walk.order) + ["backward"] * (len(walk.steps) + 1)
    data = {
        "frames": [picture.frame(state) for state in states],
        "steps": [
            {"phase": phase, "line": line, "detail": detail}
            for phase, (line, detail) in zip(phases, captions)
        ],
        "nodes": node_facts(walk),
    }
    top = walk.names[walk.root]
    root = walk.root
    subtitle = (
        f"{top} = {formula(root, walk.names) + ' = ' if root.inputs else ''}{_number(root.data)}"
        f"  ·  {len(walk.order)} nodes, {len(walk.steps)} edges"
    )
    web = files("tinygrad_edu") / "web"
    page = Template((web / "explorer.html").read_text(encoding="utf-8")).substitute(
        title=html.escape(top),
        subtitle=html.escape(subtitle),
        style=(web / "explorer.css").read_text(encoding="utf-8"),
        script=(web / "explorer.js").read_text(encoding="utf-8"),
        walkthrough=json.dumps(data).replace("</", "<\\/"),
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page, encoding="utf-8")
    return path
