"""Module: state_dict, load_state_dict (all or nothing), save (atomic) and load (checked first)."""

import json
import math
import os

import pytest

import tinygrad_edu
from tinygrad_edu import MLP, Layer, Neuron
from tinygrad_edu.model_file import FILE_FORMAT, FILE_VERSION


def weights(model):
    return [p.data for p in model.parameters()]


@pytest.fixture
def model():
    return MLP(2, [3, 1], seed=0)


def test_state_dict_names_values_in_parameter_order(model):
    state = model.state_dict()
    assert list(state) == [name for name, _ in model.named_parameters()]
    assert list(state)[:3] == [
        "layers.0.neurons.0.w.0",
        "layers.0.neurons.0.w.1",
        "layers.0.neurons.0.b",
    ]
    assert list(state.values()) == weights(model)
    assert len(state) == 3 * 3 + 4


def test_load_state_dict_copies_every_value(model):
    other = MLP(2, [3, 1], seed=1)
    assert weights(other) != weights(model)
    other.load_state_dict(model.state_dict())
    assert weights(other) == weights(model)
    assert all(type(v) is float for v in weights(other))


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda s: s.pop("layers.1.neurons.0.b"), "missing 1 (layers.1.neurons.0.b)"),
        (lambda s: s.update({"layers.9.b": 1.0}), "unexpected 1 (layers.9.b)"),
        (lambda s: s.update({"layers.0.neurons.0.b": float("nan")}), "must be finite"),
        (lambda s: s.update({"layers.1.neurons.0.w.2": math.inf}), "must be finite"),
        (lambda s: s.update({"layers.1.neurons.0.w.2": "0.5"}), "must be a number"),
        (lambda s: s.update({"layers.1.neurons.0.w.2": True}), "must be a number"),
        (lambda s: s.update({"layers.1.neurons.0.w.2": None}), "must be a number"),
    ],
)
def test_load_state_dict_is_all_or_nothing(model, change, message):
    before = weights(model)
    state = {name: value + 1.0 for name, value in model.state_dict().items()}
    change(state)
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        model.load_state_dict(state)
    assert weights(model) == before


def test_load_state_dict_rejects_a_non_mapping(model):
    with pytest.raises(ValueError, match="mapping of name -> number, got list"):
        model.load_state_dict([1.0, 2.0])


def test_save_writes_versioned_json_with_architecture(model, tmp_path):
    path = tmp_path / "model.json"
    model.save(path)
    document = json.loads(path.read_text())
    assert document["format"] == FILE_FORMAT
    assert document["version"] == FILE_VERSION == 1
    assert document["architecture"] == {
        "type": "MLP",
        "nin": 2,
        "nouts": [3, 1],
        "activation": "relu",
        "output_activation": "linear",
    }
    assert document["parameters"] == model.state_dict()
    assert os.listdir(tmp_path) == ["model.json"]  # no temporary file left behind
    assert path.stat().st_mode & 0o777 == 0o644  # not mkstemp's owner-only 0o600


def test_save_then_load_round_trips_exactly(model, tmp_path):
    path = tmp_path / "model.json"
    model.save(str(path))
    other = MLP(2, [3, 1], seed=7)
    other.load(path)
    assert weights(other) == weights(model)


def test_neuron_and_layer_save_and_load(tmp_path):
    for original, copy in [
        (Neuron(3, "tanh", seed=1), Neuron(3, "tanh", seed=2)),
        (Layer(2, 4, "sigmoid", seed=1), Layer(2, 4, "sigmoid", seed=2)),
    ]:
        original.save(tmp_path / "m.json")
        copy.load(tmp_path / "m.json")
        assert weights(copy) == weights(original)


def test_a_failed_save_leaves_the_old_file_intact(model, tmp_path, monkeypatch):
    path = tmp_path / "model.json"
    model.save(path)
    saved = path.read_text()
    for p in model.parameters():
        p.data += 1.0

    def crash(source, target):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="disk full"):
        model.save(path)
    assert path.read_text() == saved
    assert os.listdir(tmp_path) == ["model.json"]


def test_save_refuses_non_finite_weights_and_writes_nothing(model, tmp_path):
    model.layers[0].neurons[1].b.data = math.nan
    with pytest.raises(ValueError, match=r"cannot save: parameter layers\.0\.neurons\.1\.b is nan"):
        model.save(tmp_path / "model.json")
    assert os.listdir(tmp_path) == []


def write(tmp_path, text):
    path = tmp_path / "bad.json"
    path.write_text(text)
    return path


def good_document(model):
    return {
        "format": FILE_FORMAT,
        "version": FILE_VERSION,
        "architecture": model.architecture(),
        "parameters": {name: v + 1.0 for name, v in model.state_dict().items()},
    }


@pytest.mark.parametrize(
    "make_text, error, message",
    [
        (lambda d: json.dumps(d)[:-40], ValueError, "not valid JSON"),
        (lambda d: "", ValueError, "not valid JSON"),
        (lambda d: "weights: 1, 2, 3", ValueError, "not valid JSON"),
        (lambda d: "[1, 2]", ValueError, "not a saved model"),
        (lambda d: json.dumps({**d, "format": "other"}), ValueError, "not a saved model"),
        (lambda d: json.dumps({**d, "version": 2}), ValueError, "format version 2"),
        (
            lambda d: json.dumps({**d, "architecture": {**d["architecture"], "nouts": [4, 1]}}),
            ValueError,
            "another architecture",
        ),
        (
            lambda d: json.dumps(
                {**d, "architecture": {**d["architecture"], "activation": "tanh"}}
            ),
            ValueError,
            "another architecture",
        ),
        (
            lambda d: json.dumps({**d, "parameters": dict(list(d["parameters"].items())[1:])}),
            ValueError,
            "missing 1",
        ),
        (
            lambda d: json.dumps({**d, "parameters": {**d["parameters"], "extra": 0.0}}),
            ValueError,
            "unexpected 1",
        ),
        (
            lambda d: json.dumps(
                {**d, "parameters": {**d["parameters"], "layers.0.neurons.0.b": "x"}}
            ),
            ValueError,
            "must be a number",
        ),
        (
            lambda d: json.dumps(
                {**d, "parameters": {**d["parameters"], "layers.0.neurons.0.b": 1e999}}
            ),
            ValueError,
            "must be finite",
        ),
        (lambda d: json.dumps({**d, "parameters": None}), ValueError, "must be a mapping"),
    ],
)
def test_load_checks_everything_and_keeps_the_old_weights(
    model, tmp_path, make_text, error, message
):
    before = weights(model)
    path = write(tmp_path, make_text(good_document(model)))
    with pytest.raises(error, match=message):
        model.load(path)
    assert weights(model) == before


def test_load_of_a_missing_file_is_a_clear_error(model, tmp_path):
    before = weights(model)
    with pytest.raises(FileNotFoundError, match="no saved model at"):
        model.load(tmp_path / "nothing.json")
    assert weights(model) == before


def test_load_accepts_the_good_document(model, tmp_path):
    document = good_document(model)
    model.load(write(tmp_path, json.dumps(document)))
    assert model.state_dict() == document["parameters"]


def test_save_makes_missing_folders(model, tmp_path):
    path = tmp_path / "new" / "dir" / "m.json"
    model.save(path)
    assert json.loads(path.read_text())["parameters"] == model.state_dict()
    assert os.listdir(path.parent) == ["m.json"]  # no temporary file left


def test_save_under_a_file_is_a_clear_error_and_writes_nothing(model, tmp_path):
    (tmp_path / "notes.txt").write_text("keep me")
    with pytest.raises(NotADirectoryError, match=r"notes.txt is a file"):
        model.save(tmp_path / "notes.txt" / "m.json")
    with pytest.raises(NotADirectoryError, match=r"notes.txt is a file"):
        model.save(tmp_path / "notes.txt" / "new" / "m.json")
    assert os.listdir(tmp_path) == ["notes.txt"]
    assert (tmp_path / "notes.txt").read_text() == "keep me"


@pytest.mark.parametrize(
    "original",
    [
        MLP(2, [3, 3, 2], activation="tanh", output_activation="sigmoid", seed=4),
        Layer(3, 2, "sigmoid", seed=1),
        Neuron(4, "linear", seed=2),
    ],
)
def test_tinygrad_edu_load_builds_the_saved_model(original, tmp_path):
    path = tmp_path / "m.json"
    original.save(path)
    loaded = tinygrad_edu.load(path)
    assert type(loaded) is type(original)
    assert loaded.architecture() == original.architecture()
    assert loaded.state_dict() == original.state_dict()
    assert type(original).load(path).state_dict() == original.state_dict()  # MLP.load(path)


def test_load_on_the_class_checks_what_the_file_holds(model, tmp_path):
    model.save(tmp_path / "m.json")
    with pytest.raises(TypeError, match="holds the architecture of MLP, not of Neuron"):
        Neuron.load(tmp_path / "m.json")
    assert MLP.load(tmp_path / "m.json").state_dict() == model.state_dict()
    other = MLP(2, [3, 1], seed=7)
    assert other.load(tmp_path / "m.json") is None  # on a model, it fills that model
    assert other.state_dict() == model.state_dict()


def test_a_module_of_your_own_is_rebuilt_by_you(tmp_path):
    class Net(tinygrad_edu.Module):
        def __init__(self):
            self.fc = Neuron(2, seed=0)

    Net().save(tmp_path / "net.json")
    with pytest.raises(ValueError, match="holds a module of your own, Net: build it yourself"):
        tinygrad_edu.load(tmp_path / "net.json")
    net = Net()
    net.load(tmp_path / "net.json")


@pytest.mark.parametrize(
    "architecture, message",
    [
        ({"type": "MLP", "nin": 2, "nouts": "big"}, "cannot be built"),
        ({"type": "MLP", "nin": 2}, "cannot be built"),
        ({"type": "Neuron", "nin": 0, "activation": "relu"}, "cannot be built"),
        ({"type": "Neuron", "nin": 2, "activation": "relu", "extra": 1}, "cannot be built"),
        ({"nin": 2}, "names no type"),
    ],
)
def test_load_refuses_an_architecture_it_cannot_build(architecture, message, tmp_path):
    document = {"format": FILE_FORMAT, "version": FILE_VERSION}
    path = write(tmp_path, json.dumps({**document, "architecture": architecture}))
    with pytest.raises(ValueError, match=message):
        tinygrad_edu.load(path)


def test_load_refuses_parameters_that_do_not_fit(model, tmp_path):
    document = good_document(model)
    del document["parameters"]["layers.0.neurons.0.b"]
    with pytest.raises(ValueError, match="missing 1"):
        tinygrad_edu.load(write(tmp_path, json.dumps(document)))
    with pytest.raises(FileNotFoundError, match="no saved model at"):
        tinygrad_edu.load(tmp_path / "nothing.json")


def test_a_file_whose_architecture_does_not_fit_its_parameters_is_refused_before_building(
    tmp_path, monkeypatch
):
    """A billion neurons would not fit in memory: the count is checked on the numbers first."""
    import json

    from tinygrad_edu import load
    from tinygrad_edu.nn import Neuron

    path = tmp_path / "huge.json"
    MLP(2, [1], seed=0).save(path)
    document = json.loads(path.read_text())
    document["architecture"]["nouts"] = [1_000_000_000]
    path.write_text(json.dumps(document))
    built = []
    monkeypatch.setattr(Neuron, "__init__", lambda *args, **kwargs: built.append(args))
    refusal = "holds 3 parameters, but its architecture has 3,000,000,000"
    with pytest.raises(ValueError, match=refusal):
        load(path)
    assert built == []  # refused on the numbers, before any neuron was made


def test_a_folder_that_cannot_be_written_is_said_of_the_users_path(model, tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "open", refuse)  # as a folder without write permission does
    path = tmp_path / "m.json"
    with pytest.raises(PermissionError) as refused:
        model.save(path)
    assert str(refused.value) == f"[Errno 13] cannot write {str(path)!r}: Permission denied"
    assert ".tmp" not in str(refused.value)
