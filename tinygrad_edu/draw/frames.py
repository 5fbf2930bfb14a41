"""A graph's picture as a sequence of frames: values appear, gradients fill in, one step at a time.

Graphviz lays the graph out once, with every value and every gradient of the
pass written in; each frame is that same SVG with the numbers not yet known
blanked, the nodes not yet computed faded, and the current step outlined.
One layout for all frames means nothing jumps while a learner clicks through.

A frame of the forward pass at node k shows the data of the first k nodes of
``topological_order(root)``; a frame of the backward pass at edge j shows
every node's data and the gradients as far as the first j edges carried them
(``grad(input) += local * grad(output)``).
"""

from __future__ import annotations

import copy
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field

from .draw import draw_dot, number
from .engine import Value
from .explain import Walkthrough

SVG = "http://www.w3.org/2000/svg"
ET.register_namespace("", SVG)
ET.register_namespace("xlink", "http://www.w3.org/1999/xlink")

HIGHLIGHT = "#d62728"  # the current step, as draw_dot's highlight
FADED = "0.25"  # opacity of what the forward pass has not computed yet


@dataclass
class FrameState:
    """What one frame shows: known data, gradients so far, and the current step."""

    known_data: set[Value]
    grads: dict[Value, float]  # the gradient shown so far; nodes missing show an empty grad
    nodes: set[Value] = field(default_factory=set)  # outlined Values (and their operation)
    edges: list[tuple[Value, int]] = field(default_factory=list)  # (output, input number)


def _tag(name: str) -> str:
    return f"{{{SVG}}}{name}"


class GraphPicture:
    """The SVG of a walkthrough's graph, laid out once, from which frames are made."""

    def __init__(self, walk: Walkthrough, cluster: bool = True) -> None:
        graph = draw_dot(walk.root, grads=walk.grads, cluster=cluster, max_nodes=len(walk.order))
        self.walk = walk
        self.names = {node: f"v{i}" for i, node in enumerate(walk.order)}  # draw_dot's names
        self.svg = ET.fromstring(graph.pipe(format="svg"))

    def frame(self, state: FrameState) -> str:
        """The SVG text of one frame."""
        svg = copy.deepcopy(self.svg)
        groups = {}
        edges: dict[str, list[ET.Element]] = {}
        for group in svg.iter(_tag("g")):
            title = group.find(_tag("title"))
            if title is None:
                continue
            if group.get("class") == "node":
                groups[title.text] = group
            elif group.get("class") == "edge":
                edges.setdefault(title.text, []).append(group)
        for node, name in self.names.items():
            self._fill_in(groups[name], node, state)
            if node.op and node not in state.known_data:
                _fade(groups[f"{name}_op"])
                for edge in edges.get(f"{name}_op->{name}", []):
                    _fade(edge)
                for inp in set(node.inputs):
                    for edge in edges.get(f"{self.names[inp]}->{name}_op", []):
                        _fade(edge)
        for node in state.nodes:
            _outline(groups[self.names[node]])
            if node.op:
                _outline(groups[f"{self.names[node]}_op"])
        for output, number_of_input in state.edges:
            inp = output.inputs[number_of_input]
            same = edges[f"{self.names[inp]}->{self.names[output]}_op"]
            # a * a draws two edges with one title, in the order of the inputs
            _outline(same[number_of_input if len(same) > 1 else 0])
        return ET.tostring(svg, encoding="unicode")

    def _fill_in(self, group: ET.Element, node: Value, state: FrameState) -> None:
        texts = list(group.iter(_tag("text")))
        data = [t for t in texts if (t.text or "").startswith("data ")]
        grad = [t for t in texts if (t.text or "").startswith("grad")]
        if data and node not in state.known_data:
            data[-1].text = "data"
            _fade(group)
        if grad:
            shown = state.grads.get(node)
            grad[-1].text = "grad" if shown is None else f"grad {number(shown)}"


def _fade(group: ET.Element) -> None:
    group.set("opacity", FADED)


def _outline(group: ET.Element) -> None:
    for shape in group:
        if shape.tag in (_tag("polygon"), _tag("ellipse"), _tag("path"), _tag("polyline")):
            if shape.get("stroke") not in (None, "none", "transparent"):
                shape.set("stroke", HIGHLIGHT)
                shape.set("stroke-width", "5")
            if shape.tag == _tag("polygon") and group.get("class") == "edge":
                shape.set("fill", HIGHLIGHT)
        elif shape.tag == _tag("text") and group.get("class") == "edge":
            shape.set("fill", HIGHLIGHT)


def forward_states(walk: Walkthrough) -> Iterator[FrameState]:
    """One state per node of ``topological_order``: its value appears, made by its operation."""
    for k, node in enumerate(walk.order):
        yield FrameState(set(walk.order[: k + 1]), {}, nodes={node})


def backward_states(walk: Walkthrough) -> Iterator[FrameState]:
    """The start (∂root/∂root = 1), then one state per edge, gradients filled in so far."""
    known = set(walk.order)
    grads = {walk.root: 1.0}
    yield FrameState(known, dict(grads), nodes={walk.root})
    for step, index in zip(walk.steps, walk.input_indices):
        grads[step.input] = step.total
        yield FrameState(known, dict(grads), edges=[(step.output, index)])
