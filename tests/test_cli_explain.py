"""`tinygrad-edu explain`: the chain-rule text, the explorer page, one-line errors."""

import pytest

from tinygrad_edu.cli import main


def test_explain_prints_every_edge(capsys):
    assert main(["explain", "x*w + x", "--set", "x=2", "w=3"]) == 0
    out = capsys.readouterr().out
    # f = x·w + x: df/dx = w + 1 = 4 in two shares, df/dw = x = 2
    assert "d(f)/d(x) = 1.0 + 3.0 = 4.0" in out
    assert "d(f)/d(w) += d(f)/d(v2) * d(v2)/d(w) = 1.0 * 2.0 = 2.0" in out
    assert out.count(" += ") == 4


def test_explain_writes_the_explorer(needs_dot, tmp_path, capsys):
    page = tmp_path / "page.html"
    assert main(["explain", "tanh(x*w)", "--set", "x=1", "w=0.5", "--html", str(page)]) == 0
    assert f"wrote {page}" in capsys.readouterr().out
    text = page.read_text()
    assert "<svg" in text and "d(f)/d(w)" in text


def test_explain_an_mlp(needs_dot, tmp_path, capsys):
    page = tmp_path / "mlp.html"
    assert main(["explain", "--mlp", "2,2,1", "--html", str(page)]) == 0
    out = capsys.readouterr().out
    assert "d(layers.1.neurons.0.out)/d(layers.0.neurons.0.w.0)" in out
    text = page.read_text()  # a model's graph opens on the network view, one circle per neuron
    assert text.count('class="neuron" data-neuron="1.0"') == 2  # in both of its layouts
    assert '<template data-view="neuron:2.0">' in text  # and each neuron's own graph


@pytest.mark.parametrize(
    "argv, message",
    [
        (["explain", "__import__('os').system('true')"], "not allowed"),
        (["explain", "x*y", "--set", "x=1"], "no value for the variable 'y'"),
        (["explain"], "give either an expression or --mlp"),
        (["explain", "x", "--set", "x=two"], "x must be a number"),
    ],
)
def test_bad_input_is_one_line_and_exit_code_2(argv, message, capsys):
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert message in captured.err
    assert captured.err.count("\n") == 1 and "Traceback" not in captured.err


def test_a_graph_too_large_for_the_explorer_is_refused_before_any_output(tmp_path, capsys):
    page = tmp_path / "big.html"
    assert main(["explain", "--mlp", "2,40,40,1", "--html", str(page)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "the network view shows at most 64 neurons and this graph has 81" in captured.err
    assert "--collapse" in captured.err and "max_nodes" not in captured.err
    assert "smaller graph" in captured.err and "--collapse" in captured.err
    assert captured.err.count("\n") == 1
    assert not page.exists()


def test_long_names_wrap_within_120_characters(capsys):
    assert main(["explain", "--mlp", "2,3,1"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert max(map(len, lines)) <= 120  # was 540, and 40 of 44 lines over 200
    start = lines.index(next(line for line in lines if line.startswith(" 5. ")))
    assert lines[start : start + 3] == [
        " 5. d(layers.1.neurons.0.out)/d(layers.0.neurons.2.z)"
        " += d(layers.1.neurons.0.out)/d(layers.0.neurons.2.out)",
        "      * d(layers.0.neurons.2.out)/d(layers.0.neurons.2.z)"
        " = 0.00937371 * 0.962533 = 0.00902251",
        "      [layers.0.neurons.2.out = tanh(layers.0.neurons.2.z);"
        " d(tanh(x))/dx = 1 - tanh(x)**2]",
    ]


def test_a_graph_with_more_edges_than_max_edges_is_refused_with_the_option_to_raise_it(capsys):
    assert main(["explain", "--mlp", "2,3,1", "--max-edges", "30"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        "tinygrad-edu explain: error: explain writes one line per edge, and this graph has 39 "
        "edges, more than --max-edges 30: explain a smaller graph (one sample rather than a "
        "whole batch), or pass --max-edges 39 to write every line\n"
    )
    assert main(["explain", "--mlp", "2,3,1", "--max-edges", "39"]) == 0


def test_without_graphviz_the_explanation_still_prints(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("PATH", "")
    page = tmp_path / "page.html"
    assert main(["explain", "x*w", "--set", "x=2", "w=3", "--html", str(page)]) == 1
    captured = capsys.readouterr()
    assert "d(f)/d(w) += d(f)/d(f) * d(f)/d(w) = 1.0 * 2.0 = 2.0" in captured.out
    assert captured.err.count("\n") == 1
    assert "no page written: Graphviz's `dot` program is not installed" in captured.err
    assert not page.exists()


def test_with_html_a_text_too_long_is_left_out_with_a_note(needs_dot, tmp_path, capsys):
    page = tmp_path / "mlp.html"
    argv = ["explain", "--mlp", "2,3,1", "--max-edges", "30", "--html", str(page)]
    assert main(argv) == 0  # the page, which was asked for, is written
    captured = capsys.readouterr()
    assert captured.out == f"wrote {page}\n"
    assert captured.err == (
        "tinygrad-edu explain: note: no text printed: explain writes one line per edge, and "
        "this graph has 39 edges, more than --max-edges 30: explain a smaller graph (one sample "
        "rather than a whole batch), or pass --max-edges 39 to write every line\n"
    )
    assert page.read_text().startswith("<!DOCTYPE html>")
