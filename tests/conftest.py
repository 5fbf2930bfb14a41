"""Shared fixtures: system programs that some tests need."""

import os
import shutil

import pytest
from browser import launched_chromium


@pytest.fixture
def needs_dot() -> None:
    """Skip without Graphviz's `dot`, except in CI (CI set), where a missing `dot` fails."""
    if shutil.which("dot") is None:
        message = "Graphviz's `dot` is not installed (apt-get install graphviz)"
        if os.environ.get("CI"):
            pytest.fail(message + "; CI must render for real")
        pytest.skip(message)


@pytest.fixture(scope="module")
def chromium():
    """Headless Chromium (Debian's), one per test module; see tests/browser.py."""
    yield from launched_chromium()


@pytest.fixture
def restore_operations():
    """Operations that a test defines (define_op) are gone again after it."""
    from tinygrad_edu import ops

    before = set(ops.OPERATIONS)
    yield
    for name in set(ops.OPERATIONS) - before:
        ops.OPERATIONS.pop(name)
        ops._DEFINED.pop(name, None)
        for cls, _ in ops._METHOD_MAKERS:
            if name in vars(cls):
                delattr(cls, name)
