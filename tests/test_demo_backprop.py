"""demos/backprop_step_by_step.py runs as a script and writes its frames and explorer."""

import runpy
from pathlib import Path

DEMO = Path(__file__).resolve().parent.parent / "demos" / "backprop_step_by_step.py"


def test_the_demo_runs(needs_dot, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("TINYGRAD_EDU_OUT", str(tmp_path))
    runpy.run_path(str(DEMO), run_name="__main__")
    printed = capsys.readouterr().out
    assert "d(L)/d(w1) += d(L)/d(v2) * d(v2)/d(w1)" in printed
    assert "hook: dL/dz is complete" in printed
    assert len(list((tmp_path / "backprop_frames").glob("step_*.svg"))) == 12
    assert (tmp_path / "backprop_explorer.html").stat().st_size > 10_000
