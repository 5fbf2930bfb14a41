"""find_neurons: a model's Neurons from its Parameters and the graph; labels as a fallback."""

import copy
import math

from tinygrad_edu import MLP, Layer, Value
from tinygrad_edu.draw.neurons import find_neurons, parameters_of_models
from tinygrad_edu.engine import topological_order
from tinygrad_edu.nn import Neuron


def neurons_of(root):
    return find_neurons(topological_order(root))


def test_each_neuron_of_an_mlp_with_its_layer_position_sum_output_and_inputs():
    model = MLP(2, [3, 1], activation="tanh", seed=0)
    x = [Value(0.5, "x0"), Value(-1.0, "x1")]
    out = model(x)
    found = neurons_of(out)
    assert [n.module for n in found] == [*model.layers[0].neurons, model.layers[1].neurons[0]]
    assert [(n.layer_index, n.index) for n in found] == [(0, 0), (0, 1), (0, 2), (1, 0)]
    assert [n.name for n in found] == [
        "layers_0_neurons_0",
        "layers_0_neurons_1",
        "layers_0_neurons_2",
        "layers_1_neurons_0",
    ]
    first, *_, last = found
    assert first.inputs == [x] and first.activation == "tanh"
    (z,) = first.zs
    w, b = first.module.w, first.module.b
    assert z.data == w[0].data * 0.5 + w[1].data * -1.0 + b.data
    assert first.outs[0].op == "tanh" and first.outs[0].inputs == (z,)
    assert last.outs == [out] and last.zs == [out]  # linear: the output is the sum
    assert last.inputs == [[n.outs[0] for n in found[:3]]]
    assert last.parameters == [*last.module.w, last.module.b]


def test_relabelling_outputs_sums_and_parameters_keeps_every_neuron():
    model = MLP(2, [3, 1], activation="tanh", seed=0)
    out = model([0.5, -1.0])
    before = [(n.module, n.zs, n.outs, n.inputs) for n in neurons_of(out)]
    for node in topological_order(out):
        node.label = "out" if node is out else "renamed"  # the out.label = 'out', and more
    after = [(n.module, n.zs, n.outs, n.inputs) for n in neurons_of(out)]
    assert after == before and len(after) == 4


def test_a_batch_gives_one_call_per_sample_in_order():
    model = MLP(2, [2, 1], seed=3)
    samples = [[0.1 * i, -0.2 * i] for i in range(1, 6)]
    outs = [model(x) for x in samples]
    loss = sum((o - 1.0) ** 2 for o in outs)
    found = neurons_of(loss)
    assert all(len(n.outs) == len(n.zs) == len(n.inputs) == 5 for n in found)
    assert found[-1].outs == outs
    assert [[x.data for x in call] for call in found[0].inputs] == samples


def test_other_uses_of_a_parameter_are_not_calls():
    neuron = Neuron(2, "relu", seed=0)
    out = neuron([1.0, 2.0])
    penalty = sum(p * p for p in neuron.parameters())  # a weight decay term uses w and b too
    (found,) = neurons_of(out + penalty)
    assert found.outs == [out]
    assert parameters_of_models(topological_order(penalty)) == set(neuron.parameters())
    assert neurons_of(penalty) == []  # parameters, but no call of the neuron


def test_neurons_outside_a_layer_are_columns_of_their_own_with_unique_names():
    first, second = Neuron(2, "tanh", seed=0), Neuron(1, "linear", seed=1)
    out = second([first([1.0, 2.0])])
    found = neurons_of(out)
    assert [n.module for n in found] == [first, second]
    assert [n.layer_index for n in found] == [0, 1]
    assert [n.name for n in found] == ["neuron", "neuron_2"]  # both are called "" in no model
    in_a_layer = neurons_of(sum(Layer(2, 2, seed=0)([1.0, 2.0])))
    assert [(n.layer_index, n.index) for n in in_a_layer] == [(0, 0), (0, 1)]


def test_a_graph_made_without_nn_is_read_by_its_labels():
    x = Value(2.0, "x")
    w, b = Value(-0.5, "layers.0.neurons.0.w.0"), Value(0.3, "layers.0.neurons.0.b")
    z = x * w + b
    out = z.tanh()
    out.label = "layers.0.neurons.0.out"
    (found,) = neurons_of(out)
    assert found.module is None and found.prefix == "layers.0.neurons.0."
    assert found.weights == {0: w} and found.bias is b
    assert found.zs == [z] and found.outs == [out] and found.inputs == [[x]]
    assert found.activation == "tanh" and math.isclose(out.data, math.tanh(-0.7))
    lone = x * 2.0
    lone.label = "out"
    assert neurons_of(lone) == []  # a label `out` without parameters is not a Neuron


def test_a_copied_models_graph_is_found_through_the_copys_neurons():
    model = MLP(2, [2, 1], seed=0)
    twin = copy.deepcopy(model)
    found = neurons_of(twin([1.0, -1.0]))
    assert [n.module for n in found] == [*twin.layers[0].neurons, twin.layers[1].neurons[0]]
