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
made into a whole SVG only when written to a file (``backward_frames``), as a
slide: 1,920 × 1,080 pixels unless told, its smallest text at least 14
pixels, in the layout direction that fits the slide's shape (``slides``).
"""

from __future__ import annotations

import copy
import os
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path

import graphviz

from ..engine import Value
from ..files import write_atomically
from ..walkthrough import FrameState, Walkthrough, backward_states
from .graph import draw_dot
from .network import Network
from .network_picture import best_picture
from .rendering import pipe
from .slides import SLIDE, SLIDE_TEXT, check_size, fit, fit_scale
from .style import COLOURS, DEFAULT_MAX_NODES, FADED, SVG_NAMESPACE, number

XLINK = "http://www.w3.org/1999/xlink"
HIGHLIGHT = COLOURS["highlight"]  # the current step, as draw_dot's highlight


def _plain_names(svg: ET.Element) -> ET.Element:
    """The SVG with its namespaces written as plain attributes, as Graphviz wrote them.

    ElementTree reads ``<g>`` as ``{http://www.w3.org/2000/svg}g`` and would
    write it back as ``<ns0:g>`` unless a prefix is registered for the whole
    process (``ET.register_namespace``).  Plain names and the ``xmlns``
    attributes on the root write back the SVG unchanged, touching no global state.
    """
    for element in svg.iter():
        element.tag = element.tag.removeprefix(f"{{{SVG_NAMESPACE}}}")
        for name in [name for name in element.attrib if name.startswith(f"{{{XLINK}}}")]:
            element.set(name.replace(f"{{{XLINK}}}", "xlink:"), element.attrib.pop(name))
    svg.set("xmlns", SVG_NAMESPACE)
    svg.set("xmlns:xlink", XLINK)
    return svg


def edge_title(names: dict[Value, str], output: Value, number_of_input: int) -> str:
    """The SVG title of the edge into ``output``'s operation from its input ``number_of_input``:
    ``v1->v3_op``, with ``names`` the SVG's names of the nodes (``v3``; its operation ``v3_op``)."""
    return f"{names[output.inputs[number_of_input]]}->{names[output]}_op"


def frame_changes(names: dict[Value, str], state: FrameState, before: FrameState | None) -> dict:
    """What differs between a picture's SVG and ``state``, as the explorer's script reads it.

    ``grads``: the grad texts that changed since ``before``; ``outline``: the
    nodes to outline; ``edges``: the edges to outline, as (title, which),
    ``which`` telling the two edges of ``a * a`` apart.  (Which nodes show
    their data the script reads from each node's ``data_step``.)  ``names`` are
    the SVG's names of the nodes, as ``edge_title`` takes them.
    """
    earlier = {} if before is None else before.grads
    change: dict = {}
    grads = {
        names[node]: number(grad)
        for node, grad in state.grads.items()
        if node not in earlier or earlier[node] != grad
    }
    if grads:
        change["grads"] = grads
    if state.nodes:
        change["outline"] = sorted(names[node] for node in state.nodes)
    if state.edges:
        change["edges"] = [[edge_title(names, out, i), i] for out, i in state.edges]
    return change


class GraphPicture:
    """The SVG of a walkthrough's graph, laid out once, from which frames are made.

    Raises:
        GraphTooLargeError: the graph has more than ``max_nodes`` Values.
    """

    def __init__(
        self,
        walk: Walkthrough,
        cluster: bool = True,
        max_nodes: int = DEFAULT_MAX_NODES,
        *,
        rankdir: str = "LR",
        compact: bool = False,
        parameters: Iterable[Value] = (),
        arrange: Callable[[graphviz.Digraph, dict[Value, str]], None] | None = None,
    ) -> None:
        """Lay out ``walk``'s graph as ``draw_dot`` draws it, in direction ``rankdir``.

        ``compact``: tighter spacing and all text one size (the labels' 12 points);
        ``parameters``: Values to colour as parameters; ``arrange``: a function
        given the graph and each Value's DOT name, that adds layout constraints
        (which nodes share a rank) before Graphviz lays it out.
        """
        graph = draw_dot(  # each edge's number inside the edge's group, where frames look
            walk.root,
            grads=walk.grads,
            cluster=cluster,
            max_nodes=max_nodes,
            names=walk.names,
            rankdir=rankdir,
            parameters=parameters,
            edge_labels="beside",
        )
        if compact:
            _compact(graph)
        if arrange is not None:
            arrange(graph, {node: f"v{i}" for i, node in enumerate(walk.order)})
        self.walk = walk
        self.names = {node: f"v{i}" for i, node in enumerate(walk.order)}  # draw_dot's names
        self.svg_text = pipe(graph, "svg").decode("utf-8")
        self.svg = _plain_names(ET.fromstring(self.svg_text))

    def edge_title(self, output: Value, number_of_input: int) -> str:
        """The SVG title of the edge from ``output``'s input number ``number_of_input``."""
        return edge_title(self.names, output, number_of_input)

    def changes(self, state: FrameState, before: FrameState | None) -> dict:
        """What differs between the layout's SVG and ``state`` (``frame_changes``)."""
        return frame_changes(self.names, state, before)

    def frame(self, state: FrameState, size: tuple[int, int] | None = None) -> str:
        """The SVG text of one frame; with ``size`` (pixels), filling a slide of that size
        with its smallest text at least ``SLIDE_TEXT`` pixels (``slides.fit``)."""
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
        outlined = []
        for node in state.nodes:
            outlined.append(groups[self.names[node]])
            if node.op:
                outlined.append(groups[f"{self.names[node]}_op"])
        for output, number_of_input in state.edges:
            same = edges[self.edge_title(output, number_of_input)]
            # a * a draws two edges with one title, in the order of the inputs
            outlined.append(same[number_of_input if len(same) > 1 else 0])
        for group in outlined:
            _outline(group)
        if size is not None:
            focus = _point_of(outlined[0], svg) if outlined else None
            fit(svg, self.box, size, self.smallest_text, focus)
        return ET.tostring(svg, encoding="unicode")

    @property
    def box(self) -> tuple[float, float, float, float]:
        """The picture's viewBox: x, y, width, height in points."""
        x, y, width, height = (float(v) for v in self.svg.get("viewBox").split())
        return x, y, width, height

    @property
    def smallest_text(self) -> float:
        """The font size of the smallest text (an edge's label), in points."""
        return min(float(t.get("font-size")) for t in self.svg.iter("text") if t.get("font-size"))

    def _fill_in(self, group: ET.Element, node: Value, state: FrameState) -> None:
        """Blank the data not yet known (and fade the node), write the gradient known so far."""
        texts = list(group.iter("text"))
        data, grad = texts[-2], texts[-1]  # a record's last two fields: data, then grad
        if node not in state.known_data:
            data.text = "data"
            _fade(group)
        shown = state.grads.get(node)
        grad.text = "grad" if shown is None else f"grad {number(shown)}"


def _point_of(group: ET.Element, svg: ET.Element) -> tuple[float, float]:
    """Where a node or edge is, in the viewBox's coordinates: its first text, else its path's
    start, moved by the translation Graphviz puts on the whole graph."""
    dx, dy = 0.0, 0.0
    transform = next(svg.iter("g")).get("transform", "")
    if "translate(" in transform:
        dx, dy = (float(v) for v in transform.split("translate(")[1].split(")")[0].split())
    text = group.find("text")
    if text is not None:
        return float(text.get("x")) + dx, float(text.get("y")) + dy
    path = next(e for e in group if e.tag in ("path", "polygon", "ellipse"))
    if path.tag == "ellipse":
        return float(path.get("cx")) + dx, float(path.get("cy")) + dy
    points = path.get("d", path.get("points", "")).lstrip("M").replace("C", " ").split()
    x, y = (float(v) for v in points[0].split(","))
    return x + dx, y + dy


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
    view: str = "graph",
    size: tuple[int, int] = SLIDE,
    cluster: bool = True,
    max_nodes: int = DEFAULT_MAX_NODES,
) -> list[Path]:
    """Write one SVG per step of ``root``'s backward pass into ``folder``; return the paths.

    With ``view="graph"`` a frame per edge: frame j (``step_1.svg``, …) shows
    every value, the gradients the first j edges have carried (``grad(input)
    += local × grad(output)``), the others still empty, and edge j in red.
    With ``view="network"`` (a model's graph, see ``explore``) the network
    view's backward pass: the start at the loss, the loss's gradient for each
    output, then one frame per neuron, from the last layer to the first.

    Each frame is a slide of ``size`` pixels (1,920 × 1,080 by default) whose
    smallest text is at least 14 pixels: the graph is laid out left to right
    or top to bottom, whichever shows it larger at that aspect, and a graph
    too large for that is shown around the current step, at 14 pixels.  All
    frames share one layout, so a teacher can click through them.  The pass
    is replayed on the side: no ``.grad`` changes.  The folder is created if
    needed, and the ``step_*.svg`` files of an earlier run in it are removed
    first, so the folder holds this pass's frames and no others.

    Raises:
        GraphTooLargeError: the graph has more than ``max_nodes`` Values
            (checked before any file is touched).
        ValueError: a bad ``view`` or ``size``, or ``view="network"`` for a
            graph that is not a model's pass.
    """
    from tqdm import tqdm

    if view not in ("graph", "network"):
        raise ValueError(f"view must be 'graph' or 'network', got {view!r}")
    size = check_size(size)
    walk = Walkthrough.of(root)
    if view == "network":
        picture = best_picture(Network.of(walk), size)
        first = next(k for k, step in enumerate(picture.steps) if step.phase == "backward")
        frames = [partial(picture.frame, k, size) for k in range(first, len(picture.steps))]
    elif walk.steps:
        graph_picture = _slide_picture(walk, size, cluster, max_nodes)
        states = list(backward_states(walk))[1:]  # one per edge, after the start
        frames = [partial(graph_picture.frame, state, size) for state in states]
    else:
        frames = []
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("step_*.svg"):
        old.unlink()
    digits = len(str(len(frames)))
    paths = []
    for position, frame in enumerate(tqdm(frames, desc="frames", disable=len(frames) < 100), 1):
        path = folder / f"step_{position:0{digits}d}.svg"
        paths.append(write_atomically(path, frame()))
    return paths


COMPACT_SPACING = {"nodesep": "0.12", "ranksep": "0.18"}  # inches: Graphviz's spacing, tightened
COMPACT_TEXT = "12"  # points: a record's text as small as the edges' labels, so all text is alike


def _compact(graph: graphviz.Digraph) -> graphviz.Digraph:
    """``graph`` with tighter spacing and all its text one size (the labels' 12 points).

    The smallest text decides how far a picture may be shrunk; with all text
    alike, the records shrink with it and the whole picture fits a smaller space.
    """
    graph.graph_attr.update(COMPACT_SPACING)
    graph.node_attr["fontsize"] = COMPACT_TEXT
    return graph


def _slide_picture(walk: Walkthrough, size: tuple[int, int], cluster: bool, max_nodes: int):
    """The first layout whose smallest text is at least ``SLIDE_TEXT`` pixels on a slide of
    ``size``: left to right, top to bottom, then both compact (tighter spacing, and the
    records' text as small as the labels', so that all of it can be larger); if none is,
    the one that shows the graph largest."""
    tried = []
    for compact in (False, True):
        for rankdir in ("LR", "TB"):
            picture = GraphPicture(walk, cluster, max_nodes, rankdir=rankdir, compact=compact)
            if fit_scale(*picture.box[2:], size) * picture.smallest_text >= SLIDE_TEXT:
                return picture
            tried.append(picture)
    return max(tried, key=lambda p: fit_scale(*p.box[2:], size) * p.smallest_text)
