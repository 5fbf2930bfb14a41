"""The notebooks' network explorers inline, at the widths a teacher's JupyterLab gives them.

At 1,280 × 800 with the file browser open, a notebook's output area is 828 px wide; in a
1,000 px window with it open, 548 px; with it closed, about 1,000 px.  The frame is the
explorer's default 640 px high.  At each width and each step of nb02's and nb03's network
explorers, a person must see the whole card, every line of it inside the card, no two weight
labels on top of each other (hovering a neuron too), and the subtitle with the loss's value.
"""

import pytest
from browser import output_area, screenshot
from notebook_explorers import notebook_explorer
from pages import go_to, overlaps, panel_cards, split_names
from test_explorer_network import bracketed, card_names

from tinygrad_edu import topological_order
from tinygrad_edu.draw.style import number

pytestmark = pytest.mark.usefixtures("needs_dot")

WIDTHS = [828, 548, 1000]
NOTEBOOKS = ["nb02", "nb03"]


@pytest.fixture(scope="module")
def explorers():
    """Each notebook's model and explorer, made once for the module."""
    return {name: notebook_explorer(name) for name in NOTEBOOKS}  # (model, loss, explorer)


def inline(chromium, explorers, notebook: str, width: int):
    """A 1,280 × 800 window whose output area, ``width`` px wide, shows the notebook's explorer;
    and the explorer's frame (a Playwright Frame, drawn)."""
    page = output_area(chromium, explorers[notebook][2]._repr_html_(), width=width)
    page.frame_locator("iframe.tinygrad-edu-explorer").first.locator(
        "body[data-ready=true]"
    ).wait_for()
    return page, page.frames[1]


def steps(frame) -> range:
    return range(int(frame.get_attribute("#slider", "max")) + 1)


# Each line of the card and what sticks out of the card's box on the right, in pixels: the
# widest word of each line (a word is a nowrap span, so a too-wide one is drawn past the edge).
CARD_LINES = """() => {
    const card = document.getElementById('card');
    const edge = card.getBoundingClientRect().right - card.clientLeft
        - parseFloat(getComputedStyle(card).paddingRight);
    return [...card.querySelectorAll('.formula')].map(line => ({
        text: line.textContent,
        past: Math.max(0, ...[...line.querySelectorAll('.token')]
                       .map(t => t.getBoundingClientRect().right - edge)),
    }));
}"""

# Where the card is, and the frame's own size (the page inside the frame scrolls to nothing).
CARD_IN_FRAME = """() => {
    const b = document.getElementById('card').getBoundingClientRect();
    return {top: b.top, bottom: b.bottom, left: b.left, right: b.right,
            width: innerWidth, height: innerHeight, scrolled: scrollY};
}"""

# The weights' labels a person sees: the backdrop's box of each shown label, on screen.
SHOWN_LABELS = """() => [...document.querySelectorAll('#frame svg g.label')]
    .filter(g => g.checkVisibility() && g.getBoundingClientRect().width > 0
                 && [...g.querySelectorAll('text')].some(t => t.checkVisibility(
                        {visibilityProperty: true})))
    .map(g => { const b = g.querySelector('rect').getBoundingClientRect();
                return {text: g.dataset.edge + ' ' + g.textContent, left: b.left,
                        right: b.right, top: b.top, bottom: b.bottom}; })"""


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_every_line_of_the_card_stays_inside_it(chromium, explorers, notebook, width):
    """No word of the card is drawn past its right edge; a line breaks at a space, or after a
    "·" inside a word too wide for the line, and never inside a name."""
    page, frame = inline(chromium, explorers, notebook, width)
    names = card_names(explorers[notebook][0])
    for step in steps(frame):
        go_to(frame, step)
        lines = frame.evaluate(CARD_LINES)
        assert [line for line in lines if line["past"] > 0.5] == [], (step, width)
        line = frame.text_content("#line")
        assert split_names(frame, "#line", [*names, *bracketed(line)]) == [], (step, width)
    assert page.errors == []
    page.close()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_the_steps_card_is_whole_inside_the_frame_at_every_step(
    chromium, explorers, notebook, width
):
    """The card lies wholly inside the 640 px frame without scrolling, and no line of text
    (the card's, the key's) is cut by the frame's edge or by its own box."""
    page, frame = inline(chromium, explorers, notebook, width)
    for step in steps(frame):
        go_to(frame, step)
        card = frame.evaluate(CARD_IN_FRAME)
        assert card["scrolled"] == 0, (step, card)
        assert card["top"] >= 0 and card["bottom"] <= card["height"] + 0.5, (step, card)
        assert card["left"] >= 0 and card["right"] <= card["width"] + 0.5, (step, card)
        assert [c for c in panel_cards(frame) if c["cut"]] == [], (step, width)
    screenshot(page, f"inline-{notebook}-at-{width}px-last-step", frames=True)
    assert page.errors == []
    page.close()


def hover_neuron(page, frame, key: str) -> None:
    """Move the mouse onto neuron ``key``'s circle, as a person pointing at it does."""
    frame.locator(f"#frame svg g.neuron[data-neuron='{key}']").hover()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_no_two_weight_labels_overlap_at_any_step_nor_when_a_neuron_is_pointed_at(
    chromium, explorers, notebook, width
):
    page, frame = inline(chromium, explorers, notebook, width)
    neurons = frame.eval_on_selector_all(
        "#frame svg g.neuron", "gs => gs.map(g => g.dataset.neuron)"
    )
    for step in steps(frame):
        go_to(frame, step)
        frame.locator("h1").hover()  # off the picture: the step's own labels
        assert overlaps(frame.evaluate(SHOWN_LABELS), slack=0.5) == [], (step, width)
        for key in neurons:
            hover_neuron(page, frame, key)
            shown = frame.evaluate(SHOWN_LABELS)
            assert overlaps(shown, slack=0.5) == [], (step, width, key)
            pointed = [label for label in shown if label["text"].startswith(key + ":")]
            assert len(pointed) == frame.locator(f"g.label[data-edge^='{key}:']").count()
    assert page.errors == []
    page.close()


@pytest.mark.parametrize("leave", ["button", "Escape"])
def test_a_neurons_hover_labels_go_when_the_mouse_leaves_after_its_graph(
    chromium, explorers, leave
):
    """Click a neuron (its labels show, hovered), come back with ← Network or Escape, the
    mouse elsewhere: only the step's own labels are shown, none of the neuron's is left."""
    page, frame = inline(chromium, explorers, "nb03", 828)
    go_to(frame, 9)  # the output neuron's backward step: its four labels are the step's
    before = sorted(label["text"] for label in frame.evaluate(SHOWN_LABELS))
    hover_neuron(page, frame, "1.2")
    assert frame.locator("g.label.hover").count() == 2  # its weights of x[0] and x[1]
    hovered = sorted(label["text"] for label in frame.evaluate(SHOWN_LABELS))
    assert [label.split(" ")[0] for label in hovered] == [
        "1.2:0",
        "1.2:1",
    ]  # in place of the step's
    frame.locator("#frame svg g.neuron[data-neuron='1.2']").click()
    assert frame.get_attribute("body", "data-view") == "neuron:1.2"
    if leave == "button":
        frame.locator("#back").click()
    else:
        frame.locator("#card").hover()  # the mouse off the neuron's graph, then the key
        page.keyboard.press("Escape")
    assert frame.get_attribute("body", "data-view") == "main"
    frame.locator("h1").hover()  # and about the page, off the picture
    assert frame.locator("g.label.hover").count() == 0
    assert sorted(label["text"] for label in frame.evaluate(SHOWN_LABELS)) == before
    assert page.errors == []
    page.close()


SUBTITLE = """() => {
    const s = document.querySelector('.subtitle');
    const b = s.getBoundingClientRect();
    return {text: s.innerText, cut: s.scrollWidth > s.clientWidth + 1
                || s.scrollHeight > s.clientHeight + 1,
            inside: b.left >= 0 && b.right <= innerWidth + 0.5};
}"""


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_the_subtitle_keeps_the_loss_value_and_drops_only_whole_parts(
    chromium, explorers, notebook, width
):
    """The subtitle is never cut: it shows the loss's formula and value, then as many of the
    network's facts as fit, each whole (all of them in a 1,000 px cell)."""
    page, frame = inline(chromium, explorers, notebook, width)
    model, loss, _ = explorers[notebook]
    sizes = " → ".join(str(n) for n in [2, *(len(layer.neurons) for layer in model.layers)])
    neurons = sum(len(layer.neurons) for layer in model.layers)
    seen = frame.evaluate(SUBTITLE)
    assert not seen["cut"] and seen["inside"], seen
    text = seen["text"].replace("\u00a0", " ")
    loss_line = f"L = (a[2][0] - 1.0)**2 = {number(loss.data)}"
    network, counted = f" · network {sizes}", f", {neurons} neurons"
    facts = network + counted + f", {len(topological_order(loss))} Values"
    whole_parts = ["", network, network + counted, facts]  # dropped from the last
    assert text.startswith(loss_line) and text[len(loss_line) :] in whole_parts, text
    if width == 1000:
        assert text == loss_line + facts
    assert page.errors == []
    page.close()


def test_the_key_says_what_the_bare_derivative_on_an_edge_is(chromium, explorers):
    page, frame = inline(chromium, explorers, "nb03", 828)
    rows = frame.eval_on_selector_all(
        ".legend[data-legend=network] .key dt",
        "dts => dts.map(dt => [dt.textContent, dt.nextElementSibling.textContent])",
    )
    assert ["∂a, ∂z", "in a neuron's circle: ∂L/∂a and ∂L/∂z"] in rows
    assert ["∂ on an edge", "that weight's ∂L/∂w"] in rows
    assert not any(term.endswith("∂") or term.endswith(", ") for term, _ in rows)
    page.close()
