"""The HTML backprop explorer: both passes of a graph, step by step, in one self-contained page.

``explore(root)`` returns an ``Explorer``: a notebook shows it inline (in a
sandboxed frame of its own), ``.save(path)`` writes the standalone page, and
``to_html(root, path)`` does both steps at once.  A model's graph opens on the
network view (``network_view``: layer by layer, neuron by neuron; click a
neuron for its node-level graph, ``neuron_graph``); any other graph on its
node-level view (``graph_view``).  ``page`` assembles the page from the views
and the styles and scripts in this folder.
"""

from .display import EXPLORER_MAX_NODES, Explorer, explore, to_html
from .graph_view import backward_captions, forward_caption, node_facts
from .page import script_json

__all__ = [
    "EXPLORER_MAX_NODES",
    "Explorer",
    "backward_captions",
    "explore",
    "forward_caption",
    "node_facts",
    "script_json",
    "to_html",
]
