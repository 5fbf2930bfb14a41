"""draw.neuron_picture: one neuron's graph as rows of w·a added up along a rail into z."""

import xml.etree.ElementTree as ET

from hypothesis import given, settings
from hypothesis import strategies as st

from tinygrad_edu import MLP, Neuron, Value
from tinygrad_edu.draw.frames import edge_title
from tinygrad_edu.draw.metrics import text_width
from tinygrad_edu.draw.network import Network
from tinygrad_edu.draw.neuron_picture import (
    FONT,
    FRAME,
    RECORD_HEIGHT,
    NeuronPicture,
    _label_span,
    read_chain,
)
from tinygrad_edu.draw.style import number
from tinygrad_edu.explorer.neuron_graph import _neuron_walk
from tinygrad_edu.walkthrough import Walkthrough


def neuron_picture(model, x, layer: int, index: int) -> NeuronPicture:
    """The picture of neuron [layer][index] of ``model``'s pass on ``x``, as the explorer has it."""
    out = model(x)
    network = Network.of(Walkthrough.of(out[0] if isinstance(out, list) else out))
    n = network.layers[layer - 1][index]
    walk, copy_of = _neuron_walk(network, n)
    parameters = {copy_of[p] for p in (*n.weights, n.bias) if p is not None}
    return NeuronPicture.of(walk, parameters)


def test_a_neurons_graph_reads_as_its_rows_its_bias_and_the_chain_of_sums():
    neuron = Neuron(3, activation="tanh", seed=0)
    x = [Value(0.5, "x0"), Value(-1.0, "x1"), Value(2.0, "x2")]
    out = neuron(x)
    chain = read_chain(out, set(neuron.parameters()))
    assert [row.weight for row in chain.rows] == neuron.w
    assert [row.source for row in chain.rows] == x
    assert [row.product.inputs for row in chain.rows] == [(w, xi) for w, xi in zip(neuron.w, x)]
    assert chain.bias is neuron.b and chain.out is out and chain.z is out.inputs[0]
    first, second, z = chain.totals
    assert first.inputs == (neuron.b, chain.rows[0].product)  # z = b + w₀x₀, then + w₁x₁, …
    assert second.inputs == (first, chain.rows[1].product) and z is chain.z


def test_without_a_bias_the_chain_starts_with_two_products_and_a_linear_neuron_ends_at_z():
    w = [Value(0.3, "w0"), Value(-0.7, "w1"), Value(1.5, "w2")]
    x = [Value(1.0, "x0"), Value(2.0, "x1"), Value(-1.0, "x2")]
    z = w[0] * x[0] + w[1] * x[1] + w[2] * x[2]
    chain = read_chain(z, set(w))
    assert chain.bias is None and chain.out is chain.z is z
    assert [row.weight for row in chain.rows] == w
    assert chain.rows[0].total is None  # its product is the first sum's other input
    assert chain.totals[0].inputs == (chain.rows[0].product, chain.rows[1].product)


def test_a_sum_that_is_not_a_chain_of_products_is_not_read():
    w0, w1, b = Value(0.3, "w0"), Value(-0.7, "w1"), Value(0.1, "b")
    x0, x1 = Value(1.0, "x0"), Value(2.0, "x1")
    parameters = {w0, w1, b}
    assert read_chain((w0 * x0 + w1 * x1) + b, parameters) is None  # the bias added last
    assert read_chain((w0 * x0 + b) * 2.0, parameters) is None  # not a sum
    assert read_chain(b + w0 * w1, parameters) is None  # a product of two parameters
    assert read_chain(b + w0 * (x0 + x1), parameters) is None  # a product of a sum
    assert read_chain(w0 * x0 + w0 * x0, {w0}) is not None  # (two products of one weight)


def svg_groups(picture: NeuronPicture) -> dict[str, list[ET.Element]]:
    groups: dict[str, list[ET.Element]] = {}
    for group in picture.svg.iter("g"):
        title = group.find("title")
        if title is not None:
            groups.setdefault(title.text, []).append(group)
    return groups


def test_a_small_neuron_draws_every_value_a_wide_one_its_running_totals_as_the_rail():
    wide = neuron_picture(MLP(2, [16, 4, 1], activation="tanh", seed=0), [0.5, -1.0], 2, 1)
    assert len(wide.chain.rows) == 16 and len(wide.plan.columns) > 1
    assert wide.on_rail == set(wide.chain.totals[:-1])  # every total but z: the rail
    four = neuron_picture(MLP(2, [4, 4, 1], activation="tanh", seed=0), [0.5, -1.0], 2, 1)
    assert four.plan.records and four.on_rail == set()  # every Value its record
    assert four.plan.columns == (4,)


def test_the_svg_has_a_group_for_every_record_operation_and_edge_as_graphviz_names_them():
    for sizes in ([4, 4, 1], [16, 16, 1]):
        picture = neuron_picture(MLP(2, sizes, activation="tanh", seed=1), [0.5, -1.0], 2, 0)
        walk, names, groups = picture.walk, picture.names, svg_groups(picture)
        for node in walk.order:
            name = names[node]
            if node not in picture.on_rail:
                texts = [t.text for t in groups[name][0].iter("text")]
                assert texts[-2:] == [
                    f"data {number(node.data)}",
                    f"grad {number(walk.grads[node])}",
                ]
                assert texts[0] == walk.names[node]
            if node.op:
                assert groups[f"{name}_op"][0].find("ellipse") is not None
                for i in range(len(node.inputs)):
                    edge = groups[edge_title(names, node, i)][0]
                    label = edge.find("text")
                    assert label is not None and label.text == number(node.local_grads[i])
                if node not in picture.on_rail:
                    assert f"{name}_op->{name}" in groups  # the operation's edge to its record
        root = groups[names[walk.root]][0].find("polygon")
        assert root.get("stroke-width") == "2"


def test_a_16_input_neuron_fits_the_explorers_frame_at_1280_by_800_with_room_to_spare():
    for seed in range(3):
        for activation in ("relu", "tanh"):
            model = MLP(2, [16, 16, 1], activation=activation, seed=seed)
            for layer, index in ((2, 0), (2, 7), (3, 0)):
                picture = neuron_picture(model, [0.5, -1.0], layer, index)
                width, height = picture.size
                assert width <= FRAME[0] / 1.04 and height <= FRAME[1] / 1.04  # text >= 12.5 px


def rectangles(picture: NeuronPicture) -> list[tuple[str, tuple[float, float, float, float]]]:
    """Every record, operation and edge label of the picture: (what, (left, top, right, bottom))."""
    layout, found = picture.layout, []
    for box in layout.boxes:
        found.append(
            (
                f"record {picture.names[box.node]}",
                (box.x, box.y, box.x + box.width, box.y + RECORD_HEIGHT),
            )
        )
    for oval in layout.ovals:
        found.append(
            (
                f"op {picture.names[oval.node]}",
                (oval.x - oval.rx, oval.y - oval.ry, oval.x + oval.rx, oval.y + oval.ry),
            )
        )
    for wire in layout.wires:
        if wire.label:
            left, right = _label_span(wire)
            # digits reach from the baseline up to 0.72 of the font size
            found.append(
                (f"label of {wire.title}", (left, wire.at[1] - 0.72 * FONT, right, wire.at[1]))
            )
    return found


def overlapping(found):
    return [
        (a, b)
        for k, (a, (l1, t1, r1, b1)) in enumerate(found)
        for b, (l2, t2, r2, b2) in found[k + 1 :]
        if min(r1, r2) - max(l1, l2) > 0.5 and min(b1, b2) - max(t1, t2) > 0.5
    ]


@settings(max_examples=40, deadline=None)
@given(
    inputs=st.integers(1, 24),
    activation=st.sampled_from(["tanh", "relu", "sigmoid", "linear"]),
    seed=st.integers(0, 10_000),
    scale=st.sampled_from([1e-4, 1.0, 30.0]),
)
def test_no_label_lies_on_a_record_an_operation_or_another_label(inputs, activation, seed, scale):
    neuron = Neuron(inputs, activation=activation, seed=seed)
    for w in neuron.w:
        w.data *= scale  # long numbers as well as short ones
    x = [Value(0.25 * (k % 7) - 0.75, f"x{k}") for k in range(inputs)]
    chain_out = neuron(x)
    network = Network.of(Walkthrough.of(chain_out))
    n = network.neurons[0]
    walk, copy_of = _neuron_walk(network, n)
    picture = NeuronPicture.of(walk, {copy_of[p] for p in (*n.weights, n.bias)})
    assert overlapping(rectangles(picture)) == []
    left, top, right, bottom = picture.layout.bounds()
    for _, (first, upper, last, lower) in rectangles(picture):
        assert left <= first and last <= right and top <= upper and lower <= bottom
    for box in picture.layout.boxes:  # each record as wide as its texts
        texts = [t.text for t in svg_groups(picture)[picture.names[box.node]][0].iter("text")]
        assert max(text_width(t, FONT) for t in texts) < box.width


def test_a_neuron_whose_sum_is_not_a_chain_is_laid_out_by_graphviz_instead():
    """A graph labelled by hand as nn labels it, but adding the bias last: its neuron's view is
    Graphviz's picture (still every Value), with the same steps."""
    from tinygrad_edu import explore

    x0, x1 = Value(0.5, "x0"), Value(-1.0, "x1")
    w0, w1, b = Value(0.3, "w.0"), Value(-0.7, "w.1"), Value(0.1, "b")
    out = ((w0 * x0 + w1 * x1) + b).tanh()
    out.label = "out"
    page = explore((out - 1.0) ** 2).html
    template = page[page.index('data-view="neuron:1.0"') :]
    template = template[: template.index("</template>")]
    assert 'id="graph0"' in template  # Graphviz's own SVG
    assert template.count('class="node"') == 10 + 5  # 5 leaves, 2 products, 2 sums, out; 5 ops
