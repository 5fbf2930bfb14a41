"""The explorer's page: one self-contained HTML document, its views, styles, script and data inside.

The page needs no server and no network.  Each view (the network, a neuron's
graph, a whole graph node by node) waits in a ``<template>`` with its
pictures until it is opened; the numbers are one JSON block that the script
reads.  Every label is escaped: the pictures' text by the SVG writers, the
JSON by ``script_json``, and the rest by ``html.escape``.

The card and the key break their lines only at plain spaces and keep each
word whole (the script and ``_words`` wrap each in a ``nowrap`` span), except
that a word of the card too wide for its line may break after a ``·`` that
joins two of its names or numbers (the script's ``breakWideWords``); a name
that holds spaces, such as the loss's ``(a[3][0] - 1.0)``, is written with
no-break spaces (``unbroken``), so that it is one word too.
"""

from __future__ import annotations

import html
import json
from importlib.resources import files
from string import Template

SCRIPTS = ("view.js", "graph_view.js", "network_view.js", "explorer.js")  # base class first
NO_BREAK_SPACE = "\u00a0"


def unbroken(name: str) -> str:
    """``name`` as one word of the card: ``(a[3][0] - 1.0)`` with no-break spaces.

    The page breaks a line only at a plain space, so a name written this way
    is never split across lines; it reads the same.
    """
    return name.replace(" ", NO_BREAK_SPACE)


def _words(text: str) -> str:
    """``text`` as HTML whose lines break only between its words: each word a ``nowrap`` span."""
    return " ".join(f'<span class="token">{html.escape(word)}</span>' for word in text.split(" "))


def script_json(data: object) -> str:
    """``data`` as JSON that is safe inside a ``<script>`` element.

    Every ``<`` is written ``\\u003c``: JSON reads it back as ``<``, while the
    HTML parser never sees a ``</script>``, ``<!--`` or ``<script`` that would end
    or derail the element early (a label may hold any text).
    """
    return json.dumps(data).replace("<", "\\u003c")


def _asset(name: str) -> str:
    return (files("tinygrad_edu.explorer") / name).read_text(encoding="utf-8")


def _subtitle(parts: list[str]) -> str:
    """``root = … = 0.12  ·  part, part``: each part a span that the script may hide (from the last)
    when the line is too narrow for it; the first, the root's value, always shows."""
    separators = ["", "  ·  "] + [", "] * (len(parts) - 2)
    return "".join(
        f'<span class="part">{html.escape(separator + part)}</span>'
        for separator, part in zip(separators, parts)
    )


def page(title: str, subtitle: list[str], views: dict[str, tuple[dict, list[str]]]) -> str:
    """The whole page: ``views`` maps each view's name (``"main"`` first) to its data and SVGs.

    ``subtitle`` is the header's line in parts, the most important first (the root's value).
    """
    templates = "\n".join(
        f'<template data-view="{html.escape(name)}">{"".join(svgs)}</template>'
        for name, (_, svgs) in views.items()
    )
    key = "".join(
        f"<dt>{html.escape(name)}</dt><dd>{_words(meaning)}</dd>"
        for name, meaning in views["main"][0].get("key", [])
    )
    return Template(_asset("page.html")).substitute(
        title=html.escape(title),
        subtitle=_subtitle(subtitle),
        key=key,
        views=templates,
        style=_asset("styles.css"),
        script="\n".join(_asset(name) for name in SCRIPTS),
        walkthrough=script_json({"views": {name: data for name, (data, _) in views.items()}}),
    )
