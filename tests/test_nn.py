"""Module, Neuron, Layer, MLP: parameters, names and labels, calls, errors, seeding, repr."""

import copy
import math
import pickle
import random

import pytest

from tinygrad_edu import MLP, Layer, Module, Neuron, Value
from tinygrad_edu.nn import Parameter


def weights(model):
    return [p.data for p in model.parameters()]


# ---------------------------------------------------------------- parameters and names


@pytest.mark.parametrize(
    "module, count",
    [
        (Neuron(3), 3 + 1),
        (Layer(3, 4), 4 * (3 + 1)),
        (MLP(2, [3, 1]), 3 * 3 + 1 * 4),
        (MLP(2, [16, 16, 1]), 16 * 3 + 16 * 17 + 1 * 17),  # 337, micrograd's demo network
    ],
)
def test_parameters_counts_one_weight_per_input_and_one_bias_per_neuron(module, count):
    parameters = module.parameters()
    assert len(parameters) == count
    assert len({id(p) for p in parameters}) == count  # each one once
    assert all(isinstance(p, Value) for p in parameters)


def test_named_parameters_walk_layers_neurons_weights_then_bias():
    model = MLP(2, [2, 1], seed=0)
    names = [name for name, _ in model.named_parameters()]
    assert names == [
        "layers.0.neurons.0.w.0",
        "layers.0.neurons.0.w.1",
        "layers.0.neurons.0.b",
        "layers.0.neurons.1.w.0",
        "layers.0.neurons.1.w.1",
        "layers.0.neurons.1.b",
        "layers.1.neurons.0.w.0",
        "layers.1.neurons.0.w.1",
        "layers.1.neurons.0.b",
    ]
    assert [p for _, p in model.named_parameters()] == model.parameters()
    assert model.layers[1].neurons[0].b is dict(model.named_parameters())["layers.1.neurons.0.b"]


def test_every_parameter_is_labelled_with_its_dotted_name():
    model = MLP(3, [4, 2], seed=0)
    assert all(p.label == name for name, p in model.named_parameters())
    # a sub-module's own walk gives names relative to it, but keeps the full labels
    layer = model.layers[1]
    assert [name for name, _ in layer.named_parameters()][:2] == ["neurons.0.w.0", "neurons.0.w.1"]
    assert layer.neurons[0].w[0].label == "layers.1.neurons.0.w.0"


class TwoLayerNet(Module):
    """A user-written module, PyTorch style: sub-modules assigned to attributes."""

    def __init__(self):
        self.fc1 = Layer(2, 3, "tanh", seed=0)
        self.fc2 = Neuron(3, "linear", seed=1)
        self.scale = Value(2.0)

    def __call__(self, x):
        return self.scale * self.fc2(self.fc1(x))


class Ensemble(Module):
    """Modules nested two deep, and a list filled in place after it was assigned."""

    def __init__(self):
        self.members = []
        for _ in range(2):
            self.members.append(TwoLayerNet())


def test_a_user_written_module_labels_parameters_with_their_names():
    net = TwoLayerNet()
    named = list(net.named_parameters())
    assert [name for name, _ in named][:3] == [
        "fc1.neurons.0.w.0",
        "fc1.neurons.0.w.1",
        "fc1.neurons.0.b",
    ]
    assert [name for name, _ in named][-2:] == ["fc2.b", "scale"]
    assert len(named) == 3 * 3 + 4 + 1
    assert all(p.label == name for name, p in named)
    # labelled as soon as assigned, before any walk, and so are the outputs of a call
    fresh = TwoLayerNet()
    assert fresh.fc1.neurons[2].b.label == "fc1.neurons.2.b"
    out = fresh([0.5, -1.0])
    assert out.inputs[1].label == "fc2.out"
    assert fresh.fc1([0.5, -1.0])[0].label == "fc1.neurons.0.out"


def test_labels_follow_the_names_whatever_the_nesting():
    ensemble = Ensemble()
    named = list(ensemble.named_parameters())
    assert named[0][0] == "members.0.fc1.neurons.0.w.0"
    assert named[-1][0] == "members.1.scale"
    assert all(p.label == name for name, p in named)
    outer = Module()
    outer.model = ensemble  # nesting it once more renames everything inside at once
    assert ensemble.members[1].fc2.w[0].label == "model.members.1.fc2.w.0"


def test_zero_grad_clears_every_gradient():
    model = MLP(2, [4, 4, 1], seed=0)
    model([1.0, -2.0]).backward()
    assert sum(abs(p.grad) for p in model.parameters()) > 0
    model.zero_grad()
    assert all(p.grad == 0.0 for p in model.parameters())


# ---------------------------------------------------------------- calling a module


def test_neuron_computes_its_activation_of_the_weighted_sum():
    for activation, f in [
        ("relu", lambda z: max(z, 0.0)),
        ("tanh", math.tanh),
        ("sigmoid", lambda z: 1 / (1 + math.exp(-z))),
        ("linear", lambda z: z),
    ]:
        neuron = Neuron(2, activation, seed=3)
        neuron.w[0].data, neuron.w[1].data, neuron.b.data = 0.5, -1.5, 0.25
        for x in ([1.0, 2.0], [-2.0, -1.0]):
            z = 0.5 * x[0] - 1.5 * x[1] + 0.25
            assert neuron(x).data == pytest.approx(f(z), rel=1e-15)


def test_mlp_returns_a_value_for_one_output_and_a_list_for_several():
    one = MLP(2, [3, 1], seed=0)([1.0, 2.0])
    assert isinstance(one, Value)
    several = MLP(2, [3, 2], seed=0)([1.0, 2.0])
    assert isinstance(several, list) and len(several) == 2
    assert all(isinstance(v, Value) for v in several)
    layer_out = Layer(2, 1, seed=0)([1.0, 2.0])
    assert isinstance(layer_out, list) and len(layer_out) == 1  # a Layer always gives a list


def test_inputs_may_be_values_and_get_gradients():
    x = [Value(1.0, "x0"), Value(-1.0, "x1")]
    out = MLP(2, [3, 1], "tanh", seed=0)(x)
    out.backward()
    assert all(xi.grad != 0.0 for xi in x)


@pytest.mark.parametrize(
    "module, who",
    [
        (Neuron(3, seed=0), "Neuron"),
        (Layer(3, 2, seed=0), "Layer"),
        (MLP(3, [2, 1], seed=0), "MLP"),
    ],
)
def test_a_wrong_input_length_is_a_value_error(module, who):
    with pytest.raises(ValueError, match=f"{who} expects 3 inputs, got 2"):
        module([1.0, 2.0])
    with pytest.raises(ValueError, match=f"{who} expects 3 inputs, got 4"):
        module([1.0, 2.0, 3.0, 4.0])


@pytest.mark.parametrize("bad", [1.0, None, "abc", Value(1.0)])
def test_an_input_that_is_not_a_list_is_a_type_error(bad):
    with pytest.raises(
        TypeError, match=f"MLP expects a list of 3 inputs .*got {type(bad).__name__}"
    ):
        MLP(3, [2, 1], seed=0)(bad)


@pytest.mark.parametrize("batch", [[[1.0, 2.0], [3.0, 4.0]], [(1.0, 2.0)], [[1.0, 2.0]] * 3])
def test_a_batch_of_samples_is_a_type_error_that_says_one_sample_at_a_time(batch):
    with pytest.raises(TypeError, match="MLP takes one sample \\(a list of 2 numbers\\) at a time"):
        MLP(2, [2, 1], seed=0)(batch)


def test_an_input_that_is_not_a_number_is_a_type_error():
    with pytest.raises(TypeError, match="Value needs an int or float, got str"):
        MLP(2, [2, 1], seed=0)([1.0, "2"])


# ---------------------------------------------------------------- construction errors


@pytest.mark.parametrize(
    "make",
    [
        lambda: Neuron(2, "softplus"),
        lambda: Layer(2, 3, "ReLU"),
        lambda: MLP(2, [3, 1], activation="gelu"),
        lambda: MLP(2, [3, 1], output_activation="softmax"),
    ],
)
def test_an_unknown_activation_is_a_value_error_naming_the_choices(make):
    with pytest.raises(ValueError, match="activation must be one of relu, tanh, sigmoid, linear"):
        make()


def test_bad_sizes_are_value_errors():
    with pytest.raises(ValueError, match="whole number of inputs >= 1"):
        Neuron(0)
    with pytest.raises(ValueError, match="whole number of inputs >= 1"):
        Neuron(2.0)
    with pytest.raises(ValueError, match="whole number of neurons >= 1"):
        Layer(2, 0)
    with pytest.raises(ValueError, match="list of layer sizes"):
        MLP(2, 16)
    with pytest.raises(ValueError, match="list of layer sizes"):
        MLP(2, [])
    with pytest.raises(ValueError, match="whole number of neurons"):
        MLP(2, [16, 0])


# ---------------------------------------------------------------- seeds and initialisation


def test_same_seed_same_weights_and_the_global_random_is_untouched():
    state = random.getstate()
    try:
        a = MLP(2, [4, 1], seed=5)
        assert random.getstate() == state
        random.random()  # someone else using the global generator changes nothing
        b = MLP(2, [4, 1], seed=5)
        assert weights(a) == weights(b)
        assert weights(MLP(2, [4, 1], seed=6)) != weights(a)
        assert weights(MLP(2, [4, 1], seed=random.Random(5))) == weights(a)
        assert weights(MLP(2, [4, 1])) != weights(MLP(2, [4, 1]))  # seed=None: fresh numbers
    finally:
        random.setstate(state)


def test_init_is_scaled_for_the_fan_in():
    relu = Layer(16, 64, "relu", seed=0)
    ws = [p.data for name, p in relu.named_parameters() if ".w." in name]
    assert math.sqrt(6 / 16) >= max(abs(w) for w in ws) > 0.9 * math.sqrt(6 / 16)
    tanh = Layer(12, 50, "tanh", seed=0)
    ws = [w.data for n in tanh.neurons for w in n.w]
    assert math.sqrt(3 / 12) >= max(abs(w) for w in ws) > 0.9 * math.sqrt(3 / 12)


def test_biases_start_uniform_within_one_over_root_fan_in():
    layer = Layer(4, 200, "relu", seed=0)
    biases = [n.b.data for n in layer.neurons]
    assert 0.5 >= max(abs(b) for b in biases) > 0.45  # 1/√4 = 0.5
    assert min(biases) < 0 < max(biases)


# ---------------------------------------------------------------- repr and labels of a call


def test_repr_shows_the_architecture_like_pytorch():
    assert repr(MLP(2, [16, 16, 1], seed=0)) == (
        "MLP(\n"
        "  (layers.0): Layer(nin=2, nout=16, activation='relu')\n"
        "  (layers.1): Layer(nin=16, nout=16, activation='relu')\n"
        "  (layers.2): Layer(nin=16, nout=1, activation='linear')\n"
        ")"
    )
    assert repr(Layer(3, 2, "tanh")) == "Layer(nin=3, nout=2, activation='tanh')"
    assert repr(Neuron(3, "sigmoid")) == "Neuron(nin=3, activation='sigmoid')"
    assert repr(TwoLayerNet()) == (
        "TwoLayerNet(\n"
        "  (fc1): Layer(nin=2, nout=3, activation='tanh')\n"
        "  (fc2): Neuron(nin=3, activation='linear')\n"
        ")"
    )


def test_neuron_labels_its_sum_and_output_for_the_drawing():
    model = MLP(2, [2, 1], seed=0)
    out = model([1.0, -1.0])
    assert out.label == "layers.1.neurons.0.out"
    labels = set()
    node = out
    while node.inputs:
        node = node.inputs[0]
        labels.add(node.label)
    assert "layers.1.neurons.0.b" in labels
    relu_out = model.layers[0]([1.0, 2.0])[1]
    assert relu_out.label == "layers.0.neurons.1.out"
    assert relu_out.inputs[0].label == "layers.0.neurons.1.z"


# ---------------------------------------------------------------- Parameter


def test_a_neurons_weights_and_bias_are_parameters_that_know_their_neuron():
    model = MLP(2, [3, 1], seed=0)
    neuron = model.layers[0].neurons[2]
    assert [type(w) for w in neuron.w] == [Parameter, Parameter]
    assert [(w.neuron, w.index) for w in neuron.w] == [(neuron, 0), (neuron, 1)]
    assert (neuron.b.neuron, neuron.b.index) == (neuron, None)
    assert neuron.dotted_name == "layers.0.neurons.2" and Neuron(2).dotted_name == ""
    assert all(isinstance(p, Parameter) for p in model.parameters())
    assert set(Parameter.__slots__) == {"_owner"}  # one slot more than a Value, no __dict__
    assert not hasattr(neuron.b, "__dict__")


def test_a_parameter_computes_as_the_value_it_is():
    neuron = Neuron(2, "tanh", seed=1)
    w0, w1, b = (p.data for p in neuron.parameters())
    x = [Value(0.5), Value(-2.0)]
    out = neuron(x)
    out.backward()
    z = w0 * 0.5 + w1 * -2.0 + b
    assert out.data == pytest.approx(math.tanh(z), rel=1e-15)
    assert neuron.w[0].grad == pytest.approx((1 - math.tanh(z) ** 2) * 0.5, rel=1e-12)
    assert type(neuron.w[0] * x[0]) is Value and type(x[0] * neuron.w[0]) is Value


def test_a_copied_or_pickled_model_has_parameters_that_know_the_copys_neurons():
    model = MLP(2, [3, 1], seed=0)
    for twin in (copy.deepcopy(model), pickle.loads(pickle.dumps(model))):
        neuron = twin.layers[0].neurons[1]
        assert neuron is not model.layers[0].neurons[1]
        assert [(w.neuron, w.index) for w in neuron.w] == [(neuron, 0), (neuron, 1)]
        assert neuron.b.neuron is neuron and twin.state_dict() == model.state_dict()
