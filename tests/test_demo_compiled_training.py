"""demos/compiled_training.py runs, trains, and matches eager mode."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_compiled_training_demo(tmp_path):
    result = subprocess.run(
        [sys.executable, str(ROOT / "demos" / "compiled_training.py")],
        cwd=tmp_path,
        env={**os.environ, "POINTS": "12", "STEPS": "21"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "v4 = v3 if v3 > 0 else 0.0" in out  # relu's rule, inlined
    assert "d/dw = [2.0, 3.0] (= x), d/db = 1.0" in out
    first = float(out.split("step   0: loss = ")[1].split()[0])
    last = float(out.split("step  20: loss = ")[1].split()[0])
    assert last < first
    assert "largest gradient difference: 0.0" in out
