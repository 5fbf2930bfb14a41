"""draw_dot(root, focus=..., depth=k): the Values within k edges of the focus, and the cuts."""

import re

import pytest

from tinygrad_edu import MLP, Value, draw_dot, render
from tinygrad_edu.draw import GraphTooLargeError
from tinygrad_edu.draw.focus import nearby
from tinygrad_edu.engine import topological_order


def neuron():
    """o = tanh(x1*w1 + x2*w2 + b), every node labelled: x1w1, x2w2, s, n, o."""
    x1, x2, w1, w2 = Value(2.0, "x1"), Value(0.0, "x2"), Value(-3.0, "w1"), Value(1.0, "w2")
    b = Value(6.8813735870195432, "b")
    x1w1, x2w2 = x1 * w1, x2 * w2
    s = x1w1 + x2w2
    n = s + b
    o = n.tanh()
    for node, label in [(x1w1, "x1w1"), (x2w2, "x2w2"), (s, "s"), (n, "n"), (o, "o")]:
        node.label = label
    o.backward()
    return o


def records(source: str) -> set[str]:
    """The labels of the Values a DOT text draws."""
    return set(re.findall(r'^\s*v\d+ \[label="([^|"]+?) \|', source, re.M))


def markers(source: str) -> dict[str, str]:
    """The ⋯ nodes that mark a cut: name -> tooltip."""
    return dict(
        re.findall(r'^\s*(v\d+_(?:cut\d|more)) \[label="⋯".*tooltip="([^"]*)"', source, re.M)
    )


def test_depth_one_draws_the_node_its_inputs_and_its_users_and_marks_the_cuts():
    o = neuron()
    n = o.inputs[0]
    source = draw_dot(o, focus=[n], depth=1).source
    assert records(source) == {"n", "s", "b", "o"}
    cut = markers(source)
    # s lost both its inputs (x1w1, x2w2); b, n and o lost nothing; o is the root
    assert sorted(cut) == ["v6_cut0", "v6_cut1"]
    assert cut["v6_cut0"] == "input not drawn: x1w1"
    assert re.search(r"v6_cut0 -> v6_in0 \[arrowhead=none style=dashed\]", source)
    assert "data 0.8814" in source and "grad 0.5" in source  # the drawn nodes as usual


def test_depth_zero_is_the_node_alone_with_every_edge_cut():
    o = neuron()
    s = o.inputs[0].inputs[0]
    source = draw_dot(o, focus=s, depth=0).source
    assert records(source) == {"s"}
    assert sorted(markers(source)) == ["v6_cut0", "v6_cut1", "v6_more"]
    assert markers(source)["v6_more"] == "not drawn: 1 more use"


def test_several_focus_nodes_and_depth_counts_edges_either_way():
    o = neuron()
    order = topological_order(o)
    by_label = {node.label: node for node in order}
    near = nearby(order, [by_label["x1"], by_label["o"]], 2)
    assert {v.label for v in near} == {"x1", "w1", "x1w1", "s", "o", "n", "b"}
    assert nearby(order, [by_label["b"]], 10) == set(order)


def test_focus_draws_part_of_a_graph_too_large_to_draw_whole():
    model = MLP(2, [16, 16, 1], seed=0)
    loss = sum((model([i / 10, -i / 10]) - 1.0) ** 2 for i in range(20))
    with pytest.raises(GraphTooLargeError):
        draw_dot(loss)
    z = next(v for v in topological_order(loss) if v.label == "layers.1.neurons.3.z")
    source = draw_dot(loss, focus=[z], depth=2).source
    assert len(records(source)) < 20 and "cluster_layers_1_neurons_3" in source


def test_bad_focus_is_a_clear_error():
    o = neuron()
    with pytest.raises(ValueError, match="is not in the graph"):
        draw_dot(o, focus=[Value(1.0, "elsewhere")])
    with pytest.raises(TypeError, match="focus takes Values"):
        draw_dot(o, focus=["n"])
    with pytest.raises(ValueError, match="depth must be a whole number"):
        draw_dot(o, focus=o, depth=-1)
    with pytest.raises(ValueError, match="at least one Value"):
        draw_dot(o, focus=[])
    model = MLP(2, [2, 1], seed=0)
    out = model([1.0, 2.0])
    with pytest.raises(ValueError, match="drop collapse=True"):
        draw_dot(out, focus=out, collapse=True)


def test_a_focused_drawing_renders_with_its_markers(tmp_path, needs_dot):
    o = neuron()
    svg = render(o, tmp_path / "part.svg", focus=o.inputs[0], depth=1).read_text()
    assert svg.count(">⋯</text>") == 2 and ">n</text>" in svg and ">x1</text>" not in svg
