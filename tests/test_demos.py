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
