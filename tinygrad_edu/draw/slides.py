"""Fitting a picture to a slide: scaled to fill it, or, when its text would be too small, shown
at a readable size around the current step.

A slide is ``size`` pixels (1,920 × 1,080, a 16:9 slide, unless told).  A
picture whose smallest text is ``smallest`` units high is shown at ``s``
pixels per unit, so its smallest text is ``s · smallest`` pixels: the picture
is fitted whole when that is at least ``min_text`` pixels, and otherwise kept
at ``min_text`` and cropped to the part around the focus (the current step).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from ..checks import is_whole

SLIDE = (1920, 1080)
SLIDE_TEXT = 14  # pixels: the smallest text on a slide


def check_size(size: object) -> tuple[int, int]:
    """``size`` as (width, height) in pixels, or a ValueError that says what was expected."""
    if (
        not isinstance(size, tuple | list)
        or len(size) != 2
        or not all(is_whole(side) and side >= 100 for side in size)
    ):
        raise ValueError(f"size must be (width, height) in whole pixels >= 100, got {size!r}")
    return int(size[0]), int(size[1])


def fit_scale(width: float, height: float, size: tuple[int, int]) -> float:
    """Pixels per unit at which a ``width`` × ``height`` picture just fits ``size``."""
    return min(size[0] / width, size[1] / height)


def fit(
    svg: ET.Element,
    box: tuple[float, float, float, float],
    size: tuple[int, int],
    smallest: float,
    focus: tuple[float, float] | None,
    min_text: float = SLIDE_TEXT,
) -> None:
    """Set ``svg``'s size to ``size`` and its viewBox to the part of ``box`` (x, y, w, h) shown.

    Fitted whole, centred, when its smallest text is then at least ``min_text``
    pixels; else at that size, centred on ``focus`` (a point of the picture) as far
    as the picture reaches.
    """
    x, y, width, height = box
    scale = max(fit_scale(width, height, size), min_text / smallest)
    view_w, view_h = size[0] / scale, size[1] / scale
    focus_x, focus_y = focus if focus is not None else (None, None)
    left, top = _place(x, width, view_w, focus_x), _place(y, height, view_h, focus_y)
    svg.set("viewBox", f"{left:.2f} {top:.2f} {view_w:.2f} {view_h:.2f}")
    svg.set("width", str(size[0]))
    svg.set("height", str(size[1]))


def _place(start: float, length: float, view: float, focus: float | None) -> float:
    """Where a window ``view`` long starts on a picture ``length`` long: centred on the
    picture when it holds it all, else on ``focus`` as far as the picture reaches."""
    if view >= length or focus is None:
        return start + (length - view) / 2
    return min(max(focus - view / 2, start), start + length - view)
