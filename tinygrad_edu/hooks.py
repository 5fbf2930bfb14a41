"""Hooks: functions a backward pass calls with a node's gradient, once it is complete.

``Value.register_hook(fn)`` puts a ``Hooked`` record in the node's operation
slot, holding the operation and the hooks; ``HookHandle.remove()`` takes the
hook out again (and the record, with the last hook).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .ops import Operation


class Hooked:
    """A node's operation once hooks are registered on it: the operation, and the hooks.

    Hooks are rare, so they share the operation's slot rather than take a ninth
    (eight keep a node in Python's 96-byte allocation class).
    """

    __slots__ = ("operation", "hooks")
    count = 0  # how many nodes have hooks: while none do, backward() takes its plain loop

    def __init__(self, operation: Operation | None) -> None:
        self.operation, self.hooks = operation, []
        Hooked.count += 1

    def __del__(self) -> None:
        Hooked.count -= 1

    def __reduce__(self) -> tuple:
        """A copy is made through ``__init__``, so that ``count`` counts it too."""
        return _copied, (self.operation, self.hooks)

    @staticmethod
    def on_any(order: list) -> bool:
        """Whether any of these nodes has hooks (quick when no node anywhere has)."""
        return Hooked.count > 0 and any(type(node._operation) is Hooked for node in order)

    @property
    def name(self) -> str:
        return "" if self.operation is None else self.operation.name

    def call(self, grad: Any) -> None:
        """Call every hook with this pass's gradient of the node."""
        for fn in list(self.hooks):
            fn(grad)

    def __repr__(self) -> str:
        return f"Hooked({self.operation!r}, {len(self.hooks)} hook(s))"


class HookHandle:
    """Returned by ``register_hook``; ``remove()`` detaches the hook."""

    def __init__(self, node: Any, fn: Callable) -> None:
        self.node, self.fn, self.removed = node, fn, False

    def remove(self) -> None:
        """Detach the hook (doing nothing if it is already gone)."""
        hooked = self.node._operation
        if not self.removed and type(hooked) is Hooked and self.fn in hooked.hooks:
            hooked.hooks.remove(self.fn)
            if not hooked.hooks:
                self.node._operation = hooked.operation
        self.removed = True

    def __repr__(self) -> str:
        return f"HookHandle({self.node!r}, removed={self.removed})"


def _copied(operation: Operation | None, hooks: list) -> Hooked:
    hooked = Hooked(operation)
    hooked.hooks.extend(hooks)
    return hooked
