"""demos/draw_graphs.py runs and writes its five pictures."""

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

DEMO = Path(__file__).resolve().parent.parent / "demos" / "draw_graphs.py"
PICTURES = ["neuron", "expression", "backward_step", "mlp", "mlp_collapsed"]


def run_demo(cwd: Path, picture_format: str) -> str:
    env = {**os.environ, "DRAW_GRAPHS_FORMAT": picture_format}
    run = subprocess.run(
        [sys.executable, str(DEMO)], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr
    return run.stdout


def test_demo_writes_dot_files_without_graphviz(tmp_path):
    stdout = run_demo(tmp_path, "dot")
    assert "dloss/dw1 = -0.5237" in stdout and "step 3: b += 1 × 0.5000" in stdout
    for name in PICTURES:
        assert (tmp_path / "out" / f"{name}.dot").read_text().startswith("digraph")


def test_demo_draws_svg_pictures(tmp_path, needs_dot):
    run_demo(tmp_path, "svg")
    for name in PICTURES:
        ET.parse(tmp_path / "out" / f"{name}.svg")  # well-formed XML
    frame = (tmp_path / "out" / "backward_step.svg").read_text()
    # the highlighted edge: its two lines (into its number, and on to the operation),
    # the arrowhead (fill and stroke) and the number itself
    assert frame.count("#d62728") == 5
