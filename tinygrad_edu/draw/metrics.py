"""How wide a text is in Helvetica, for pictures laid out by hand rather than by Graphviz.

A picture drawn as SVG by this package names the font ``Helvetica,sans-Serif``,
as Graphviz's pictures do.  Browsers draw it in Helvetica, or in Arial or
Liberation Sans (Debian's Chromium), whose letters are as wide as Helvetica's
by design; so the widths below, in thousandths of the font size, say where a
text ends.
"""

from __future__ import annotations

_WIDTHS_BY_CHARACTERS = {
    191: "'",
    222: "ijl",
    260: "|",
    278: " !,./:;[\\]ftI",
    333: "()-r`",
    334: "{}",
    355: '"',
    389: "*",
    469: "^",
    500: "cksvxyzJ",
    556: "0123456789#$?_abdeghnopquL",
    584: "+<=>~",
    611: "FTZ",
    667: "&ABEKPSVXY",
    722: "CDHNRUw",
    778: "GOQ",
    833: "mM",
    889: "%",
    944: "W",
    1015: "@",
}
WIDTHS = {c: width for width, chars in _WIDTHS_BY_CHARACTERS.items() for c in chars}
"""Helvetica's advance width of each printable ASCII character, per 1,000 units of font size."""

OTHER = 600
"""The width assumed for any other character (``∂``, ``·``, ``σ``): a little wider than a digit."""


def text_width(text: str, size: float) -> float:
    """The width of ``text`` in Helvetica at ``size`` (pixels, or SVG units): Σ width(c)·size."""
    return sum(WIDTHS.get(c, OTHER) for c in text) * size / 1000
