"""The README's tour runs and prints what it says."""

import contextlib
import io
import re
import textwrap
from pathlib import Path

import pytest

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


def python_block(containing: str) -> str:
    """The README's ```python block that contains ``containing``, dedented."""
    blocks = re.findall(r"^( *)```python\n(.*?)^\1```", README, re.S | re.M)
    found = [textwrap.dedent(code) for _, code in blocks if containing in code]
    assert len(found) == 1, f"{len(found)} README blocks contain {containing!r}"
    return found[0]


@pytest.mark.parametrize(
    "containing",
    [
        "gradcheck(lambda a, b",
        "hessian(lambda",
        "jvp(lambda",
        "compile(loss_of",
        'define_op("softplus"',
        "explore(loss)",
    ],
)
def test_readme_example_prints_what_its_comments_say(
    containing, tmp_path, monkeypatch, restore_operations
):
    monkeypatch.chdir(tmp_path)
    code = python_block(containing)
    promised = [line.split("  # ", 1)[1] for line in code.splitlines() if line.startswith("print(")]
    assert promised and all(promised)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(code, f"README {containing}", "exec"), {})
    lines = printed.getvalue().splitlines()
    assert len(lines) == len(promised)
    for line, comment in zip(lines, promised):
        assert comment.startswith(line), (line, comment)
