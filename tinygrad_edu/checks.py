"""Is this a number? The two questions every public function asks of its arguments.

A number is any real number Python knows: an int or a float, and the scalars
of numpy and other libraries that register themselves as ``numbers.Real``
(``np.float32(0.5)``, ``np.int64(3)``), so data read with numpy goes in as it
is.  ``bool`` is a subclass of ``int`` in Python, but ``True`` is never a
sensible learning rate, sample count or coordinate, so both checks refuse it
(numpy's ``np.bool_`` is not a ``numbers.Real`` at all).
"""

from __future__ import annotations

import numbers
from typing import Any


def is_number(x: Any) -> bool:
    """True for a real number: an int, a float or a numpy scalar like ``np.float32`` (no bool)."""
    return isinstance(x, numbers.Real) and not isinstance(x, bool)


def is_whole(x: Any) -> bool:
    """True for an int or a numpy integer such as ``np.int64`` (not a bool)."""
    return isinstance(x, numbers.Integral) and not isinstance(x, bool)
