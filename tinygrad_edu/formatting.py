"""How numbers read everywhere in the package: pictures, explanations and the explorer."""

from __future__ import annotations

import math

TEXT_DIGITS = 6
"""Significant digits in lines of text (``explain``, the explorer's captions)."""

PICTURE_DIGITS = 4
"""Significant digits written on a drawn graph, where room is short."""

NETWORK_DIGITS = 3
"""Significant digits inside a neuron of the network view, where room is shorter still."""


def format_number(x: float, digits: int = TEXT_DIGITS) -> str:
    """``x`` with ``digits`` significant digits: ``0.7071``, ``2.0``, ``-1.5e-07``.

    A whole number keeps its point (``2.0``, not ``2``) so that it reads as a
    value, never as a count; ``-0.0`` reads ``0.0``; ``inf`` and ``nan`` as
    Python writes them.
    """
    if x == 0:
        return "0.0"
    text = format(x, f".{digits}g")
    if math.isfinite(x) and not any(c in text for c in ".e"):
        text += ".0"
    return text


def format_operand(x: float, digits: int = TEXT_DIGITS) -> str:
    """``format_number``, in brackets when negative, for a number written as an operand.

    ``(-0.5)**2`` is 0.25 where ``-0.5**2`` would read -0.25, and ``3.0 * (-2.0)``
    keeps the sign apart from the operator.
    """
    text = format_number(x, digits)
    return f"({text})" if text.startswith("-") else text
