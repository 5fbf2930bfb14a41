"""Data as people have it (numpy arrays and scalars, float labels), optimizers named by
string, the loss and learning rate chosen for you, and evaluate()."""

import pytest

from tinygrad_edu import (
    MLP,
    SGD,
    Adam,
    Neuron,
    Value,
    accuracy,
    evaluate,
    fit,
    make_moons,
    make_spirals,
    make_xor,
    mse,
    predict,
)
from tinygrad_edu.losses import cross_entropy, hinge
from tinygrad_edu.train import OBJECTIVES, choose_loss

np = pytest.importorskip("numpy")

X, Y = make_moons(16, noise=0.1, seed=0)


def weights(model):
    return [p.data for p in model.parameters()]


def trained_on(X, y, **options):
    model = MLP(2, [4, 1], seed=0)
    history = fit(model, X, y, epochs=5, progress=False, **options)
    return weights(model), history


@pytest.mark.parametrize(
    "as_given",
    [
        lambda X, y: (np.array(X), y),
        lambda X, y: (X, np.array(y)),
        lambda X, y: (np.array(X, dtype=np.float64), np.array(y, dtype=np.int32)),
        lambda X, y: (tuple(tuple(x) for x in X), tuple(y)),
        lambda X, y: ([np.array(x) for x in X], [float(c) for c in y]),
        lambda X, y: (X, np.array(y, dtype=float)),  # 0.0 / 1.0, as read from a CSV file
    ],
)
def test_fit_trains_the_same_on_numpy_arrays_tuples_and_float_labels(as_given):
    expected_weights, expected_history = trained_on(X, Y)
    got_weights, got_history = trained_on(*as_given(X, Y))
    assert got_weights == expected_weights
    assert got_history == expected_history


def test_predict_evaluate_and_accuracy_take_arrays():
    model = MLP(2, [4, 1], seed=0)
    fit(model, X, Y, epochs=20, progress=False)
    classes = predict(model, X)
    assert predict(model, np.array(X)) == classes
    assert accuracy(np.array(classes), np.array(Y)) == accuracy(classes, Y)
    assert evaluate(model, np.array(X), np.array(Y, dtype=float)) == evaluate(model, X, Y)


def test_a_model_takes_a_numpy_row_and_numpy_scalars():
    model = MLP(2, [3, 1], seed=0)
    expected = model(X[0]).data
    assert model(np.array(X[0])).data == expected
    assert model([np.float64(X[0][0]), np.float64(X[0][1])]).data == expected
    assert Neuron(2, seed=0)(np.array([1, 2])).data == Neuron(2, seed=0)([1, 2]).data
    assert model(np.array(X[0], dtype=np.float32)).data == pytest.approx(expected, rel=1e-6)
    with pytest.raises(TypeError, match="takes one sample"):
        model(np.array(X))  # a batch, as an array
    with pytest.raises(ValueError, match="MLP expects 2 inputs, got 3"):
        model(np.array([1.0, 2.0, 3.0]))


def test_losses_take_numpy_targets():
    outputs = [Value(0.5), Value(-0.2)]
    assert mse(outputs, np.array([1.0, 0.0])).data == mse(outputs, [1.0, 0.0]).data
    assert hinge(outputs, np.array([1, -1])).data == hinge(outputs, [1, -1]).data
    assert cross_entropy(outputs, np.int64(1)).data == cross_entropy(outputs, 1).data


@pytest.mark.parametrize("label", [0.5, -1, -1.0, "1", True, float("nan")])
def test_labels_must_be_class_numbers(label):
    with pytest.raises(ValueError, match="labels must be class numbers 0, 1, ..., got"):
        fit(MLP(2, [3, 1], seed=0), X[:2], [0, label], progress=False)


def test_one_sample_where_a_list_of_samples_belongs_is_named_for_what_it_is():
    model = MLP(2, [3, 1], seed=0)
    with pytest.raises(ValueError, match="X looks like one sample: wrap it in a list, \\[x\\]"):
        predict(model, X[0])
    assert predict(model, [X[0]]) == predict(model, X)[:1]
    with pytest.raises(TypeError, match="X as a list of samples .* or a 2-D array, got int"):
        predict(model, 3)


@pytest.mark.parametrize(
    "name, kind, lr",
    [("sgd", SGD, 1.0), ("SGD", SGD, 1.0), ("adam", Adam, 0.05), (None, Adam, 0.05)],
)
def test_an_optimizer_named_by_string_gets_the_losss_learning_rate(name, kind, lr):
    model = MLP(2, [4, 1], seed=0)
    explicit = MLP(2, [4, 1], seed=0)
    fit(model, X, Y, optimizer=name, epochs=3, progress=False)
    fit(explicit, X, Y, optimizer=kind(explicit.parameters(), lr=lr), epochs=3, progress=False)
    assert weights(model) == weights(explicit)
    assert OBJECTIVES["hinge"].learning_rates[(name or "adam").lower()] == lr


def test_lr_goes_with_the_optimizers_name():
    model = MLP(2, [4, 1], seed=0)
    explicit = MLP(2, [4, 1], seed=0)
    fit(model, X, Y, optimizer="sgd", lr=0.7, epochs=3, progress=False)
    fit(explicit, X, Y, optimizer=SGD(explicit.parameters(), lr=0.7), epochs=3, progress=False)
    assert weights(model) == weights(explicit)


@pytest.mark.parametrize(
    "options, message",
    [
        ({"optimizer": "SGDD"}, "optimizer must be 'adam' or 'sgd', or an optimizer such as"),
        ({"optimizer": 3}, "optimizer must be 'adam' or 'sgd'"),
        ({"optimizer": "sgd", "lr": -1}, "lr must be a number > 0"),
        ({"lr": 0.1, "optimizer": "OBJECT"}, "the SGD given has its own lr \\(0.2\\)"),
    ],
)
def test_bad_optimizer_settings_are_refused_before_training(options, message):
    model = MLP(2, [4, 1], seed=0)
    before = weights(model)
    if options.get("optimizer") == "OBJECT":
        options["optimizer"] = SGD(model.parameters(), lr=0.2)
    with pytest.raises(ValueError, match=message):
        fit(model, X, Y, progress=False, **options)
    assert weights(model) == before


@pytest.mark.parametrize(
    "outputs, activation, loss",
    [
        (3, "linear", "cross_entropy"),
        (1, "sigmoid", "bce"),
        (1, "relu", "mse"),
        (1, "tanh", "hinge"),
    ],
)
def test_without_a_loss_fit_chooses_the_one_that_fits_the_model(outputs, activation, loss):
    assert choose_loss(outputs, activation) == loss
    X3, y3 = make_spirals(12, n_classes=3, seed=0) if outputs == 3 else (X, Y)
    model = MLP(2, [4, outputs], output_activation=activation, seed=0)
    explicit = MLP(2, [4, outputs], output_activation=activation, seed=0)
    fit(model, X3, y3, epochs=3, progress=False)
    fit(explicit, X3, y3, loss=loss, epochs=3, progress=False)
    assert weights(model) == weights(explicit)


def test_evaluate_is_the_loss_and_accuracy_of_the_model_as_it_is():
    Xs, ys = make_xor(8, noise=0.0, seed=0)
    model = MLP(2, [4, 1], seed=0)
    outputs = [model(x) for x in Xs]
    loss = hinge(outputs, [2 * c - 1 for c in ys]).data
    hits = sum(int(o.data > 0) == c for o, c in zip(outputs, ys)) / len(ys)
    assert evaluate(model, Xs, ys) == (loss, hits)
    assert evaluate(model, Xs, ys).accuracy == accuracy(predict(model, Xs), ys)
    before = weights(model)
    assert evaluate(model, Xs, ys, loss="mse").loss == mse(outputs, [float(c) for c in ys]).data
    assert weights(model) == before and all(p.grad == 0.0 for p in model.parameters())
