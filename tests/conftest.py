"""Shared fixtures: system programs that some tests need, and one headless browser."""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"  # git-ignored screenshots


def require(available: bool, what: str) -> None:
    """Skip without ``what``, but fail in CI (CI set), where it must run for real."""
    if not available:
        if os.environ.get("CI"):
            pytest.fail(f"{what} is missing, and CI must run this test")
        pytest.skip(f"{what} is missing")


@pytest.fixture
def needs_dot() -> None:
    """Skip without Graphviz's `dot`, except in CI (CI set), where a missing `dot` fails."""
    if shutil.which("dot") is None:
        message = "Graphviz's `dot` is not installed (apt-get install graphviz)"
        if os.environ.get("CI"):
            pytest.fail(message + "; CI must render for real")
        pytest.skip(message)


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, driven by Playwright (no browser download)."""
    require(shutil.which("dot") is not None, "Graphviz's dot")
    require(Path(CHROMIUM).exists(), CHROMIUM)
    if os.environ.get("CI"):
        from playwright import sync_api
    else:
        sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield chromium
        chromium.close()
