"""The network view's picture: inputs, one circle per neuron, weights as edges, then the loss.

One layout holds every number of both passes, and each number is tagged with
the step from which it shows (``data-from``) or until which it shows
(``data-until``); each circle and edge with the steps at which it is the
current one (``data-current``).  The explorer's script reads those tags to
show a step; ``frame(step)`` applies them here, for slides.

Inside a neuron's circle: its name, ``z`` and ``a`` (the forward pass), ``∂a``
and ``∂z`` (∂L/∂a and ∂L/∂z, the backward pass).  A layer of more than
``FULL_COLUMN`` neurons gets small circles with ``a`` and ``∂z`` only (the
card and the node-level view have the rest).  A weight's edge is blue when
positive and orange when negative, thicker the larger ``|w|``; its label (the
weight, then ∂L/∂w once the backward pass reaches it) is written on it when
every label has room, else shown for the current step and on hover.  The
layout runs left to right (``"LR"``) or top to bottom (``"TB"``):
``best_picture`` picks the one that shows the text largest on a slide, and the
explorer the one that does so in its window.
"""

from __future__ import annotations

import copy
import math
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from ..formatting import NETWORK_DIGITS, format_number
from .network import Network, NetworkNeuron, NetworkStep
from .slides import fit, fit_scale
from .style import COLOURS, FADED, SVG_NAMESPACE

FONT = 14  # every text of the picture, in SVG units (pixels at scale 1)
FULL_COLUMN = 6  # layers up to this many neurons show all four numbers in each circle
FORWARD = "#2f6fb0"  # the colours of the passes, as the explorer's card uses them
BACKWARD = "#c2410c"
HIGHLIGHT = COLOURS["highlight"]
INK = "#1f2933"
MUTED = "#52606d"
DIMMED = "0.18"  # the opacity of the edges that are not the current step's
DIRECTIONS = ("LR", "TB")


def number(x: float) -> str:
    """A number as a neuron's circle writes it: three significant digits."""
    return format_number(x, NETWORK_DIGITS)


@dataclass(frozen=True)
class Look:
    """The sizes of one kind of picture (full or dense), in SVG units."""

    radius: float  # a neuron's circle
    input_radius: float
    lines: tuple[str, ...]  # what a neuron's circle writes, top to bottom
    pitch: float  # centre to centre, across a column
    gap: float  # between the circles of neighbouring columns, along the pass


FULL = Look(54, 38, ("name", "z", "a", "grad_a", "grad_z"), 122, 90)
DENSE = Look(31, 31, ("a_value", "grad_z_value"), 66, 96)  # the key names the two numbers
LINE_HEIGHT = 16
LOSS_SIZE = (104, 64)  # the loss's box: width, height
LABEL_GAP = 4  # the least room between two weights' labels shown at once
MARGIN = 16
HEADER = 26  # room for the column titles


def _text_width(text: str) -> float:
    """About how wide ``text`` is at ``FONT``: Helvetica's digits are 0.56 em wide, and
    ``∂z -0.0249`` measures 4.7 em in Chromium."""
    return 0.56 * FONT * len(text)


class NetworkPicture:
    """The SVG of a network, laid out once in ``direction`` (``"LR"`` or ``"TB"``).

    ``svg_text`` is the picture with its step tags, for the explorer;
    ``frame(step, size)`` one step of it as a picture of its own.
    """

    def __init__(self, network: Network, direction: str = "LR") -> None:
        if direction not in DIRECTIONS:
            raise ValueError(f"direction must be 'LR' or 'TB', got {direction!r}")
        self.network = network
        self.direction = direction
        self.steps: list[NetworkStep] = network.steps()
        columns = [network.inputs, *network.layers]
        self.look = FULL if max(len(c) for c in columns) <= FULL_COLUMN else DENSE
        self._when = _schedule(network, self.steps)
        self._item = {x: x for x in network.inputs} | {n.a: n for n in network.neurons}
        self._item.update({x: network.inputs[i] for x, i in network.input_of.items()})
        weights = [abs(w.data) for n in network.neurons for w in n.weights]
        self._largest_weight = max(weights, default=0.0) or 1.0
        self._centres: dict[object, tuple[float, float]] = {}
        self._layout()
        self.svg = self._draw()

    # ------------------------------------------------------------ layout

    def _layout(self) -> None:
        """Centre of every input, neuron and the loss; the picture's size."""
        look, network = self.look, self.network
        columns: list[list[object]] = [list(network.inputs), *network.layers]
        extents = [look.input_radius] + [look.radius] * len(network.layers)
        if network.tail:
            columns.append(["loss"])
            half_loss = LOSS_SIZE[0 if self.direction == "LR" else 1] / 2
            extents.append(half_loss)
        longest = max(len(c) for c in columns)
        along, self.column_at = 0.0, []
        for k, extent in enumerate(extents):
            along += extent if k == 0 else extents[k - 1] + look.gap + extent
            self.column_at.append(along)
        for k, column in enumerate(columns):
            for position, item in enumerate(column):
                across = (position - (len(column) - 1) / 2) * look.pitch
                self._centres[item] = (self.column_at[k], across)
        length = self.column_at[-1] + extents[-1]
        self.breadth = longest * look.pitch
        self.columns, self.extents = columns, extents
        if self.direction == "LR":
            self.width, self.height = length + 2 * MARGIN, self.breadth + HEADER + 2 * MARGIN
        else:
            self.width, self.height = self.breadth + 2 * MARGIN, length + HEADER + 2 * MARGIN

    def centre(self, item: object) -> tuple[float, float]:
        """Where ``item`` (an input Value, a NetworkNeuron or ``"loss"``) sits, as (x, y)."""
        along, across = self._centres[item]
        across += MARGIN + self.breadth / 2
        along += MARGIN
        if self.direction == "LR":
            return along, HEADER + across
        return across, HEADER + along

    # ------------------------------------------------------------ drawing

    def _draw(self) -> ET.Element:
        svg = ET.Element(
            "svg",
            {
                "xmlns": SVG_NAMESPACE,
                "class": "network",
                "viewBox": f"0 0 {self.width:.0f} {self.height:.0f}",
                "width": f"{self.width:.0f}",
                "height": f"{self.height:.0f}",
                "font-family": "Helvetica, Arial, 'Liberation Sans', sans-serif",
                "font-size": str(FONT),
                "data-direction": self.direction,
                "data-dense": "true" if self.look is DENSE else "false",
                "data-smallest-font": str(FONT),
            },
        )
        edges = ET.SubElement(svg, "g", {"class": "edges"})
        labels = _Labels(self)
        for n in self.network.neurons:
            for i, (source, weight) in enumerate(zip(n.sources, n.weights)):
                self._weight_edge(edges, n, i, self._item_of(source), weight, labels)
        for n in self.network.outputs if self.network.tail else []:
            self._tail_edge(edges, n)
        self._titles(svg)
        for i, value in enumerate(self.network.inputs):
            self._input(svg, i, value)
        for n in self.network.neurons:
            self._neuron(svg, n)
        if self.network.tail:
            self._loss(svg)
        svg.append(labels.group)
        return svg

    def _item_of(self, source):
        """What the picture draws for a neuron's source: its input's circle or neuron."""
        return self._item[source]

    def _radius(self, item) -> float:
        return self.look.input_radius if not isinstance(item, NetworkNeuron) else self.look.radius

    def _ends(self, start_item, end_item) -> tuple[float, float, float, float]:
        """The segment between two circles (or a circle and the loss's box), edge to edge."""
        (x1, y1), (x2, y2) = self.centre(start_item), self.centre(end_item)
        length = math.hypot(x2 - x1, y2 - y1) or 1.0
        ux, uy = (x2 - x1) / length, (y2 - y1) / length
        r1 = self._radius(start_item)
        if end_item == "loss":
            w, h = LOSS_SIZE
            r2 = min(w / 2 / max(abs(ux), 1e-9), h / 2 / max(abs(uy), 1e-9))
        else:
            r2 = self._radius(end_item)
        return x1 + r1 * ux, y1 + r1 * uy, x2 - r2 * ux, y2 - r2 * uy

    def _weight_edge(self, parent, n: NetworkNeuron, i: int, source, weight, labels) -> None:
        walk = self.network.walk
        colour = COLOURS["positive"] if weight.data >= 0 else COLOURS["negative"]
        x1, y1, x2, y2 = self._ends(source, n)
        forward, backward = self._when[("forward", n)], self._when[("backward", n)]
        group = ET.SubElement(
            parent,
            "g",
            {
                "class": "edge",
                "data-edge": f"{self._key(n)}:{i}",
                "data-from": str(forward),
                "data-current": f"{forward} {backward}",
            },
        )
        ET.SubElement(group, "title").text = n.weight_name(i)
        line = {"x1": f"{x1:.1f}", "y1": f"{y1:.1f}", "x2": f"{x2:.1f}", "y2": f"{y2:.1f}"}
        width = 0.8 + 3.2 * abs(weight.data) / self._largest_weight
        ET.SubElement(
            group,
            "line",
            {**line, "class": "wire", "stroke": colour, "stroke-width": f"{width:.2f}"},
        )
        ET.SubElement(
            group, "line", {**line, "class": "hit", "stroke": "transparent", "stroke-width": "9"}
        )
        labels.add(
            group, n, i, number(weight.data), colour, number(walk.grads[weight]), forward, backward
        )

    def _tail_edge(self, parent, n: NetworkNeuron) -> None:
        x1, y1, x2, y2 = self._ends(n, "loss")
        group = ET.SubElement(
            parent, "g", {"class": "edge tail", "data-from": str(self._when[("loss",)])}
        )
        ET.SubElement(
            group,
            "line",
            {
                "x1": f"{x1:.1f}",
                "y1": f"{y1:.1f}",
                "x2": f"{x2:.1f}",
                "y2": f"{y2:.1f}",
                "stroke": "#777777",
                "stroke-width": "1.5",
                "stroke-dasharray": "5 4",
            },
        )

    def _titles(self, svg) -> None:
        """Each column's title: input, layer 1 · tanh, …, output · linear, loss."""
        count = len(self.network.layers)
        titles = ["input"]
        for number_of_layer, layer in enumerate(self.network.layers, 1):
            kinds = sorted({n.activation for n in layer})
            name = "output" if number_of_layer == count else f"layer {number_of_layer}"
            titles.append(f"{name} · {'/'.join(kinds)}")
        if self.network.tail:
            titles.append("loss")
        group = ET.SubElement(svg, "g", {"class": "titles", "fill": MUTED})
        for k, title in enumerate(titles):
            first = self.columns[k][0]
            x, y = self.centre(first)
            if self.direction == "LR":
                attributes = {"x": f"{x:.1f}", "y": f"{MARGIN + 12}", "text-anchor": "middle"}
            else:
                attributes = {"x": str(MARGIN), "y": f"{y - self.extents[k] - 8:.1f}"}
            text = ET.SubElement(group, "text", attributes)
            text.text = title

    def _input(self, svg, i: int, value) -> None:
        x, y = self.centre(value)
        group = ET.SubElement(svg, "g", {"class": "input", "data-from": "0", "data-current": "0"})
        ET.SubElement(group, "title").text = value.label or f"input {i}"
        _circle(group, x, y, self.look.input_radius, COLOURS["input"])
        _lines(group, x, y, [(f"x[{i}]", INK, None, None), (number(value.data), FORWARD, 0, None)])

    def _neuron(self, svg, n: NetworkNeuron) -> None:
        when, walk = self._when, self.network.walk
        x, y = self.centre(n)
        forward, backward = when[("forward", n)], when[("backward", n)]
        group = ET.SubElement(
            svg,
            "g",
            {
                "class": "neuron",
                "data-neuron": self._key(n),
                "data-from": str(forward),
                "data-current": f"{forward} {backward}",
            },
        )
        ET.SubElement(group, "title").text = (
            f"{n.a_name} · {n.activation} ({n.neuron.prefix.rstrip('.') or 'neuron'}): "
            "click for its node-level graph"
        )
        fill = COLOURS["root"] if n.a is walk.root else COLOURS["computed"]
        _circle(group, x, y, self.look.radius, fill)
        texts = {
            "name": (n.position, INK, None, None),
            "z": (f"z {number(n.z.data)}", FORWARD, forward, None),
            "a": (f"a {number(n.a.data)}", FORWARD, forward, None),
            "grad_a": (f"∂a {number(walk.grads[n.a])}", BACKWARD, when[("grad_a", n)], None),
            "grad_z": (f"∂z {number(walk.grads[n.z])}", BACKWARD, backward, None),
            "a_value": (number(n.a.data), FORWARD, forward, None),
            "grad_z_value": (number(walk.grads[n.z]), BACKWARD, backward, None),
        }
        _lines(group, x, y, [texts[line] for line in self.look.lines])

    def _loss(self, svg) -> None:
        root, when = self.network.walk.root, self._when
        x, y = self.centre("loss")
        w, h = LOSS_SIZE
        group = ET.SubElement(
            svg,
            "g",
            {
                "class": "loss",
                "data-from": str(when[("loss",)]),
                "data-current": f"{when[('loss',)]} {when[('start',)]} {when[('loss_back',)]}",
            },
        )
        ET.SubElement(group, "title").text = root.label or "the loss"
        ET.SubElement(
            group,
            "rect",
            {
                "x": f"{x - w / 2:.1f}",
                "y": f"{y - h / 2:.1f}",
                "width": str(w),
                "height": str(h),
                "rx": "12",
                "fill": COLOURS["root"],
                "stroke": INK,
                "stroke-width": "1.5",
                "class": "shape",
            },
        )
        _lines(
            group,
            x,
            y,
            [
                (f"L {number(root.data)}", FORWARD, when[("loss",)], None),
                ("∂L 1.0", BACKWARD, when[("start",)], None),
            ],
        )

    def _key(self, n: NetworkNeuron) -> str:
        return f"{n.layer}.{n.index}"

    # ------------------------------------------------------------ output

    @property
    def svg_text(self) -> str:
        """The picture with its step tags, as the explorer's script reads it."""
        return ET.tostring(self.svg, encoding="unicode")

    def frame(self, step: int, size: tuple[int, int] | None = None) -> str:
        """The SVG of step ``step`` alone: numbers not yet known left out, the current step red.

        With ``size`` (width, height in pixels) it fills a slide of that size, its
        smallest text at least ``SLIDE_TEXT`` pixels (``slides.fit``).
        """
        svg = copy.deepcopy(self.svg)
        current = []
        for element in svg.iter():
            shown_from = element.attrib.pop("data-from", None)
            until = element.attrib.pop("data-until", None)
            is_current = str(step) in element.attrib.pop("data-current", "").split()
            hidden = (shown_from is not None and step < int(shown_from)) or (
                until is not None and step >= int(until)
            )
            if element.tag == "text" and hidden:
                element.set("visibility", "hidden")
            elif hidden:
                element.set("opacity", FADED)
            if is_current:
                current.append(element)
            if "on-demand" in element.get("class", "").split() and not is_current:
                element.set("visibility", "hidden")
        for element in current:
            _outline(element)
        if any(e.get("class") == "neuron" for e in current):
            for group in svg.iter("g"):
                if group.get("class") == "edge" and group not in current:
                    group.set("opacity", DIMMED)
        if size is not None:
            glyphs = [e for e in current if e.get("class") in ("neuron", "loss", "input")]
            focus = _centre_of(glyphs[0]) if glyphs else None
            fit(svg, (0.0, 0.0, self.width, self.height), size, FONT, focus)
        return ET.tostring(svg, encoding="unicode")


class _Labels:
    """The weights' labels: all of them when each has room of its own, else on demand.

    A label sits on its edge, just past the source's circle, where the edges of
    one source fan out; an edge is parametrised from its source's centre (t = 0)
    to its target's (t = 1).
    """

    def __init__(self, picture: NetworkPicture) -> None:
        self.picture = picture
        self.group = ET.Element("g", {"class": "labels"})
        network = picture.network
        texts = [
            text
            for n in network.neurons
            for w in n.weights
            for text in (number(w.data), f"∂ {number(network.walk.grads[w])}")
        ]
        self.width = max(map(_text_width, ["∂ -0.000", *texts])) + 6  # the widest label's
        self.height = FONT + 4
        self.all_fit = self._all_fit()

    def _all_fit(self) -> bool:
        """Whether every weight's label has room of its own: no two labels touch (with a gap of
        ``LABEL_GAP``), and no other weight's edge runs through a label, where a reader could
        not tell whose number it is."""
        picture = self.picture
        edges = [(n, i) for n in picture.network.neurons for i in range(len(n.sources))]
        boxes = [self._at(n, i) for n, i in edges]
        wide, high = self.width + LABEL_GAP, self.height + LABEL_GAP
        if any(
            abs(x - u) < wide and abs(y - v) < high
            for k, (x, y) in enumerate(boxes)
            for u, v in boxes[k + 1 :]
        ):
            return False
        segments = [picture._ends(picture._item_of(n.sources[i]), n) for n, i in edges]
        half_width, half_height = self.width / 2, self.height / 2
        return not any(
            _crosses(segment, (x - half_width, y - half_height, x + half_width, y + half_height))
            for k, (x, y) in enumerate(boxes)
            for j, segment in enumerate(segments)
            if j != k
        )

    def _at(self, n: NetworkNeuron, i: int) -> tuple[float, float]:
        picture = self.picture
        source = picture._item_of(n.sources[i])
        (x1, y1), (x2, y2) = picture.centre(source), picture.centre(n)
        along = abs(x2 - x1) if picture.direction == "LR" else abs(y2 - y1)
        half = self.width / 2 if picture.direction == "LR" else self.height / 2
        t = (picture._radius(source) + half + 4) / (along or 1.0)
        pitch = picture.look.pitch * (1 - t)  # between the labels of neighbouring sources
        if picture.direction == "TB" and pitch < self.width + 4 and i % 2:
            t += (self.height + 2) / (along or 1.0)  # every other one a row lower
        t = min(t, 0.5)
        return x1 + t * (x2 - x1), y1 + t * (y2 - y1)

    def add(self, edge, n, i, weight_text, colour, grad_text, forward, backward) -> None:
        x, y = self._at(n, i)
        width = max(_text_width(weight_text), _text_width(f"∂ {grad_text}")) + 6
        group = ET.SubElement(
            self.group,
            "g",
            {
                "class": "label" if self.all_fit else "label on-demand",
                "data-edge": edge.get("data-edge"),
                "data-current": edge.get("data-current"),
            },
        )
        ET.SubElement(
            group,
            "rect",
            {
                "x": f"{x - width / 2:.1f}",
                "y": f"{y - self.height / 2:.1f}",
                "width": f"{width:.1f}",
                "height": f"{self.height:.1f}",
                "rx": "3",
                "fill": "white",
                "fill-opacity": "0.9",
                "class": "backdrop",
            },
        )
        common = {
            "x": f"{x:.1f}",
            "y": f"{y:.1f}",
            "text-anchor": "middle",
            "dominant-baseline": "central",
        }
        weight = ET.SubElement(
            group,
            "text",
            {
                **common,
                "fill": colour,
                "data-until": str(backward),
                "class": "weight",
            },  # a weight is given: known from the start
        )
        weight.text = weight_text
        grad = ET.SubElement(
            group,
            "text",
            {**common, "fill": BACKWARD, "data-from": str(backward), "class": "weight-grad"},
        )
        grad.text = f"∂ {grad_text}"


def _crosses(segment: tuple[float, float, float, float], box: tuple[float, ...]) -> bool:
    """Whether the segment (x1, y1, x2, y2) runs through the box (left, top, right, bottom).

    The segment is p(t) = (x1, y1) + t·(dx, dy) for t in [0, 1]; each side of the box
    narrows the range of t inside it (Liang and Barsky's clipping), and it crosses the box
    when some range is left.
    """
    x1, y1, x2, y2 = segment
    left, top, right, bottom = box
    dx, dy = x2 - x1, y2 - y1
    low, high = 0.0, 1.0
    for towards, room in ((-dx, x1 - left), (dx, right - x1), (-dy, y1 - top), (dy, bottom - y1)):
        if towards == 0:
            if room < 0:
                return False
            continue
        t = room / towards
        if towards < 0:
            low = max(low, t)
        else:
            high = min(high, t)
        if low > high:
            return False
    return True


def _schedule(network: Network, steps: list[NetworkStep]) -> dict[tuple, int]:
    """The step at which each thing is computed: ("forward", n), ("grad_a", n), ("loss",), …"""
    when: dict[tuple, int] = {}
    for k, step in enumerate(steps):
        if step.kind == "neuron":
            when[(step.phase, step.neuron)] = k
        elif step.phase == "forward":
            when[(step.kind,)] = k
        else:
            when[("start",) if step.kind == "start" else ("loss_back",)] = k
    for n in network.neurons:
        if network.tail and n in network.outputs:
            when[("grad_a", n)] = when[("loss_back",)]
        elif n.a is network.walk.root:
            when[("grad_a", n)] = when[("start",)]
        else:
            when[("grad_a", n)] = when[("backward", n)]
    when.setdefault(("loss_back",), when[("start",)])
    return when


def _circle(group, x: float, y: float, r: float, fill: str) -> None:
    ET.SubElement(
        group,
        "circle",
        {
            "cx": f"{x:.1f}",
            "cy": f"{y:.1f}",
            "r": f"{r:.1f}",
            "fill": fill,
            "stroke": INK,
            "stroke-width": "1.5",
            "class": "shape",
        },
    )


def _lines(group, x: float, y: float, lines: list[tuple]) -> None:
    """Texts centred on (x, y), one below the other: (text, colour, shown from, shown until)."""
    top = y - (len(lines) - 1) * LINE_HEIGHT / 2
    for k, (text, colour, shown_from, until) in enumerate(lines):
        attributes = {
            "x": f"{x:.1f}",
            "y": f"{top + k * LINE_HEIGHT:.1f}",
            "fill": colour,
            "text-anchor": "middle",
            "dominant-baseline": "central",
        }
        if shown_from is not None:
            attributes["data-from"] = str(shown_from)
        if until is not None:
            attributes["data-until"] = str(until)
        ET.SubElement(group, "text", attributes).text = text


def _outline(element: ET.Element) -> None:
    for shape in element.iter():
        kind = shape.get("class")
        if kind in ("shape", "wire"):
            shape.set("stroke", HIGHLIGHT)
            shape.set("stroke-width", "4" if kind == "shape" else "3.5")


def _centre_of(group: ET.Element) -> tuple[float, float]:
    shape = next(e for e in group.iter() if e.get("class") == "shape")
    if shape.tag == "circle":
        return float(shape.get("cx")), float(shape.get("cy"))
    return (
        float(shape.get("x")) + float(shape.get("width")) / 2,
        float(shape.get("y")) + float(shape.get("height")) / 2,
    )


def best_picture(network: Network, size: tuple[int, int]) -> NetworkPicture:
    """The layout (``"LR"`` or ``"TB"``) that shows the network largest on a slide of ``size``."""
    pictures = [NetworkPicture(network, direction) for direction in DIRECTIONS]
    return max(pictures, key=lambda p: fit_scale(p.width, p.height, size))
