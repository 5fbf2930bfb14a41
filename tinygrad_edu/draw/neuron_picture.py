"""One neuron's node-level picture, laid out by hand: rows of w·a, added up along a rail into z.

A neuron computes ``z = b + w[0]·a[0] + w[1]·a[1] + …`` one ``+`` at a time
(as Python's ``sum`` does), then its output ``act(z)``.  Its picture gives
each input a row: the weight over the input it multiplies, their product's
``*`` and the product's record.  Each product runs into its ``+`` on a rail,
the chain of sums, which carries the running total down the column (and on,
above the rows, to the top of the next column) into z, then through the
activation to the output::

                  [ b ]─────┐
                            │1.0
    [ w[2][1,0] ]╲          │
                 (*)─▶[ v3 ]─1.0─▶(+)
    [ a[1][0]   ]╱              │1.0
    [ w[2][1,1] ]╲              │
                 (*)─▶[ v7 ]─1.0─▶(+)─▶[ z[2][1] ]─0.83─▶(tanh)─▶[ a[2][1] ]
    [ a[1][1]   ]╱

Every operation and every edge of the neuron's graph is drawn, each edge
with its local derivative, and every Value has its record of name, data and
grad, except, when there is no room for them, the running totals between two
``+``: then the rail between two ``+`` stands for the total it carries (the
card and the inspector give its numbers).  Of the layouts (how many columns,
where z goes, whether the totals have records) the picture takes the one that
shows its text largest in ``FRAME``, the room the explorer's picture has on a
1,280 × 800 screen.

The SVG is written as Graphviz writes a graph's: a group per node and per
edge, titled ``v3``, ``v3_op`` and ``v1->v3_op``, a record's data and grad its
last two texts, so that the explorer's script steps it as it steps any
node-level picture (``frame_changes`` says what each step changes).
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from ..engine import Value
from ..walkthrough import FrameState, Walkthrough
from .frames import edge_title, frame_changes
from .metrics import text_width
from .neurons import ACTIVATIONS
from .style import COLOURS, SVG_NAMESPACE, kind_of, number

FRAME = (880.0, 680.0)
"""The room, in pixels, that the explorer gives its picture on a 1,280 × 800 screen, card beside."""

MAX_SCALE = 4 / 3  # the explorer never draws a node-level picture larger than this
FONT = 12  # every text, in SVG units: pixels at scale 1
FIELD = 15  # a record's field: one line
RECORD_HEIGHT = 3 * FIELD  # name, data, grad
PAD = 3  # from a record's text to its side
ROW_GAP = 7  # between the rows of two inputs
PITCH = 2 * RECORD_HEIGHT + ROW_GAP  # one input's row: the weight over its input
OP_RADIUS = 11  # an operation's oval: * and the activation
PLUS_RADIUS = 8  # a + on the rail
LEAF_EDGE = 20  # the least room from a weight (or input) to its *
PRODUCT_GAP = 6  # from a * to its product
STUB = 18  # the least room from a product to its +, with the 1.0 above it
GAP = 12  # from a + to its record, between z, the activation and the output
BIAS_GAP = 10  # under the bias, above the first row
COLUMN_GAP = 10  # between two columns; the rail climbs to the next column in it
CONNECT = 12  # how far above the rows the rail runs from one column to the next
MARGIN = 3
ARROW = (8.0, 3.5)  # an arrowhead's length and half width
EDGE = "#555555"
MAX_COLUMNS = 6
TAILS = ("beside", "corner", "below")  # z right of the last + and on; z right, on down; all down

Point = tuple[float, float]


# ---------------------------------------------------------------- the neuron's parts


@dataclass(frozen=True)
class Row:
    """One input's row: a weight, the Value it multiplies, their product, and the + adding it."""

    weight: Value
    source: Value
    product: Value
    total: Value | None  # the sum that adds the product (None: the first of two products)


@dataclass(frozen=True)
class Chain:
    """A neuron's graph as rows added up by a chain of +: ``z = b + Σ w·a``, ``out = act(z)``."""

    rows: list[Row]
    bias: Value | None
    z: Value
    out: Value

    @property
    def totals(self) -> list[Value]:
        """The sums, in the order they are made; the last is z."""
        return [row.total for row in self.rows if row.total is not None]


def read_chain(root: Value, parameters: set[Value]) -> Chain | None:
    """``root``'s graph as a Chain, or None when it is not one.

    A Chain: ``root`` is ``act(z)`` (or z itself), z a chain of ``+`` in
    which each sum adds one product ``w * a`` (``w`` in ``parameters``, both
    leaves) to the sum before it, the first sum adding the bias (a leaf in
    ``parameters``) or another product to its product.
    """
    z = root.inputs[0] if root.op in ACTIVATIONS else root
    added: list[tuple[Value, Value]] = []  # (sum, product), from z back
    node, start = z, None
    while start is None:
        if node.op != "+":
            return None
        first, second = node.inputs
        if _factors(second, parameters) is not None:
            term, rest = second, first
        elif _factors(first, parameters) is not None:
            term, rest = first, second
        else:
            return None
        added.append((node, term))
        if rest.op == "+":
            node = rest
        elif _factors(rest, parameters) is not None or (rest in parameters and not rest.inputs):
            start = rest
        else:
            return None
    rows = [Row(*_factors(p, parameters), p, total) for total, p in reversed(added)]
    bias = start
    if start.op == "*":
        rows.insert(0, Row(*_factors(start, parameters), start, None))
        bias = None
    if len({row.product for row in rows}) < len(rows):
        return None
    return Chain(rows, bias, z, root)


def _factors(node: Value, parameters: set[Value]) -> tuple[Value, Value] | None:
    """(weight, source) of a product of two leaves of which one is a parameter, else None."""
    if node.op != "*" or any(inp.inputs for inp in node.inputs):
        return None
    first, second = node.inputs
    if (first in parameters) == (second in parameters):
        return None
    return (first, second) if first in parameters else (second, first)


# ---------------------------------------------------------------- shapes


@dataclass
class Box:
    """A Value's record, top-left at (x, y)."""

    node: Value
    x: float
    y: float
    width: float


@dataclass
class Oval:
    """The operation that made ``node``, centred at (x, y)."""

    node: Value
    x: float
    y: float
    rx: float
    ry: float


@dataclass
class Wire:
    """An edge along ``points``, ending in an arrowhead; its label's baseline at ``at``."""

    title: str
    points: list[Point]
    label: str = ""
    at: Point = (0.0, 0.0)
    anchor: str = "middle"


@dataclass(frozen=True)
class Column:
    """Where the parts of one column of rows go across: each x, and the records' widths."""

    left: float  # the weights and inputs
    leaf_width: float
    star_x: float  # the centre of each row's *
    product_x: float
    product_width: float
    rail: float  # the centre of each row's +
    total_width: float  # a running total's record, right of its + (0: none)
    right: float


@dataclass(frozen=True)
class Plan:
    """A layout: how many rows each column holds, where z goes, whether the totals have records."""

    columns: tuple[int, ...]
    tail: str
    records: bool


@dataclass
class Layout:
    """Every shape of one Plan, and the box around them all."""

    boxes: list[Box] = field(default_factory=list)
    ovals: list[Oval] = field(default_factory=list)
    wires: list[Wire] = field(default_factory=list)

    def bounds(self) -> tuple[float, float, float, float]:
        """(left, top, right, bottom) of every shape and label."""
        xs: list[float] = []
        ys: list[float] = []
        for box in self.boxes:
            xs += [box.x, box.x + box.width]
            ys += [box.y, box.y + RECORD_HEIGHT]
        for oval in self.ovals:
            xs += [oval.x - oval.rx, oval.x + oval.rx]
            ys += [oval.y - oval.ry, oval.y + oval.ry]
        for wire in self.wires:
            xs += [x for x, _ in wire.points]
            ys += [y for _, y in wire.points]
            if wire.label:
                left, right = _label_span(wire)
                xs += [left, right]
                ys += [wire.at[1] - FONT, wire.at[1] + 3]
        return min(xs) - MARGIN, min(ys) - MARGIN, max(xs) + MARGIN, max(ys) + MARGIN


def _label_span(wire: Wire) -> tuple[float, float]:
    width = text_width(wire.label, FONT)
    shift = {"start": 0.0, "middle": width / 2, "end": width}[wire.anchor]
    return wire.at[0] - shift, wire.at[0] - shift + width


# ---------------------------------------------------------------- the picture


class NeuronPicture:
    """The SVG of one neuron's walkthrough, its rows added up along a rail (see the module).

    ``walk`` is the neuron's own (its inputs and parameters are its leaves),
    ``chain`` its graph as ``read_chain`` reads it; ``parameters`` are coloured
    as parameters.  ``changes`` tells the explorer what each step changes.
    """

    def __init__(self, walk: Walkthrough, chain: Chain, parameters: set[Value]) -> None:
        self.walk = walk
        self.chain = chain
        self.parameters = parameters
        self.names = {node: f"v{i}" for i, node in enumerate(walk.order)}  # as draw_dot names
        plans = self._plans()
        layouts = {plan: self._layout(plan) for plan in plans}
        self.plan = max(plans, key=lambda plan: self._merit(plan, layouts[plan]))
        self.layout = layouts[self.plan]
        self.svg = self._draw(self.layout)

    @classmethod
    def of(cls, walk: Walkthrough, parameters: set[Value]) -> NeuronPicture | None:
        """The picture of a neuron's walkthrough, or None when its graph is not a Chain."""
        chain = read_chain(walk.root, parameters)
        return None if chain is None else cls(walk, chain, parameters)

    def changes(self, state: FrameState, before: FrameState | None) -> dict:
        """What step ``state`` changes in the SVG, for the explorer's script (``frame_changes``)."""
        return frame_changes(self.names, state, before)

    @property
    def svg_text(self) -> str:
        return ET.tostring(self.svg, encoding="unicode")

    @property
    def on_rail(self) -> set[Value]:
        """The running totals drawn as the rail between two +, without a record of their own."""
        return set(self.walk.order) - {box.node for box in self.layout.boxes}

    @property
    def size(self) -> tuple[float, float]:
        """The picture's width and height, in pixels at scale 1 (text 12 px)."""
        left, top, right, bottom = self.layout.bounds()
        return right - left, bottom - top

    # ------------------------------------------------------------ choosing the layout

    def _merit(self, plan: Plan, layout: Layout) -> tuple:
        """Larger is better: the scale in FRAME, then every Value its record, then fewer columns."""
        left, top, right, bottom = layout.bounds()
        scale = min(FRAME[0] / (right - left), FRAME[1] / (bottom - top), MAX_SCALE)
        return round(scale, 2), plan.records, -len(plan.columns), -TAILS.index(plan.tail)

    def _plans(self) -> list[Plan]:
        count = len(self.chain.rows)
        plans = [Plan((count,), tail, True) for tail in ("beside", "below")]
        for columns in range(1, min(count, MAX_COLUMNS) + 1):
            for tail in TAILS:
                split = self._split(count, columns, tail)
                if split is not None:
                    plans.append(Plan(split, tail, False))
        return plans

    def _split(self, count: int, columns: int, tail: str) -> tuple[int, ...] | None:
        """How many rows each column holds, so that the tallest column is as low as can be.

        The first column holds the bias above its rows; the last, with ``tail``
        ``"below"`` or ``"corner"``, z and the output below them.
        """
        bias = RECORD_HEIGHT + BIAS_GAP if self.chain.bias is not None else 0.0
        below = self._tail_depth(tail)
        extras = [0.0] * columns
        extras[0] += bias
        extras[-1] += below
        heights = sorted({rows * PITCH + extra for extra in extras for rows in range(count + 1)})
        for tallest in heights:
            room = [int((tallest - extra) / PITCH + 1e-9) for extra in extras]
            if min(room) >= 1 and sum(room) >= count:
                split, left = [], count
                for k, rows in enumerate(room):
                    rows = min(rows, left - (columns - 1 - k))
                    split.append(rows)
                    left -= rows
                first_alone = self.chain.rows[0].total is None and split[0] < 2
                return None if first_alone else tuple(split)
        return None

    def _tail_depth(self, tail: str) -> float:
        """How far below the last row's middle the tail reaches, past the row's own bottom."""
        depth = RECORD_HEIGHT / 2 + GAP + RECORD_HEIGHT if tail == "below" else RECORD_HEIGHT / 2
        if self.chain.out is not self.chain.z and tail != "beside":
            depth += GAP + 2 * OP_RADIUS + GAP + RECORD_HEIGHT
        return max(0.0, depth - RECORD_HEIGHT)

    # ------------------------------------------------------------ placing the shapes

    def _width(self, nodes) -> float:
        """One width for the records of ``nodes``: the widest of their texts at any step, padded."""
        walk, nodes = self.walk, set(nodes)
        texts = [walk.names[node] for node in nodes]
        texts += [f"data {number(node.data)}" for node in nodes]
        texts += [f"grad {number(walk.grads[node])}" for node in nodes]
        texts += [f"grad {number(step.total)}" for step in walk.steps if step.input in nodes]
        return max(text_width(text, FONT) for text in texts) + 2 * PAD

    def _local(self, output: Value, inp: Value) -> str:
        return number(output.local_grads[output.inputs.index(inp)])

    def _title(self, output: Value, inp: Value) -> str:
        return edge_title(self.names, output, output.inputs.index(inp))

    def _made(self, node: Value) -> str:
        """The title of the edge from a node's operation to its record."""
        return f"{self.names[node]}_op->{self.names[node]}"

    def _column(self, left: float, rows: list[Row], first: bool, records: bool) -> Column:
        """Where a column's parts go across, each as wide as this column's own texts need."""
        leaf_width = self._width(inp for row in rows for inp in (row.weight, row.source))
        # a weight's label may run on over the * (it is above it), but stops before the product
        labels = [self._local(row.product, inp) for row in rows for inp in row.product.inputs]
        widest = max(text_width(label, FONT) for label in labels)
        leaf_edge = max(LEAF_EDGE, widest + 5 - 2 * OP_RADIUS - PRODUCT_GAP)
        star_x = left + leaf_width + leaf_edge + OP_RADIUS
        product_x = star_x + OP_RADIUS + PRODUCT_GAP
        above = [self.chain.bias] if first and self.chain.bias is not None else []
        product_width = self._width([row.product for row in rows] + above)
        rail = product_x + product_width + max(STUB, text_width("1.0", FONT) + 4) + PLUS_RADIUS
        totals = [row.total for row in rows if row.total is not None]
        total_width = self._width(totals) if records and totals else 0.0
        right = rail + PLUS_RADIUS + (GAP + total_width if total_width else 0.0)
        return Column(left, leaf_width, star_x, product_x, product_width, rail, total_width, right)

    def _layout(self, plan: Plan) -> Layout:
        chain, layout = self.chain, Layout()
        left, placed, plus_at, done = 0.0, {}, {}, 0
        last_total: Value | None = None
        for number_of_column, count in enumerate(plan.columns):
            rows = chain.rows[done : done + count]
            column = self._column(left, rows, number_of_column == 0, plan.records)
            top = 0.0
            if number_of_column == 0 and chain.bias is not None:
                top = RECORD_HEIGHT + BIAS_GAP
                self._bias(layout, column, top)
            for position, row in enumerate(rows):
                middle = top + position * PITCH + RECORD_HEIGHT
                self._row(layout, row, column, middle, placed)
                total = row.total
                if total is None:
                    continue
                plus_at[total] = (column.rail, middle)
                if plan.records:
                    record_x = column.rail + PLUS_RADIUS + GAP
                    box = Box(total, record_x, middle - RECORD_HEIGHT / 2, column.total_width)
                    layout.boxes.append(box)
                    made = [(column.rail + PLUS_RADIUS, middle), (record_x, middle)]
                    layout.wires.append(Wire(self._made(total), made))
                if last_total is not None:
                    layout.wires.append(self._carry(plan, last_total, total, plus_at, column))
                elif chain.bias is None:  # two products start the chain: the first one's edge
                    self._first_product(layout, column, total, middle)
                last_total = total
            done += count
            left = column.right + COLUMN_GAP
        self._tail(layout, plan, plus_at[chain.z], column)
        return layout

    def _bias(self, layout: Layout, column: Column, top: float) -> None:
        """The bias above the first row's product, its edge into the first + from above."""
        bias, first = self.chain.bias, self.chain.rows[0].total
        layout.boxes.append(Box(bias, column.product_x, 0.0, column.product_width))
        level, first_middle, rail = RECORD_HEIGHT / 2, top + RECORD_HEIGHT, column.rail
        path = [(column.product_x + column.product_width, level), (rail, level)]
        path.append((rail, first_middle - PLUS_RADIUS))
        at = (rail - 3, (level + first_middle) / 2 + 4)
        layout.wires.append(Wire(self._title(first, bias), path, "1.0", at, "end"))

    def _first_product(self, layout: Layout, column: Column, total: Value, middle: float) -> None:
        """Without a bias the first + adds two products: the first one comes down the rail."""
        start, above = self.chain.rows[0].product, middle - PITCH
        product_right, rail = column.product_x + column.product_width, column.rail
        path = [(product_right, above), (rail, above), (rail, middle - PLUS_RADIUS)]
        at = ((product_right + rail) / 2, above - 4)
        layout.wires.append(Wire(self._title(total, start), path, "1.0", at))

    def _row(self, layout: Layout, row: Row, column: Column, middle: float, placed: dict) -> None:
        """A weight over its input, their *, the product, and the + that adds it (with its edge)."""
        product, leaf_right, star_x = row.product, column.left + column.leaf_width, column.star_x
        weight_box = Box(row.weight, column.left, middle - RECORD_HEIGHT, column.leaf_width)
        layout.boxes.append(weight_box)
        placed[row.weight] = (leaf_right, middle - 5)
        if row.source not in placed:  # an input multiplied twice is drawn once
            layout.boxes.append(Box(row.source, column.left, middle, column.leaf_width))
            placed[row.source] = (leaf_right, middle + 5)
        layout.ovals.append(Oval(product, star_x, middle, OP_RADIUS, OP_RADIUS))
        for inp, label_y in ((row.weight, middle - 14), (row.source, middle + 23)):
            start = placed[inp]
            end = _towards((star_x, middle), OP_RADIUS, start)
            label, at = self._local(product, inp), (start[0] + 3, label_y)
            layout.wires.append(Wire(self._title(product, inp), [start, end], label, at, "start"))
        made = [(star_x + OP_RADIUS, middle), (column.product_x, middle)]
        layout.wires.append(Wire(self._made(product), made))
        product_box = Box(
            product, column.product_x, middle - RECORD_HEIGHT / 2, column.product_width
        )
        layout.boxes.append(product_box)
        if row.total is not None:
            layout.ovals.append(Oval(row.total, column.rail, middle, PLUS_RADIUS, PLUS_RADIUS))
            product_right, stub_end = (
                column.product_x + column.product_width,
                column.rail - PLUS_RADIUS,
            )
            at = ((product_right + stub_end) / 2, middle - 4)
            stub = [(product_right, middle), (stub_end, middle)]
            layout.wires.append(Wire(self._title(row.total, product), stub, "1.0", at))

    def _carry(self, plan: Plan, before: Value, total: Value, plus_at: dict, column) -> Wire:
        """The edge that brings the total so far into the next +: down the rail, from the
        record of the total, or from the foot of one column, above the rows, into the next."""
        (x0, y0), (x1, y1) = plus_at[before], plus_at[total]
        title = self._title(total, before)
        if plan.records:
            start = (x0 + PLUS_RADIUS + GAP + 10, y0 + RECORD_HEIGHT / 2)
            end = _towards((x1, y1), PLUS_RADIUS, start)
            middle = ((start[0] + end[0]) / 2 + 6, (start[1] + end[1]) / 2 + 4)
            return Wire(title, [start, end], "1.0", middle, "start")
        if x0 == x1:
            down = [(x0, y0 + PLUS_RADIUS), (x1, y1 - PLUS_RADIUS)]
            return Wire(title, down, "1.0", (x1 - 3, (y0 + y1) / 2 + 4), "end")
        climb = column.left - COLUMN_GAP / 2
        points = [(x0 + PLUS_RADIUS, y0), (climb, y0), (climb, -CONNECT), (x1, -CONNECT)]
        points.append((x1, y1 - PLUS_RADIUS))
        return Wire(title, points, "1.0", (x1 - 3, (y1 - PLUS_RADIUS - CONNECT) / 2 + 4), "end")

    def _tail(self, layout: Layout, plan: Plan, plus: Point, column: Column) -> None:
        """z after the last +, then the activation and the output (the root), as ``plan`` says."""
        chain = self.chain
        rail, middle = plus
        width = column.total_width if plan.records else self._width([chain.z])
        if plan.records:  # z is the last total's record
            z_x, z_y = rail + PLUS_RADIUS + GAP, middle - RECORD_HEIGHT / 2
        elif plan.tail == "below":
            z_x, z_y = rail + PLUS_RADIUS - width, middle + RECORD_HEIGHT / 2 + GAP
            layout.boxes.append(Box(chain.z, z_x, z_y, width))
            down = [(rail, middle + PLUS_RADIUS), (rail, z_y)]
            layout.wires.append(Wire(self._made(chain.z), down))
        else:
            z_x, z_y = rail + PLUS_RADIUS + GAP, middle - RECORD_HEIGHT / 2
            layout.boxes.append(Box(chain.z, z_x, z_y, width))
            made = [(rail + PLUS_RADIUS, middle), (z_x, middle)]
            layout.wires.append(Wire(self._made(chain.z), made))
        out = chain.out
        if out is chain.z:
            return
        rx = max(OP_RADIUS, text_width(out.op, FONT) / 2 + 5)
        label, out_width = self._local(out, chain.z), self._width([out])
        if plan.tail == "beside":
            edge = max(STUB, text_width(label, FONT) + 8)
            act_x, act_y = z_x + width + edge + rx, z_y + RECORD_HEIGHT / 2
            into = [(z_x + width, act_y), (act_x - rx, act_y)]
            at, anchor = ((z_x + width + act_x - rx) / 2, act_y - 4), "middle"
            out_x, out_y = act_x + rx + GAP, z_y
            made = [(act_x + rx, act_y), (out_x, act_y)]
        else:
            act_x, act_y = z_x + width / 2, z_y + RECORD_HEIGHT + GAP + OP_RADIUS
            into = [(act_x, z_y + RECORD_HEIGHT), (act_x, act_y - OP_RADIUS)]
            at, anchor = (act_x - 4, z_y + RECORD_HEIGHT + GAP / 2 + 4), "end"
            out_x, out_y = act_x - out_width / 2, act_y + OP_RADIUS + GAP
            made = [(act_x, act_y + OP_RADIUS), (act_x, out_y)]
        layout.ovals.append(Oval(out, act_x, act_y, rx, OP_RADIUS))
        layout.wires.append(Wire(self._title(out, chain.z), into, label, at, anchor))
        layout.wires.append(Wire(self._made(out), made))
        layout.boxes.append(Box(out, out_x, out_y, out_width))

    # ------------------------------------------------------------ writing the SVG

    def _draw(self, layout: Layout) -> ET.Element:
        left, top, right, bottom = layout.bounds()
        width, height = right - left, bottom - top
        svg = ET.Element(
            "svg",
            {
                "xmlns": SVG_NAMESPACE,
                "width": f"{width:.0f}",
                "height": f"{height:.0f}",
                "viewBox": f"{left:.1f} {top:.1f} {width:.1f} {height:.1f}",
                "font-family": "Helvetica,sans-Serif",
                "font-size": str(FONT),
                "text-anchor": "middle",
            },
        )
        graph = ET.SubElement(svg, "g", {"class": "graph"})
        for wire in layout.wires:
            self._wire(graph, wire)
        for oval in layout.ovals:
            self._oval(graph, oval)
        for box in layout.boxes:
            self._record(graph, box)
        return svg

    def _record(self, parent, box: Box) -> None:
        node, width, walk = box.node, box.width, self.walk
        group = ET.SubElement(parent, "g", {"class": "node"})
        ET.SubElement(group, "title").text = self.names[node]
        kind = "root" if node is walk.root else kind_of(node, self.parameters)
        x, y = box.x, box.y
        corners = [(x, y), (x + width, y), (x + width, y + RECORD_HEIGHT), (x, y + RECORD_HEIGHT)]
        outline = {"fill": COLOURS[kind], "stroke": "black", "points": _points([*corners, (x, y)])}
        if kind == "root":
            outline["stroke-width"] = "2"
        ET.SubElement(group, "polygon", outline)
        fields = [walk.names[node], f"data {number(node.data)}", f"grad {number(walk.grads[node])}"]
        for k, text in enumerate(fields):
            if k:
                line = {"fill": "none", "stroke": "black"}
                line["points"] = _points([(x, y + k * FIELD), (x + width, y + k * FIELD)])
                ET.SubElement(group, "polyline", line)
            at = {"x": f"{x + width / 2:.1f}", "y": f"{y + k * FIELD + FIELD / 2 + 4:.1f}"}
            ET.SubElement(group, "text", at).text = text

    def _oval(self, parent, oval: Oval) -> None:
        group = ET.SubElement(parent, "g", {"class": "node"})
        ET.SubElement(group, "title").text = f"{self.names[oval.node]}_op"
        shape = {"cx": f"{oval.x:.1f}", "cy": f"{oval.y:.1f}", "rx": f"{oval.rx:.1f}"}
        shape.update({"ry": f"{oval.ry:.1f}", "fill": COLOURS["operation"], "stroke": "black"})
        ET.SubElement(group, "ellipse", shape)
        at = {"x": f"{oval.x:.1f}", "y": f"{oval.y + 4:.1f}"}
        ET.SubElement(group, "text", at).text = oval.node.op

    def _wire(self, parent, wire: Wire) -> None:
        group = ET.SubElement(parent, "g", {"class": "edge"})
        ET.SubElement(group, "title").text = wire.title
        *path, (x, y) = wire.points
        (px, py) = path[-1]
        length = math.hypot(x - px, y - py) or 1.0
        ux, uy = (x - px) / length, (y - py) / length
        long, half = ARROW
        base = (x - ux * long, y - uy * long)
        d = "M" + " L".join(f"{a:.1f},{b:.1f}" for a, b in [*path, base])
        ET.SubElement(group, "path", {"fill": "none", "stroke": EDGE, "d": d})
        tip = [(x, y), (base[0] - uy * half, base[1] + ux * half)]
        tip.append((base[0] + uy * half, base[1] - ux * half))
        ET.SubElement(group, "polygon", {"fill": EDGE, "stroke": EDGE, "points": _points(tip)})
        if wire.label:
            at = {"x": f"{wire.at[0]:.1f}", "y": f"{wire.at[1]:.1f}"}
            if wire.anchor != "middle":
                at["text-anchor"] = wire.anchor
            ET.SubElement(group, "text", at).text = wire.label


def _towards(centre: Point, radius: float, point: Point) -> Point:
    """Where the line from ``point`` to a circle's ``centre`` meets the circle."""
    (cx, cy), (x, y) = centre, point
    length = math.hypot(x - cx, y - cy) or 1.0
    return cx + radius * (x - cx) / length, cy + radius * (y - cy) / length


def _points(points: list[Point]) -> str:
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
