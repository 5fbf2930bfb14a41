"""draw_dot and render: stable DOT text, colours, clusters, collapse, refusal, files."""

import math
import re
import time
import xml.etree.ElementTree as ET

import graphviz
import pytest

from tinygrad_edu import Value, draw_dot, render
from tinygrad_edu.draw import COLOURS, GraphTooLargeError, GraphvizNotFoundError, number
from tinygrad_edu.engine import topological_order
from tinygrad_edu.nn import MLP, Neuron

SVG = "{http://www.w3.org/2000/svg}"

GOLDEN_LR = """\
digraph computation_graph {
	graph [fontname=Helvetica fontsize=14 nodesep=0.15 ordering=in rankdir=LR ranksep=0.25]
	node [fontname=Helvetica fontsize=14]
	edge [color="#555555" fontname=Helvetica fontsize=12]
	v0 [label="a | data 2.0 | grad -3.0" fillcolor="#dbe9f6" height=0.2 margin="0.06,0.02" \
shape=record style=filled]
	v1 [label="b | data -3.0 | grad 2.0" fillcolor="#dbe9f6" height=0.2 margin="0.06,0.02" \
shape=record style=filled]
	v2 [label="e | data -6.0 | grad 1.0" fillcolor="#ffffff" height=0.2 margin="0.06,0.02" \
shape=record style=filled]
	v2_op [label="*" fillcolor="#eeeeee" fontsize=12 height=0.25 margin=0.02 shape=ellipse \
style=filled width=0.3]
	v2_in0 [label=-3.0 fontsize=12 height=0 margin="0.03,0.01" shape=plaintext width=0]
	v2_in1 [label=2.0 fontsize=12 height=0 margin="0.03,0.01" shape=plaintext width=0]
	v3 [label="c | data 10.0 | grad 1.0" fillcolor="#dbe9f6" height=0.2 margin="0.06,0.02" \
shape=record style=filled]
	v4 [label="d | data 4.0 | grad 1.0" fillcolor="#c7e9c0" height=0.2 id="tinygrad-edu-root" \
margin="0.06,0.02" penwidth=2 shape=record style=filled]
	v4_op [label="+" fillcolor="#eeeeee" fontsize=12 height=0.25 margin=0.02 shape=ellipse \
style=filled width=0.3]
	v4_in0 [label=1.0 fontsize=12 height=0 margin="0.03,0.01" shape=plaintext width=0]
	v4_in1 [label=1.0 fontsize=12 height=0 margin="0.03,0.01" shape=plaintext width=0]
	v0 -> v2_in0 [arrowhead=none]
	v2_in0 -> v2_op
	v1 -> v2_in1 [arrowhead=none]
	v2_in1 -> v2_op
	v2_op -> v2
	v2 -> v4_in0 [arrowhead=none]
	v4_in0 -> v4_op
	v3 -> v4_in1 [arrowhead=none]
	v4_in1 -> v4_op
	v4_op -> v4
}
"""

GOLDEN_TB_PLAIN = """\
digraph computation_graph {
	graph [fontname=Helvetica fontsize=14 nodesep=0.15 ordering=in rankdir=TB ranksep=0.25]
	node [fontname=Helvetica fontsize=14]
	edge [color="#555555" fontname=Helvetica fontsize=12]
	v0 [label="{ a | data 2.0 }" fillcolor="#dbe9f6" height=0.2 margin="0.06,0.02" shape=record \
style=filled]
	v1 [label="{ b | data -3.0 }" fillcolor="#dbe9f6" height=0.2 margin="0.06,0.02" shape=record \
style=filled]
	v2 [label="{ e | data -6.0 }" fillcolor="#ffffff" height=0.2 margin="0.06,0.02" shape=record \
style=filled]
	v2_op [label="*" fillcolor="#eeeeee" fontsize=12 height=0.25 margin=0.02 shape=ellipse \
style=filled width=0.3]
	v3 [label="{ c | data 10.0 }" fillcolor="#dbe9f6" height=0.2 margin="0.06,0.02" shape=record \
style=filled]
	v4 [label="{ d | data 4.0 }" fillcolor="#c7e9c0" height=0.2 id="tinygrad-edu-root" \
margin="0.06,0.02" penwidth=2 shape=record style=filled]
	v4_op [label="+" fillcolor="#eeeeee" fontsize=12 height=0.25 margin=0.02 shape=ellipse \
style=filled width=0.3]
	v0 -> v2_op
	v1 -> v2_op
	v2_op -> v2
	v2 -> v4_op
	v3 -> v4_op
	v4_op -> v4
}
"""


def small_graph():
    """d = a*b + c with a = 2, b = -3, c = 10: dd/da = b = -3, dd/db = a = 2, dd/dc = 1."""
    a, b, c = Value(2.0, "a"), Value(-3.0, "b"), Value(10.0, "c")
    e = a * b
    e.label = "e"
    d = e + c
    d.label = "d"
    d.backward()
    return d


def neuron_graph():
    """The classic neuron o = tanh(x1*w1 + x2*w2 + b), built by hand."""
    x1, x2 = Value(2.0, "x1"), Value(0.0, "x2")
    w1, w2 = Value(-3.0, "w1"), Value(1.0, "w2")
    b = Value(6.8813735870195432, "b")
    n = x1 * w1 + x2 * w2 + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    o.backward()
    return o


def node_lines(source: str) -> dict[str, str]:
    """Node name -> its attribute text, for the node statements of a DOT source."""
    found = dict(re.findall(r"^\s*(\w+) \[(.*)\]$", source, re.M))
    return {name: attrs for name, attrs in found.items() if name not in ("graph", "node", "edge")}


def edge_lines(source: str) -> dict[tuple[str, str], list[str]]:
    edges: dict[tuple[str, str], list[str]] = {}
    for tail, head, attributes in re.findall(r"^\s*(\w+) -> (\w+)(?: \[(.*)\])?$", source, re.M):
        edges.setdefault((tail, head), []).append(attributes)
    return edges


def derivatives_on_edges(source: str) -> dict[tuple[str, str], list[str]]:
    """(input node, operation node) -> the numbers written on the edges between them.

    An edge runs input -> its number (a node ``v<k>_in<i>``) -> the operation ``v<k>_op``.
    """
    nodes, edges = node_lines(source), edge_lines(source)
    found: dict[tuple[str, str], list[str]] = {}
    for (tail, middle), _ in sorted(edges.items()):
        if re.fullmatch(r"v\d+_in\d", middle):
            (head,) = [h for (t, h) in edges if t == middle]
            found.setdefault((tail, head), []).append(label_of(nodes[middle]))
    return found


def clusters_of(source: str) -> dict[str, list[str]]:
    """Node name -> the names of the clusters it sits in, outermost first."""
    stack: list[str] = []
    where: dict[str, list[str]] = {}
    for line in source.splitlines():
        if opening := re.match(r"\s*subgraph (\w+) \{", line):
            stack.append(opening[1])
        elif line.strip() == "}":
            if stack:
                stack.pop()
        elif node := re.match(r"\s*(\w+) \[label=", line):
            where[node[1]] = list(stack)
    return where


def label_of(attributes: str) -> str:
    quoted, bare = re.search(r'label=(?:"((?:[^"\\]|\\.)*)"|(\S+))', attributes).groups()
    return bare if quoted is None else quoted


def first_field(attributes: str) -> str:
    """The first field of a record label: its name, or ``data ...`` when it has none."""
    return label_of(attributes).split(" | ")[0].strip("{ ")


# ---------------------------------------------------------------- DOT text


def test_golden_dot_for_a_small_graph():
    assert draw_dot(small_graph()).source == GOLDEN_LR


def test_golden_dot_top_to_bottom_without_grads_or_edge_labels():
    source = draw_dot(small_graph(), rankdir="TB", show_grad=False, edge_labels=False).source
    assert source == GOLDEN_TB_PLAIN


def test_the_same_graph_built_twice_gives_byte_identical_dot():
    first = draw_dot(neuron_graph()).source
    second = draw_dot(neuron_graph()).source
    assert first == second
    assert "0x" not in first  # no id() anywhere


def test_each_input_edge_carries_its_local_derivative():
    o = neuron_graph()
    source = draw_dot(o).source
    labels = {first_field(attrs): n for n, attrs in node_lines(source).items()}
    on_edges = derivatives_on_edges(source)
    # ∂(x1*w1)/∂x1 = w1 = -3 and ∂(x1*w1)/∂w1 = x1 = 2; ∂tanh(n)/∂n = 1 - o² = 0.5
    product_op = next(head for (tail, head) in on_edges if tail == labels["x1"])
    assert on_edges[(labels["x1"], product_op)] == ["-3.0"]
    assert on_edges[(labels["w1"], product_op)] == ["2.0"]
    tanh_op = next(head for (tail, head) in on_edges if tail == labels["n"])
    assert on_edges[(labels["n"], tanh_op)] == ["0.5"]
    assert abs((1 - o.data**2) - 0.5) < 1e-12
    assert len(on_edges) == 9 and all(len(numbers) == 1 for numbers in on_edges.values())
    beside = edge_lines(draw_dot(o, edge_labels="beside").source)
    assert beside[(labels["x1"], product_op)] == ["label=-3.0"]
    assert "_in" not in draw_dot(o, edge_labels=False).source


def test_a_value_used_twice_in_one_operation_gets_a_number_on_each_edge():
    a = Value(3.0, "a")
    square = a * a
    on_edges = derivatives_on_edges(draw_dot(square).source)
    assert on_edges == {("v0", "v1_op"): ["3.0", "3.0"]}  # ∂(a·a)/∂a = a, once per edge


def test_drawing_changes_nothing_in_the_graph():
    o = neuron_graph()
    before = [(v.data, v.grad, v.label) for v in (o, *o.inputs)]
    draw_dot(o)
    assert [(v.data, v.grad, v.label) for v in (o, *o.inputs)] == before


def test_grads_can_be_shown_per_node_for_backward_frames():
    d = small_graph()
    e, c = d.inputs
    shown = draw_dot(d, show_grad=lambda v: v is d or v is c).source
    nodes = node_lines(shown)
    assert 'grad 1.0"' in nodes["v4"] and 'grad 1.0"' in nodes["v3"]
    assert nodes["v0"].startswith('label="a | data 2.0 | grad "')
    assert draw_dot(d, show_grad={d, c}).source == shown
    assert re.search(r"\bgrad\b", draw_dot(d, show_grad=False).source) is None


def test_highlighted_nodes_and_edges_get_a_red_outline():
    d = small_graph()
    a = d.inputs[0].inputs[0]
    steps = list(d.backward_steps())
    step = next(s for s in steps if s.input is a)  # the edge a -> (a*b)
    source = draw_dot(d, highlight=[step, d]).source
    red = f'color="{COLOURS["highlight"]}"'
    highlighted_edges = [e for e, attrs in edge_lines(source).items() if red in attrs[0]]
    assert highlighted_edges == [("v0", "v2_in0"), ("v2_in0", "v2_op")]  # both halves
    assert f'fontcolor="{COLOURS["highlight"]}"' in node_lines(source)["v2_in0"]  # its number
    assert "fontcolor" not in node_lines(source)["v2_in1"]
    assert red in node_lines(source)["v4"]
    assert red not in node_lines(source)["v0"]
    with pytest.raises(TypeError, match="highlight takes Values"):
        draw_dot(d, highlight=["a"])


def test_leaves_parameters_and_root_have_their_own_colours():
    neuron = Neuron(2, activation="tanh", seed=1)
    out = neuron([Value(1.0, "x0"), Value(-1.0, "x1")])
    source = draw_dot(out).source
    fill = {
        first_field(attrs): re.search(r'fillcolor="([^"]+)"', attrs)[1]
        for attrs in node_lines(source).values()
        if "record" in attrs
    }
    assert fill["x0"] == fill["x1"] == COLOURS["input"]
    assert fill["w.0"] == fill["w.1"] == fill["b"] == COLOURS["parameter"]
    assert fill["out"] == COLOURS["root"]
    assert fill["z"] == COLOURS["computed"]
    extra = Value(3.0, "lr")
    root = extra * 2.0
    assert COLOURS["input"] in node_lines(draw_dot(root).source)["v0"]
    assert COLOURS["parameter"] in node_lines(draw_dot(root, parameters=[extra]).source)["v0"]


def test_an_unlabelled_leaf_is_a_quiet_constant_not_an_input():
    y = Value(0.5, "y")
    loss = (y - 1.0) ** 2
    lines_of = node_lines(draw_dot(loss).source)
    y_line = next(attrs for attrs in lines_of.values() if first_field(attrs) == "y")
    one_line = next(attrs for attrs in lines_of.values() if first_field(attrs) == "data 1.0")
    assert COLOURS["input"] in y_line and "dashed" not in y_line
    assert COLOURS["constant"] in one_line and COLOURS["input"] not in one_line
    assert 'style="filled,dashed"' in one_line


def test_bad_options_are_clear_errors():
    d = small_graph()
    with pytest.raises(ValueError, match="rankdir must be one of LR, TB, RL, BT"):
        draw_dot(d, rankdir="XY")
    with pytest.raises(ValueError, match="max_nodes must be a whole number"):
        draw_dot(d, max_nodes=0)
    with pytest.raises(TypeError, match="draw_dot needs a Value"):
        draw_dot(3.0)
    with pytest.raises(TypeError, match="show_grad must be"):
        draw_dot(d, show_grad=3)


def test_record_labels_escape_graphviz_special_characters():
    v = Value(1.0, "a|b{c}<d>")
    assert r"a\|b\{c\}\<d\>" in draw_dot(v).source


# ---------------------------------------------------------------- clusters


def mlp_graph():
    model = MLP(2, [3, 1], activation="tanh", seed=0)
    out = model([Value(0.5, "x0"), Value(-1.0, "x1")])
    loss = (out - 1.0) ** 2
    loss.label = "loss"
    loss.backward()
    return model, loss


def test_clusters_group_each_neuron_inside_its_layer():
    model, loss = mlp_graph()
    source = draw_dot(loss).source
    where = clusters_of(source)
    labels = {first_field(attrs): n for n, attrs in node_lines(source).items()}
    assert where[labels["x0"]] == [] and where[labels["loss"]] == []
    # inside a neuron's box the labels drop the neuron's prefix: w.0, b, z, out
    neuron_boxes = {tuple(c) for c in where.values() if len(c) == 2}
    assert neuron_boxes == {
        ("cluster_layer0", "cluster_layers_0_neurons_0"),
        ("cluster_layer0", "cluster_layers_0_neurons_1"),
        ("cluster_layer0", "cluster_layers_0_neurons_2"),
        ("cluster_layer1", "cluster_layers_1_neurons_0"),
    }
    box = ["cluster_layer0", "cluster_layers_0_neurons_1"]
    in_box = sorted(
        first_field(node_lines(source)[n])
        for n, c in where.items()
        if c == box and "record" in node_lines(source)[n]
    )
    # z = b + w0*x0 + w1*x1 (two products, two sums), then out = tanh(z)
    assert [t for t in in_box if not t.startswith("data")] == ["b", "out", "w.0", "w.1", "z"]
    assert sum(t.startswith("data") for t in in_box) == 3
    assert 'label="layers.0"' in source and 'label="neuron 1 · tanh"' in source
    plain = draw_dot(loss, cluster=False).source
    assert "subgraph" not in plain and "layers.0.neurons.1.w.0" in plain


def test_relabelling_the_output_keeps_its_neurons_box_and_its_weights_colour():
    model = MLP(2, [3, 1], activation="tanh", seed=0)
    out = model([Value(0.5, "x0"), Value(-1.0, "x1")])
    out.label = "out"  # as the lecture does
    model.layers[0].neurons[1].w[0].label = "my weight"
    source = draw_dot(out).source
    where = clusters_of(source)
    lines = node_lines(source)
    name_of = {first_field(attrs): n for n, attrs in lines.items()}
    assert where[name_of["out"]] == ["cluster_layer1", "cluster_layers_1_neurons_0"]
    assert where[name_of["my weight"]] == ["cluster_layer0", "cluster_layers_0_neurons_1"]
    for weight in ("w.0", "w.1", "w.2", "my weight"):
        assert COLOURS["parameter"] in lines[name_of[weight]], weight
    assert COLOURS["input"] in lines[name_of["x0"]]


def test_a_label_out_without_parameters_is_not_a_neuron():
    x = Value(1.0, "x")
    y = x * 2
    y.label = "out"
    assert "subgraph" not in draw_dot(y).source


# ---------------------------------------------------------------- collapse


def test_collapse_draws_neurons_as_nodes_and_weights_as_edges():
    model, loss = mlp_graph()
    source = draw_dot(loss, collapse=True).source
    nodes = node_lines(source)
    neurons = [n for n in nodes if n.startswith("neuron_")]
    assert sorted(neurons) == [
        "neuron_layers_0_neurons_0",
        "neuron_layers_0_neurons_1",
        "neuron_layers_0_neurons_2",
        "neuron_layers_1_neurons_0",
    ]
    assert {"input0", "input1", "root"} <= set(nodes)
    out = loss.inputs[0].inputs[0]
    assert label_of(nodes["neuron_layers_1_neurons_0"]).split("\\n")[1] == f"{out.data:.4g}"
    edges = edge_lines(source)
    weights = dict(model.named_parameters())
    weighted = [e for e, attrs in edges.items() if "style=invis" not in attrs[0]]
    assert len([e for e in weighted if e[1].startswith("neuron_")]) == 2 * 3 + 3 * 1
    for i in range(3):
        for j in range(2):
            (attrs,) = edges[(f"input{j}", f"neuron_layers_0_neurons_{i}")]
            w = weights[f"layers.0.neurons.{i}.w.{j}"].data
            sign = "positive" if w >= 0 else "negative"
            assert f'color="{COLOURS[sign]}"' in attrs
            assert f"label={number(w)}" in attrs or f'label="{number(w)}"' in attrs
    width = {
        abs(weights[f"layers.1.neurons.0.w.{i}"].data): float(
            re.search(
                r"penwidth=([\d.]+)",
                edges[(f"neuron_layers_0_neurons_{i}", "neuron_layers_1_neurons_0")][0],
            )[1]
        )
        for i in range(3)
    }
    ordered = [width[k] for k in sorted(width)]
    assert ordered == sorted(ordered) and ordered[0] < ordered[-1]  # thicker when larger
    assert edges[("neuron_layers_1_neurons_0", "root")]


def node_heights(svg_path) -> dict[str, float]:
    """Node name -> the y of its text's baseline in a rendered SVG (y grows downwards)."""
    heights = {}
    for group in ET.parse(svg_path).iter(f"{SVG}g"):
        if group.get("class") == "node":
            heights[group.find(f"{SVG}title").text] = float(next(group.iter(f"{SVG}text")).get("y"))
    return heights


def test_collapse_keeps_inputs_and_neurons_in_their_natural_order(tmp_path, needs_dot):
    model = MLP(3, [4, 4, 1], activation="tanh", seed=0)
    out = model([Value(0.5, "x0"), Value(-1.0, "x1"), Value(0.2, "x2")])
    heights = node_heights(render(out, tmp_path / "mlp.svg", collapse=True))
    columns = [[f"input{i}" for i in range(3)]] + [
        [f"neuron_layers_{layer}_neurons_{i}" for i in range(4)] for layer in (0, 1)
    ]
    for column in columns:  # top to bottom: x0, x1, x2; neuron 0, 1, 2, 3
        assert [heights[name] for name in column] == sorted(heights[name] for name in column)
        assert len({heights[name] for name in column}) == len(column)


@pytest.mark.parametrize("batch", [1, 4])
def test_collapse_draws_plain_number_inputs_once_per_position(batch):
    model = MLP(2, [3, 1], seed=0)
    samples = [[0.5, -1.0]] + [[0.1 * i, 0.2 * i] for i in range(1, batch)]
    loss = sum((model(x) - 1.0) ** 2 for x in samples)
    nodes = node_lines(draw_dot(loss, collapse=True).source)
    assert sorted(n for n in nodes if n.startswith("input")) == ["input0", "input1"]
    shown = "0.5" if batch == 1 else f"{batch} values"
    assert label_of(nodes["input0"]) == f"x0\\n{shown}"
    out = model([Value(0.5, "a"), Value(-1.0, "b")])
    nodes = node_lines(draw_dot(out, collapse=True).source)
    assert [label_of(nodes[f"input{i}"]) for i in (0, 1)] == ["a\\n0.5", "b\\n-1.0"]


def test_collapse_needs_neurons():
    with pytest.raises(ValueError, match="collapse=True draws the Neurons"):
        draw_dot(small_graph(), collapse=True)


def test_collapse_draws_a_batch_once_per_neuron():
    model = MLP(2, [4, 4, 1], seed=3)
    loss = sum(model([Value(i / 10), Value(-i / 10)]) ** 2 for i in range(30))
    loss.backward()
    source = draw_dot(loss, collapse=True).source
    assert len([n for n in node_lines(source) if n.startswith("neuron_")]) == 9
    assert "30 calls" in source
    with pytest.raises(GraphTooLargeError, match="draw an MLP's graph with collapse=True"):
        draw_dot(loss)


# ---------------------------------------------------------------- refusal


def test_a_50000_node_graph_is_refused_within_a_second():
    x = Value(1.0, "x")
    for _ in range(25_000):
        x = x * 1.0001  # a product node and a constant leaf each time
    start = time.perf_counter()
    with pytest.raises(GraphTooLargeError) as refusal:
        draw_dot(x)
    assert time.perf_counter() - start < 1.0
    assert "50,001 Values" in str(refusal.value)
    assert "collapse=True" in str(refusal.value) and "max_nodes" in str(refusal.value)


def test_the_default_limit_is_a_thousand_values():
    x = Value(1.0, "x")
    for _ in range(499):
        x = x * 1.0001
    assert "v998 " in draw_dot(x).source  # 999 Values
    with pytest.raises(GraphTooLargeError, match="1,001 Values, more than max_nodes=1,000"):
        draw_dot(x * 1.0001)


# ---------------------------------------------------------------- render


def test_render_writes_dot_text_without_graphviz(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", "")
    path = render(small_graph(), tmp_path / "g.dot")
    assert path.read_text() == GOLDEN_LR


def test_render_without_dot_says_how_to_install_it(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", "")
    target = tmp_path / "g.svg"
    target.write_text("old picture")
    with pytest.raises(GraphvizNotFoundError, match="apt-get install graphviz") as missing:
        render(small_graph(), target)
    assert "brew install graphviz" in str(missing.value) and ".dot" in str(missing.value)
    assert target.read_text() == "old picture"


def test_render_refuses_unknown_formats(tmp_path):
    with pytest.raises(ValueError, match=r"use a \.svg, \.png, \.pdf or \.dot file"):
        render(small_graph(), tmp_path / "g.jpg")
    assert not (tmp_path / "g.jpg").exists()


def test_rendered_svg_shows_labels_data_and_grads(tmp_path, needs_dot):
    path = render(neuron_graph(), tmp_path / "neuron.svg")
    texts = [t.text for t in ET.parse(path).iter(f"{SVG}text")]
    for expected in [
        "x1",
        "w1",
        "b",
        "n",
        "o",
        "data 0.7071",
        "grad 1.0",
        "grad -1.5",
        "tanh",
        "0.5",
    ]:
        assert expected in texts, expected


def test_render_picks_the_format_from_the_suffix(tmp_path, needs_dot):
    d = small_graph()
    assert render(d, tmp_path / "g.png").read_bytes().startswith(b"\x89PNG")
    assert render(d, tmp_path / "g.pdf").read_bytes().startswith(b"%PDF")
    assert render(d, tmp_path / "g.out", format="svg").read_text().lstrip().startswith("<?xml")
    graph = draw_dot(d, rankdir="TB")
    assert render(graph, tmp_path / "graph.dot").read_text() == graph.source
    assert isinstance(graph, graphviz.Digraph)


def test_collapsed_and_clustered_pictures_render(tmp_path, needs_dot):
    model, loss = mlp_graph()
    for collapse in (False, True):
        svg = render(loss, tmp_path / f"mlp{collapse}.svg", collapse=collapse)
        texts = [t.text for t in ET.parse(svg).iter(f"{SVG}text")]
        assert ("layers.0" in texts) != collapse
        assert ("hidden layer 1" in texts) == collapse


@pytest.mark.parametrize("rankdir", ["LR", "TB"])
def test_clustered_neurons_keep_their_order(rankdir, needs_dot):
    model = MLP(1, [2, 1], activation="tanh", seed=0)
    svg = draw_dot(model([Value(0.69, "x0")]), rankdir=rankdir).pipe(format="svg").decode()
    corner = {
        int(match[1]): (float(match[2]), float(match[3]))
        for match in re.finditer(
            r"<title>cluster_layers_0_neurons_(\d+)</title>\s*<path[^>]*d=\"M([-\d.]+),([-\d.]+)",
            svg,
        )
    }
    across = 1 if rankdir == "LR" else 0  # neurons stack top to bottom in LR, left to right in TB
    assert corner[0][across] < corner[1][across]


# ---------------------------------------------------------------- numbers on their edges


def path_points(d: str) -> list[tuple[float, float]]:
    """Points along an SVG path of cubic Béziers (``M x,y C x,y x,y x,y ...``), as from Graphviz."""
    nums = [tuple(map(float, p.split(","))) for p in re.findall(r"-?[\d.]+,-?[\d.]+", d)]
    points = []
    for i in range(0, len(nums) - 3, 3):
        p0, p1, p2, p3 = nums[i : i + 4]
        for k in range(33):
            t = k / 32
            weights = ((1 - t) ** 3, 3 * (1 - t) ** 2 * t, 3 * (1 - t) * t * t, t**3)
            points.append(
                tuple(sum(w * p[j] for w, p in zip(weights, (p0, p1, p2, p3))) for j in (0, 1))
            )
    return points


def numbers_and_lines(svg: str):
    """Each number on an edge (its name, and its text's box) and every edge's line (its points)."""
    boxes, lines = {}, {}
    for group in ET.fromstring(svg).iter(f"{SVG}g"):
        title = group.find(f"{SVG}title").text if group.find(f"{SVG}title") is not None else ""
        if group.get("class") == "edge":
            lines[title.replace("&#45;&gt;", "->")] = path_points(group.find(f"{SVG}path").get("d"))
        elif group.get("class") == "node" and re.fullmatch(r"v\d+_in\d", title):
            text = group.find(f"{SVG}text")
            x, y, size = float(text.get("x")), float(text.get("y")), float(text.get("font-size"))
            half = 0.3 * size * len(text.text)  # Helvetica's digits are about 0.55 em wide
            boxes[title] = (x - half, y - 0.8 * size, x + half, y + 0.25 * size)
    return boxes, lines


def distance(box, points) -> float:
    x0, y0, x1, y1 = box
    return min(math.hypot(max(x0 - x, 0, x - x1), max(y0 - y, 0, y - y1)) for x, y in points)


def lecture_crossing():
    """The lecture's d = a*b, e = a+b, f = d*e: a's and b's edges cross on the way."""
    a, b = Value(-2.0, "a"), Value(3.0, "b")
    d = a * b
    d.label = "d"
    e = a + b
    e.label = "e"
    f = d * e
    f.label = "f"
    f.backward()
    return f


@pytest.mark.parametrize("rankdir", ["LR", "TB"])
@pytest.mark.parametrize("make", [lecture_crossing, neuron_graph, lambda: mlp_graph()[1]])
def test_each_number_sits_on_its_own_edge_and_no_other_edge_touches_it(make, rankdir, needs_dot):
    svg = draw_dot(make(), rankdir=rankdir).pipe(format="svg").decode()
    boxes, lines = numbers_and_lines(svg)
    assert boxes
    for name, box in boxes.items():
        own = [points for title, points in lines.items() if name in title.split("->")]
        others = [points for title, points in lines.items() if name not in title.split("->")]
        assert len(own) == 2  # the line runs into the number and out of it
        assert max(distance(box, points) for points in own) < 6  # both ends at the number
        assert min(distance(box, points) for points in others) > 1, name  # no other line


def test_numbers_beside_their_edges_are_ambiguous_where_edges_cross(needs_dot):
    """Why numbers sit on their edges: Graphviz's own edge labels, at the crossing of
    a -> (a+b) and b -> (a*b), touch the other edge as closely as their own."""
    svg = draw_dot(lecture_crossing(), edge_labels="beside").pipe(format="svg").decode()
    _, lines = numbers_and_lines(svg)
    closest_other = []
    for group in ET.fromstring(svg).iter(f"{SVG}g"):
        text = group.find(f"{SVG}text")
        if group.get("class") != "edge" or text is None:
            continue
        x, y, size = float(text.get("x")), float(text.get("y")), float(text.get("font-size"))
        half = 0.3 * size * len(text.text)
        box = (x - half, y - 0.8 * size, x + half, y + 0.25 * size)
        title = group.find(f"{SVG}title").text
        closest_other.append(min(distance(box, p) for t, p in lines.items() if t != title))
    assert min(closest_other) <= 1  # another edge touches a number: which edge is it on?


def crosses(first: list[tuple[float, float]], second: list[tuple[float, float]]) -> bool:
    """Whether two polylines cross (a proper intersection of two of their segments)."""

    def side(p, q, r) -> float:
        return (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])

    for a, b in zip(first, first[1:]):
        for c, d in zip(second, second[1:]):
            if side(a, b, c) * side(a, b, d) < 0 and side(c, d, a) * side(c, d, b) < 0:
                return True
    return False


@pytest.mark.parametrize("rankdir", ["LR", "TB"])
@pytest.mark.parametrize("nin", [1, 2])
def test_an_mlps_inputs_and_weights_keep_their_order_without_crossings(nin, rankdir, needs_dot):
    """The README's MLP(1, [2, 1]): weight i of the output neuron reads neuron i, in order."""
    model = MLP(nin, [2, 1], activation="tanh", seed=0)
    out = model([Value(0.69 - i, f"x{i}") for i in range(nin)])
    svg = draw_dot(out, rankdir=rankdir).pipe(format="svg").decode()
    order = topological_order(out)
    name = {node: f"v{i}" for i, node in enumerate(order)}
    centre = {}
    for group in ET.fromstring(svg).iter(f"{SVG}g"):
        shape = group.find(f"{SVG}ellipse")
        if group.get("class") == "node" and shape is not None:
            centre[group.find(f"{SVG}title").text] = (
                float(shape.get("cx")),
                float(shape.get("cy")),
            )
    _, lines = numbers_and_lines(svg)
    across = 1 if rankdir == "LR" else 0  # the order runs down in LR, across in TB
    hidden, (last,) = model.layers[0].neurons, model.layers[1].neurons
    products = [next(u for u in order if u.op == "*" and w in u.inputs) for w in last.w]
    assert centre[f"{name[products[0]]}_op"][across] < centre[f"{name[products[1]]}_op"][across]
    # each hidden neuron's product w.0 · x0: neuron 0's first
    firsts = [next(u for u in order if u.op == "*" and n.w[0] in u.inputs) for n in hidden]
    assert centre[f"{name[firsts[0]]}_op"][across] < centre[f"{name[firsts[1]]}_op"][across]
    wires = []  # hidden neuron i's output -> the number on the edge into product i
    for product in products:
        (source,) = [x for x in product.inputs if x not in last.w]
        wires.append(lines[f"{name[source]}->{name[product]}_in{product.inputs.index(source)}"])
    assert not crosses(*wires)
