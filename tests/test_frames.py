"""backward_frames: one SVG per backward step, on one layout, gradients filling in."""

import xml.etree.ElementTree as ET

import pytest

from tinygrad_edu import MLP, Value
from tinygrad_edu.draw import GraphTooLargeError, backward_frames, number
from tinygrad_edu.draw.network_picture import number as network_number

SVG = "{http://www.w3.org/2000/svg}"


pytestmark = pytest.mark.usefixtures("needs_dot")


def reused():
    """c = (a + b) * a: four edges, a used twice."""
    a, b = Value(3.0, "a"), Value(1.0, "b")
    s = a + b
    s.label = "s"
    c = s * a
    c.label = "c"
    return a, b, s, c


def grads_shown(path) -> dict[str, str]:
    shown = {}
    for group in ET.parse(path).getroot().iter(f"{SVG}g"):
        if group.get("class") != "node":
            continue
        name = group.find(f"{SVG}title").text
        for text in group.iter(f"{SVG}text"):
            if (text.text or "").startswith("grad"):
                shown[name] = text.text[4:].strip()
    return shown


def red_edges(path) -> list[str]:
    root = ET.parse(path).getroot()
    return [
        group.find(f"{SVG}title").text
        for group in root.iter(f"{SVG}g")
        if group.get("class") == "edge"
        and any(p.get("stroke") == "#d62728" for p in group.iter(f"{SVG}path"))
    ]


def test_one_frame_per_edge_with_gradients_filling_in(tmp_path):
    a, b, s, c = reused()
    paths = backward_frames(c, tmp_path / "frames")
    assert [p.name for p in paths] == ["step_1.svg", "step_2.svg", "step_3.svg", "step_4.svg"]
    # names are topological positions: a=v0, b=v1, s=v2, c=v3
    # step 1: c -> s carries 1 * a = 3
    assert grads_shown(paths[0]) == {"v0": "", "v1": "", "v2": "3.0", "v3": "1.0"}
    assert red_edges(paths[0]) == ["v2->v3_op"]
    # step 2: c -> a carries 1 * s = 4 (a's first share)
    assert grads_shown(paths[1])["v0"] == "4.0"
    assert red_edges(paths[1]) == ["v0->v3_op"]
    # step 3: s -> a adds 3 * 1: a's gradient is the sum 7
    assert grads_shown(paths[2])["v0"] == "7.0"
    # the last frame holds what backward() computes
    c.backward()
    assert grads_shown(paths[3]) == {f"v{i}": number(v.grad) for i, v in enumerate((a, b, s, c))}


def test_unlabelled_nodes_show_the_name_explain_gives_them(tmp_path):
    x = Value(2.0, "x")
    loss = (x * 3.0 - 1.0) ** 2  # v1 = 3.0, v2 = x * v1, v3 = 1.0, v4 = v2 - v3, v5 = v4**2
    first_texts = {}
    for group in ET.parse(backward_frames(loss, tmp_path)[0]).getroot().iter(f"{SVG}g"):
        if group.get("class") == "node" and not group.find(f"{SVG}title").text.endswith("_op"):
            first_texts[group.find(f"{SVG}title").text] = next(group.iter(f"{SVG}text")).text
    assert first_texts == {f"v{i}": f"v{i}" for i in range(1, 6)} | {"v0": "x"}


def test_frames_share_one_layout_and_change_no_gradient(tmp_path):
    a, b, s, c = reused()
    paths = backward_frames(c, tmp_path)
    sizes = {ET.parse(p).getroot().get("viewBox") for p in paths}
    assert len(sizes) == 1
    assert (a.grad, b.grad, s.grad, c.grad) == (0.0, 0.0, 0.0, 0.0)


def test_a_leaf_has_no_frames(tmp_path):
    assert backward_frames(Value(1.0, "x"), tmp_path) == []


def test_a_second_run_replaces_the_frames_of_the_first(tmp_path):
    a, b, s, c = reused()
    backward_frames(c, tmp_path)  # four frames
    (tmp_path / "notes.txt").write_text("mine")
    x = Value(2.0, "x")
    paths = backward_frames(x * 3.0, tmp_path)  # one edge that matters, two in all
    assert sorted(p.name for p in tmp_path.glob("step_*.svg")) == [p.name for p in paths]
    assert len(paths) == 2
    assert (tmp_path / "notes.txt").read_text() == "mine"
    backward_frames(Value(1.0), tmp_path)  # a leaf: no frames at all
    assert list(tmp_path.glob("step_*.svg")) == []


def test_frames_are_plain_svg_with_the_usual_namespace_prefixes(tmp_path):
    (path,) = backward_frames(Value(2.0, "x").tanh(), tmp_path)
    text = path.read_text()
    assert text.startswith("<svg ") and 'xmlns="http://www.w3.org/2000/svg"' in text
    assert "ns0:" not in text and "<g " in text


def test_too_large_a_graph_is_refused_before_any_file_changes(tmp_path):
    a, b, s, c = reused()
    backward_frames(c, tmp_path)
    x = Value(1.0, "x")
    y = x
    for _ in range(20):
        y = y * 1.0
    with pytest.raises(GraphTooLargeError, match="max_nodes=10"):
        backward_frames(y, tmp_path, max_nodes=10)
    assert len(list(tmp_path.glob("step_*.svg"))) == 4


# ---------------------------------------------------------------- frames for slides


def readme_neuron():
    """The README's neuron: L = (σ(x1·w1 + x2·w2 + b) − 1)², 13 Values."""
    x1, x2 = Value(2.0, "x1"), Value(3.0, "x2")
    w1, w2, b = Value(0.5, "w1"), Value(-0.4, "w2"), Value(0.1, "b")
    y = (x1 * w1 + x2 * w2 + b).sigmoid()
    loss = (y - 1.0) ** 2
    loss.label = "L"
    return loss


def slide_of(path):
    """A frame's size in pixels, its viewBox, and its texts as (font size in pixels, x, y),
    the positions in the viewBox's coordinates."""
    svg = ET.parse(path).getroot()
    width, height = float(svg.get("width")), float(svg.get("height"))
    left, top, view_w, view_h = (float(v) for v in svg.get("viewBox").split())
    scale = width / view_w
    assert height / view_h == pytest.approx(
        scale, rel=1e-4
    )  # one scale both ways: nothing stretched
    dx = dy = 0.0
    transform = next(svg.iter(f"{SVG}g")).get("transform") or ""
    if "translate(" in transform:
        dx, dy = (float(v) for v in transform.split("translate(")[1].split(")")[0].split())
    texts = [
        (
            float(t.get("font-size") or svg.get("font-size")) * scale,
            float(t.get("x")) + dx,
            float(t.get("y")) + dy,
        )
        for t in svg.iter(f"{SVG}text")
        if t.get("visibility") != "hidden"
    ]
    return (width, height), (left, top, view_w, view_h), texts


def test_a_neurons_frames_fill_a_16_9_slide_whole_with_text_of_14_pixels(tmp_path):
    paths = backward_frames(readme_neuron(), tmp_path)
    assert len(paths) == 12
    for path in paths:
        size, (left, top, width, height), texts = slide_of(path)
        assert size == (1920, 1080)
        assert min(px for px, _, _ in texts) >= 14
        assert all(left <= x <= left + width and top <= y <= top + height for _, x, y in texts)


def test_frames_take_the_size_they_are_given(tmp_path):
    (path, *_) = backward_frames(readme_neuron(), tmp_path, size=(1280, 720))
    size, _, texts = slide_of(path)
    assert size == (1280, 720) and min(px for px, _, _ in texts) >= 14


def test_a_graph_too_large_for_a_slide_is_shown_around_the_current_edge(tmp_path):
    model = MLP(2, [4, 4, 1], seed=0)
    loss = (model([0.5, -1.0]) - 1.0) ** 2
    paths = backward_frames(loss, tmp_path)
    for path in paths[::20]:
        _, (left, top, width, height), texts = slide_of(path)
        assert min(px for px, _, _ in texts) >= 14
        svg = ET.parse(path).getroot()
        (red,) = [
            g
            for g in svg.iter(f"{SVG}g")
            if g.get("class") == "edge" and any(p.get("stroke") == "#d62728" for p in g)
        ]
        label = red.find(f"{SVG}text")
        transform = next(svg.iter(f"{SVG}g")).get("transform")
        dx, dy = (float(v) for v in transform.split("translate(")[1].split(")")[0].split())
        x, y = float(label.get("x")) + dx, float(label.get("y")) + dy
        assert left <= x <= left + width and top <= y <= top + height  # the step is in view


def test_the_network_views_frames_go_back_neuron_by_neuron(tmp_path):
    model = MLP(2, [4, 4, 1], activation="tanh", seed=0)
    loss = (model([0.5, -1.0]) - 1.0) ** 2
    paths = backward_frames(loss, tmp_path, view="network")
    assert len(paths) == 2 + 9  # the start, the loss, then each neuron
    loss.backward()
    for path in paths:
        size, _, texts = slide_of(path)
        assert size == (1920, 1080) and min(px for px, _, _ in texts) >= 14
    last = ET.parse(paths[-1]).getroot()
    assert last.get("data-direction") == "LR"  # left to right suits a wide slide
    shown = [t.text for t in last.iter(f"{SVG}text") if t.get("visibility") != "hidden"]
    for layer in model.layers:
        for neuron in layer.neurons:
            for w in neuron.w:
                assert f"∂ {network_number(w.grad)}" in shown
    tall = backward_frames(loss, tmp_path / "tall", view="network", size=(1080, 1920))
    assert ET.parse(tall[0]).getroot().get("data-direction") == "TB"


@pytest.mark.parametrize(
    "options, message",
    [
        ({"size": (1920,)}, "size must be"),
        ({"size": (50, 1080)}, "size must be"),
        ({"view": "slides"}, "view must be"),
        ({"view": "network"}, "has no neurons"),
    ],
)
def test_bad_options_are_refused_before_any_file_changes(tmp_path, options, message):
    with pytest.raises(ValueError, match=message):
        backward_frames(readme_neuron(), tmp_path / "frames", **options)
    assert not (tmp_path / "frames").exists()
