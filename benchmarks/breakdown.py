"""Where tinygrad_edu's time goes in workload 1: each phase of the step, and the collector's share.

The step is workload 1's tinygrad_edu step (``demo_step.make_tinygrad_edu``),
written out again with a clock between its phases; a test checks that both
compute the same losses.  ``gc.callbacks`` reports how long each garbage
collection took, and in which phase it ran.  The collector keeps Python's
default settings: it is only watched.
"""

from __future__ import annotations

import gc
import statistics
import time

from . import demo_step
from .spread import median_and_range

PHASES = ("forward and loss", "zero_grad and backward", "SGD update", "freeing the graph")


def measure(
    steps: int, warmups: int, n_points: int, losses_seen: list[float] | None = None
) -> dict[str, tuple[list[float], list[float]]]:
    """{phase: (seconds of each step, seconds of each step spent collecting garbage)}.

    Each step's loss is appended to ``losses_seen`` when one is given.
    """
    from tinygrad_edu import Value

    X, Y = demo_step.moons(n_points)
    model, params = demo_step.tinygrad_edu_model(demo_step.initial_weights())

    phase = PHASES[0]
    collecting = {name: 0.0 for name in PHASES}
    started = 0.0

    def watch(event: str, info: dict) -> None:
        nonlocal started
        if event == "start":
            started = time.perf_counter()
        else:
            collecting[phase] += time.perf_counter() - started

    seconds: dict[str, list[float]] = {name: [] for name in PHASES}
    in_gc: dict[str, list[float]] = {name: [] for name in PHASES}
    gc.callbacks.append(watch)
    try:
        for step in range(warmups + steps):
            collecting.update(dict.fromkeys(PHASES, 0.0))
            marks = [time.perf_counter()]
            phase = PHASES[0]
            inputs = [[Value(a), Value(b)] for a, b in X]
            scores = [model(x) for x in inputs]
            losses = [(1 + -y * score).relu() for y, score in zip(Y, scores)]
            alpha = demo_step.ALPHA
            loss = sum(losses) * (1.0 / len(losses)) + alpha * sum(p * p for p in params)
            marks.append(time.perf_counter())
            if losses_seen is not None:
                losses_seen.append(loss.data)
            phase = PHASES[1]
            model.zero_grad()
            loss.backward()
            marks.append(time.perf_counter())
            phase = PHASES[2]
            for p in params:
                p.data -= demo_step.LEARNING_RATE * p.grad
            marks.append(time.perf_counter())
            phase = PHASES[3]
            del inputs, scores, losses, loss
            marks.append(time.perf_counter())
            if step >= warmups:
                for name, begin, end in zip(PHASES, marks, marks[1:]):
                    seconds[name].append(end - begin)
                    in_gc[name].append(collecting[name])
    finally:
        gc.callbacks.remove(watch)
    return {name: (seconds[name], in_gc[name]) for name in PHASES}


def report(quick: bool = False) -> list[str]:
    steps, warmups, points = (3, 1, 10) if quick else (15, 2, 100)
    phases = measure(steps, warmups, points)
    medians = {name: statistics.median(seconds) for name, (seconds, _) in phases.items()}
    total = sum(medians.values())
    rows = [
        "",
        f"Where tinygrad_edu's step goes ({points} points): median (least–greatest) of {steps} "
        "steps",
        "| phase | ms / step | share | of which collecting garbage (ms) |",
        "| --- | ---: | ---: | ---: |",
    ]
    for name, (seconds, collecting) in phases.items():
        milliseconds = median_and_range([s * 1e3 for s in seconds])
        in_gc = median_and_range([s * 1e3 for s in collecting])
        rows.append(f"| {name} | {milliseconds} | {medians[name] / total:.0%} | {in_gc} |")
    return rows
