"""Drawing computation graphs with Graphviz: ``draw_dot``, ``render`` and ``backward_frames``.

Every Value is a record ``{ label | data | grad }``; every operation is its own
small oval between its inputs and its output; every input edge carries the
local derivative ∂output/∂input, so the chain rule can be read off the picture:

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
``neurons`` (finding the Neurons of a graph by their labels), ``graph`` (the
graph node by node), ``collapsed`` (one node per Neuron), ``rendering``
(pictures as files) and ``frames`` (one picture per step of a pass).
"""

from .collapsed import WEIGHT_LABEL_LIMIT
from .frames import backward_frames
from .graph import COUNT_LIMIT, draw_dot
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
