"""draw_dot in a notebook: fitted to the output area, never enlarged, text readable, root in view.

The browser tests put each drawing's notebook HTML (what JupyterLab, VS Code and
nbconvert's HTML show) into a box 1,000 px wide in headless Chromium and measure
what a person sees there: the drawn width, the pixel height of every text, and
whether the root is on screen.
"""

import re

import graphviz
import pytest
from browser import measure_svgs, output_area, screenshot

from tinygrad_edu import MLP, Value, draw_dot
from tinygrad_edu.draw.notebook import MIN_TEXT_PX, PX_PER_PT, Drawing, fitted_html
from tinygrad_edu.expr import parse


def lecture_expression():
    """The micrograd lecture's L = (a*b + c) * f, with its labels."""
    a, b, c, f = Value(2.0, "a"), Value(-3.0, "b"), Value(10.0, "c"), Value(-2.0, "f")
    e = a * b
    e.label = "e"
    d = e + c
    d.label = "d"
    L = d * f
    L.label = "L"
    L.backward()
    return L


def lecture_neuron():
    """The lecture's neuron o = tanh(x1*w1 + x2*w2 + b), labelled as in the lecture."""
    x1, x2 = Value(2.0, "x1"), Value(0.0, "x2")
    w1, w2 = Value(-3.0, "w1"), Value(1.0, "w2")
    b = Value(6.8813735870195432, "b")
    x1w1 = x1 * w1
    x1w1.label = "x1*w1"
    x2w2 = x2 * w2
    x2w2.label = "x2*w2"
    x1w1x2w2 = x1w1 + x2w2
    x1w1x2w2.label = "x1*w1 + x2*w2"
    n = x1w1x2w2 + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    o.backward()
    return o


def article_neuron_and_loss():
    """The README's neuron and its squared error: wider than 1,000 px at its natural size."""
    values = {"x1": 2, "x2": 3, "w1": 0.5, "w2": -0.4, "b": 0.1}
    loss = parse("(sigmoid(x1*w1 + x2*w2 + b) - 1)**2", values)
    loss.backward()
    return loss


def mlp_output(sizes=(2, 3, 1)):
    nin, *layers = sizes
    model = MLP(nin, layers, activation="tanh", seed=0)
    out = model([Value(0.5 - i, f"x{i}") for i in range(nin)])
    out.backward()
    return out


def natural_width(drawing: Drawing) -> float:
    svg = drawing.pipe(format="svg").decode()
    return float(re.search(r'<svg width="([\d.]+)pt"', svg)[1]) * PX_PER_PT


# ---------------------------------------------------------------- the representation


def test_a_drawing_is_a_digraph_whose_notebook_view_is_fitted_html(needs_dot):
    drawing = draw_dot(lecture_expression())
    assert isinstance(drawing, graphviz.Digraph) and isinstance(drawing.copy(), Drawing)
    bundle = drawing._repr_mimebundle_()
    assert set(bundle) == {"text/html", "text/plain"}
    html = bundle["text/html"]
    assert html.count("<svg") == 1 and "<style" not in html  # nothing restyles the notebook
    width = natural_width(drawing)
    assert f"max-width:{width:.0f}px" in html and "width:100%" in html
    assert drawing._repr_html_().count("<svg") == 1
    svg_only = drawing._repr_mimebundle_(include=["image/svg+xml"])
    assert list(svg_only) == ["image/svg+xml"] and svg_only["image/svg+xml"].startswith("<?xml")
    assert "text/html" not in drawing._repr_mimebundle_(exclude=["text/html"])


def test_the_narrowest_width_puts_the_smallest_text_at_the_floor():
    svg = (
        '<svg width="1500pt" height="100pt" viewBox="0.00 0.00 1500.00 100.00">'
        '<text font-size="12.00">a</text><text font-size="14.00">b</text></svg>'
    )
    html = fitted_html(svg, "LR")
    natural = 1500 * PX_PER_PT
    narrowest = natural * MIN_TEXT_PX / (12 * PX_PER_PT)  # 12 pt text shown 8 px high
    assert f"max-width:{natural:.0f}px" in html and f"min-width:{narrowest:.0f}px" in html
    assert "direction:rtl" in html and "<script" not in html  # LR: the root is the last column
    assert "<script" in fitted_html(svg, "TB") and "direction:ltr" in fitted_html(svg, "RL")


def test_without_graphviz_the_notebook_says_how_to_install_it(monkeypatch):
    monkeypatch.setenv("PATH", "")
    bundle = draw_dot(lecture_expression())._repr_mimebundle_()
    assert list(bundle) == ["text/plain"] and "apt-get install graphviz" in bundle["text/plain"]


def test_micrograds_format_and_rankdir_keywords(tmp_path, needs_dot):
    root = lecture_expression()
    drawing = draw_dot(root, format="svg", rankdir="LR")  # micrograd's call, as it stands
    assert drawing.format == "svg" and drawing.graph_attr["rankdir"] == "LR"
    png = draw_dot(root, "png", "TB")  # and positionally, in micrograd's order
    assert png.format == "png" and png.graph_attr["rankdir"] == "TB"
    written = png.render(tmp_path / "graph")  # graphviz's own render writes its format
    assert written.endswith(".png") and (tmp_path / "graph.png").read_bytes()[:4] == b"\x89PNG"
    with pytest.raises(ValueError, match="format must be a Graphviz format"):
        draw_dot(root, format="jpeg2")


# ---------------------------------------------------------------- in a browser


def shown(browser, drawing: Drawing, name: str, width: int = 1000) -> dict:
    """The drawing's notebook HTML in a box ``width`` px wide: its measures, and a screenshot."""
    page = output_area(browser, drawing._repr_mimebundle_()["text/html"], width)
    (measured,) = measure_svgs(page)
    screenshot(page, f"notebook-{name}-{width}")
    assert page.errors == []
    page.close()
    return measured


@pytest.mark.parametrize(
    "name, make", [("lecture-expression", lecture_expression), ("lecture-neuron", lecture_neuron)]
)
def test_the_lectures_graphs_are_whole_and_readable_in_1000_px(chromium, name, make):
    drawing = draw_dot(make())
    seen = shown(chromium, drawing, name)
    assert seen["width"] <= 1000 and not seen["scrolls"]
    assert seen["width"] == pytest.approx(min(1000, natural_width(drawing)), abs=1)
    smallest = min(seen["texts"], key=lambda text: text["px"])
    assert smallest["px"] >= 10, smallest  # font size as shown, in CSS pixels
    assert min(text["height"] for text in seen["texts"]) >= 10
    assert seen["root"]["inView"]
    assert seen["right"] - seen["root"]["right"] < 10  # left to right: the root ends the picture


def test_the_lectures_neuron_fits_mostly_by_its_layout_not_by_shrinking(needs_dot):
    """Records stacked, spacing tight, numbers on edges: the lecture's 2,227 px became this."""
    assert natural_width(draw_dot(lecture_neuron())) < 1300
    assert natural_width(draw_dot(lecture_expression())) < 1000  # shown at its natural size


def test_a_small_graph_is_never_enlarged(chromium):
    x = Value(2.0, "x")
    y = x * 3.0
    y.label = "y"
    drawing = draw_dot(y)
    seen = shown(chromium, drawing, "small")
    assert seen["width"] == pytest.approx(natural_width(drawing), abs=1) and seen["width"] < 500
    assert seen["scale"] == pytest.approx(PX_PER_PT, rel=1e-3)  # one point is 4/3 px, as drawn


def test_a_larger_graph_shrinks_to_fit_with_text_at_least_8_px(chromium):
    drawing = draw_dot(article_neuron_and_loss())
    assert 1000 < natural_width(drawing) < 1000 * 2  # shrinking to 8 px text would fit it
    seen = shown(chromium, drawing, "article-neuron")
    assert seen["width"] == pytest.approx(1000, abs=1) and not seen["scrolls"]
    assert min(text["px"] for text in seen["texts"]) >= MIN_TEXT_PX
    assert seen["root"]["inView"]


@pytest.mark.parametrize("rankdir", ["LR", "TB"])
def test_past_8_px_it_scrolls_and_opens_with_the_root_in_view(chromium, rankdir):
    drawing = draw_dot(mlp_output((2, 4, 4, 1)), rankdir=rankdir)
    seen = shown(chromium, drawing, f"mlp-{rankdir}")
    assert seen["scrolls"] and seen["container"] == pytest.approx(1000, abs=1)
    assert min(text["px"] for text in seen["texts"]) == pytest.approx(MIN_TEXT_PX, abs=0.05)
    assert seen["root"]["inView"]


def test_on_a_1280_by_800_projector_the_lectures_neuron_is_shown_at_its_natural_size(chromium):
    drawing = draw_dot(lecture_neuron())
    seen = shown(chromium, drawing, "lecture-neuron", width=1264)  # the page less its margins
    assert seen["width"] == pytest.approx(natural_width(drawing), abs=1)
    assert seen["height"] < 800 and min(t["px"] for t in seen["texts"]) >= 15.9  # 12 pt


def test_several_drawings_in_one_page_each_fit_on_their_own(chromium):
    drawings = [draw_dot(lecture_expression()), draw_dot(mlp_output(), rankdir="TB")]
    html = "".join(d._repr_mimebundle_()["text/html"] for d in drawings)
    page = output_area(chromium, html, 1000)
    first, second = measure_svgs(page)
    assert not first["scrolls"] and second["scrolls"]
    assert first["root"]["inView"] and second["root"]["inView"]
    assert page.evaluate("document.styleSheets.length") == 0
    assert page.errors == []
    page.close()
