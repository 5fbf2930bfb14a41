"""render's Graphviz warnings: gathered into one GraphvizWarning, the picture still written."""

import warnings

import pytest

from tinygrad_edu import MLP, render
from tinygrad_edu.draw import GraphvizWarning


def test_graphvizs_warnings_become_one_warning(needs_dot, tmp_path):
    out = MLP(2, [64, 64, 1], seed=0)([0.5, -0.5])
    out.backward()  # the gradients make the labels longer
    with pytest.warns(GraphvizWarning) as caught:
        path = render(out, tmp_path / "wide.svg", collapse=True)
    assert len(caught) == 1
    message = str(caught[0].message)
    assert message.startswith("Graphviz warned: node ") and "size too small for label" in message
    assert message.endswith("more like it); the picture was drawn all the same")
    assert path.read_text().startswith("<?xml")


def test_a_picture_without_warnings_warns_nothing(needs_dot, tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        render(MLP(2, [2, 1], seed=0)([0.5, -0.5]), tmp_path / "small.svg")
