"""Is this a number? The two questions every public function asks of its arguments.

``bool`` is a subclass of ``int`` in Python, but ``True`` is never a sensible
learning rate, sample count or coordinate, so both checks refuse it.
"""

from __future__ import annotations

from typing import Any


def is_number(x: Any) -> bool:
    """True for an int or a float (not a bool)."""
    return isinstance(x, int | float) and not isinstance(x, bool)


def is_whole(x: Any) -> bool:
    """True for an int (not a bool)."""
    return isinstance(x, int) and not isinstance(x, bool)
