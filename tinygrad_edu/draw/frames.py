"""A graph's picture as a sequence of frames: values appear, gradients fill in, one step at a time.

Graphviz lays the graph out once, with every value and every gradient of the
pass written in; each frame is that same SVG with the numbers not yet known
blanked, the nodes not yet computed faded, and the current step outlined.
One layout for all frames means nothing jumps while a learner clicks through.

A frame of the forward pass at node k shows the data of the first k nodes of
``topological_order(root)``; a frame of the backward pass at edge j shows
every node's data and the gradients as far as the first j edges carried them
(``grad(input) += local * grad(output)``).

A frame is kept as a small description of how it differs from the layout
(``FrameState``, and ``GraphPicture.changes`` for the explorer page), and
made into a whole SVG only when written to a file (``backward_frames``).
"""

from __future__ import annotations

import copy
import os
import xml.etree.ElementTree as ET
from pathlib import Path

from ..engine import Value
from ..files import write_atomically
from ..walkthrough import FrameState, Walkthrough, backward_states
from .graph import draw_dot
from .rendering import pipe
from .style import DEFAULT_MAX_NODES, number

SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
HIGHLIGHT = "#d62728"  # the current step, as draw_dot's highlight
FADED = "0.25"  # opacity of what the forward pass has not computed yet


def _plain_names(svg: ET.Element) -> ET.Element:
    """The SVG with its namespaces written as plain attributes, as Graphviz wrote them.

    ElementTree reads ``<g>`` as ``{http://www.w3.org/2000/svg}g`` and would
    write it back as ``<ns0:g>`` unless a prefix is registered for the whole
    process (``ET.register_namespace``).  Plain names and the ``xmlns``
    attributes on the root write back the SVG unchanged, touching no global state.
    """
    for element in svg.iter():
        element.tag = element.tag.removeprefix(f"{{{SVG}}}")
        for name in [name for name in element.attrib if name.startswith(f"{{{XLINK}}}")]:
            element.set(name.replace(f"{{{XLINK}}}", "xlink:"), element.attrib.pop(name))
    svg.set("xmlns", SVG)
    svg.set("xmlns:xlink", XLINK)
    return svg


class GraphPicture:
    """The SVG of a walkthrough's graph, laid out once, from which frames are made.

    Raises:
        GraphTooLargeError: the graph has more than ``max_nodes`` Values.
    """

    def __init__(
        self, walk: Walkthrough, cluster: bool = True, max_nodes: int = DEFAULT_MAX_NODES
    ) -> None:
        graph = draw_dot(  # each edge's number inside the edge's group, where frames look
            walk.root,
            grads=walk.grads,
            cluster=cluster,
            max_nodes=max_nodes,
            names=walk.names,
            edge_labels="beside",
        )
        self.walk = walk
        self.names = {node: f"v{i}" for i, node in enumerate(walk.order)}  # draw_dot's names
        self.svg_text = pipe(graph, "svg").decode("utf-8")
        self.svg = _plain_names(ET.fromstring(self.svg_text))

    def edge_title(self, output: Value, number_of_input: int) -> str:
        """The SVG title of the edge from ``output``'s input number ``number_of_input``."""
        return f"{self.names[output.inputs[number_of_input]]}->{self.names[output]}_op"

    def changes(self, state: FrameState, before: FrameState | None) -> dict:
        """What differs between the layout's SVG and ``state``, as the explorer's script reads it.

        ``grads``: the grad texts that changed since ``before``; ``outline``: the
        nodes to outline; ``edges``: the edges to outline, as (title, which),
        ``which`` telling the two edges of ``a * a`` apart.  (Which nodes show
        their data the script reads from each node's ``data_step``.)
        """
        earlier = {} if before is None else before.grads
        change: dict = {}
        grads = {
            self.names[node]: number(grad)
            for node, grad in state.grads.items()
            if node not in earlier or earlier[node] != grad
        }
        if grads:
            change["grads"] = grads
        if state.nodes:
            change["outline"] = sorted(self.names[node] for node in state.nodes)
        if state.edges:
            change["edges"] = [[self.edge_title(out, i), i] for out, i in state.edges]
        return change

    def frame(self, state: FrameState) -> str:
        """The SVG text of one frame."""
        svg = copy.deepcopy(self.svg)
        groups = {}
        edges: dict[str, list[ET.Element]] = {}
        for group in svg.iter("g"):
            title = group.find("title")
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
            same = edges[self.edge_title(output, number_of_input)]
            # a * a draws two edges with one title, in the order of the inputs
            _outline(same[number_of_input if len(same) > 1 else 0])
        return ET.tostring(svg, encoding="unicode")

    def _fill_in(self, group: ET.Element, node: Value, state: FrameState) -> None:
        """Blank the data not yet known (and fade the node), write the gradient known so far."""
        texts = list(group.iter("text"))
        data, grad = texts[-2], texts[-1]  # a record's last two fields: data, then grad
        if node not in state.known_data:
            data.text = "data"
            _fade(group)
        shown = state.grads.get(node)
        grad.text = "grad" if shown is None else f"grad {number(shown)}"


def _fade(group: ET.Element) -> None:
    group.set("opacity", FADED)


def _outline(group: ET.Element) -> None:
    for shape in group:
        if shape.tag in ("polygon", "ellipse", "path", "polyline"):
            if shape.get("stroke") not in (None, "none", "transparent"):
                shape.set("stroke", HIGHLIGHT)
                shape.set("stroke-width", "5")
            if shape.tag == "polygon" and group.get("class") == "edge":
                shape.set("fill", HIGHLIGHT)
        elif shape.tag == "text" and group.get("class") == "edge":
            shape.set("fill", HIGHLIGHT)


# ---------------------------------------------------------------- frame files


def backward_frames(
    root: Value,
    folder: str | os.PathLike,
    *,
    cluster: bool = True,
    max_nodes: int = DEFAULT_MAX_NODES,
) -> list[Path]:
    """Write one SVG per edge of ``root``'s backward pass into ``folder``; return the paths.

    Frame j (``step_1.svg``, ``step_2.svg``, …) shows every value, the
    gradients the first j edges have carried (``grad(input) += local ×
    grad(output)``), the others still empty, and edge j in red; all frames
    share one layout, so a teacher can click through them on slides.  The
    pass is replayed on the side: no ``.grad`` changes.  The folder is created
    if needed, and the ``step_*.svg`` files of an earlier run in it are
    removed first, so the folder holds this pass's frames and no others.

    Raises:
        GraphTooLargeError: the graph has more than ``max_nodes`` Values
            (checked before any file is touched).
    """
    from tqdm import tqdm

    walk = Walkthrough.of(root)
    picture = GraphPicture(walk, cluster=cluster, max_nodes=max_nodes) if walk.steps else None
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("step_*.svg"):
        old.unlink()
    if picture is None:
        return []
    states = list(backward_states(walk))[1:]  # one per edge, after the start
    digits = len(str(len(states)))
    paths = []
    for position, state in enumerate(tqdm(states, desc="frames", disable=len(states) < 100), 1):
        path = folder / f"step_{position:0{digits}d}.svg"
        paths.append(write_atomically(path, picture.frame(state)))
    return paths
