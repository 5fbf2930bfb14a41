"""``explore(root)``: the explorer as an object that a notebook shows inline and that saves a page.

A notebook shows an ``Explorer`` through ``_repr_html_``: an ``<iframe>`` whose
``srcdoc`` is the whole standalone page, sandboxed to run its own script only.
The frame is a document of its own, so any number of explorers share a
notebook without one's styles, element ids or script names reaching the
notebook or another explorer; arrow keys go to the explorer that has focus
(the one last clicked); and nothing needs a server, a file beside the
notebook or a kernel, so the exported HTML (nbconvert) works as the live
notebook does.  The frame takes the cell's width, and the page inside lays
itself out for whatever size it gets.

To drive an inline explorer in a browser test, find its frame by class and
its controls by id::

    frame = page.frame_locator("iframe.tinygrad-edu-explorer").nth(0)
    frame.locator("body[data-ready=true]").wait_for()
    frame.locator("#next").click()          # also #previous, #slider, #back
    frame.locator("#counter").text_content()  # "step 2 of 41"; #phase, #line
"""

from __future__ import annotations

import html
import os
from dataclasses import replace
from pathlib import Path

from ..checks import is_whole
from ..draw.frames import GraphPicture
from ..draw.graph import COUNT_LIMIT, count_text, count_values
from ..draw.network import Network, NotANetworkError
from ..draw.network_picture import DIRECTIONS, NetworkPicture
from ..draw.notebook import HOW_TO_SHOW
from ..draw.style import GraphTooLargeError
from ..engine import Value
from ..files import write_atomically
from ..formatting import format_number
from ..walkthrough import Walkthrough, formula
from .graph_view import NODE_VIEW_DIRECTIONS, graph_view
from .network_view import network_view, root_formula
from .neuron_graph import neuron_view
from .page import page, unbroken

EXPLORER_MAX_NODES = 150
"""The most Values the node-level view of a whole graph shows: an MLP 2,4,4,1 has 103.

Beyond that the graph no longer fits a screen in readable type, and stepping
through its hundreds of edges one at a time teaches little that a smaller
graph does not.  A model's graph opens on the network view instead, which
has no such limit (up to 64 neurons).
"""

NETWORK_MAX_VALUES = 50_000
"""A graph larger than this is not read for a network view (64 neurons of 64 inputs have 8,500)."""

VIEWS = ("network", "graph")
INLINE_HEIGHT = 640
"""The height of an explorer in a notebook, in pixels, unless ``height=`` says otherwise.

JupyterLab at 1,280 × 800 shows about 678 pixels of a notebook at once: a frame of
640 is seen whole, and an MLP(2, [4, 4, 1])'s network and card fit in it at a
1,000-pixel cell's width."""
UNTRUSTED = f"The explorer is hidden because this notebook is not trusted: {HOW_TO_SHOW}"
"""The frame's own text: no browser shows it, but it stays where JupyterLab strips the frame
from an output of an untrusted notebook (one whose outputs someone else made)."""


class Explorer:
    """The explorer of one graph: a notebook shows it inline, ``save`` writes it as a page.

    ``view`` says which view it opens on (``"network"`` or ``"graph"``);
    ``html`` is the standalone page, the same one ``save`` writes.
    """

    def __init__(self, html_page: str, title: str, view: str, height: int) -> None:
        self.html = html_page
        self.title = title
        self.view = view
        self.height = height

    def save(self, path: str | os.PathLike) -> Path:
        """Write the standalone page to ``path`` (creating its folder), atomically; return it."""
        return write_atomically(path, self.html, make_folders=True)

    def _repr_html_(self) -> str:
        """The page in a sandboxed ``<iframe srcdoc>``, as wide as the cell (UNTRUSTED inside)."""
        return (
            f'<iframe class="tinygrad-edu-explorer" title="{html.escape(self.title)}" '
            f"sandbox=\"allow-scripts\" srcdoc='{_single_quoted(self.html)}' "
            f'style="width: 100%; height: {self.height}px; border: 1px solid #d9dde3; '
            f'border-radius: 8px; box-sizing: border-box; display: block">{UNTRUSTED}</iframe>'
        )

    def __repr__(self) -> str:
        return f"Explorer({self.title!r}, view={self.view!r}, {len(self.html):,} characters)"


def _single_quoted(text: str) -> str:
    """``text`` as the value of a single-quoted attribute: ``& ' < >`` escaped, ``"`` as it is.

    The page's double quotes (two in each of its SVG attributes) then stay one
    character each, where ``html.escape`` writes six (``&quot;``): for the moons
    model's explorer, a notebook output of 2.6 MB instead of 3.8 MB.  Its ``<``
    and ``>`` are escaped all the same, so that no tag shows inside the frame's own.
    """
    for character, entity in (("&", "&amp;"), ("'", "&#39;"), ("<", "&lt;"), (">", "&gt;")):
        text = text.replace(character, entity)
    return text


def explore(
    root: Value,
    *,
    view: str | None = None,
    height: int = INLINE_HEIGHT,
    max_nodes: int = EXPLORER_MAX_NODES,
) -> Explorer:
    """The backprop explorer of ``root``'s graph: shown inline by a notebook, ``.save`` d as a page.

    It tells both passes step by step, with the chain rule of each step on a
    card: ``d(root)/d(input) += d(root)/d(output) * d(output)/d(input)``.

    Args:
        root: the Value whose graph to explore (usually the loss).
        view: ``"network"`` for the network view of a model's graph (forward
            layer by layer, neuron by neuron, ∂L/∂a, ∂L/∂z and ∂L/∂w on the way
            back; click a neuron for its node-level graph), ``"graph"`` for every
            Value and edge of the graph, or None (the default): the network view
            when the graph is one sample's pass through a model's neurons
            (followed by a loss of its outputs), else the graph.
        height: the inline frame's height in pixels (its width is the cell's).
        max_nodes: the most Values the ``"graph"`` view shows.

    Raises:
        GraphTooLargeError: the graph view would have more than ``max_nodes``
            Values, or the network more than 64 neurons (checked before any drawing).
        ValueError: ``view="network"`` for a graph that is not a model's pass
            (the message says why), or a bad ``view``, ``height`` or ``max_nodes``.
    """
    if not isinstance(root, Value):
        raise TypeError(f"explore needs a Value, got {type(root).__name__}")
    if view is not None and view not in VIEWS:
        raise ValueError(f"view must be 'network', 'graph' or None, got {view!r}")
    if not is_whole(height) or height < 200:
        raise ValueError(f"height must be a whole number of pixels >= 200, got {height!r}")
    if not is_whole(max_nodes) or max_nodes < 1:
        raise ValueError(f"max_nodes must be a whole number >= 1, got {max_nodes!r}")
    count = count_values(root, COUNT_LIMIT)
    why_not, walk = None, None
    if view != "graph":
        if count > NETWORK_MAX_VALUES:
            why_not = f"a network view reads at most {NETWORK_MAX_VALUES:,} Values"
        else:
            walk = Walkthrough.of(root)
            try:
                network = Network.of(walk)
            except NotANetworkError as error:
                why_not = str(error)
            else:
                return _network_explorer(network, height)
        if view == "network":
            raise ValueError(f"no network view of this graph: {why_not}")
    if count > max_nodes:
        shown = count_text(count)
        raise GraphTooLargeError(
            f"the explorer shows at most {max_nodes} Values and this graph has {shown}: "
            "explore a smaller graph (an MLP(2, [3, 1]), or one Neuron), "
            f"pass a larger max_nodes (max_nodes={count} if you must), "
            "or draw this one with draw_dot(root, collapse=True)"
            + (f" (no network view either: {why_not})" if why_not else "")
        )
    return _graph_explorer(walk or Walkthrough.of(root), height, max_nodes)  # replayed once


def to_html(root: Value, path: str | os.PathLike, **options) -> Path:
    """Write the explorer page of ``root`` to ``path`` and return the path: ``explore(root).save``.

    One self-contained page (the graph, styles and script inside; no network),
    about 275 kB for an MLP 2,4,4,1's node-level graph.  Takes ``explore``'s
    options; raises what it raises, before anything is written.
    """
    return explore(root, **options).save(path)


def _root_line(walk: Walkthrough) -> str:
    top, root = walk.names[walk.root], walk.root
    made = f"{formula(root, walk.names)} = " if root.inputs else ""
    return f"{top} = {made}{format_number(root.data)}"


def _graph_explorer(walk: Walkthrough, height: int, max_nodes: int) -> Explorer:
    pictures = [
        GraphPicture(walk, max_nodes=max_nodes, rankdir=rankdir, compact=True)
        for rankdir in NODE_VIEW_DIRECTIONS
    ]
    named = replace(walk, names={node: unbroken(name) for node, name in walk.names.items()})
    views = {"main": graph_view(named, pictures)}  # a label with spaces: one word of the card
    subtitle = [_root_line(walk), f"{len(walk.order)} nodes", f"{len(walk.steps)} edges"]
    top = walk.names[walk.root]
    return Explorer(page(top, subtitle, views), top, "graph", height)


def _network_explorer(network: Network, height: int) -> Explorer:
    walk = network.walk
    pictures = [NetworkPicture(network, direction) for direction in DIRECTIONS]
    views = {"main": network_view(network, pictures)}
    for n in network.neurons:
        views[f"neuron:{n.layer}.{n.index}"] = neuron_view(network, n)
    sizes = " → ".join(str(len(layer)) for layer in [network.inputs, *network.layers])
    subtitle = [
        root_formula(network),
        f"network {sizes}",
        f"{len(network.neurons)} neurons",
        f"{len(walk.order)} Values",
    ]
    top = walk.names[walk.root]
    return Explorer(page(top, subtitle, views), top, "network", height)
