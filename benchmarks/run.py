"""Run the workloads and print one table of medians and ratios.

Every peer of workload 1 runs in its own Python process, so that one library's
imports and garbage never burden another's garbage collector (PyTorch alone
adds ~150,000 objects that every full collection walks).  After a warm-up the
parent asks for one timed step at a time, tinygrad_edu's steps between every
other peer's: ``tinygrad_edu, micrograd, tinygrad_edu, pytorch, ...``.  Each
peer's step is compared with the mean of the tinygrad_edu steps just before
and after it, which cancels the slow drifts in speed of a shared machine; the
table shows the medians of those ratios.  Python's default garbage-collector
settings are used throughout.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import platform
import time
from importlib.util import find_spec

from . import breakdown, chains, demo_step, memory
from .spread import median_and_range

BASELINE = "tinygrad_edu"
FLOOR = "plain floats"
ADJACENT = ("tinygrad_edu compile()", FLOOR)


def _serve(conn, peer: str, n_points: int) -> None:
    """A worker: build one peer, then answer ``("step", warmups)`` with (seconds, loss)."""
    X, Y = demo_step.moons(n_points)
    step = demo_step.PEERS[peer](demo_step.initial_weights(), X, Y)
    conn.send("ready")
    while (request := conn.recv()) is not None:
        for _ in range(request):
            step()
        start = time.perf_counter()
        loss = step()
        conn.send((time.perf_counter() - start, loss))


def available_peers() -> list[str]:
    """Workload 1's peers whose libraries are installed."""
    needs = {"micrograd": "micrograd", "pytorch (scalar tensors)": "torch"}
    return [p for p in demo_step.PEERS if p not in needs or find_spec(needs[p]) is not None]


def run_demo_step(rounds: int, warmups: int, n_points: int) -> dict[str, dict]:
    """Workload 1: {peer: {"seconds", "losses", "vs_baseline"}}, lists over the rounds.

    ``vs_baseline`` holds each step's time divided by the mean of the
    tinygrad_edu steps timed just before and just after it.
    """
    context = mp.get_context("spawn")
    workers = {}
    for peer in available_peers():
        parent, child = context.Pipe()
        process = context.Process(target=_serve, args=(child, peer, n_points), daemon=True)
        process.start()
        workers[peer] = (parent, process)
    for parent, _ in workers.values():
        assert parent.recv() == "ready"
    results = {peer: {"seconds": [], "losses": [], "vs_baseline": []} for peer in workers}

    def timed_step(peer: str) -> float:
        parent = workers[peer][0]
        parent.send(warmups if not results[peer]["seconds"] else 0)
        seconds, loss = parent.recv()
        results[peer]["seconds"].append(seconds)
        results[peer]["losses"].append(loss)
        return seconds

    # compile() and the plain floats first, with one tinygrad_edu step between
    # them: their ratio to each other is one of the targets
    first = [peer for peer in ADJACENT if peer in workers]
    others = first + [peer for peer in workers if peer not in first and peer != BASELINE]
    before = timed_step(BASELINE)
    for _ in range(rounds):
        for peer in others:
            seconds = timed_step(peer)
            after = timed_step(BASELINE)
            results[peer]["vs_baseline"].append(seconds / ((before + after) / 2))
            before = after
    results[BASELINE]["vs_baseline"] = [1.0] * rounds
    for parent, process in workers.values():
        parent.send(None)
        process.join()
    return results


def check_losses_agree(results: dict[str, dict], tolerance: float = 1e-9) -> None:
    """Every peer computed the same loss at every step (same weights, same data).

    The i-th timed step of every peer is the same step of training, whenever it ran.
    """
    reference = results[BASELINE]["losses"]
    for peer, result in results.items():
        for i, (mine, theirs) in enumerate(zip(result["losses"], reference)):
            if abs(mine - theirs) > tolerance * max(1.0, abs(theirs)):
                raise AssertionError(f"{peer} loss {mine!r} != {BASELINE} {theirs!r} at step {i}")


def demo_step_table(results: dict[str, dict]) -> list[str]:
    """Each peer's time and its ratios to tinygrad_edu and to the plain floats, over the rounds.

    Every column shows the median of the rounds and, in brackets, the least and
    the greatest round.  ``÷ tinygrad_edu`` is the median of a peer's ratios to
    the tinygrad_edu steps just before and after it; ``÷ plain floats`` the
    median of its ratios to the plain-float step of the same round (for
    tinygrad_edu, of the inverses of the floats' ratios to it).
    """
    rows = [
        "| peer | ms / step | ÷ tinygrad_edu | ÷ plain floats |",
        "| --- | ---: | ---: | ---: |",
    ]
    floor = results[FLOOR]["vs_baseline"]
    for peer, result in results.items():
        milliseconds = [s * 1e3 for s in result["seconds"]]
        if peer == BASELINE:
            vs_base = "1.00"
            vs_floor = median_and_range([1 / ratio for ratio in floor], ".2f")
        elif peer == FLOOR:
            vs_base, vs_floor = median_and_range(result["vs_baseline"], ".2f"), "1.00"
        else:
            vs_base = median_and_range(result["vs_baseline"], ".2f")
            floor_seconds = results[FLOOR]["seconds"]
            vs_floor = median_and_range(
                [s / f for s, f in zip(result["seconds"], floor_seconds)], ".2f"
            )
        rows.append(f"| {peer} | {median_and_range(milliseconds)} | {vs_base} | {vs_floor} |")
    return rows


def machine() -> str:
    """The processor's name and core count, as well as the platform tells."""
    name = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            models = [line.split(":", 1)[1].strip() for line in cpuinfo if "model name" in line]
        name = f"{models[0]}, {len(models)} logical CPUs"
    except (OSError, IndexError):
        pass
    return f"{name}, {platform.system()}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="tiny sizes: a smoke run")
    args = parser.parse_args(argv)
    rounds, warmups, points = (3, 1, 10) if args.quick else (15, 2, 100)
    print(f"Python {platform.python_version()} on {machine()}")
    results = run_demo_step(rounds, warmups, points)
    check_losses_agree(results)
    print(
        f"\nWorkload 1: micrograd's demo step, {points} points: median (least–greatest) of "
        f"{rounds} rounds; each step's ratio is to the tinygrad_edu steps just before and "
        "after it"
    )
    print("\n".join(demo_step_table(results)))
    with mp.get_context("spawn").Pool(1) as pool:  # a fresh process, like the peers'
        print("\n".join(pool.apply(breakdown.report, (args.quick,))))
    print("\n".join(chains.report(quick=args.quick)))
    print("\n".join(memory.report()))
    return 0
