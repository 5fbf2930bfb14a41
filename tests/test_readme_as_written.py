"""The README as a new user follows it: its commands, module paths and examples work as written."""

import contextlib
import importlib
import io
import os
import re
import shlex
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()
BIN = Path(sys.executable).parent  # the virtual environment's bin, where tinygrad-edu is


def code_blocks() -> list[tuple[str, str]]:
    """Every fenced block of the README: (its language, or "", its text)."""
    blocks, language, inside = [], None, []
    for line in README.splitlines():
        fence = line.strip().startswith("```")
        if fence and language is None:
            language, inside = line.strip()[3:], []
        elif fence:
            blocks.append((language, "\n".join(inside) + "\n"))
            language = None
        elif language is not None:
            inside.append(line)
    return blocks


def readme_commands() -> list[str]:
    """Every `tinygrad-edu ...` command line the README shows, in code blocks or in the text.

    A command named in the text without arguments (`tinygrad-edu train`) is a
    name, not a command to run; `tinygrad-edu` alone is one.
    """
    shell = "\n".join(text for language, text in code_blocks() if language == "")
    commands = [line for line in shell.replace("\\\n", " ").splitlines()]
    commands = [line for line in commands if line.startswith("tinygrad-edu")]
    named = re.findall(r"`(tinygrad-edu(?: [^`]*)?)`", README)
    commands += [c for c in named if not re.fullmatch(r"tinygrad-edu (train|graph|explain)", c)]
    placeholders = ("...", "<", "SIZES", " N", "|")
    return sorted({c for c in commands if not any(p in c for p in placeholders)})


def test_the_readme_has_its_commands():
    commands = readme_commands()
    assert len(commands) >= 8
    assert "tinygrad-edu" in commands and "tinygrad-edu --version" in commands


@pytest.mark.parametrize("command", readme_commands())
def test_every_command_runs_as_written(command, tmp_path, needs_dot):
    """With the environment activated (its bin first on PATH), as the README's Set up says."""
    environment = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    result = subprocess.run(
        shlex.split(command, comments=True),
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr and "Warning:" not in result.stderr


def test_set_up_says_to_activate_the_environment_and_make_demo_reminds_you():
    set_up = README[README.index("## Set up") : README.index("## A ten-line tour")]
    assert "source .venv/bin/activate" in set_up
    recipe = subprocess.run(
        ["make", "-n", "--no-print-directory", "demo"], cwd=ROOT, capture_output=True, text=True
    )
    assert "source .venv/bin/activate" in recipe.stdout.strip().splitlines()[-1]


def dotted_paths() -> list[str]:
    """Every ``tinygrad_edu.a.b`` the README names, but not the file format's name."""
    found = re.findall(r'(?<![\w."])tinygrad_edu(?:\.\w+)+', README)
    return sorted(set(found))


def imports() -> list[tuple[str, str]]:
    """Every ``from tinygrad_edu... import a, b`` in the README, as (module, name) pairs."""
    pairs = []
    for module, names in re.findall(r"from (tinygrad_edu[\w.]*) import ([\w, ]+)", README):
        pairs += [(module, name.strip()) for name in names.split(",") if name.strip()]
    return sorted(set(pairs))


def resolve(path: str):
    """``path`` as Python resolves it after ``import`` of each of its module prefixes.

    ``tinygrad_edu.explain.to_html`` fails here even though ``tinygrad_edu.explain``
    is a module: the package's attribute ``explain`` is the function of that name.
    """
    parts = path.split(".")
    for end in range(1, len(parts) + 1):
        with contextlib.suppress(ImportError):
            importlib.import_module(".".join(parts[:end]))
    found = importlib.import_module(parts[0])
    for part in parts[1:]:
        found = getattr(found, part)
    return found


def test_the_readme_names_module_paths():
    named = set(dotted_paths())  # the ones issue 14 found or the README's sections lean on
    assert {
        "tinygrad_edu.explorer.to_html",
        "tinygrad_edu.ops.OPERATIONS",
        "tinygrad_edu.load",
    } <= named
    assert "tinygrad_edu.model" not in dotted_paths()  # the file format, a string


@pytest.mark.parametrize("path", dotted_paths())
def test_every_module_path_resolves(path):
    resolve(path)


def test_the_shadowed_path_would_be_caught():
    with pytest.raises(AttributeError):
        resolve("tinygrad_edu.explain.to_html")


@pytest.mark.parametrize("module, name", imports())
def test_every_import_resolves(module, name):
    assert hasattr(importlib.import_module(module), name)


def python_block(containing: str) -> str:
    blocks = [text for language, text in code_blocks() if language == "python"]
    found = [textwrap.dedent(code) for code in blocks if containing in code]
    assert len(found) == 1, f"{len(found)} README blocks contain {containing!r}"
    return found[0]


def printed_by(code: str) -> list[str]:
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(code, "README", "exec"), {})
    return printed.getvalue().splitlines()


def promised_by(code: str) -> list[str]:
    return [line.split("  # ", 1)[1] for line in code.splitlines() if line.startswith("print(")]


def test_the_same_training_step_in_tinygrad_edu_and_pytorch():
    pytest.importorskip("torch")
    code = python_block("model.to_torch()")
    lines, promised = printed_by(code), promised_by(code)
    assert len(lines) == len(promised) == 2
    for line, comment in zip(lines, promised):
        assert comment.startswith(line), (line, comment)


def test_loading_builds_the_saved_model(tmp_path, monkeypatch):
    from tinygrad_edu import MLP

    monkeypatch.chdir(tmp_path)
    MLP(2, [16, 16, 1], seed=0).save("out/moons.json")  # as the example before it does
    code = python_block('tinygrad_edu.load("out/moons.json")')
    assert printed_by(code) == ["[16, 16, 1]"] == promised_by(code)
