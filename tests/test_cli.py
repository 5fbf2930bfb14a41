"""`tinygrad-edu graph` end to end: files written, bad input refused in one line."""

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tinygrad_edu.cli import main
from tinygrad_edu.draw import COLOURS

SVG_TEXT = "{http://www.w3.org/2000/svg}text"


def svg_texts(path: Path) -> list[str]:
    return [t.text for t in ET.parse(path).iter(SVG_TEXT)]


def test_graph_of_an_expression_with_its_gradients(tmp_path, capsys, needs_dot):
    target = tmp_path / "neuron.svg"
    code = main(
        [
            "graph",
            "tanh(x*w + b)",
            "--set",
            "x=2",
            "w=-3",
            "b=6.8813735870195432",
            "-o",
            str(target),
        ]
    )
    assert code == 0
    assert capsys.readouterr().out == f"wrote {target}\n"
    texts = svg_texts(target)
    # do/dx = (1 - tanh²)·w = 0.5·(-3) = -1.5, do/dw = 0.5·x = 1
    for expected in ["x", "w", "b", "tanh", "data 0.7071", "grad -1.5", "grad 1.0", "grad 0.5"]:
        assert expected in texts, expected


def test_no_backward_draws_no_gradients(tmp_path, needs_dot):
    target = tmp_path / "g.svg"
    assert main(["graph", "x*y", "--set", "x=2", "y=3", "--no-backward", "-o", str(target)]) == 0
    texts = svg_texts(target)
    assert "data 6.0" in texts and not any(t.startswith("grad") for t in texts)


def test_graph_of_an_mlp_is_clustered_by_neuron(tmp_path, needs_dot):
    target = tmp_path / "mlp.svg"
    assert main(["graph", "--mlp", "2,3,1", "--seed", "0", "-o", str(target)]) == 0
    texts = svg_texts(target)
    assert texts.count("w.0") == 4  # one inside each neuron's box
    assert {"layers.0", "layers.1", "neuron 2 · tanh", "neuron 0 · linear"} <= set(texts)
    assert {"x0", "x1", "b", "z", "out"} <= set(texts)
    collapsed = tmp_path / "collapsed.svg"
    assert main(["graph", "--mlp", "2,3,1", "--collapse", "-o", str(collapsed)]) == 0
    assert "hidden layer 1" in svg_texts(collapsed)


def test_dot_output_needs_no_graphviz(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", "")
    target = tmp_path / "g.dot"
    assert main(["graph", "x**2", "--set", "x=3", "--rankdir", "TB", "-o", str(target)]) == 0
    source = target.read_text()
    assert "rankdir=TB" in source and 'label="{ x | data 3.0 | grad 6.0 }"' in source


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["graph", "x +", "--set", "x=1"], "unexpected end of the expression at column 4"),
        (["graph", "x.y", "--set", "x=1"], "attribute access is not allowed"),
        (["graph", "x"], "no value for the variable 'x'"),
        (["graph", "x", "--set", "x=abc"], "x must be a number, got 'abc'"),
        (["graph", "x", "--set", "x"], "--set takes NAME=NUMBER"),
        (["graph", "x", "--set", "x=1", "-o", "g.jpg"], "use a .svg, .png, .pdf or .dot file"),
        (["graph", "log(x)", "--set", "x=0"], "cannot compute 'log'"),
        (["graph"], "give either an expression or --mlp"),
        (["graph", "x", "--mlp", "2,1"], "give either an expression or --mlp"),
        (["graph", "--mlp", "2,a"], "--mlp takes sizes like 2,3,1"),
        (["graph", "--mlp", "2"], "needs an input size and layer sizes"),
        (["graph", "--mlp", "2,1", "--set", "z=1"], "the MLP's inputs are x0..x1, not z"),
        (["graph", "x", "--rankdir", "XY"], "invalid choice: 'XY'"),
        (["graph", "--mlp", "2,30,30,1"], "more than max_nodes=1,000; draw an MLP with --collapse"),
        (["draw"], "invalid choice: 'draw'"),
        (["graph", "x", "--set", "x=1e400"], "x must be a finite number, got '1e400'"),
        (["graph", "x", "--set", "x=nan"], "x must be a finite number, got 'nan'"),
        (["graph", "x * 1e400", "--set", "x=1"], "the number 1e400 at column 5 is too large"),
    ],
)
def test_bad_input_is_one_line_and_exit_code_2(argv, says, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert says in captured.err
    assert captured.err.count("\n") == 1 and "Traceback" not in captured.err
    assert list(tmp_path.iterdir()) == []


def test_missing_graphviz_is_a_clear_error(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("PATH", "")
    assert main(["graph", "x", "--set", "x=1", "-o", str(tmp_path / "g.svg")]) == 1
    assert "apt-get install graphviz" in capsys.readouterr().err


def test_python_dash_m_refuses_code_without_running_it(tmp_path):
    """End to end in a fresh process: text that would run code if evaluated is refused."""
    attack = "__import__('os').system('touch pwned')"
    run = subprocess.run(
        [sys.executable, "-m", "tinygrad_edu", "graph", attack, "-o", "g.dot"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 2
    assert run.stderr.startswith('tinygrad-edu graph: error: unexpected "\'" at column 12')
    assert "Traceback" not in run.stderr
    assert list(tmp_path.iterdir()) == []
    ok = subprocess.run(
        [sys.executable, "-m", "tinygrad_edu", "graph", "x*2", "--set", "x=1", "-o", "g.dot"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert ok.returncode == 0 and ok.stdout == "wrote g.dot\n"
    assert "data 2.0" in (tmp_path / "g.dot").read_text()


def test_params_colours_named_leaves_of_an_expression_as_parameters(tmp_path):
    target = tmp_path / "neuron.dot"
    expression = "(sigmoid(x1*w1 + x2*w2 + b) - 1)**2"
    values = ["x1=2", "x2=3", "w1=0.5", "w2=-0.4", "b=0.1"]
    command = ["graph", expression, "--set", *values, "--params", "w1,w2,b", "-o", str(target)]
    assert main(command) == 0
    fill = {
        match[1]: match[2]
        for match in re.finditer(r'label="(\w+) \|[^\]]*fillcolor="([^"]+)"', target.read_text())
    }
    assert fill["w1"] == fill["w2"] == fill["b"] == COLOURS["parameter"]
    assert fill["x1"] == fill["x2"] == COLOURS["input"]


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["x*w", "--set", "x=1", "w=2", "--params", "w,v"], "(v not in it)"),
        (["x*w", "--set", "x=1", "w=2", "--params", ","], "--params takes names"),
        (["--mlp", "2,1", "--params", "w"], "an MLP's weights already are"),
    ],
)
def test_bad_params_exit_2_with_one_line(arguments, message, tmp_path, capsys):
    target = tmp_path / "g.dot"
    assert main(["graph", *arguments, "-o", str(target)]) == 2
    error = capsys.readouterr().err
    assert message in error and error.count("\n") == 1
    assert not target.exists()
