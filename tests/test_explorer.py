"""The HTML backprop explorer, driven in a real browser (Debian's Chromium, headless)."""

import re
from pathlib import Path

import pages
import pytest
from browser import screenshot
from pages import box, texts, within

from tinygrad_edu import Value
from tinygrad_edu.draw import GraphTooLargeError, number
from tinygrad_edu.explain import to_html
from tinygrad_edu.nn import MLP
from tinygrad_edu.walkthrough import Walkthrough


def neuron():
    """The article's neuron and its squared error: L = (σ(x·w + b) − 1)²."""
    x, w, b = Value(2.0, "x"), Value(-0.5, "w"), Value(0.3, "b")
    n = x * w + b
    n.label = "n"
    y = n.sigmoid()
    y.label = "y"
    loss = (y - 1.0) ** 2
    loss.label = "L"
    return loss


def open_page(browser, path: Path):
    """The page at 1,400 × 860, drawn (``pages.open_page``)."""
    return pages.open_page(browser, path, 1400, 860)


def shown_numbers(page, field: str) -> dict[str, str]:
    """The number each node's record shows in ``field`` ("data" or "grad"), by SVG name."""
    texts = page.eval_on_selector_all(
        "#frame g.node",
        """groups => groups.map(g => [g.querySelector('title').textContent,
              [...g.querySelectorAll('text')].map(t => t.textContent)])""",
    )
    shown = {}
    for name, lines in texts:
        for line in lines:
            if line.startswith(field):
                shown[name] = line[len(field) :].strip()
    return shown


def step_through(page, walk, root):
    """Press Next through every step, checking the values after the forward pass."""
    total = len(walk.order) + 1 + len(walk.steps)
    assert page.text_content("#counter") == f"step 1 of {total}"
    assert page.is_disabled("#previous")
    for _ in range(len(walk.order) - 1):
        page.click("#next")
    assert page.text_content("#phase") == "Forward pass"
    data = shown_numbers(page, "data")
    for position, node in enumerate(walk.order):
        assert data[f"v{position}"] == number(node.data)
    assert set(shown_numbers(page, "grad").values()) == {""}  # no gradient yet
    page.click("#next")
    assert page.text_content("#phase") == "Backward pass"
    assert page.text_content("#line") == f"d({walk.names[root]})/d({walk.names[root]}) = 1.0"
    for number_of_edge, step in enumerate(walk.steps):
        page.click("#next")
        assert page.text_content("#line") == walk.chain_rule(step)
        if number_of_edge == 0:  # the current edge is outlined in red
            assert page.locator("#frame g.edge path[stroke='#d62728']").count() == 1
    assert page.is_disabled("#next")
    assert page.text_content("#counter") == f"step {total} of {total}"


def test_the_neuron_explorer_tells_both_passes_with_python_numbers(chromium, tmp_path):
    loss = neuron()
    walk = Walkthrough.of(loss)
    path = to_html(loss, tmp_path / "neuron.html")
    page, requests, errors = open_page(chromium, path)
    step_through(page, walk, loss)

    loss.backward()  # the Python gradients, to compare with what the page shows
    grads = shown_numbers(page, "grad")
    for position, node in enumerate(walk.order):
        assert grads[f"v{position}"] == number(node.grad)

    # an unlabelled node's record is named as the text names it: v2 = x * w
    records = page.eval_on_selector_all(
        "#frame g.node",
        "gs => gs.map(g => [g.querySelector('title').textContent, g.querySelector('text')"
        ".textContent])",
    )
    assert ["v2", "v2"] in records and ["v0", "x"] in records

    # the inspector of w (v1): label, operation, data, grad
    page.click("#frame g.node:has(title:text-is('v1'))")
    assert page.text_content("#inspector-name") == "w"
    facts = {
        term: page.text_content(f"#inspector-facts dd[data-fact='{term}']")
        for term in ("label", "operation", "data", "grad")
    }
    w = walk.order[1]
    assert facts["label"] == "w" and facts["operation"] == "none: a leaf"
    assert float(facts["data"]) == w.data
    assert float(facts["grad"]) == pytest.approx(w.grad, rel=1e-5)

    # a computed node (n = v2 + b): its inputs with each edge's derivative rule
    n = next(node for node in walk.order if node.label == "n")
    page.click(f"#frame g.node:has(title:text-is('v{walk.order.index(n)}'))")
    inputs = page.locator("#inspector-inputs li").all_text_contents()
    assert page.text_content("#inspector-facts dd[data-fact='operation']") == "+:  n = v2 + b"
    assert inputs[0].endswith("local derivative 1.0 by d(a+b)/da = 1")
    assert inputs[1] == "b = 0.3; local derivative 1.0 by d(a+b)/db = 1"
    assert float(page.text_content("#inspector-facts dd[data-fact='grad']")) == pytest.approx(
        n.grad, rel=1e-5
    )

    # arrow keys and the slider move too; the inspector follows the step
    page.keyboard.press("Home")
    assert page.text_content("#counter").startswith("step 1 of")
    assert page.text_content("#inspector-facts dd[data-fact='data']") == "not computed yet"
    page.keyboard.press("ArrowRight")
    assert page.text_content("#counter").startswith("step 2 of")
    page.eval_on_selector("#slider", "s => { s.value = 12; s.dispatchEvent(new Event('input')); }")
    assert page.text_content("#counter").startswith("step 13 of")

    screenshot(page, "explorer-neuron")
    assert errors == []
    assert all(url.startswith("file://") for url in requests), requests  # no network


def test_an_mlp_explorer_is_clustered_by_neuron_and_ends_with_its_gradients(chromium, tmp_path):
    model = MLP(2, [2, 1], activation="tanh", seed=0)
    inputs = [Value(0.5, "x0"), Value(-1.0, "x1")]
    out = model(inputs)
    walk = Walkthrough.of(out)
    path = to_html(out, tmp_path / "mlp.html", view="graph")
    assert not re.search(r"(src|href)=\"https?:", path.read_text())
    page, requests, errors = open_page(chromium, path)
    clusters = page.locator("#frame g.cluster title").all_text_contents()
    assert len(clusters) == 3 + 2  # three neurons inside two layers
    step_through(page, walk, out)
    out.backward()
    grads = shown_numbers(page, "grad")
    for name, parameter in model.named_parameters():
        assert grads[f"v{walk.order.index(parameter)}"] == number(parameter.grad), name
    screenshot(page, "explorer-mlp")
    assert errors == []
    assert all(url.startswith("file://") for url in requests)


def test_going_back_undoes_what_later_steps_showed(chromium, tmp_path):
    loss = neuron()
    walk = Walkthrough.of(loss)
    page, _, errors = open_page(chromium, to_html(loss, tmp_path / "neuron.html"))
    page.keyboard.press("End")
    assert page.locator("#frame g[opacity]").count() == 0  # every node computed
    assert "" not in shown_numbers(page, "grad").values()
    page.keyboard.press("Home")  # back to the first forward step: only v0 is computed
    data = shown_numbers(page, "data")
    assert data["v0"] == number(walk.order[0].data)
    assert all(data[f"v{i}"] == "" for i in range(1, len(walk.order)))
    assert set(shown_numbers(page, "grad").values()) == {""}
    assert page.locator("#frame g.edge path[stroke='#d62728']").count() == 0
    outlined = page.eval_on_selector_all(
        "#frame g.node",
        "gs => gs.filter(g => g.querySelector('[stroke=\"#d62728\"]'))"
        ".map(g => g.querySelector('title').textContent)",
    )
    assert outlined == ["v0"]
    faded = page.locator("#frame g.node[opacity]").count()
    operations = sum(1 for node in walk.order if node.op)
    assert faded == len(walk.order) - 1 + operations  # records and ovals not yet computed
    assert errors == []


def test_a_label_with_markup_neither_breaks_nor_injects(chromium, tmp_path):
    x = Value(2.0, "</script><!--<script>alert(1)")
    y = (x * 3.0).tanh()
    y.label = "<b>y</b>"
    path = to_html(y, tmp_path / "markup.html")
    page, _, errors = open_page(chromium, path)
    walk = Walkthrough.of(y)
    assert page.text_content("#counter") == f"step 1 of {len(walk.order) + 1 + len(walk.steps)}"
    page.click("#frame g.node:has(title:text-is('v0'))")
    assert page.text_content("#inspector-name") == "</script><!--<script>alert(1)"
    assert page.locator("#frame b").count() == 0 and errors == []


def test_the_page_holds_each_picture_once_and_grows_with_the_graph(needs_dot, tmp_path):
    model = MLP(2, [4, 4, 1], activation="tanh", seed=0)
    out = model([Value(0.5, "x0"), Value(-1.0, "x1")])
    text = to_html(out, tmp_path / "mlp.html", view="graph").read_text()
    assert text.count("<svg") == 2  # laid out once left to right, once top to bottom
    assert len(text) < 1_000_000  # was 40 MB with one SVG per step
    script = text.split('id="walkthrough">')[1].split("</script>")[0]
    assert "<" not in script  # every "<" of the JSON is written \u003c
    network = to_html(out, tmp_path / "network.html").read_text()
    assert network.count("<svg") == 2 + 9  # the network's two layouts and each neuron's graph
    assert len(network) < 1_000_000


def test_a_graph_larger_than_the_limit_is_refused_before_anything_is_written(tmp_path):
    model = MLP(2, [8, 8, 1], seed=0)
    out = model([Value(0.5), Value(-1.0)])
    with pytest.raises(GraphTooLargeError, match="at most 150 Values and this graph has 299") as e:
        to_html(out, tmp_path / "big.html", view="graph")
    assert "max_nodes=299" in str(e.value) and "collapse=True" in str(e.value)
    assert "--" not in str(e.value)  # Python keywords here, not the command line's flags
    assert not (tmp_path / "big.html").exists()
    x = Value(1.0, "x")
    with pytest.raises(GraphTooLargeError, match="at most 2 Values"):
        to_html(x * 2.0 + 1.0, tmp_path / "small.html", max_nodes=2)
    leaves = [Value(float(i), f"x{i}") for i in range(100)]
    with pytest.raises(GraphTooLargeError, match="no network view either: the graph has no neu"):
        to_html(sum(leaves[1:], leaves[0]), tmp_path / "sum.html")
    assert not (tmp_path / "sum.html").exists()


def mlp_loss():
    model = MLP(2, [2, 1], seed=0)
    out = model([Value(0.5, "x0"), Value(-1.0, "x1")])
    loss = (out - 1.0) ** 2
    loss.label = "loss"
    return loss


def test_each_forward_step_shows_the_values_of_the_forward_order_so_far(chromium, tmp_path):
    loss = mlp_loss()
    walk = Walkthrough.of(loss)
    assert walk.forward_order != walk.order  # leaves come just before their first use
    page, _, errors = open_page(chromium, to_html(loss, tmp_path / "mlp.html", view="graph"))
    name = {node: f"v{position}" for position, node in enumerate(walk.order)}
    for k, node in enumerate(walk.forward_order):
        data = shown_numbers(page, "data")
        shown = {n for n, text in data.items() if text and n in name.values()}
        assert shown == {name[earlier] for earlier in walk.forward_order[: k + 1]}, k
        assert data[name[node]] == number(node.data)
        page.keyboard.press("ArrowRight")
    assert errors == []


def drawn_edge_labels(page) -> list[str]:
    """The local derivatives written on the picture's edges that a person sees, sorted."""
    return sorted(pages.shown(page, "#frame g.edge"))


def test_an_edge_shows_its_local_derivative_once_the_forward_pass_computed_it(chromium, tmp_path):
    """A faded edge (its operation not yet computed) shows no number; each operation's step
    writes its inputs' local derivatives, Python's own, on its edges."""
    loss = neuron()
    walk = Walkthrough.of(loss)
    page, _, errors = open_page(chromium, to_html(loss, tmp_path / "neuron.html"))
    for k in range(len(walk.forward_order)):
        computed = walk.forward_order[: k + 1]
        expected = sorted(number(local) for node in computed for local in node.local_grads)
        assert drawn_edge_labels(page) == expected, k
        page.keyboard.press("ArrowRight")
    every = sorted(number(local) for node in walk.order for local in node.local_grads)
    assert page.text_content("#phase") == "Backward pass" and drawn_edge_labels(page) == every
    assert errors == []


def test_a_neurons_graph_writes_local_derivatives_as_the_forward_pass_reaches_them(
    chromium, tmp_path
):
    """The same in a neuron's own graph, opened from the network view: no number on an edge
    at its first step, then more with each operation, all of them when the pass goes back."""
    model = MLP(2, [4, 4, 1], activation="tanh", seed=0)
    loss = (model([0.5, -1.0]) - 1.0) ** 2
    page, _, errors = open_page(chromium, to_html(loss, tmp_path / "mlp.html"))
    page.click("#frame svg g.neuron[data-neuron='2.1']")
    nin = model.layers[1].neurons[1].nin
    edges = 2 * nin + 2 * nin + 1  # each product's two, each sum's two, the tanh's one
    counts = []
    while page.text_content("#phase") == "Forward pass":
        counts.append(len(drawn_edge_labels(page)))
        page.keyboard.press("ArrowRight")
    assert counts[0] == 0 and counts == sorted(counts) and counts[-1] == edges
    assert len(drawn_edge_labels(page)) == edges
    assert errors == []


def smallest_text(page) -> float:
    """The smallest text of the graph on screen, in pixels."""
    return min(t["px"] for t in texts(page))


def sum_of(count: int) -> Value:
    leaves = [Value(float(i), f"x{i}") for i in range(count)]
    return sum(leaves[1:], leaves[0])


def test_a_graph_too_large_to_fit_is_readable_follows_the_step_or_is_whole_on_request(
    chromium, tmp_path
):
    page, _, errors = open_page(chromium, to_html(sum_of(13), tmp_path / "sum.html"))
    assert page.get_attribute("#frame", "class") == "frame zoomed"  # too large to fit at 10 px
    assert smallest_text(page) >= 10  # so shown larger, scrolling
    assert page.is_visible("#zoom") and page.text_content("#zoom") == "Whole graph"
    page.keyboard.press("End")  # the last edge is at the far end of the graph
    assert within(box(page, "#frame g.edge path[stroke='#d62728']"), box(page, "#frame"))
    page.click("#zoom")
    assert page.text_content("#zoom") == "Readable size" and not page.is_visible("#notice")
    assert within(box(page, "#frame svg"), box(page, "#frame"))
    assert 8 <= smallest_text(page) < 10
    page.click("#zoom")
    assert smallest_text(page) >= 10
    assert errors == []


def test_whole_graph_never_shrinks_text_below_8_pixels_and_says_so(chromium, tmp_path):
    page, _, errors = open_page(chromium, to_html(mlp_loss(), tmp_path / "mlp.html", view="graph"))
    before = smallest_text(page)
    assert before >= 10
    page.click("#zoom")
    assert page.is_visible("#notice") and "smaller than 8 pixels" in page.text_content("#notice")
    assert smallest_text(page) == pytest.approx(before)  # it keeps the readable size
    assert errors == []


def test_a_graph_that_fits_at_a_readable_size_has_no_zoom_button(chromium, tmp_path):
    product = Value(2.0, "x") * Value(3.0, "y")
    page, _, errors = open_page(chromium, to_html(product, tmp_path / "product.html"))
    assert not page.is_visible("#zoom")
    assert 12 <= smallest_text(page) <= 16  # 12-point text at its drawn size (16 px), no larger
    assert errors == []


def test_a_tall_graph_is_shown_readable_too(chromium, tmp_path):
    leaves = [Value(float(i), f"x{i}") for i in range(24)]
    while len(leaves) > 1:  # a balanced sum: tall and narrow when drawn left to right
        leaves = [a + b for a, b in zip(leaves[::2], leaves[1::2])] + leaves[len(leaves) // 2 * 2 :]
    page, _, errors = open_page(chromium, to_html(leaves[0], tmp_path / "tall.html"))
    assert smallest_text(page) >= 10 and page.is_visible("#zoom")
    assert errors == []


def test_on_a_big_graph_the_frame_follows_the_edges_label(chromium, tmp_path):
    model = MLP(2, [4, 4, 1], seed=0)
    out = model([Value(0.5, "x0"), Value(-1.0, "x1")])
    page, _, errors = open_page(chromium, to_html(out, tmp_path / "big.html", view="graph"))
    inside = """() => {
        const label = [...document.querySelectorAll('#frame g.edge text')]
            .find(t => t.getAttribute('fill') === '#d62728');
        const box = label.getBoundingClientRect();
        const view = document.querySelector('#frame').getBoundingClientRect();
        return box.left >= view.left && box.right <= view.right
            && box.top >= view.top && box.bottom <= view.bottom;
    }"""
    for key in ["End", "Home", "End", "ArrowLeft", "ArrowLeft"]:
        page.keyboard.press(key)
        if (
            page.text_content("#phase") == "Backward pass"
            and page.locator("#frame g.edge text[fill='#d62728']").count()
        ):
            assert page.evaluate(inside), key
    assert errors == []
