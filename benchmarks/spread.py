"""How a set of timings is reported: its median, and the range its rounds spanned."""

from __future__ import annotations

import statistics
from collections.abc import Sequence


def median_and_range(values: Sequence[float], spec: str = ",.1f") -> str:
    """``"12.80 (12.05–13.61)"``: the median of ``values``, then their least and greatest.

    The median is what a table compares; the range shows how much the rounds
    moved (a shared machine's speed drifts), so a reader can tell a real
    difference from noise.
    """
    median = statistics.median(values)
    return f"{median:{spec}} ({min(values):{spec}}–{max(values):{spec}})"
