"""The explorer's network view, driven in Chromium: both passes neuron by neuron, readable."""

import re

import pytest
from browser import screenshot
from pages import (
    box,
    go_to,
    open_page,
    overlaps,
    panel_cards,
    shown,
    split_names,
    texts,
    viewport,
    within,
)

from tinygrad_edu import MLP, Value, explore
from tinygrad_edu.draw import number as card_number
from tinygrad_edu.draw.network_picture import number
from tinygrad_edu.formatting import format_number

NEURON = "#frame svg g.neuron[data-neuron='{}']"


def mlp_loss(sizes, activation="tanh", seed=0):
    """An MLP(2, sizes) and its squared error on one sample: L = (out - 1)²."""
    model = MLP(2, sizes, activation=activation, seed=seed)
    loss = (model([0.5, -1.0]) - 1.0) ** 2
    loss.label = "loss"
    return model, loss


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """MLP(2, [4, 4, 1]): its page, the model, its loss (after backward), and the steps."""
    model, loss = mlp_loss([4, 4, 1])
    path = explore(loss).save(tmp_path_factory.mktemp("network") / "small.html")
    loss.backward()  # Python's own gradients, to compare with what the page shows
    return path, model, loss


@pytest.fixture(scope="module")
def moons(tmp_path_factory):
    model, loss = mlp_loss([16, 16, 1], activation="relu")
    path = explore(loss).save(tmp_path_factory.mktemp("network") / "moons.html")
    loss.backward()
    return path, model, loss


def schedule(model):
    """The step of each neuron's forward and backward step, counted by hand: the inputs, each
    neuron layer by layer, the loss; then the start, the loss, each neuron from the last layer."""
    layers = [layer.neurons for layer in model.layers]
    order = [(k, j) for k, layer in enumerate(layers, 1) for j in range(len(layer))]
    forward = {key: 1 + k for k, key in enumerate(order)}
    start = len(order) + 2
    backward_order = [(k, j) for k in range(len(layers), 0, -1) for j in range(len(layers[k - 1]))]
    backward = {key: start + 2 + k for k, key in enumerate(backward_order)}
    return forward, backward, start


def visible_labels(page):
    return shown(page, "#frame svg g.label")


def card_names(model) -> set[str]:
    """Every name the network view's card and key may write for ``model``, written by hand
    from the key: x[i], w[l][j,i], b[l][j], z[l][j], a[l][j], their sums over i or k, the
    loss's inner node (a[L][0] - 1.0), and each one's ∂L/∂ (a name can hold spaces)."""
    sizes = [len(layer.neurons) for layer in model.layers]
    names = {"x[i]", "w[l][j,i]", "b[l][j]", "z[l][j]", "a[l][j]", "a[l-1][i]", "a[0][i]"}
    names |= {"act(z[l][j])", "Σᵢ w[l][j,i]·a[l-1][i]", f"(a[{len(sizes)}][0] - 1.0)"}
    names |= {f"x[{i}]" for i in range(model.layers[0].neurons[0].nin)}
    for layer, size in enumerate(sizes, 1):
        inputs = "x" if layer == 1 else f"a[{layer - 1}]"
        names |= {f"{inputs}[i]", f"z[{layer}][k]"}
        for j in range(size):
            names |= {f"{kind}[{layer}][{j}]" for kind in "zab"}
            names |= {f"w[{layer}][{j},i]", f"Σᵢ w[{layer}][{j},i]·{inputs}[i]"}
            names |= {f"w[{layer + 1}][k,{j}]", f"Σₖ ∂L/∂z[{layer + 1}][k]·w[{layer + 1}][k,{j}]"}
            nin = model.layers[layer - 1].neurons[j].nin
            names |= {f"w[{layer}][{j},{i}]" for i in range(nin)}
    return names | {f"∂L/∂{name}" for name in names} | {"∂L/∂a", "∂L/∂z", "∂L/∂w"}


def bracketed(text: str) -> list[str]:
    """The bracketed groups of a card's line, ``(a[3][0] - 1.0)`` or ``(i = 0…3)``: each one
    stands for one thing, a name or an aside, and stays on one line."""
    return re.findall(r"\([^()]*\)", text.replace("\u00a0", " "))


def test_every_step_shows_pythons_values_and_gradients(chromium, small):
    path, model, loss = small
    page, requests, errors = open_page(chromium, path)
    forward, backward, start = schedule(model)
    total = start + 2 + len(forward)
    outs = {node.label: node for node in _outputs(loss)}
    assert page.text_content("#counter") == f"step 1 of {total}"
    assert page.get_attribute("body", "data-view") == "main"
    for step in range(total):
        assert page.get_attribute("body", "data-step") == str(step)
        for layer, j in forward:
            neuron = model.layers[layer - 1].neurons[j]
            out = outs[f"layers.{layer - 1}.neurons.{j}.out"]
            z = out.inputs[0] if out.op == "tanh" else out
            expected = [f"[{layer}][{j}]"]
            if step >= forward[(layer, j)]:
                expected += [f"z {number(z.data)}", f"a {number(out.data)}"]
            if step >= (start + 1 if layer == len(model.layers) else backward[(layer, j)]):
                expected.append(f"∂a {number(out.grad)}")
            if step >= backward[(layer, j)]:
                expected.append(f"∂z {number(z.grad)}")
            assert shown(page, NEURON.format(f"{layer}.{j}")) == expected, (step, layer, j)
            line = page.text_content("#line")
            if step == forward[(layer, j)]:  # the current neuron's weights, on the way forward
                assert sorted(shown(page, "#frame svg g.label")) == sorted(
                    number(w.data) for w in neuron.w
                )
                assert f"a[{layer}][{j}] = " in line and f"= {card_number(out.data)}" in line
            if step == backward[(layer, j)]:  # ... and their gradients on the way back
                assert sorted(shown(page, "#frame svg g.label")) == sorted(
                    f"∂ {number(w.grad)}" for w in neuron.w
                )
                assert f"= {card_number(z.grad)}" in line
                assert all(card_number(w.grad) in line for w in neuron.w)
        loss_shown = ([f"L {number(loss.data)}"] if step >= start - 1 else []) + (
            ["∂L 1.0"] if step >= start else []
        )
        assert shown(page, "#frame svg g.loss") == loss_shown, step
        page.keyboard.press("ArrowRight")
    assert page.is_disabled("#next")
    assert errors == []
    assert all(url.startswith("file://") for url in requests), requests  # no network


def _outputs(loss):
    seen, stack, found = set(), [loss], []
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        if node.label.endswith(".out"):
            found.append(node)
        stack.extend(node.inputs)
    return found


def test_the_small_network_is_readable_at_1280_by_800_without_scrolling(chromium, small):
    path, model, _ = small
    page, _, errors = open_page(chromium, path, 1280, 800)
    forward, backward, start = schedule(model)
    screen = viewport(page)
    shots = {forward[(2, 1)]: "forward", start + 1: "loss", backward[(2, 2)]: "backward"}
    for step in range(start + 2 + len(forward)):
        shown = texts(page)
        assert min(t["px"] for t in shown) >= 11, step
        assert overlaps(shown) == [], step
        picture = box(page, "#frame svg")
        assert within(picture, box(page, "#frame")) and within(picture, screen)
        assert page.get_attribute("#frame", "class") == "frame"  # fitted, not scrolling
        assert within(box(page, "#card"), screen), step  # the card is on screen
        card = texts(page, "#card")
        assert min(t["px"] for t in card) >= 11
        tokens = page.eval_on_selector_all(
            "#line .token", "ts => ts.map(t => t.getClientRects().length)"
        )
        assert set(tokens) == {1}, step  # no name or number broken across lines
        scroll = page.evaluate("[document.documentElement.scrollHeight, innerHeight]")
        assert scroll[0] <= scroll[1]
        if step in shots:
            screenshot(page, f"network-2-4-4-1-{shots[step]}-step-{step + 1:02d}")
        page.keyboard.press("ArrowRight")
    assert errors == []


@pytest.mark.parametrize("which", ["small", "moons"])
def test_the_card_and_the_key_fit_the_side_panel_at_1280_by_800(chromium, small, moons, which):
    """At every step the card is whole and on screen, and no line of the card or the key shows
    only in part; the key, when it has too little room left, scrolls in its own box."""
    path, _, _ = small if which == "small" else moons
    page, _, errors = open_page(chromium, path, 1280, 800)
    cut_keys = []
    for step in range(int(page.get_attribute("#slider", "max")) + 1):
        go_to(page, step)
        assert within(box(page, "#card"), viewport(page)), step
        cards = {card["id"]: card for card in panel_cards(page)}
        assert not cards["card"]["scrolls"], step  # the step's card is whole
        assert all(card["cut"] == [] for card in cards.values()), (step, cards)
        key = cards.get("network")
        if key is not None and key["scrolls"]:
            assert key["scrollable"], step  # the rest of the key, one scroll away
            cut_keys.append(step)
    if cut_keys:
        go_to(page, cut_keys[0])
        screenshot(page, f"network-{which}-key-scrolls-at-step-{cut_keys[0] + 1:02d}")
    assert errors == []


def test_the_moons_network_fits_and_shows_weights_for_the_step_or_on_hover(chromium, moons):
    path, model, _ = moons
    page, _, errors = open_page(chromium, path, 1280, 800)
    forward, backward, start = schedule(model)
    assert page.get_attribute("#frame", "class") == "frame"
    assert within(box(page, "#frame svg"), box(page, "#frame"))
    assert min(t["px"] for t in texts(page)) >= 9
    assert visible_labels(page) == []  # the inputs' step: no neuron, no weight
    page.hover(NEURON.format("2.5"))
    hovered = visible_labels(page)  # its 16 weights, while the pointer is on it
    assert sorted(hovered) == sorted(number(w.data) for w in model.layers[1].neurons[5].w)
    page.mouse.move(2, 2)
    assert visible_labels(page) == []
    go_to(page, backward[(2, 7)])
    neuron = model.layers[1].neurons[7]
    assert sorted(visible_labels(page)) == sorted(f"∂ {number(w.grad)}" for w in neuron.w)
    shown = texts(page)
    assert min(t["px"] for t in shown) >= 9 and overlaps(shown) == []
    screenshot(page, "network-2-16-16-1-backward")
    assert errors == []


def test_clicking_a_neuron_opens_its_graph_with_its_steps_and_back(chromium, small):
    path, model, loss = small
    page, _, errors = open_page(chromium, path, 1280, 800)
    forward, backward, start = schedule(model)
    go_to(page, backward[(2, 1)])
    page.click(NEURON.format("2.1"))
    assert page.get_attribute("body", "data-view") == "neuron:2.1"
    assert page.is_visible("#back")
    neuron = model.layers[1].neurons[1]
    out = next(n for n in _outputs(loss) if n.label == "layers.1.neurons.1.out")
    # it opens where the network was: the gradient arriving at the neuron's output
    assert page.text_content("#line") == f"∂L/∂a[2][1] = {out.grad:.6g}"
    shown = texts(page)
    assert min(t["px"] for t in shown) >= 12
    root = [t for t in shown if t["text"] in ("a[2][1]", f"data {card_number(out.data)}")]
    assert len(root) == 2 and all(within(t, box(page, "#frame")) for t in root)  # root in view
    assert within(box(page, "#frame svg"), box(page, "#frame"))  # the whole neuron, fitted
    screenshot(page, "network-2-4-4-1-neuron-2-1")
    page.keyboard.press("End")  # the neuron's last step: its weights have their gradients
    grads = {
        g.locator("text").first.text_content(): g.locator("text").last.text_content()
        for g in page.locator("#frame g.node").all()
        if g.locator("text").count() == 3
    }
    for i, w in enumerate(neuron.w):
        assert grads[f"w[2][1,{i}]"] == f"grad {card_number(w.grad)}"
    assert grads["b[2][1]"] == f"grad {card_number(neuron.b.grad)}"
    assert grads["z[2][1]"] == f"grad {card_number(out.inputs[0].grad)}"
    page.keyboard.press("Home")  # its forward pass starts at its first leaf
    assert page.text_content("#phase") == "Forward pass"
    page.click("#back")
    assert page.get_attribute("body", "data-view") == "main"
    assert page.get_attribute("body", "data-step") == str(backward[(2, 1)])  # where it was
    page.click(NEURON.format("1.0"))  # before its backward step: opens at step 1
    assert page.get_attribute("body", "data-step") == "0"
    page.keyboard.press("Escape")
    assert page.get_attribute("body", "data-view") == "main"
    assert errors == []


@pytest.mark.parametrize("width, height", [(420, 860), (1000, 700), (1280, 800), (1920, 1080)])
def test_the_layout_uses_the_page_from_a_phone_to_a_wide_screen(chromium, small, width, height):
    path, model, _ = small
    page, _, errors = open_page(chromium, path, width, height)
    forward, _, _ = schedule(model)
    for _ in range(forward[(2, 0)]):
        page.keyboard.press("ArrowRight")
    overflow = page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
    assert overflow[0] <= overflow[1]  # nothing sticks out sideways
    picture, frame = box(page, "#frame svg"), box(page, "#frame")
    filled = max(
        (picture["right"] - picture["left"]) / (frame["right"] - frame["left"]),
        (picture["bottom"] - picture["top"]) / (frame["bottom"] - frame["top"]),
    )
    assert filled >= 0.9  # the picture fills its frame one way at least
    assert min(t["px"] for t in texts(page)) >= (9 if width < 1280 else 11)
    current = box(page, NEURON.format("2.0"))
    assert within(current, frame)  # the current neuron is in view, scrolled to if need be
    if width >= 1000:
        assert within(box(page, "#card"), viewport(page))
    screenshot(page, f"network-2-4-4-1-at-{width}px")
    assert errors == []


def test_labels_and_names_are_escaped(chromium, tmp_path):
    model = MLP(2, [2, 1], seed=0)
    x = [Value(0.5, "</script><b>x</b>"), Value(-1.0, "<!--")]
    loss = (model(x) - Value(1.0, "<img src=x onerror=alert(1)>")) ** 2
    page, _, errors = open_page(chromium, explore(loss).save(tmp_path / "markup.html"))
    assert page.locator("img").count() == 0 and page.locator("b", has_text="x").count() == 0
    titles = page.eval_on_selector_all("#frame g.input title", "ts => ts.map(t => t.textContent)")
    assert titles == ["</script><b>x</b>", "<!--"]  # the labels, as text
    assert page.text_content("#counter").startswith("step 1 of")
    page.keyboard.press("End")
    assert errors == []


@pytest.mark.parametrize("which", ["small", "moons"])
def test_no_name_is_broken_across_lines_at_1280_by_800(chromium, small, moons, which):
    """At every step of the network view (and of a neuron's), on the card and in the key, each
    name's characters are drawn on one line, even a name that holds spaces."""
    path, model, _ = small if which == "small" else moons
    page, _, errors = open_page(chromium, path, 1280, 800)
    names = card_names(model)
    assert split_names(page, ".legend[data-legend=network] .key", names) == []
    for step in range(int(page.get_attribute("#slider", "max")) + 1):
        go_to(page, step)
        line = page.text_content("#line")
        assert split_names(page, "#line", [*names, *bracketed(line)]) == [], step
        assert split_names(page, "#detail", names) == [], step
    page.click(NEURON.format("2.1"))  # a neuron's own steps: its card names the same way
    neuron_names = {name for name in names if "[2][1" in name} | {"a[1][i]"}
    for step in range(int(page.get_attribute("#slider", "max")) + 1):
        go_to(page, step)
        line = page.text_content("#line")
        assert split_names(page, "#line", [*neuron_names, *bracketed(line)]) == [], step
    assert errors == []


def neuron_of(model, loss, layer: int, j: int):
    """Python's own neuron [layer][j]: its Neuron, z, output, and the Values it multiplies."""
    outs = {node.label: node for node in _outputs(loss)}
    out = outs[f"layers.{layer - 1}.neurons.{j}.out"]
    z = out.inputs[0] if out.op in ("tanh", "relu", "sigmoid") else out
    neuron = model.layers[layer - 1].neurons[j]
    if layer == 1:
        sources = [0.5, -1.0]
    else:
        sources = [outs[f"layers.{layer - 2}.neurons.{i}.out"].data for i in range(neuron.nin)]
    return neuron, z, out, sources


def record_box(page, name: str) -> dict | None:
    """Where the record named ``name`` is drawn on screen (its group's box), or None."""
    return page.eval_on_selector_all(
        "#frame g.node",
        """(gs, name) => {
            const g = gs.find(g => g.querySelector('text')?.textContent === name);
            if (!g) return null;
            const b = g.getBoundingClientRect();
            return {left: b.left, right: b.right, top: b.top, bottom: b.bottom};
        }""",
        name,
    )


def records(page) -> dict[str, tuple[str, str]]:
    """Each record the neuron's picture shows, by its name: (data text, grad text)."""
    found = page.eval_on_selector_all(
        "#frame g.node",
        "gs => gs.map(g => [...g.querySelectorAll('text')].map(t => t.textContent))",
    )
    return {texts[0]: (texts[1], texts[2]) for texts in found if len(texts) == 3}


@pytest.mark.parametrize(
    "which, key",
    [("small", "1.0"), ("small", "2.1"), ("small", "3.0"), ("moons", "1.3"), ("moons", "2.5")]
    + [("moons", "2.9"), ("moons", "3.0")],
)
def test_a_neurons_graph_fits_whole_with_its_root_in_view_at_1280_by_800(
    chromium, small, moons, which, key
):
    """Issue 13: the node-level view of one neuron fits at text of at least 12 px, its root in
    view; a neuron of 16 inputs (the moons model's) as well as one of 2 or 4, whose text stays
    at the 16 px it had before."""
    path, model, loss = small if which == "small" else moons
    page, _, errors = open_page(chromium, path, 1280, 800)
    page.click(NEURON.format(key))
    layer, j = (int(k) for k in key.split("."))
    assert page.get_attribute("body", "data-view") == f"neuron:{key}"
    _, _, out, _ = neuron_of(model, loss, layer, j)
    frame, screen = box(page, "#frame"), viewport(page)
    page.keyboard.press("End")  # every gradient written in: the widest texts
    shown = texts(page)
    assert page.get_attribute("#frame", "class") == "frame"  # fitted whole, not scrolling
    assert within(box(page, "#frame svg"), frame) and within(frame, screen)
    assert min(t["px"] for t in shown) >= (15.9 if which == "small" else 12)
    assert overlaps(shown) == []
    root = record_box(page, f"a[{layer}][{j}]")  # the neuron's output (a linear one's is z)
    assert root is not None and within(root, frame)
    assert records(page)[f"a[{layer}][{j}]"][0] == f"data {card_number(out.data)}"
    assert page.is_hidden("#zoom")  # nothing to zoom: the whole neuron is on screen
    scroll = page.evaluate("[document.documentElement.scrollHeight, innerHeight]")
    assert scroll[0] <= scroll[1]
    screenshot(page, f"neuron-{which}-{key}-at-1280px")
    assert errors == []


def test_a_16_input_neuron_steps_both_passes_with_pythons_numbers(chromium, moons):
    """Neuron [2][5] of the moons model: each step outlines its node or edge, in view; at the
    end every record holds Python's value and gradient, and each running total (the rail
    between two +, without a record of its own) shows its own in the inspector."""
    path, model, loss = moons
    page, _, errors = open_page(chromium, path, 1280, 800)
    page.click(NEURON.format("2.5"))
    neuron, z, out, sources = neuron_of(model, loss, 2, 5)
    total = int(page.get_attribute("#slider", "max")) + 1
    nin = len(neuron.w)
    # leaves (2 per input and the bias), products, sums, out; then the start and one per edge
    assert total == (2 * nin + 1 + nin + nin + 1) + 1 + (2 * nin + 2 * nin + 1)
    frame = box(page, "#frame")
    for step in range(total):
        go_to(page, step)
        red = page.eval_on_selector_all(
            "#frame [stroke='#d62728']",
            "es => es.map(e => { const b = e.getBoundingClientRect();"
            " return {left: b.left, right: b.right, top: b.top, bottom: b.bottom}; })",
        )
        assert red and all(within(b, frame) for b in red), step  # the current step, in view
    shown = records(page)
    for i, (w, x) in enumerate(zip(neuron.w, sources)):
        assert shown[f"w[2][5,{i}]"] == (
            f"data {card_number(w.data)}",
            f"grad {card_number(w.grad)}",
        )
        share = w.data * z.grad  # this neuron's share of its input's gradient
        assert shown[f"a[1][{i}]"] == (f"data {card_number(x)}", f"grad {card_number(share)}")
    assert shown["b[2][5]"] == (
        f"data {card_number(neuron.b.data)}",
        f"grad {card_number(neuron.b.grad)}",
    )
    assert shown["z[2][5]"] == (f"data {card_number(z.data)}", f"grad {card_number(z.grad)}")
    assert shown["a[2][5]"] == (f"data {card_number(out.data)}", f"grad {card_number(out.grad)}")
    products = sorted(v for name, v in shown.items() if name.startswith("v"))
    expected = sorted(
        (f"data {card_number(w.data * x)}", f"grad {card_number(z.grad)}")
        for w, x in zip(neuron.w, sources)
    )
    assert products == expected
    running, inspected = neuron.b.data, []
    for w, x in zip(neuron.w[:-1], sources):  # each + but the last (that one makes z)
        running = running + w.data * x
        inspected.append((format_number(running), format_number(z.grad)))
    pluses = page.locator("#frame g.node", has=page.locator("ellipse")).filter(has_text="+")
    assert pluses.count() == nin
    seen = []
    for k in range(nin - 1):
        pluses.nth(k).click()
        seen.append(
            (page.text_content("dd[data-fact=data]"), page.text_content("dd[data-fact=grad]"))
        )
    assert sorted(seen) == sorted(inspected)
    assert errors == []


# The labels of the weights that a person sees, and for each the other weights' edges that run
# through its box (in the picture's own units), counting only the edges drawn in full.
CROSSED_LABELS = """() => {
    const svg = document.querySelector('#frame svg');
    const faded = g => g.hasAttribute('opacity')
        || (svg.classList.contains('focused') && !g.classList.contains('current'));
    const wires = [...svg.querySelectorAll('g.edge[data-edge]')].filter(g => !faded(g)).map(g => {
        const l = g.querySelector('line.wire');
        return {edge: g.dataset.edge, x1: +l.getAttribute('x1'), y1: +l.getAttribute('y1'),
                x2: +l.getAttribute('x2'), y2: +l.getAttribute('y2')};
    });
    const crosses = (w, b) => {
        let low = 0, high = 1;
        const dx = w.x2 - w.x1, dy = w.y2 - w.y1;
        for (const [p, q] of [[-dx, w.x1 - b.left], [dx, b.right - w.x1],
                              [-dy, w.y1 - b.top], [dy, b.bottom - w.y1]]) {
            if (p === 0) { if (q < 0) return false; continue; }
            const t = q / p;
            if (p < 0) low = Math.max(low, t); else high = Math.min(high, t);
            if (low > high) return false;
        }
        return true;
    };
    return [...svg.querySelectorAll('g.label')].filter(g => g.getBoundingClientRect().width > 0
        && [...g.querySelectorAll('text')].some(t => t.checkVisibility({visibilityProperty: true})))
        .map(g => {
            const r = g.querySelector('rect');
            const b = {left: +r.getAttribute('x'), top: +r.getAttribute('y')};
            b.right = b.left + +r.getAttribute('width');
            b.bottom = b.top + +r.getAttribute('height');
            const screen = r.getBoundingClientRect();
            return {text: g.textContent, left: screen.left, right: screen.right,
                    top: screen.top, bottom: screen.bottom,
                    crossedBy: wires.filter(w => w.edge !== g.dataset.edge && crosses(w, b))
                                    .map(w => w.edge)};
        });
}"""


@pytest.mark.parametrize("sizes", [[2, 1], [3, 1], [4, 1]])
def test_each_weights_label_stands_clear_of_the_others_and_of_other_edges(
    chromium, tmp_path, sizes
):
    """Where many edges leave one input, the labels shown at one step never overlap, and no
    other edge drawn in full runs through a label (whose number would it be?)."""
    _, loss = mlp_loss(sizes)
    page, _, errors = open_page(chromium, explore(loss).save(tmp_path / "mlp.html"), 1280, 800)
    for step in range(int(page.get_attribute("#slider", "max")) + 1):
        go_to(page, step)
        labels = page.evaluate(CROSSED_LABELS)
        assert overlaps(labels) == [], step
        assert [label for label in labels if label["crossedBy"]] == [], step
    screenshot(page, f"network-2-{'-'.join(map(str, sizes))}-labels-last-step")
    assert errors == []
