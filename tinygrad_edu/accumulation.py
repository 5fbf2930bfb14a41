"""How gradients accumulate: a backward pass starts them at 0, and leaves add theirs at its end.

``backward()`` wraps its pass in ``with Accumulation(order) as order:``.
Entering sets every gradient of the graph to 0, so that during the pass each
``.grad`` holds this pass's gradient only; leaving adds to each leaf the
gradient it held before (leaves accumulate across passes, as in PyTorch).
If the pass fails or is stopped (an error in a hook, an anomaly, Ctrl-C, a
``backward_steps()`` left unfinished), each leaf gets its old gradient back.
"""

from __future__ import annotations

from typing import Any


class Accumulation:
    """One backward pass's gradients over ``order``, the graph in topological order."""

    def __init__(self, order: list) -> None:
        self.order = order
        self.earlier = {n: n.grad for n in order if n.input0 is None and n.grad != 0.0}

    def __enter__(self) -> list:
        try:
            for node in self.order:
                node.grad = 0.0
            return self.order
        except BaseException:  # Ctrl-C: no leaf may lose its gradient
            self.__exit__(KeyboardInterrupt, None, None)
            raise

    def __exit__(self, failed: type | None, error: Any, trace: Any) -> None:
        try:
            for node in self.order:
                if node.input0 is None:
                    before = self.earlier.get(node, 0.0)
                    node.grad = before if failed else before + node.grad
        except BaseException:  # Ctrl-C while finishing: the whole pass is undone
            for node in self.order:
                if node.input0 is None:
                    node.grad = self.earlier.get(node, 0.0)
            raise

    def __repr__(self) -> str:
        held = len(self.earlier)
        return f"Accumulation({len(self.order)} nodes, {held} leaves with earlier gradients)"
