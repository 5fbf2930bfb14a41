"""The classroom notebooks: executed with a real kernel, exported to HTML, and looked at.

Each notebook in ``notebooks/`` has one source, a ``# %%`` file, from which
Jupytext makes the .ipynb.  The ``notebooks`` fixture executes each one once per
test session with nbclient, on a Python kernel of this interpreter (which
imports this checkout), and converts it to HTML with nbconvert.  The tests read
the outputs, then open the HTML in headless Chromium with the output area
1,000 px wide and at 1,280 × 800, and measure what a reader sees: that every
picture fits (or scrolls with its root in view) with text large enough, and
that every inline explorer steps forward and back.
"""

from __future__ import annotations

import importlib.util
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from browser import ARTIFACTS, measure_svgs, require, screenshot

ROOT = Path(__file__).resolve().parent.parent
FOLDER = ROOT / "notebooks"
NAMES = sorted(path.stem for path in FOLDER.glob("*.py"))
SMALL_GRAPH = "small-graph"
"""The tag of a cell whose drawing must show its smallest text at least SMALL_TEXT_PX high."""
SMALL_TEXT_PX = 10  # the lecture's L = (a*b + c) * f and its tanh neuron, in 1,000 px
TEXT_PX = 8  # every other drawing: smaller than that, it must scroll instead
PROBE = "import sys, tinygrad_edu\nprint(sys.executable)\nprint(tinygrad_edu.__file__)"
"""A cell run after each notebook (and removed again): which Python, and which tinygrad_edu."""

DRAWING = 'class="tinygrad-edu-drawing"'
EXPLORER = 'class="tinygrad-edu-explorer"'


@dataclass
class Executed:
    """One notebook after execution: its cells with their outputs, the HTML page, the probe."""

    notebook: object  # an nbformat NotebookNode
    html: Path
    kernel: list[str]  # the probe's lines: the kernel's executable and tinygrad_edu's file

    def outputs(self):
        for cell in self.notebook.cells:
            for output in cell.get("outputs", []):
                yield cell, output

    def html_outputs(self, marker: str) -> list:
        """The cells whose outputs include HTML with ``marker``, once per such output."""
        return [
            cell
            for cell, output in self.outputs()
            if marker in output.get("data", {}).get("text/html", "")
        ]

    def text(self) -> str:
        return "".join(output.get("text", "") for _, output in self.outputs())


class Notebooks:
    """Executes and exports each notebook the first time a test asks for it, then keeps it."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.done: dict[str, Executed] = {}

    def __getitem__(self, name: str) -> Executed:
        if name not in self.done:
            self.done[name] = self.execute(name)
        return self.done[name]

    def execute(self, name: str) -> Executed:
        import jupytext
        import nbformat
        from nbclient import NotebookClient
        from nbconvert import HTMLExporter

        notebook = jupytext.read(FOLDER / f"{name}.py")
        notebook.cells.append(nbformat.v4.new_code_cell(PROBE))
        client = NotebookClient(
            notebook,
            kernel_name="python3",  # ipykernel's own: this interpreter (sys.executable)
            timeout=120,
            resources={"metadata": {"path": str(self.folder)}},  # the kernel's working folder
        )
        client.execute()
        probe = notebook.cells.pop()
        kernel = "".join(output.get("text", "") for output in probe.outputs).split()
        body, _ = HTMLExporter().from_notebook_node(notebook)
        html = self.folder / f"{name}.html"
        html.write_text(body, encoding="utf-8")
        return Executed(notebook, html, kernel)


@pytest.fixture(scope="session")
def notebooks(tmp_path_factory) -> Notebooks:
    """Each notebook executed (nbclient, a real kernel) and exported (nbconvert) once a session."""
    for module in ("jupytext", "nbclient", "nbconvert", "ipykernel"):
        require(importlib.util.find_spec(module) is not None, f"the {module} package (dev extra)")
    require(shutil.which("dot") is not None, "Graphviz's dot")
    return Notebooks(tmp_path_factory.mktemp("notebooks"))


# ---------------------------------------------------------------- one source each


def test_each_notebook_is_one_source_that_jupytext_pairs_and_round_trips(tmp_path):
    """`make notebook` makes each .ipynb with `jupytext --sync`; saving from JupyterLab writes the
    .py again through the same pairing, and must give back the source as it is."""
    require(importlib.util.find_spec("jupytext") is not None, "the jupytext package (dev extra)")
    import nbformat
    from jupytext.cli import jupytext

    assert NAMES == [
        "01_micrograd_lecture",
        "02_seeing_backpropagation",
        "03_sigmoid_neurons_and_xor",
    ]
    for path in FOLDER.iterdir():
        shutil.copy(path, tmp_path)
    sources = sorted(tmp_path.glob("*.py"))
    jupytext(["--quiet", "--sync", *map(str, sources)])  # what `make notebook` runs
    for source in sources:
        paired = source.with_suffix(".ipynb")
        made = nbformat.read(paired, as_version=4)
        assert made.metadata.kernelspec.name == "python3"
        assert source.read_text() == (FOLDER / source.name).read_text()  # sync left it alone
        for cell in made.cells:  # what JupyterLab adds to a cell when it runs and saves it
            cell.metadata.update({"execution": {"iopub.status.busy": "now"}, "collapsed": False})
        nbformat.write(made, paired)
        saved = tmp_path / f"{source.stem}.saved.py"
        jupytext(["--quiet", "--to", "py:percent", str(paired), "-o", str(saved)])
        assert saved.read_text() == source.read_text()  # tags kept, nothing else added


# ---------------------------------------------------------------- execution


@pytest.mark.parametrize("name", NAMES)
def test_every_notebook_runs_without_errors_on_this_checkout(notebooks, name):
    run = notebooks[name]
    assert Path(run.kernel[0]).resolve() == Path(sys.executable).resolve()
    assert Path(run.kernel[1]).resolve() == ROOT / "tinygrad_edu" / "__init__.py"
    kinds = [output.output_type for _, output in run.outputs()]
    assert "error" not in kinds and kinds
    warnings = [o.text for _, o in run.outputs() if o.get("name") == "stderr"]
    assert warnings == []  # no warning, no progress bar: nothing a learner must wonder about


def test_the_lecture_notebook_says_what_the_lecture_says(notebooks):
    run = notebooks["01_micrograd_lecture"]
    text = run.text()
    assert "x =  3.0000: nudged slope   14.0003" in text  # f'(3) = 6·3 − 4 = 14
    hand = "{'a': 6.0, 'b': -4.0, 'c': -2.0, 'd': -2.0, 'e': -2.0, 'f': 4.0, 'L': 1.0}"
    assert text.count(hand) == 2  # by hand, then by backward()
    assert "n = 0.8814, o = 0.7071" in text and "do/dx1     = -1.5000" in text
    assert "x1 -> w1 -> x1*w1 -> x2 -> w2 -> x2*w2 -> x1*w1 + x2*w2 -> b -> n -> o" in text
    losses = [
        float(line.split("loss ")[1]) for line in text.splitlines() if line.startswith("step ")
    ]
    assert len(losses) == 20 and losses[-1] < losses[0] / 100
    tagged = [c.source for c in run.notebook.cells if SMALL_GRAPH in c.metadata.get("tags", [])]
    assert tagged == ["draw_dot(L)", "draw_dot(L)", "draw_dot(o)"]


def test_the_backpropagation_notebook_shows_each_way_of_looking(notebooks):
    run = notebooks["02_seeing_backpropagation"]
    text = run.text()
    assert "8. d(L)/d(w) += d(L)/d(x*w) * d(x*w)/d(w) = (-0.296292) * 2.0 = -0.592583" in text
    assert "after closing the pass: 0.0000" in text  # an unfinished pass gives the leaves nothing
    assert "hook on L: dL/dL = +1.0000\nhook on y:" in text  # the hooks fire from the root down
    assert "checked against central differences: True" in text
    assert "breakpoint()" not in "".join(
        c.source for c in run.notebook.cells if c.cell_type == "code"
    )
    assert len(run.html_outputs(EXPLORER)) == 3


def test_the_xor_notebook_learns_xor(notebooks):
    text = notebooks["03_sigmoid_neurons_and_xor"].text()
    assert "dE/dw1: by hand -0.523669, backward() -0.523669" in text
    assert "accuracy 25%" in text  # one neuron cannot
    assert "accuracy 100%" in text  # a hidden layer can


# ---------------------------------------------------------------- in the browser


def opened(browser, run: Executed, viewport=(1280, 800)):
    """The exported page in Chromium, its explorers drawn; requests off the machine are refused
    (nbconvert's page asks a CDN for MathJax, which the notebooks do not need)."""
    page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]})
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.route("http*://**", lambda route: route.abort())
    page.goto(run.html.as_uri())
    frames = page.frame_locator("iframe.tinygrad-edu-explorer")
    for k in range(page.locator("iframe.tinygrad-edu-explorer").count()):
        frames.nth(k).locator("body[data-ready=true]").wait_for()
    page.errors.clear()  # the refused CDN requests
    return page


OUTPUT_WIDTH = """() => document.querySelector(
    '.jp-OutputArea-executeResult, .jp-OutputArea-output').getBoundingClientRect().width"""


def with_output_area(page, width: int) -> None:
    """Make the window as wide as it takes for the notebook's output area to be ``width`` px."""
    now = page.evaluate(OUTPUT_WIDTH)
    size = page.viewport_size
    page.set_viewport_size({"width": round(size["width"] + width - now), "height": size["height"]})
    page.wait_for_timeout(100)  # each drawing's ResizeObserver reports the new size
    assert page.evaluate(OUTPUT_WIDTH) == pytest.approx(width, abs=0.5)


def check_pictures(page, run: Executed) -> None:
    """Every drawing fits the output area with its text at the floors, or scrolls with its root
    in view; every image and explorer fits; nothing makes the page scroll sideways."""
    everything = measure_svgs(page, ".jp-OutputArea-output svg")
    small = measure_svgs(page, f".celltag_{SMALL_GRAPH} .jp-OutputArea-output svg")
    assert len(everything) == len(run.html_outputs(DRAWING))  # every SVG is a drawing of ours
    assert len(small) == len(
        [c for c in run.html_outputs(DRAWING) if SMALL_GRAPH in c.metadata.get("tags", [])]
    )
    small_keys = {(s["left"], s["right"], s["height"]) for s in small}
    for seen in everything:
        is_small = (seen["left"], seen["right"], seen["height"]) in small_keys
        floor = SMALL_TEXT_PX if is_small else TEXT_PX
        smallest = min(min(t["px"] for t in seen["texts"]), min(t["height"] for t in seen["texts"]))
        assert seen["root"]["inView"], seen["root"]
        if seen["scrolls"]:
            assert not is_small
            assert min(t["px"] for t in seen["texts"]) == pytest.approx(TEXT_PX, abs=0.05)
        else:
            assert seen["width"] <= seen["container"] + 0.5
            assert smallest >= floor - 0.01, (smallest, floor)
    area = page.evaluate(OUTPUT_WIDTH)
    others = page.eval_on_selector_all(
        ".jp-OutputArea-output img, iframe.tinygrad-edu-explorer",
        "es => es.map(e => e.getBoundingClientRect().width)",
    )
    assert all(width <= area + 0.5 for width in others), (others, area)
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


@pytest.mark.parametrize("name", NAMES)
def test_every_picture_fits_a_1000_px_output_area(chromium, notebooks, name):
    run = notebooks[name]
    page = opened(chromium, run)
    with_output_area(page, 1000)
    check_pictures(page, run)
    screenshot(page, f"notebook-{name}-1000", frames=True)
    assert page.errors == []
    page.close()


@pytest.mark.parametrize("name", NAMES)
def test_every_picture_fits_at_1280_by_800(chromium, notebooks, name):
    run = notebooks[name]
    page = opened(chromium, run)
    check_pictures(page, run)
    page.screenshot(path=str(ARTIFACTS / f"notebook-{name}-1280x800.png"))  # the first screen
    screenshot(page, f"notebook-{name}-1280-page", frames=True)
    assert page.errors == []
    page.close()


EXPLORERS = {"02_seeing_backpropagation": (3, 1), "03_sigmoid_neurons_and_xor": (1, 1)}
"""For each notebook with explorers: how many, and how many of them open on the network view."""


def step_through(page, frame) -> bool:
    """Step one inline explorer forward and back, as a reader does; True if it is a network view.

    Next and Previous move one step; End (the keys go to the explorer clicked) jumps to the
    last step of the backward pass, and ArrowLeft goes back one.  On a network view, clicking
    a neuron opens its own graph, and ← Network comes back to the same step.
    """
    counter = frame.locator("#counter")
    total = int(counter.text_content().split(" of ")[1])
    assert counter.text_content() == f"step 1 of {total}" and total > 3
    frame.locator("#next").click()
    frame.locator("#next").click()
    assert counter.text_content() == f"step 3 of {total}"
    assert frame.locator("#phase").text_content() == "Forward pass"
    frame.locator("#previous").click()
    assert counter.text_content() == f"step 2 of {total}"
    assert frame.locator("body").get_attribute("data-step") == "1"
    frame.locator("header").click()  # focus this explorer, and no node in it
    page.keyboard.press("End")
    assert counter.text_content() == f"step {total} of {total}"
    assert frame.locator("#phase").text_content() == "Backward pass"
    page.keyboard.press("ArrowLeft")
    assert counter.text_content() == f"step {total - 1} of {total}"
    neurons = frame.locator("#frame g.neuron[data-neuron='1.0']")
    if neurons.count() == 0:
        assert frame.locator("body").get_attribute("data-view") == "main"
        return False
    neurons.first.click()
    assert frame.locator("body").get_attribute("data-view") == "neuron:1.0"
    frame.locator("#next").click()  # the neuron's own steps
    frame.locator("#back").click()
    assert frame.locator("body").get_attribute("data-view") == "main"
    assert counter.text_content() == f"step {total - 1} of {total}"
    return True


@pytest.mark.parametrize("name", sorted(EXPLORERS))
def test_the_inline_explorers_step_forward_and_back(chromium, notebooks, name):
    run = notebooks[name]
    page = opened(chromium, run)
    with_output_area(page, 1000)
    frames = page.frame_locator("iframe.tinygrad-edu-explorer")
    count = page.locator("iframe.tinygrad-edu-explorer").count()
    assert count == len(run.html_outputs(EXPLORER)) == EXPLORERS[name][0]
    networks = 0
    for k in range(count):
        page.locator("iframe.tinygrad-edu-explorer").nth(k).scroll_into_view_if_needed()
        networks += step_through(page, frames.nth(k))
    assert networks == EXPLORERS[name][1]
    assert page.errors == []
    page.close()
