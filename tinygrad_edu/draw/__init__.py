"""Drawing computation graphs with Graphviz: ``draw_dot``, ``render`` and ``backward_frames``.

Every Value is a record, its label over its data over its grad; every
operation is its own small oval between its inputs and its output; every input
edge carries the local derivative ∂output/∂input, written on the edge itself,
so the chain rule can be read off the picture:

    grad(input) += local derivative × grad(output)

Colour key (fill colours; a highlight is an outline, so it shows on any fill):

=============  ===========  ===============================================
kind           colour       which nodes
=============  ===========  ===============================================
input          light blue   labelled leaves that are not parameters (data you feed in)
constant       pale grey,   unlabelled leaves that are not parameters: numbers
               dashed       written into the formula (the ``1.0`` of ``y - 1.0``)
parameter      light orange weights and biases (``w.i`` and ``b`` of a Neuron,
                            or the Values passed as ``parameters``)
root           light green  the Value you called ``draw_dot`` on
computed       white        every other Value
operation      light grey   the small ovals: ``+``, ``*``, ``tanh``, ...
highlighted    red outline  Values and edges passed in ``highlight``
=============  ===========  ===============================================

In the collapsed picture (``collapse=True``) a weight is an edge coloured
blue when positive and orange when negative, thicker the larger ``|w|`` is.

The modules, one idea each: ``style`` (colours, options, how a node looks),
``neurons`` (finding a model's Neurons in a graph, from its Parameters, or by
labels in a graph made without ``nn``), ``graph`` (the graph node by node),
``focus`` (the part of a graph near some nodes), ``collapsed`` (one node per
Neuron), ``notebook`` (a drawing fitted to a notebook's output area),
``rendering`` (pictures as files), ``frames`` (one picture per step of a pass),
``slides`` (fitting a picture to a slide), ``network`` (a model's graph read
as layers of neurons, with the steps of its passes), ``network_picture``
(the explorer's network view, and its frames), ``neuron_picture`` (one
neuron's graph, laid out by hand as rows of w·a added up along a rail) and
``metrics`` (how wide a text is, for the pictures laid out by hand).
"""

from .collapsed import WEIGHT_LABEL_LIMIT
from .frames import backward_frames
from .graph import COUNT_LIMIT, draw_dot
from .notebook import Drawing
from .rendering import GraphvizNotFoundError, GraphvizWarning, render
from .style import (
    COLOURS,
    DEFAULT_MAX_NODES,
    RANKDIRS,
    GraphTooLargeError,
    ShowGrad,
    number,
)

__all__ = [
    "COLOURS",
    "COUNT_LIMIT",
    "DEFAULT_MAX_NODES",
    "Drawing",
    "RANKDIRS",
    "WEIGHT_LABEL_LIMIT",
    "GraphTooLargeError",
    "GraphvizNotFoundError",
    "GraphvizWarning",
    "ShowGrad",
    "backward_frames",
    "draw_dot",
    "number",
    "render",
]
