"""A drawing as a notebook shows it: fitted to the output area, never enlarged, root in view.

Jupyter (JupyterLab, VS Code, nbconvert's HTML, Colab) shows an object through
its ``_repr_mimebundle_``.  A plain ``graphviz.Digraph`` hands over its SVG at
full size, so a wide graph runs off the output area and the root, where the
backward pass starts, is out of sight.  ``Drawing`` hands over the same SVG
inside a small piece of HTML that sizes it:

    shown width = min(natural width, width of the output area),
    but at least the width at which the smallest text is MIN_TEXT_PX high;

past that the picture scrolls sideways, and it opens with the root in view.
No style sheet and no script reach the rest of the notebook: the sizes are
inline styles on the picture itself, and only a graph drawn top to bottom,
whose root may sit anywhere across, runs three lines of script to centre it.

A notebook whose outputs someone else made opens *untrusted* in JupyterLab,
which then removes the ``<svg>`` from HTML outputs and keeps its words: a
line of jumbled labels.  So the box's own text is 0 px high and transparent
(the SVG's texts have sizes of their own), and inside the SVG sits a
``<label>`` that says why the picture is missing: in the SVG no browser draws
it, and once the SVG is gone it is an ordinary line of text.
"""

from __future__ import annotations

import itertools
import re
import secrets
from collections.abc import Iterable

import graphviz

MIN_TEXT_PX = 8
"""A picture shrinks to fit until its smallest text is this many pixels high; then it scrolls."""

PX_PER_PT = 4 / 3
"""Graphviz measures in points (1/72 inch); a browser's CSS pixel is 1/96 inch."""

HOW_TO_SHOW = (
    "run the cell, or trust the notebook (Trust Notebook, in JupyterLab's command palette). "
    "In a page exported with Sanitize HTML ticked, export it again with it unticked, "
    "or with jupyter nbconvert --to html."
)
"""What brings back an HTML output that an untrusted notebook, or a sanitized export, hides.

The drawings' and the explorer's sentences both end with it."""

UNTRUSTED = f"The picture is hidden because this notebook is not trusted: {HOW_TO_SHOW}"
"""What a drawing says in its place where JupyterLab strips the SVG from an untrusted output."""

ROOT_ID = "tinygrad-edu-root"
"""The SVG id of the root's node, which the picture keeps in view (its container finds it)."""

_numbers = itertools.count(1)  # an id for each drawing shown, for its script to find it
_RUN = secrets.token_hex(3)  # and this process's own part, so that ids saved in a notebook
# by an earlier kernel never meet the ids of this one


class Drawing(graphviz.Digraph):
    """A ``graphviz.Digraph`` that a notebook shows fitted to its output area.

    Everything a Digraph does still works: ``.source`` is the DOT text,
    ``.pipe()`` and ``.render()`` write pictures, ``_repr_image_svg_xml()``
    returns the bare SVG.  Only the notebook's view differs (``fitted_html``).
    """

    def _repr_mimebundle_(
        self, include: Iterable[str] | None = None, exclude: Iterable[str] | None = None, **_
    ) -> dict[str, str | bytes]:
        """The fitted HTML (and a text line), or the formats ``include`` asks for."""
        try:
            svg = self._repr_image_svg_xml()
        except graphviz.ExecutableNotFound:
            return {"text/plain": _NO_DOT}
        bundle: dict[str, str | bytes] = {
            "text/html": fitted_html(svg, self.graph_attr.get("rankdir", "TB")),
            "text/plain": "<tinygrad_edu Drawing, a graphviz.Digraph: .source is its DOT text>",
        }
        if include is not None:
            asked = set(include)
            bundle = {kind: data for kind, data in bundle.items() if kind in asked}
            others = asked - set(bundle)
            bundle.update(super()._repr_mimebundle_(include=others))
        for kind in set(exclude or ()):
            bundle.pop(kind, None)
        return bundle

    def _repr_html_(self) -> str:
        """The fitted HTML, for tools that ask for HTML by this older name."""
        return fitted_html(self._repr_image_svg_xml(), self.graph_attr.get("rankdir", "TB"))


_NO_DOT = (
    "Graphviz's `dot` program is not installed, so the drawing cannot be shown: install it "
    "with `apt-get install graphviz` or `brew install graphviz`"
)


def fitted_html(svg: str, rankdir: str = "LR") -> str:
    """``svg`` (Graphviz's) wrapped in HTML that fits it to its container.

    With W its natural width (its width in points × PX_PER_PT), V the width of
    its viewBox and s the smallest font size (both in the SVG's own units), the
    picture is drawn ``width: 100%`` of its container, at most W (never
    enlarged) and at least V · MIN_TEXT_PX / s, the width at which that text is
    MIN_TEXT_PX high.  A narrower container scrolls: from
    the right for ``rankdir="LR"``, where the root is the last column, from the
    left for ``"RL"``, and centred on the root for ``"TB"`` and ``"BT"``.
    """
    svg = svg[svg.index("<svg") :]
    head = svg[: svg.index(">") + 1]
    natural = float(re.search(r'width="([\d.]+)pt"', head)[1]) * PX_PER_PT
    view_width = float(re.search(r'viewBox="[-\d.]+ [-\d.]+ ([\d.]+)', head)[1])
    sizes = [float(size) for size in re.findall(r'font-size="([\d.]+)"', svg)]
    narrowest = min(natural, view_width * MIN_TEXT_PX / min(sizes, default=14.0))
    style = (
        f"display:block;width:100%;max-width:{natural:.0f}px;min-width:{narrowest:.0f}px;"
        "height:auto;margin:0 auto 0 0;direction:ltr"
    )
    svg = head[:-1] + f' style="{style}">' + _IN_PLACE_OF_THE_SVG + svg[len(head) :]
    number = next(_numbers)
    box = f"tinygrad-edu-drawing-{_RUN}-{number}"
    direction = "rtl" if rankdir == "LR" else "ltr"
    html = (
        f'<div id="{box}" class="tinygrad-edu-drawing" style="overflow-x:auto;max-width:100%;'
        f'direction:{direction};font-size:0;color:transparent">{svg}</div>'
    )
    if rankdir in ("TB", "BT"):
        html += _CENTRE_ON_ROOT.replace("BOX", box).replace("ROOT", ROOT_ID)
    return html


_IN_PLACE_OF_THE_SVG = (
    '<label style="display:block;direction:ltr;text-align:left;'
    f'font:14px/1.4 sans-serif;color:#52606d">{UNTRUSTED}</label>'
)

# Centre the scrolled box on the root once the box has a width (a notebook may
# lay out an output after its scripts ran): a ResizeObserver reports the first size.
_CENTRE_ON_ROOT = """<script>(function () {
  var box = document.getElementById("BOX"), root = box && box.querySelector('[id="ROOT"]');
  if (!root || typeof ResizeObserver === "undefined") return;
  var watch = new ResizeObserver(function () {
    if (!box.clientWidth) return;
    var b = box.getBoundingClientRect(), r = root.getBoundingClientRect();
    box.scrollLeft += r.left + r.width / 2 - (b.left + b.width / 2);
    watch.disconnect();
  });
  watch.observe(box);
})();</script>"""
