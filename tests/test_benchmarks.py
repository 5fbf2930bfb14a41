"""The benchmarks: every peer computes the same losses, and ``make bench QUICK=1`` runs."""

import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import breakdown, chains, demo_step, memory, run  # noqa: E402

NEEDS = {"micrograd": "micrograd", "pytorch (scalar tensors)": "torch"}


@pytest.mark.parametrize("peer", sorted(demo_step.PEERS))
def test_every_peer_computes_tinygrad_edus_losses(peer):
    if peer in NEEDS:
        pytest.importorskip(NEEDS[peer])
    X, Y = demo_step.moons(12)
    weights = demo_step.initial_weights()
    reference = demo_step.make_tinygrad_edu(weights, X, Y)
    step = demo_step.PEERS[peer](weights, X, Y)
    for _ in range(3):  # the first loss checks the forward pass, the next ones the updates
        expected, got = reference(), step()
        assert math.isclose(got, expected, rel_tol=1e-12), (peer, got, expected)


def test_moons_are_two_labelled_half_circles():
    X, Y = demo_step.moons(100)
    assert len(X) == len(Y) == 100 and sorted(set(Y)) == [-1.0, 1.0]
    assert all(len(x) == 2 and all(-2 < v < 3 for v in x) for x in X)


def test_loss_check_catches_a_disagreeing_peer():
    results = {"tinygrad_edu": {"losses": [1.0, 0.5]}, "other": {"losses": [1.0, 0.6]}}
    with pytest.raises(AssertionError, match="other loss 0.6"):
        run.check_losses_agree(results)


def test_chain_rows_check_the_gradient():
    from tinygrad_edu import Value

    build, backward, slope = chains.time_chain(Value, 2_000)
    assert slope == 2_001.0 and build >= 0 and backward >= 0


def test_the_breakdown_times_workload_1s_step_and_the_collector_within_it():
    losses = []
    phases = breakdown.measure(steps=2, warmups=1, n_points=8, losses_seen=losses)
    assert list(phases) == list(breakdown.PHASES)
    for seconds, collecting in phases.values():
        assert len(seconds) == len(collecting) == 2  # one per timed step
        assert all(0 <= gc <= step for gc, step in zip(collecting, seconds))
    assert all(min(phases[p][0]) > 0 for p in ("forward and loss", "zero_grad and backward"))
    X, Y = demo_step.moons(8)
    step = demo_step.make_tinygrad_edu(demo_step.initial_weights(), X, Y)
    assert losses == [step() for _ in range(3)]  # the same step, written out


def test_a_node_costs_at_most_200_bytes():
    from tinygrad_edu import Value

    assert memory.bytes_per_node(Value) <= 200


def test_make_bench_quick_prints_every_table():
    venv = Path(sys.executable).parent.parent
    if venv == ROOT / ".venv":  # make may reinstall the package into its venv: only our own
        command = ["make", "--no-print-directory", "bench", "QUICK=1", f"PY={sys.executable}"]
    else:  # another checkout's environment: run the benchmarks without touching it
        command = [sys.executable, "-m", "benchmarks", "--quick"]
    result = subprocess.run(
        command,
        cwd=ROOT,
        env={**os.environ, "VENV": str(venv)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for title in ("Workload 1", "Where tinygrad_edu's step goes", "Workload 2", "Workload 3"):
        assert title in out
    assert "| tinygrad_edu | " in out and "| plain floats | " in out
    assert "tinygrad_edu compile()" in out
    assert out.count(": median (least–greatest) of 3 ") == 2  # both tables of medians say so
    assert "| tinygrad_edu | 1,000 | " in out


def test_the_demo_step_table_shows_the_median_and_the_range_of_the_rounds():
    results = {
        "tinygrad_edu": {"seconds": [0.1, 0.2, 0.4], "vs_baseline": [1.0] * 3},
        "tinygrad_edu compile()": {"seconds": [0.02, 0.01, 0.03], "vs_baseline": [0.1, 0.2, 0.3]},
        "micrograd": {"seconds": [1.0, 3.0, 2.0], "vs_baseline": [10.0, 13.0, 12.0]},
        "plain floats": {"seconds": [0.01, 0.01, 0.02], "vs_baseline": [0.05, 0.04, 0.1]},
    }
    rows = run.demo_step_table(results)
    assert rows[0] == "| peer | ms / step | ÷ tinygrad_edu | ÷ plain floats |"
    assert rows[2] == "| tinygrad_edu | 200.0 (100.0–400.0) | 1.00 | 20.00 (10.00–25.00) |"
    assert rows[4] == (
        "| micrograd | 2,000.0 (1,000.0–3,000.0) | 12.00 (10.00–13.00) | 100.00 (100.00–300.00) |"
    )
    assert rows[5] == "| plain floats | 10.0 (10.0–20.0) | 0.05 (0.04–0.10) | 1.00 |"
