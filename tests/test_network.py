"""draw.network: a model's graph read as inputs, layers of neurons and a loss, and its steps."""

import pytest

from tinygrad_edu import MLP, Neuron, Value
from tinygrad_edu.draw import GraphTooLargeError
from tinygrad_edu.draw.network import Network, NotANetworkError
from tinygrad_edu.losses import mse
from tinygrad_edu.walkthrough import Walkthrough


def network_of(root):
    return Network.of(Walkthrough.of(root))


def test_an_mlp_and_its_loss_are_inputs_layers_and_a_tail():
    model = MLP(2, [4, 4, 1], activation="tanh", seed=0)
    loss = (model([0.5, -1.0]) - 1.0) ** 2
    network = network_of(loss)
    assert [len(layer) for layer in network.layers] == [4, 4, 1]
    assert [x.data for x in network.inputs] == [0.5, -1.0]  # one per position, not per neuron
    assert network.root_name == "L" and network.tail[-1] is loss
    for number, (layer, built) in enumerate(zip(network.layers, model.layers), 1):
        for index, (n, neuron) in enumerate(zip(layer, built.neurons)):
            assert (n.layer, n.index, n.position) == (number, index, f"[{number}][{index}]")
            assert n.weights == neuron.w and n.bias is neuron.b
            assert n.activation == neuron.activation
    last, hidden = network.layers[2][0], network.layers[1][3]
    assert [network.source_name(s) for s in last.sources] == [f"a[2][{i}]" for i in range(4)]
    assert last.z is last.a  # a linear neuron's output is its sum
    assert hidden.a.op == "tanh" and hidden.z is hidden.a.inputs[0]
    assert hidden.weight_name(3) == "w[2][3,3]" and hidden.z_name == "z[2][3]"
    assert network.outputs == [last] and network.users_of(hidden) == [(last, 3)]
    first = network.layers[0][1]
    assert [network.source_name(s) for s in first.sources] == ["x[0]", "x[1]"]
    assert first.members[-1] is first.a and set(first.products) <= set(first.members)


def test_the_steps_go_forward_layer_by_layer_and_back_the_other_way():
    model = MLP(2, [3, 2], seed=1)
    outs = model([Value(1.0, "x0"), Value(2.0, "x1")])
    network = network_of(mse(outs, [0.0, 1.0]))
    assert len(network.inputs) == 2  # the labelled inputs, shared by the neurons
    steps = network.steps()
    forward = [(s.kind, s.neuron and s.neuron.position) for s in steps if s.phase == "forward"]
    backward = [(s.kind, s.neuron and s.neuron.position) for s in steps if s.phase == "backward"]
    assert forward == [("inputs", None)] + [("neuron", f"[1][{j}]") for j in range(3)] + [
        ("neuron", "[2][0]"),
        ("neuron", "[2][1]"),
        ("loss", None),
    ]
    assert backward == [
        ("start", None),
        ("loss", None),
        ("neuron", "[2][0]"),
        ("neuron", "[2][1]"),
    ] + [("neuron", f"[1][{j}]") for j in range(3)]
    assert [n.position for n in network.outputs] == ["[2][0]", "[2][1]"]


def test_a_network_without_a_loss_ends_at_its_output_neuron():
    out = Neuron(3, "sigmoid", seed=0)([1.0, 2.0, 3.0])
    network = network_of(out)
    assert network.tail == [] and network.root_name == "a[1][0]"
    assert [s.kind for s in network.steps()] == ["inputs", "neuron", "start", "neuron"]


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: Value(2.0, "x") * Value(3.0, "y"), "no neurons"),
        (lambda: _batch_loss(), "called 2 times"),
        (lambda: _penalised_loss(), "weight penalty"),
        (lambda: Neuron(2, seed=0)([Value(1.0) * 2.0, 1.0]), "computed outside the network"),
    ],
)
def test_a_graph_that_is_not_one_pass_of_a_model_says_why(make, message):
    with pytest.raises(NotANetworkError, match=message):
        network_of(make())


def _batch_loss():
    model = MLP(2, [2, 1], seed=0)
    return mse([model([0.0, 1.0]), model([1.0, 0.0])], [1.0, 0.0])


def _penalised_loss():
    model = MLP(2, [2, 1], seed=0)
    return (model([0.0, 1.0]) - 1.0) ** 2 + 0.01 * model.parameters()[0] ** 2


def test_more_than_64_neurons_are_refused_before_they_are_read():
    model = MLP(2, [40, 40, 1], seed=0)
    with pytest.raises(GraphTooLargeError, match="at most 64 neurons and this graph has 81"):
        network_of(model([0.5, -1.0]))


def test_relabelled_values_keep_their_neurons():
    model = MLP(2, [3, 1], activation="tanh", seed=0)
    out = model([0.5, -1.0])
    out.label = "out"  # the model's own labels changed: membership comes from the model
    model.layers[0].neurons[1].w[0].label = "my weight"
    loss = (out - 1.0) ** 2
    network = network_of(loss)
    assert [len(layer) for layer in network.layers] == [3, 1]
    assert network.layers[1][0].a is out
    assert network.layers[0][1].weights[0] is model.layers[0].neurons[1].w[0]
