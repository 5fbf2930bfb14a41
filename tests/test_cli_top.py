"""`tinygrad-edu` itself: alone, --version, Ctrl-C, a reader that goes away, Graphviz's warnings."""

import subprocess
import sys

import pytest

import tinygrad_edu
from tinygrad_edu.cli import main


def test_the_command_alone_lists_the_commands(capsys):
    assert main([]) == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: tinygrad-edu [-h] [--version] command ...")
    for command in ["train", "graph", "explain"]:
        assert f"\n    {command} " in out


def test_version(capsys):
    assert main(["--version"]) == 0
    assert capsys.readouterr().out == f"tinygrad-edu {tinygrad_edu.__version__}\n"
    from importlib.metadata import version

    assert version("tinygrad-edu") == tinygrad_edu.__version__  # pyproject reads it from there


def test_ctrl_c_outside_training_is_one_line_and_exit_code_130(capsys, monkeypatch):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("tinygrad_edu.cli.explain", interrupted)
    assert main(["explain", "x", "--set", "x=1"]) == 130
    captured = capsys.readouterr()
    assert captured.err == "tinygrad-edu explain: interrupted (Ctrl-C)\n"
    assert captured.out == ""


def test_a_reader_that_stops_reading_ends_the_command_quietly(tmp_path):
    """`tinygrad-edu explain ... | head -1`: more text than a pipe holds, one line read."""
    process = subprocess.Popen(
        [sys.executable, "-m", "tinygrad_edu", "explain", "--mlp", "2,16,16,1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
    )
    first = process.stdout.readline()
    process.stdout.close()  # as head does after its line
    err = process.stderr.read()
    assert process.wait(timeout=60) == 141  # 128 + SIGPIPE, as a shell reports it
    assert first.startswith(b"Backward pass of layers.2.neurons.0.out")
    assert err == b""  # no "Broken pipe", no traceback


def test_graphvizs_warnings_are_said_in_one_line(needs_dot, tmp_path, capsys):
    picture = tmp_path / "wide.svg"
    assert main(["graph", "--mlp", "2,64,64,1", "--collapse", "-o", str(picture)]) == 0
    captured = capsys.readouterr()
    assert captured.out == f"wrote {picture}\n"
    assert captured.err.count("\n") == 1 and "Warning:" not in captured.err
    assert captured.err.startswith("tinygrad-edu graph: note: Graphviz warned: node ")
    assert "size too small for label (and " in captured.err
    assert picture.read_text().startswith("<?xml")


@pytest.mark.parametrize("argv", [["--help"], ["train", "--help"], ["explain", "--help"]])
def test_help_says_every_default(argv, capsys):
    assert main(argv) == 0
    text = " ".join(capsys.readouterr().out.split())
    if argv == ["train", "--help"]:
        assert "(default: hinge for 2 classes, cross_entropy for more)" in text
        assert "adam 0.05 (hinge, bce, cross_entropy), 0.02 (mse);" in text
        assert "sgd 1 (hinge, cross_entropy), 0.3 (bce), 0.1 (mse))" in text
        assert "(default: relu)" in text
    if argv == ["explain", "--help"]:
        assert (
            "(default: tanh, whose slope is never 0" in text and "train's default is relu" in text
        )
        assert "(default: 2000)" in text
