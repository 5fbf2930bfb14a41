"""The training demos run as scripts and reach their accuracy."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

DEMOS = Path(__file__).resolve().parent.parent / "demos"


def run_demo(name, cwd, **env):
    result = subprocess.run(
        [sys.executable, str(DEMOS / name)],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, **env},
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_train_moons_reaches_97_percent_and_draws_its_pictures(tmp_path):
    pytest.importorskip("matplotlib")
    # fit's defaults (Adam, lr 0.05) pass 97% near epoch 23; quick mode trains 40 epochs
    out = run_demo("train_moons.py", tmp_path, TINYGRAD_EDU_QUICK="1")
    assert "after 40 epochs" in out
    reached = int(re.search(r"training accuracy = (\d+)%", out).group(1))
    assert reached >= 97
    for picture in ("moons_boundary.png", "loss_curve.png"):
        path = tmp_path / "out" / picture
        assert path.read_bytes()[:4] == b"\x89PNG"
        assert str(path) in out


def test_xor_with_sigmoid_learns_all_four_cases(tmp_path):
    out = run_demo("xor_with_sigmoid.py", tmp_path)
    assert "accuracy 100%" in out
    final = float(re.search(r"final mse ([0-9.]+)", out).group(1))
    assert final < 0.01
