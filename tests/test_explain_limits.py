"""explain's limits: a clear refusal past max_edges, and lines kept within the width."""

import re

import pytest

from tinygrad_edu import MLP, Value, explain, hinge, make_moons


def mlp_output(sizes, seed=0):
    return MLP(2, sizes, activation="tanh", seed=seed)([Value(0.5, "x0"), Value(-0.3, "x1")])


def test_a_whole_batchs_loss_is_refused_with_its_count_and_the_keyword_to_raise_it():
    X, y = make_moons(100, noise=0.1, seed=0)
    model = MLP(2, [16, 16, 1], seed=0)
    loss = hinge([model(x) for x in X], [2 * c - 1 for c in y])
    with pytest.raises(ValueError) as refusal:
        explain(loss)  # was 37.5 MB of text, 127,439 lines
    message = str(refusal.value)
    count = int(re.search(r"this graph has ([\d,]+) edges", message).group(1).replace(",", ""))
    assert count > 100_000
    assert "more than max_edges=2,000" in message
    assert f"or pass max_edges={count} to write every line" in message


def test_max_edges_counts_edges_exactly():
    out = mlp_output([3, 1])  # 39 edges
    with pytest.raises(ValueError, match="this graph has 39 edges, more than max_edges=38"):
        explain(out, max_edges=38)
    assert explain(out, max_edges=39).count(" += ") == 39
    assert explain(mlp_output([16, 16, 1])).startswith("Backward pass")  # 1,248: one sample fits


@pytest.mark.parametrize("bad", [0, -1, 2.5, "10", True, None])
def test_max_edges_must_be_a_whole_number(bad):
    with pytest.raises(ValueError, match="max_edges must be a whole number >= 1"):
        explain(Value(1.0) * 2, max_edges=bad)


@pytest.mark.parametrize("sizes", [[3, 1], [8, 8, 1], [4, 3]])
def test_every_line_stays_within_the_width(sizes):
    out = mlp_output(sizes)
    total = out if not isinstance(out, list) else sum(out[1:], out[0])
    for width in (120, 90):
        lines = explain(total, width=width).splitlines()
        assert max(map(len, lines)) <= width


def test_wrapping_changes_only_where_the_lines_break():
    """The wrapped text says word for word what one unbounded line per edge says."""
    out = mlp_output([3, 1])
    wrapped, unbounded = explain(out), explain(out, width=10_000)
    assert len(unbounded.splitlines()) == 3 + 39 + 2  # heading, nodes, start; edges; 2 sums
    assert len(wrapped.splitlines()) > len(unbounded.splitlines())
    assert wrapped.split() == unbounded.split()
    entry = [line for line in wrapped.splitlines() if line.startswith(" 3. ")]
    assert entry == [
        " 3. d(layers.1.neurons.0.out)/d(layers.1.neurons.0.w.2)"
        " += d(layers.1.neurons.0.out)/d(v34)"
    ]


def test_a_short_graph_keeps_its_aligned_one_line_entries():
    x, w = Value(2.0, "x"), Value(3.0, "w")
    n = x * w
    n.label = "n"
    L = n * n + x
    L.label = "L"
    lines = explain(L).splitlines()
    assert lines[3] == (
        "1. d(L)/d(v3) += d(L)/d(L) * d(L)/d(v3) = 1.0 * 1.0 = 1.0  [L = v3 + x; d(v3+x)/dv3 = 1]"
    )
    assert all(len(line) <= 120 for line in lines)


def test_one_long_entry_leaves_the_others_aligned():
    x, w, b = Value(2.0, "x"), Value(-0.5, "w"), Value(0.3, "b")
    f = ((x * w + b).sigmoid() - 1) ** 2
    f.label = "f"
    lines = explain(f).splitlines()
    assert lines[6].startswith("4. d(f)/d(v4) += ") and lines[7].lstrip().startswith("[v5 = sigm")
    starts = {line.index("[") for line in lines[3:] if line[0].isdigit() and "[" in line}
    assert len(starts) == 1  # every other rule starts in one column
    assert "8 edges" in lines[0]
    assert (
        explain(mlp_output([16, 16, 1]))
        .splitlines()[0]
        .endswith(": 1,248 edges, in the order backward() takes them.")
    )


@pytest.mark.parametrize("width", [0, -5, 39, 2.5, True])
def test_a_width_too_narrow_for_any_line_is_refused(width):
    with pytest.raises(ValueError, match="width must be a whole number >= 40"):
        explain(Value(1.0, "x") * 2.0, width=width)


def test_a_wrapped_entry_keeps_a_label_that_holds_a_semicolon():
    a = Value(2.0, "a; the first input, named at length so that its entry wraps")
    c = a * Value(3.0, "b")
    c.label = "c"
    text = explain(c, width=60)
    assert "[c = a; the first input, named at length so that its entry wraps * b;" in text
    assert "d(a*b)/da = b]" in text
    assert all(len(line) <= 60 for line in text.splitlines() if "named at length" not in line)
