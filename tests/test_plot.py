"""plot: decision boundaries for any number of classes, loss curves, and bad input."""

import pytest

from tinygrad_edu import MLP, History, Module, Value, make_spirals

plot = pytest.importorskip("tinygrad_edu.plot")
pytest.importorskip("matplotlib")


class ThreeOutputs(Module):
    """Scores (-x1, -10, x1): class 0 on the left, class 2 on the right, class 1 nowhere."""

    def __call__(self, x):
        return [Value(-x[0]), Value(-10.0), Value(x[0])]


def test_class_colors_are_tab10_then_distinct_for_many_classes():
    assert plot.class_colors(3) == ["#1f77b4", "#ff7f0e", "#2ca02c"]
    many = plot.class_colors(14)
    assert len(many) == len(set(map(tuple, many))) == 14


def test_classes_far_apart_meet_on_one_boundary_with_no_band_between(tmp_path):
    path = tmp_path / "regions.svg"
    X, y = [[-1.0, 0.0], [1.0, 0.0], [0.5, 1.0]], [0, 2, 2]
    plot.plot_decision_boundary(ThreeOutputs(), X, y, path, resolution=21)
    svg = path.read_text()
    assert "fill: #1f77b4; fill-opacity: 0.25" in svg  # class 0's region
    assert "fill: #2ca02c; fill-opacity: 0.25" in svg  # class 2's region
    assert "fill: #ff7f0e; fill-opacity: 0.25" not in svg  # no class-1 band between them


def test_twelve_classes_draw_a_png(tmp_path):
    X, y = make_spirals(24, n_classes=12, seed=0)
    path = tmp_path / "twelve.png"
    plot.plot_decision_boundary(MLP(2, [4, 12], seed=0), X, y, path, resolution=12)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_plot_history_draws_a_png(tmp_path):
    path = tmp_path / "history.png"
    plot.plot_history(History(loss=[1.0, 0.5, 0.2], accuracy=[0.5, 0.75, 1.0]), path)
    assert path.read_bytes()[:4] == b"\x89PNG"


@pytest.mark.parametrize(
    "X, y, resolution, message",
    [
        ([[0.0, 0.0]], [0], 1, "resolution must be a whole number >= 2, got 1"),
        ([[0.0, 0.0]], [0], 2.5, "resolution must be a whole number >= 2"),
        ([[0.0, 0.0]], [0, 1], 10, "one label per point"),
        ([], [], 10, "one label per point"),
    ],
)
def test_bad_input_is_a_clear_error(X, y, resolution, message, tmp_path):
    with pytest.raises(ValueError, match=message):
        plot.plot_decision_boundary(
            MLP(2, [1], seed=0), X, y, tmp_path / "p.png", resolution=resolution
        )
    assert list(tmp_path.iterdir()) == []


def test_numpy_arrays_draw_the_same_picture(tmp_path):
    np = pytest.importorskip("numpy")
    X, y = [[-1.0, 0.0], [1.0, 0.0], [0.5, 1.0]], [0, 2, 2]
    lists, arrays = tmp_path / "lists.png", tmp_path / "arrays.png"
    plot.plot_decision_boundary(ThreeOutputs(), X, y, lists, resolution=21)
    plot.plot_decision_boundary(
        ThreeOutputs(), np.array(X), np.array(y, dtype=float), arrays, resolution=21
    )
    assert arrays.read_bytes() == lists.read_bytes()
