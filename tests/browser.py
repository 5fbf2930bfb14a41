"""Browser helpers for the tests: headless Chromium (Debian's), and what a person sees in it.

The ``chromium`` fixture (``conftest.py``, from ``launched_chromium``) starts one
browser per test module.  The measuring helpers put HTML into a page the way a
notebook's output area holds it (a box of a given width) and report what is on
screen, in CSS pixels.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGUMENTS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
"""Where browser tests leave screenshots to look at (ignored by git)."""


def require(available: bool, what: str) -> None:
    """Skip without ``what``, but fail in CI (``CI`` set), where it must run for real."""
    if not available:
        if os.environ.get("CI"):
            pytest.fail(f"{what} is missing, and CI must run this test")
        pytest.skip(f"{what} is missing")


def launched_chromium():
    """Start headless Chromium and yield it (skipped without it, failing in CI); a fixture body.

    ``conftest.py`` makes it the ``chromium`` fixture, one browser per test module.
    """
    require(shutil.which("dot") is not None, "Graphviz's dot")
    require(Path(CHROMIUM).exists(), CHROMIUM)
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=ARGUMENTS
        )
        yield browser
        browser.close()


def output_area(browser, html: str, width: int = 1000, viewport=(1280, 800)):
    """A page whose body holds ``html`` in a box ``width`` px wide, as a notebook output area.

    Returns the page; the box is ``#output``.  Scripts in ``html`` run, as they do
    in JupyterLab, VS Code and nbconvert's HTML.
    """
    page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]})
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.set_content(
        "<!doctype html><html><body style='margin:0;font-family:sans-serif'>"
        f"<div id='output' style='width:{width}px;margin:8px'>{html}</div></body></html>"
    )
    page.wait_for_timeout(50)  # a ResizeObserver reports after the first layout
    page.errors = errors
    return page


def measure_svgs(page, selector: str = "#output svg") -> list[dict]:
    """For each SVG that ``selector`` finds (those of ``output_area``'s box by default):
    what a person sees of it, in CSS pixels.  An exported notebook page can pass
    ``".jp-OutputArea-output svg"``.

    ``width``, ``height``, ``left`` and ``right``: the picture as drawn (``scale``:
    CSS pixels per SVG unit); ``container``: the width of the box it scrolls in,
    and ``scrolls`` whether it does; ``texts``: each text's words, the height of
    its bounding box and its font size as shown (``font-size`` × the scale);
    ``root``: the bounding box of the node with id ``tinygrad-edu-root`` and
    whether it lies across wholly inside the box's visible part (``inView``).
    """
    return page.evaluate(
        """selector => [...document.querySelectorAll(selector)].map(svg => {
          const box = svg.getBoundingClientRect();
          const scroller = svg.parentElement;
          const view = scroller.getBoundingClientRect();
          const scale = box.width / svg.viewBox.baseVal.width;
          const texts = [...svg.querySelectorAll('text')].map(t => ({
            text: t.textContent,
            height: t.getBoundingClientRect().height,
            px: parseFloat(t.getAttribute('font-size')) * scale,
          }));
          const root = svg.querySelector('[id="tinygrad-edu-root"]');
          let rootBox = null;
          if (root) {
            const r = root.getBoundingClientRect();
            rootBox = {left: r.left, right: r.right, top: r.top, bottom: r.bottom,
                       inView: r.left >= view.left - 0.5 && r.right <= view.right + 0.5};
          }
          return {width: box.width, height: box.height, left: box.left, right: box.right, scale,
                  container: view.width, scrolls: scroller.scrollWidth > scroller.clientWidth + 1,
                  texts, root: rootBox};
        })""",
        selector,
    )


def screenshot(page, name: str) -> Path:
    """Save the page as ``test-artifacts/<name>.png`` (the whole page) and return the path."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
