"""Every demo runs as a script."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run_demo(name: str, tmp_path: Path, **env: str) -> str:
    result = subprocess.run(
        [sys.executable, str(ROOT / "demos" / name)],
        cwd=tmp_path,
        env={**os.environ, "MPLBACKEND": "Agg", **env},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_neuron_from_scratch(tmp_path):
    out = run_demo("neuron_from_scratch.py", tmp_path)
    assert "w1   -0.52366892   -0.52366892" in out
    first = float(out.split("step  0: loss = ")[1].split()[0])
    final = float(out.split("after training:")[1].split("loss = ")[1])
    assert final < first / 10


@pytest.mark.parametrize("name", sorted(p.name for p in (ROOT / "demos").glob("*.py")))
def test_demo_files_are_cell_scripts(name):
    assert "# %%" in (ROOT / "demos" / name).read_text()


def test_newton_method(tmp_path):
    out = run_demo("newton_method.py", tmp_path)
    assert "f' = 21.0 (by hand 21), f'' = 42.0 (by hand 42)" in out
    newton = int(out.split("Newton: ")[1].split()[0])
    descent = int(out.split("gradient descent (lr = 0.02): ")[1].split()[0])
    assert newton <= 8 < descent
    assert (tmp_path / "out" / "newton_method.png").stat().st_size > 10_000


def test_forward_vs_reverse(tmp_path):
    out = run_demo("forward_vs_reverse.py", tmp_path, SIZES="2 8")
    rows = {
        tuple(line.split("|")[0].split()[-2:]): line for line in out.splitlines() if "|" in line
    }
    many_to_one, one_to_many = rows[("8", "1")], rows[("2", "8")]
    assert many_to_one.endswith("reverse") and one_to_many.endswith("forward")
    # 8 inputs: forward mode does 8 passes of the same 22 operations and 37 products
    assert many_to_one.split("|")[1].split() == ["176", "296"]
    assert many_to_one.split("|")[2].split() == ["22", "37"]
    assert (tmp_path / "out" / "forward_vs_reverse.png").stat().st_size > 10_000


def test_your_own_operation(tmp_path):
    out = run_demo("your_own_operation.py", tmp_path)
    assert "my_tanh(x) = 0.707107, tanh(x) = 0.707107" in out
    assert "d/dx: ours 0.500000, built-in 0.500000" in out
    assert "gradcheck: True" in out
    assert "the slipped rule is caught: x0 = 0.3: analytic 1.8302739, numerical 0.91513696" in out
    assert "[o = my_tanh(n); d(my_tanh(n))/dn = 1 - my_tanh(n)**2]" in out
    svg = (tmp_path / "out" / "your_own_operation.svg").read_text()
    assert "my_tanh" in svg and "0.5" in svg
