"""The README's tour runs and prints what it says."""

import contextlib
import io
import re
from pathlib import Path

README = (Path(__file__).resolve().parent.parent / "README.md").read_text()


def test_tour_runs_and_prints_the_gradient_it_promises():
    tour = re.search(r"## A ten-line tour\n\n```python\n(.*?)```", README, re.S).group(1)
    assert len(tour.strip().splitlines()) <= 12
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(tour, "README tour", "exec"), {})
    lines = printed.getvalue().splitlines()
    assert lines[-1] == "-0.5926"
    assert "      w += +2.0000 * -0.2963" in lines
