"""explore(): the explorer as an object, inline and isolated in a notebook, saved as a page."""

import html
import subprocess
import sys
import warnings

import pytest
from browser import ARTIFACTS, output_area, screenshot, untrusted
from pages import shown

from tinygrad_edu import MLP, Value, explore
from tinygrad_edu.draw.notebook import HOW_TO_SHOW
from tinygrad_edu.draw.notebook import UNTRUSTED as DRAWING_UNTRUSTED
from tinygrad_edu.explorer import Explorer, to_html
from tinygrad_edu.explorer.display import UNTRUSTED

pytestmark = pytest.mark.usefixtures("needs_dot")


def neuron_loss():
    x, w, b = Value(2.0, "x"), Value(-0.5, "w"), Value(0.3, "b")
    y = (x * w + b).sigmoid()
    loss = (y - 1.0) ** 2
    loss.label = "L"
    return loss


def network_loss():
    model = MLP(2, [3, 1], activation="tanh", seed=0)
    loss = (model([0.5, -1.0]) - 1.0) ** 2
    loss.label = "loss"
    return loss


def test_import_tinygrad_edu_leaves_the_explorer_for_its_first_use():
    code = (
        "import sys, tinygrad_edu; loaded = lambda: [m for m in ('tinygrad_edu.explorer', "
        "'graphviz') if m in sys.modules]; print(loaded()); tinygrad_edu.explore; print(loaded())"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.split("\n")[:2] == ["[]", "['tinygrad_edu.explorer', 'graphviz']"]
    from tinygrad_edu import explore as imported

    assert imported is explore and "explore" in __import__("tinygrad_edu").__all__


def test_an_explorer_opens_on_the_view_its_graph_has_and_saves_the_page(tmp_path):
    network = explore(network_loss())
    assert isinstance(network, Explorer) and network.view == "network"
    assert explore(neuron_loss()).view == "graph"
    assert explore(network_loss(), view="graph").view == "graph"
    path = network.save(tmp_path / "deep" / "folder" / "page.html")
    assert path.read_text(encoding="utf-8") == network.html
    assert to_html(network_loss(), tmp_path / "same.html").read_text() == network.html
    assert repr(network).startswith("Explorer('loss', view='network'")


def test_the_notebook_form_is_one_sandboxed_frame_as_wide_as_the_cell():
    explorer = explore(network_loss(), height=640)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        shown_html = explorer._repr_html_()
    assert shown_html.startswith('<iframe class="tinygrad-edu-explorer" ')
    assert 'sandbox="allow-scripts"' in shown_html and "allow-same-origin" not in shown_html
    assert "width: 100%; height: 640px" in shown_html
    assert shown_html.count("<") == 2  # the frame's own tags: the page is escaped inside it
    srcdoc = shown_html.split("srcdoc='")[1].split("' style=")[0]
    assert "'" not in srcdoc and html.unescape(srcdoc) == explorer.html


def test_ipython_shows_it_as_html_without_warnings():
    formatters = pytest.importorskip("IPython.core.formatters")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        data, _ = formatters.DisplayFormatter().format(explore(neuron_loss()))
    assert data["text/html"].startswith("<iframe")


@pytest.mark.parametrize(
    "options, error, message",
    [
        ({"view": "network"}, ValueError, "no network view of this graph: the graph has no"),
        ({"view": "tree"}, ValueError, "view must be 'network', 'graph' or None"),
        ({"height": 50}, ValueError, "height must be a whole number of pixels >= 200"),
        ({"max_nodes": 0}, ValueError, "max_nodes must be a whole number >= 1"),
    ],
)
def test_bad_options_are_clear_errors(options, error, message):
    with pytest.raises(error, match=message):
        explore(Value(2.0, "x") * Value(3.0, "y"), **options)
    with pytest.raises(TypeError, match="explore needs a Value, got float"):
        explore(2.0)


NOTEBOOK_STYLE = """<style>
  body { background: rgb(1, 2, 3); font-family: serif; }
  button { color: rgb(4, 5, 6); }
</style>"""


def two_explorers_page(tmp_path):
    """A page as a notebook makes it: its own styles and ids, and two explorers' outputs."""
    first, second = explore(network_loss()), explore(neuron_loss())
    page = (
        f"<!DOCTYPE html><html><head>{NOTEBOOK_STYLE}</head><body>"
        '<div id="frame">the notebook\'s own #frame</div><button id="next">notebook</button>'
        f"<div class='output'>{first._repr_html_()}</div>"
        f"<div class='output'>{second._repr_html_()}</div>"
        "<script>var keys = 0; document.addEventListener('keydown', () => keys++);</script>"
        "</body></html>"
    )
    path = tmp_path / "notebook.html"
    path.write_text(page, encoding="utf-8")
    return path


def frames_of(page):
    found = page.frame_locator("iframe.tinygrad-edu-explorer")
    first, second = found.nth(0), found.nth(1)
    for frame in (first, second):
        frame.locator("body[data-ready=true]").wait_for()
    return first, second


def test_two_explorers_in_one_page_keep_their_keys_styles_and_ids(chromium, tmp_path):
    page = chromium.new_page(viewport={"width": 1100, "height": 1700})
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(two_explorers_page(tmp_path).as_uri())
    first, second = frames_of(page)
    assert first.locator("#counter").text_content() == "step 1 of 12"
    assert second.locator("#counter").text_content() == "step 1 of 18"
    first.locator("#frame").click()  # focus the first explorer, as a reader does
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    assert first.locator("#counter").text_content() == "step 4 of 12"
    assert second.locator("#counter").text_content() == "step 1 of 18"
    second.locator("#card").click()
    page.keyboard.press("ArrowRight")
    assert second.locator("#counter").text_content() == "step 2 of 18"
    assert first.locator("#counter").text_content() == "step 4 of 12"
    second.locator("#next").click()  # the explorer's own #next, not the notebook's
    assert second.locator("#counter").text_content() == "step 3 of 18"
    assert page.evaluate("keys") == 0  # the keys went to the explorers, not the notebook
    # the notebook keeps its styles, its #frame and #next, and its script's names
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(1, 2, 3)"
    assert page.evaluate("getComputedStyle(document.querySelector('#next')).color") == (
        "rgb(4, 5, 6)"
    )
    assert page.text_content("#frame") == "the notebook's own #frame"
    assert page.evaluate("typeof walk === 'undefined' && typeof view === 'undefined'")
    # and each explorer keeps its own look: the notebook's styles do not reach inside
    assert first.locator("#next").evaluate("b => getComputedStyle(b).color") == "rgb(255, 255, 255)"
    assert first.locator("body").evaluate("b => getComputedStyle(b).fontFamily") != "serif"
    widths = page.eval_on_selector_all(
        "iframe.tinygrad-edu-explorer", "fs => fs.map(f => f.getBoundingClientRect().width)"
    )
    assert widths == [page.evaluate("document.querySelector('.output').clientWidth")] * 2
    assert errors == []


def test_explorers_work_in_the_html_that_nbconvert_exports(chromium, tmp_path):
    nbformat = pytest.importorskip("nbformat")
    exporters = pytest.importorskip("nbconvert")
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["language_info"] = {"name": "python", "pygments_lexer": "python3"}
    for source, explorer in [
        ("explore(loss)", explore(network_loss())),
        ("explore(neuron)", explore(neuron_loss())),
    ]:
        cell = nbformat.v4.new_code_cell(source)
        cell.outputs = [
            nbformat.v4.new_output(
                "display_data",
                data={"text/html": explorer._repr_html_(), "text/plain": repr(explorer)},
            )
        ]
        notebook.cells.append(cell)
    body, _ = exporters.HTMLExporter().from_notebook_node(notebook)
    path = tmp_path / "exported.html"
    path.write_text(body, encoding="utf-8")
    page = chromium.new_page(viewport={"width": 1280, "height": 1800})
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(path.as_uri())
    first, second = frames_of(page)
    first.locator("#next").click()
    first.locator("#next").click()
    assert first.locator("#counter").text_content() == "step 3 of 12"
    assert first.locator("body").get_attribute("data-view") == "main"
    first.locator("#frame g.neuron[data-neuron='1.0']").click()  # into a neuron, and back
    assert first.locator("body").get_attribute("data-view") == "neuron:1.0"
    first.locator("#back").click()
    assert first.locator("#counter").text_content() == "step 3 of 12"
    second.locator("#frame").click()
    page.keyboard.press("End")
    assert second.locator("#phase").text_content() == "Backward pass"
    assert "grad 1.0" in shown(second, "#frame g.node")  # the root's gradient, the start
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "explorers-in-nbconvert-html.png"), full_page=True)
    assert errors == []


def test_in_an_untrusted_notebook_an_explorer_says_why_it_is_missing(chromium):
    """JupyterLab strips the frame from an untrusted output: its own text then says what to do."""
    shown_html = explore(neuron_loss())._repr_html_()
    page = output_area(chromium, untrusted(shown_html))
    assert page.locator("iframe").count() == 0
    assert page.text_content("#output").strip() == UNTRUSTED
    # and, as a drawing's does, it says how to export a page that shows it
    assert UNTRUSTED.endswith(HOW_TO_SHOW) and DRAWING_UNTRUSTED.endswith(HOW_TO_SHOW)
    assert "Sanitize HTML ticked" in HOW_TO_SHOW and "jupyter nbconvert --to html" in HOW_TO_SHOW
    page.close()
    page = output_area(chromium, shown_html)  # trusted: the explorer, and not the sentence
    page.frame_locator("iframe.tinygrad-edu-explorer").locator("body[data-ready=true]").wait_for()
    assert page.evaluate("document.querySelector('#output').innerText.trim()") == ""
    assert page.errors == []
    page.close()


FITTED = """() => {
    const box = e => { const b = e.getBoundingClientRect();
        return {left: b.left, right: b.right, top: b.top, bottom: b.bottom}; };
    const inside = (a, b) => a.left >= b.left - 0.5 && a.right <= b.right + 0.5
        && a.top >= b.top - 0.5 && a.bottom <= b.bottom + 0.5;
    const screen = {left: 0, top: 0, right: innerWidth, bottom: innerHeight};
    const frame = box(document.getElementById('frame'));
    const picture = box(document.querySelector('#frame svg'));
    return {width: innerWidth, step: document.body.dataset.step,
            fits: inside(picture, frame) && (
                picture.right - picture.left > 0.8 * (frame.right - frame.left)
                || picture.bottom - picture.top > 0.8 * (frame.bottom - frame.top)),
            inView: inside(picture, screen) && inside(frame, screen),
            scrolls: document.getElementById('frame').classList.contains('zoomed'),
            card: inside(box(document.getElementById('card')), screen)};
}"""


@pytest.mark.parametrize("hidden", ["width:0", "display:none"])
def test_an_inline_explorer_lays_itself_out_again_when_its_frame_changes_size(chromium, hidden):
    """JupyterLab lays an output out hidden or at no width first, and a reader resizes the
    window or the cell: each time, the explorer fits itself again, at the step it was at."""
    page = output_area(chromium, explore(network_loss(), height=640)._repr_html_())
    page.eval_on_selector("#output", "(o, style) => o.setAttribute('style', style)", hidden)
    page.wait_for_timeout(100)  # drawn, hidden
    frame = page.frame_locator("iframe.tinygrad-edu-explorer").first
    frame.locator("body[data-ready=true]").wait_for(state="attached")
    inner = page.frames[1]
    inner.eval_on_selector("#slider", "s => { s.value = 5; s.dispatchEvent(new Event('input')); }")
    for width in (1000, 600, 1000):
        page.eval_on_selector("#output", "(o, w) => o.setAttribute('style', `width:${w}px`)", width)
        page.wait_for_timeout(150)  # the frame's new size reaches the page inside it
        seen = inner.evaluate(FITTED)
        assert seen["width"] == width - 2  # the frame's border, 1 px each side
        assert seen["step"] == "5"  # where the reader was
        assert seen["fits"] and seen["inView"] and not seen["scrolls"], (width, seen)
        assert seen["card"], (width, seen)  # the card, whole, in the frame's view
    screenshot(page, f"inline-explorer-resized-after-{hidden.replace(':', '-')}", frames=True)
    assert page.errors == []
    page.close()


JUPYTERLAB_VISIBLE = 678
"""How many pixels of a notebook JupyterLab 4 shows at once in a 1,280 × 800 window."""


def test_by_default_an_inline_explorer_is_seen_whole_in_jupyterlab_at_1280_by_800(chromium):
    """Its frame is lower than the notebook area that JupyterLab shows, and at every step of an
    MLP(2, [4, 4, 1])'s network in a 1,000 px cell the picture fits and the card is whole."""
    model = MLP(2, [4, 4, 1], activation="tanh", seed=0)
    page = output_area(chromium, explore((model([0.5, -1.0]) - 1.0) ** 2)._repr_html_())
    frame = page.frame_locator("iframe.tinygrad-edu-explorer").first
    frame.locator("body[data-ready=true]").wait_for()
    height = page.eval_on_selector("iframe", "f => f.getBoundingClientRect().height")
    assert 600 <= height <= JUPYTERLAB_VISIBLE - 30  # room for the cell's line of code
    inner = page.frames[1]
    for step in range(int(frame.locator("#slider").get_attribute("max")) + 1):
        inner.eval_on_selector(
            "#slider", "(s, k) => { s.value = k; s.dispatchEvent(new Event('input')); }", step
        )
        seen = inner.evaluate(FITTED)
        assert seen["fits"] and seen["inView"] and not seen["scrolls"] and seen["card"], step
    assert page.errors == []
    page.close()
