"""backward_frames: one SVG per backward step, on one layout, gradients filling in."""

import xml.etree.ElementTree as ET

import pytest

from tinygrad_edu import Value
from tinygrad_edu.draw import backward_frames, number

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


def test_frames_share_one_layout_and_change_no_gradient(tmp_path):
    a, b, s, c = reused()
    paths = backward_frames(c, tmp_path)
    sizes = {ET.parse(p).getroot().get("viewBox") for p in paths}
    assert len(sizes) == 1
    assert (a.grad, b.grad, s.grad, c.grad) == (0.0, 0.0, 0.0, 0.0)


def test_a_leaf_has_no_frames(tmp_path):
    assert backward_frames(Value(1.0, "x"), tmp_path) == []
