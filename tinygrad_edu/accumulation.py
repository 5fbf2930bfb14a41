"""How gradients accumulate: a backward pass starts them at 0, and leaves add theirs at its end.

``backward()`` wraps its pass in ``with Accumulation(order) as earlier:``.
Entering sets every gradient of the graph to 0, so that during the pass each
``.grad`` holds this pass's gradient only; leaving adds to each leaf the
gradient it held before (leaves accumulate across passes, as in PyTorch).
If the pass fails or is stopped (an error in a hook, an anomaly, Ctrl-C, a
``backward_steps()`` left unfinished), each leaf gets its old gradient back.

Two passes over the same nodes at once (``backward()`` called in a hook, or
at a debugger's prompt, while another pass runs) would mix their gradients,
so the second one is refused.  A replay that puts every gradient back when
it ends (``explain`` looking ahead) may run inside ``Accumulation.aside()``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


class Accumulation:
    """One backward pass's gradients over ``order``, the graph in topological order.

    ``with Accumulation(order) as earlier:`` gives the leaves' gradients from
    before the pass, by leaf (those that were not 0).
    """

    running: list[Accumulation] = []  # the passes under way, innermost last

    def __init__(self, order: list) -> None:
        self.order = order
        self.earlier: dict = {}

    def __enter__(self) -> dict:
        if Accumulation.running:
            self._refuse_a_second_pass()
        earlier = self.earlier
        try:
            for node in self.order:
                if node.input0 is None and node.grad != 0.0:
                    earlier[node] = node.grad
                node.grad = 0.0
            Accumulation.running.append(self)
            return earlier
        except BaseException:  # Ctrl-C: the leaves seen so far get their gradients back
            for leaf, before in earlier.items():
                leaf.grad = before
            if self in Accumulation.running:
                Accumulation.running.remove(self)
            raise

    def __exit__(self, failed: type | None, error: Any, trace: Any) -> None:
        try:
            if failed:
                self._give_back()
            else:
                for leaf, before in self.earlier.items():
                    leaf.grad = before + leaf.grad
            Accumulation.running.remove(self)  # last: the pass is over
        except BaseException:  # Ctrl-C while finishing: the whole pass is undone
            self._give_back()
            if self in Accumulation.running:
                Accumulation.running.remove(self)
            raise

    def _give_back(self) -> None:
        """Every leaf's gradient as it was before the pass."""
        for node in self.order:
            if node.input0 is None:
                node.grad = self.earlier.get(node, 0.0)

    @classmethod
    @contextmanager
    def aside(cls) -> Iterator[None]:
        """The passes under way set aside, for a pass that restores every ``.grad`` it touched."""
        running, cls.running = cls.running, []
        try:
            yield
        finally:
            cls.running = running

    def _refuse_a_second_pass(self) -> None:
        mine = set(self.order)
        for other in Accumulation.running:
            if any(node in mine for node in other.order):
                raise RuntimeError(
                    "a backward pass over these nodes is still under way (this call came from "
                    "a hook, a debugger's prompt, or a backward_steps() not run to its end); "
                    "let it finish first, or use explain(root) or a fresh graph to look ahead"
                )

    def __repr__(self) -> str:
        held = len(self.earlier)
        return f"Accumulation({len(self.order)} nodes, {held} leaves with earlier gradients)"
