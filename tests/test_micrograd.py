"""tinygrad_edu.micrograd: micrograd's API on our Values, checked against the real micrograd.

The real package (micrograd 0.1.0, the ``bench`` extra) is the oracle: the
same weights from the same state of ``random``, the same graphs node for node,
the same numbers.  micrograd's own test file, vendored under tests/third_party,
runs with only its import line changed.
"""

import copy
import inspect
import math
import random
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tinygrad_edu
from tinygrad_edu import define_op, draw_dot, explain, no_grad, topological_order
from tinygrad_edu.micrograd import engine as our_engine
from tinygrad_edu.micrograd import nn as our_nn
from tinygrad_edu.micrograd.engine import Value
from tinygrad_edu.micrograd.nn import MLP, Layer, Module, Neuron

VENDORED = Path(__file__).resolve().parent / "third_party" / "micrograd_test_engine.py"
THEIR_IMPORT = "from micrograd.engine import Value"
OUR_IMPORT = "from tinygrad_edu.micrograd.engine import Value"


@pytest.fixture
def micrograd():
    """The real micrograd package: its engine and nn modules."""
    pytest.importorskip("micrograd")
    import micrograd.engine
    import micrograd.nn

    return micrograd


def twins(build, micrograd):
    """``build(nn)`` with our nn and with micrograd's, from the same state of ``random``.

    The global generator ends as after one build: nothing is seeded.
    """
    state = random.getstate()
    ours = build(our_nn)
    after = random.getstate()
    random.setstate(state)
    theirs = build(micrograd.nn)
    assert random.getstate() == after  # both drew the same numbers, as many of them
    return ours, theirs


def trace(root):
    """Every node reachable through ``_prev``, as micrograd's trace_graph notebook walks them."""
    nodes, stack = set(), [root]
    while stack:
        node = stack.pop()
        if node not in nodes:
            nodes.add(node)
            stack.extend(node._prev)
    return nodes


def shape(root):
    """The graph as micrograd's names see it: (_op, data, the inputs' data) for every node."""
    return sorted(
        (node._op, float(node.data), tuple(sorted(float(c.data) for c in node._prev)))
        for node in trace(root)
    )


def every_operator(V):
    """An expression using each of micrograd's operators, on both sides of a number."""
    a, b = V(-4.0), V(2.0)
    c = a + b
    d = a * b + b**3
    c = c + c + 1
    c = c + 1 + c + (-a)
    d = d + d * 2 + (b + a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g = g + 10.0 / f
    h = 2 * (3 - g) / b + b**0.5 - 1.5 / (a - 0.5)  # rmul, rsub, truediv, pow, rtruediv
    return a, b, h


# ---------------------------------------------------------------- signatures


@pytest.mark.parametrize(
    "ours, theirs",
    [
        ("Value.__init__", "engine.Value.__init__"),
        ("Neuron.__init__", "nn.Neuron.__init__"),
        ("Layer.__init__", "nn.Layer.__init__"),
        ("MLP.__init__", "nn.MLP.__init__"),
    ],
)
def test_constructors_take_micrograds_parameters_with_its_defaults(ours, theirs, micrograd):
    def parameters(path, root):
        target = root
        for part in path.split("."):
            target = getattr(target, part)
        return [(p.name, p.kind, p.default) for p in inspect.signature(target).parameters.values()]

    mine = parameters(ours, our_engine if ours.startswith("Value") else our_nn)
    expected = parameters(theirs, micrograd)
    assert mine[: len(expected)] == expected
    assert mine[len(expected) :] in ([], [("label", inspect.Parameter.POSITIONAL_OR_KEYWORD, "")])


def test_signatures_read_as_micrograds():
    empty = inspect.Parameter.empty
    defaults = [(p.name, p.default) for p in inspect.signature(Value).parameters.values()]
    assert defaults == [("data", empty), ("_children", ()), ("_op", ""), ("label", "")]
    assert list(inspect.signature(Neuron).parameters) == ["nin", "nonlin"]
    assert inspect.signature(Neuron).parameters["nonlin"].default is True
    assert list(inspect.signature(Layer).parameters) == ["nin", "nout", "kwargs"]
    assert list(inspect.signature(MLP).parameters) == ["nin", "nouts"]


def test_the_imports_of_a_micrograd_notebook_work_with_only_the_package_renamed():
    from tinygrad_edu.micrograd import nn  # trace_graph.ipynb's `from micrograd import nn`

    assert nn.MLP is MLP and nn.Module is tinygrad_edu.Module
    assert set(nn.__all__) == {"Module", "Neuron", "Layer", "MLP"}


# ---------------------------------------------------------------- micrograd's own tests


def micrograd_tests(import_line: str) -> dict:
    """The test functions of micrograd's test/test_engine.py, imported by ``import_line``."""
    source = VENDORED.read_text()
    changed = source.replace(THEIR_IMPORT, import_line)
    differing = [
        (before, after)
        for before, after in zip(source.splitlines(), changed.splitlines(), strict=True)
        if before != after
    ]
    assert differing == ([] if import_line == THEIR_IMPORT else [(THEIR_IMPORT, import_line)])
    namespace: dict = {}
    exec(compile(changed, str(VENDORED), "exec"), namespace)
    return {name: f for name, f in namespace.items() if name.startswith("test_")}


def test_the_vendored_file_is_micrograds_with_its_licence():
    text = VENDORED.read_text()
    assert "MIT License" in text and "Copyright (c) 2020 Andrej Karpathy" in text
    assert "github.com/karpathy/micrograd" in text
    assert text.count(THEIR_IMPORT) == 1


@pytest.mark.parametrize("name", ["test_sanity_check", "test_more_ops"])
def test_micrograds_own_tests_pass_with_only_the_import_line_changed(name):
    pytest.importorskip("torch")
    tests = micrograd_tests(OUR_IMPORT)
    assert sorted(tests) == ["test_more_ops", "test_sanity_check"]
    tests[name]()


@pytest.mark.parametrize("name", ["test_sanity_check", "test_more_ops"])
def test_micrograds_own_tests_pass_on_micrograd_itself(name, micrograd):
    pytest.importorskip("torch")
    micrograd_tests(THEIR_IMPORT)[name]()


@pytest.mark.parametrize("name", ["test_sanity_check", "test_more_ops"])
def test_micrograds_own_tests_catch_a_wrong_derivative(name, monkeypatch):
    pytest.importorskip("torch")
    relu = Value.relu

    def slipped_relu(self):  # relu's slope doubled: each test has a relu of a positive number
        out = relu(self)
        out.local_grad0 *= 2.0
        return out

    monkeypatch.setattr(Value, "relu", slipped_relu)
    with pytest.raises(AssertionError):
        micrograd_tests(OUR_IMPORT)[name]()


# ---------------------------------------------------------------- the same graphs and numbers


def test_every_operator_builds_micrograds_graph_with_micrograds_numbers(micrograd):
    a, b, h = every_operator(Value)
    their_a, their_b, their_h = every_operator(micrograd.engine.Value)
    assert shape(h) == shape(their_h)  # node for node: the same _op, data and inputs
    assert h.data == their_h.data
    h.backward()
    their_h.backward()
    assert math.isclose(a.grad, their_a.grad, rel_tol=1e-12)
    assert math.isclose(b.grad, their_b.grad, rel_tol=1e-12)


@settings(max_examples=60, deadline=None)
@given(st.floats(-5, 5), st.floats(0.1, 5))
def test_any_numbers_give_micrograds_graph_values_and_gradients(a, b):
    pytest.importorskip("micrograd")
    from micrograd.engine import Value as TheirValue

    def f(V):
        x, y = V(a), V(b)
        out = (x * y + y**3 - x / (y + 1) + (2 - x).relu() * 3 + 1.5 / (y * y + 1)) ** 2
        return x, y, out

    (x, y, out), (their_x, their_y, their_out) = f(Value), f(TheirValue)
    assert shape(out) == shape(their_out) and out.data == their_out.data
    out.backward()
    their_out.backward()
    assert math.isclose(x.grad, their_x.grad, rel_tol=1e-12, abs_tol=1e-12)
    assert math.isclose(y.grad, their_y.grad, rel_tol=1e-12, abs_tol=1e-12)


def test_op_is_micrograds_spelling_and_prev_the_set_of_inputs(micrograd):
    for V in (Value, micrograd.engine.Value):
        x, y = V(3.0), V(-2.0)
        made = {
            "x + y": x + y,
            "x * y": x * y,
            "x ** 2": x**2,
            "x ** -1": x**-1,
            "x ** 0.5": x**0.5,
            "y.relu()": y.relu(),
            "x - y": x - y,
            "-x": -x,
            "x / y": x / y,
        }
        spelled = {text: node._op for text, node in made.items()}
        assert spelled == {
            "x + y": "+",
            "x * y": "*",
            "x ** 2": "**2",
            "x ** -1": "**-1",
            "x ** 0.5": "**0.5",
            "y.relu()": "ReLU",
            "x - y": "+",  # x + (y * -1)
            "-x": "*",  # x * -1
            "x / y": "*",  # x * y**-1
        }
        assert x._op == ""
        assert x._prev == set() and (x * x)._prev == {x} and (x + y)._prev == {x, y}
        minus_one = next(c for c in (-x)._prev if c is not x)
        assert minus_one.data == -1 and minus_one._prev == set()  # a constant is a leaf Value
    assert (Value(3.0) - Value(-2.0)).op == "+" and Value(1.0).relu().op == "relu"


def test_same_random_state_gives_micrograds_weights_and_initialisation(micrograd):
    ours, theirs = twins(lambda nn: nn.MLP(3, [4, 4, 1]), micrograd)
    assert [p.data for p in ours.parameters()] == [p.data for p in theirs.parameters()]
    assert len(ours.parameters()) == len(theirs.parameters()) == 4 * 4 + 4 * 5 + 1 * 5
    for layer in ours.layers:
        for neuron in layer.neurons:
            assert all(-1 <= w.data <= 1 for w in neuron.w) and neuron.b.data == 0.0
    assert [n.nonlin for layer in ours.layers for n in layer.neurons] == [True] * 8 + [False]


def test_reprs_are_micrograds(micrograd):
    for build in (
        lambda nn: nn.MLP(2, [3, 2, 1]),
        lambda nn: nn.Layer(2, 3, nonlin=False),
        lambda nn: nn.Neuron(4),
    ):
        ours, theirs = twins(build, micrograd)
        assert repr(ours) == repr(theirs)
    assert repr(MLP(2, [1])) == "MLP of [Layer of [LinearNeuron(2)]]"
    assert repr(Value(2.5)) == "Value(data=2.5, grad=0.0)"
    v, their_v = Value(0.1), micrograd.engine.Value(0.1)
    (v * 0.2 + v).backward()
    (their_v * 0.2 + their_v).backward()
    assert repr(v) == repr(their_v) == "Value(data=0.1, grad=1.2)"
    assert repr(v + 0.2) == "Value(data=0.30000000000000004, grad=0.0)"  # micrograd: grad=0
    weight = MLP(2, [1]).parameters()[0]
    assert weight.label == "layers.0.neurons.0.w.0"
    assert repr(weight) == f"Value(data={weight.data}, grad=0.0)"  # no label, as micrograd's


def test_a_model_computes_micrograds_outputs_and_gradients(micrograd):
    ours, theirs = twins(lambda nn: nn.MLP(3, [4, 4, 1]), micrograd)
    x = [2.0, -1.0, 0.5]
    out, their_out = ours(x), theirs(x)
    assert out.data == their_out.data and shape(out) == shape(their_out)
    out.backward()
    their_out.backward()
    for p, q in zip(ours.parameters(), theirs.parameters(), strict=True):
        assert math.isclose(p.grad, q.grad, rel_tol=1e-12, abs_tol=1e-15)
    ours.zero_grad()
    assert all(p.grad == 0.0 for p in ours.parameters())


def test_a_layer_of_one_neuron_gives_the_value_itself(micrograd):
    for nn in (our_nn, micrograd.nn):
        one, two = nn.Layer(2, 1), nn.Layer(2, 2)
        assert isinstance(one([1.0, 2.0]), nn.Value)  # each nn module imports its Value
        assert isinstance(two([1.0, 2.0]), list) and len(two([1.0, 2.0])) == 2
    assert isinstance(Layer(2, 1)([1.0, 2.0]), Value)
    assert repr(Layer(3, 2, nonlin=False)) == "Layer of [LinearNeuron(3), LinearNeuron(3)]"
    outputs = MLP(2, [3, 2])([1.0, 2.0])
    assert isinstance(outputs, list) and len(outputs) == 2


def test_micrograds_demo_loop_trains_the_same(micrograd):
    """demo.ipynb's loss (numpy data, hinge + L2) and SGD: the same losses step after step."""
    np = pytest.importorskip("numpy")
    X_list, labels = tinygrad_edu.make_moons(20, noise=0.1, seed=0)
    X, y = np.array(X_list), np.array(labels) * 2 - 1
    ours, theirs = twins(lambda nn: nn.MLP(2, [8, 8, 1]), micrograd)

    def loss(model, V):
        inputs = [list(map(V, row)) for row in X]
        scores = list(map(model, inputs))
        losses = [(1 + -yi * score).relu() for yi, score in zip(y, scores)]
        data_loss = sum(losses) * (1.0 / len(losses))
        return data_loss + 1e-4 * sum(p * p for p in model.parameters())

    for k in range(4):
        for model, V in ((ours, Value), (theirs, micrograd.engine.Value)):
            total = loss(model, V)
            model.zero_grad()
            total.backward()
            for p in model.parameters():
                p.data -= (1.0 - 0.9 * k / 100) * p.grad
            model.last_loss = total.data
        assert math.isclose(ours.last_loss, theirs.last_loss, rel_tol=1e-12)
    for p, q in zip(ours.parameters(), theirs.parameters(), strict=True):
        assert math.isclose(p.data, q.data, rel_tol=1e-12, abs_tol=1e-15)


def test_a_numpy_row_is_a_sample_as_in_micrograd(micrograd):
    np = pytest.importorskip("numpy")
    ours, theirs = twins(lambda nn: nn.MLP(2, [3, 1]), micrograd)
    row = np.array([0.5, -1.5])
    assert ours(row).data == theirs(row).data == ours([0.5, -1.5]).data
    assert ours((0.5, -1.5)).data == theirs(row).data


# ---------------------------------------------------------------- _backward, node by node


def test_backward_step_of_a_product_and_a_sum():
    a, b = Value(3.0), Value(-2.0)
    c = a * b
    c.grad = 5.0
    c._backward()
    assert (a.grad, b.grad) == (5.0 * -2.0, 5.0 * 3.0)  # ∂c/∂a = b, ∂c/∂b = a
    s = a + b
    s.grad = 0.5
    s._backward()
    assert (a.grad, b.grad) == (-10.0 + 0.5, 15.0 + 0.5)  # += : it adds to what they held


@pytest.mark.parametrize(
    "make, x, slope",
    [
        (lambda x: x**3, 2.0, 3 * 2.0**2),  # d(x³)/dx = 3x²
        (lambda x: x**-1, 4.0, -1 / 4.0**2),  # d(1/x)/dx = -1/x²
        (lambda x: x.relu(), 1.5, 1.0),
        (lambda x: x.relu(), -1.5, 0.0),
        (lambda x: x * x, -3.0, 2 * -3.0),  # both edges lead to x
        (lambda x: x.tanh(), 0.3, 1 - math.tanh(0.3) ** 2),
        (lambda x: x.exp(), 0.7, math.exp(0.7)),
    ],
)
def test_backward_step_of_one_input_adds_its_slope_times_the_upstream(make, x, slope):
    leaf = Value(x)
    out = make(leaf)
    out.grad = -2.0
    out._backward()
    assert math.isclose(leaf.grad, slope * -2.0, rel_tol=1e-15)


def test_backward_step_of_a_leaf_changes_nothing():
    leaf = Value(4.0)
    leaf.grad = 3.0
    leaf._backward()
    assert leaf.grad == 3.0


def test_backward_steps_by_hand_in_reverse_topological_order_are_backward():
    """The lecture's manual backprop: o.grad = 1, then each node's _backward(), outputs first."""

    def neuron():
        x1, x2, w1, w2, b = Value(2.0), Value(0.0), Value(-3.0), Value(1.0), Value(6.88)
        return (x1 * w1 + x2 * w2 + b).relu(), (x1, x2, w1, w2, b)

    by_hand, leaves = neuron()
    by_hand.grad = 1.0
    for node in reversed(topological_order(by_hand)):
        node._backward()
    auto, auto_leaves = neuron()
    auto.backward()
    assert [v.grad for v in leaves] == [v.grad for v in auto_leaves] == [-3.0, 1.0, 2.0, 0.0, 1.0]


# ---------------------------------------------------------------- they are tinygrad_edu Values


def test_every_node_is_a_tinygrad_edu_value_and_a_micrograd_one():
    a, b, h = every_operator(Value)
    nodes = trace(h)
    assert set(topological_order(h)) == nodes
    assert all(type(n) is Value and isinstance(n, tinygrad_edu.Value) for n in nodes)
    assert {type(n) for n in trace(MLP(2, [3, 1])([1.0, 2.0]))} == {Value, our_nn.Parameter}
    x = Value(0.5)
    assert all(type(y) is Value for y in (x.tanh(), x.exp(), x.log(), x.sigmoid(), abs(x)))
    assert type(x + tinygrad_edu.Value(1.0)) is Value  # our + is asked first
    assert type(tinygrad_edu.Value(1.0) * x) is Value
    with no_grad():
        leaf = x * 2
    assert type(leaf) is Value and leaf._prev == set() and leaf._op == ""


def test_explain_and_draw_dot_show_a_micrograd_graph_as_tinygrad_edus_own(needs_dot):
    """A micrograd MLP and tinygrad_edu's MLP with its weights make the same graph and text."""
    model = MLP(2, [2, 1])
    twin = tinygrad_edu.MLP(2, [2, 1])
    twin.load_state_dict(model.state_dict())  # the same names: layers.0.neurons.0.w.0, ...
    out, twin_out = model([1.0, -2.0]), twin([1.0, -2.0])
    assert out.data == twin_out.data
    text = explain(out)
    assert text == explain(twin_out)
    assert text.count("; d(relu(") == 2  # the two hidden neurons' relu edges
    assert all(p.grad == 0.0 for p in model.parameters())  # explain changes no grad
    out.backward()
    twin_out.backward()
    drawing = draw_dot(out)
    assert drawing.source == draw_dot(twin_out).source
    assert "cluster_layers_0_neurons_1" in drawing.source  # a box per neuron, from its Parameters
    assert draw_dot(out, collapse=True).source == draw_dot(twin_out, collapse=True).source
    assert drawing.pipe(format="svg").startswith(b"<?xml")


def test_trace_graphs_calls_of_draw_dot_draw_a_micrograd_neuron(tmp_path, needs_dot):
    """trace_graph.ipynb: ``dot = draw_dot(y)``, then ``dot.render('gout')``; here with options."""
    n = Neuron(2)
    y = n([Value(1.0), Value(-2.0)])
    y.backward()
    dot = draw_dot(y, format="png", rankdir="TB")
    assert "rankdir=TB" in dot.source
    written = Path(dot.render(tmp_path / "gout"))
    assert written == tmp_path / "gout.png" and written.read_bytes().startswith(b"\x89PNG")


def test_parameters_know_their_neuron_so_relabelling_keeps_the_boxes():
    from tinygrad_edu.draw.neurons import find_neurons

    model = MLP(2, [3, 1])
    weight = model.layers[0].neurons[1].w[0]
    assert isinstance(weight, tinygrad_edu.nn.Parameter) and type(weight * 2) is Value
    assert (weight.neuron, weight.index) == (model.layers[0].neurons[1], 0)
    assert weight._prev == set() and weight._op == "" and repr(weight).startswith("Value(data=")
    out = model([1.0, -2.0])
    for node in topological_order(out):
        node.label = "out" if node is out else "renamed"  # labels say nothing any more
    found = find_neurons(topological_order(out))
    assert [n.module for n in found] == [*model.layers[0].neurons, model.layers[1].neurons[0]]
    assert draw_dot(out).source.count("subgraph cluster_layers_0_neurons_") == 3
    twin = copy.deepcopy(model)
    assert twin.parameters()[0].neuron is twin.layers[0].neurons[0]
    assert twin([1.0, -2.0]).data == out.data


def test_explore_shows_a_micrograd_model_as_tinygrad_edus_own(tmp_path):
    """The network view of a micrograd MLP, and the graph view of an expression."""
    model = MLP(2, [3, 1])
    twin = tinygrad_edu.MLP(2, [3, 1])
    twin.load_state_dict(model.state_dict())
    loss = (model([0.5, -1.0]) - 1.0) ** 2
    twin_loss = (twin([0.5, -1.0]) + -1.0) ** 2  # micrograd's a - 1.0 is a + (-1.0)
    explorer = tinygrad_edu.explore(loss)
    assert explorer.view == "network"
    assert explorer.html == tinygrad_edu.explore(twin_loss).html
    x = Value(2.0, label="x")
    y = (x * Value(-3.0, label="w") + 1).relu()
    graph = tinygrad_edu.explore(y)
    assert graph.view == "graph" and '"relu"' in graph.html
    assert graph.save(tmp_path / "explorer.html").read_text() == graph.html


def test_an_operation_of_your_own_returns_micrograd_values(restore_operations):
    define_op("cube", lambda x, m: (x * x * x, (3.0 * x * x,)))
    define_op("hypot", lambda a, b, m: (h := m.sqrt(a * a + b * b), (a / h, b / h)))
    x = Value(2.0)
    cubed, long_side = x.cube(), Value(3.0).hypot(4)
    assert type(cubed) is Value and cubed._op == "cube" and cubed.data == 8.0
    assert type(long_side) is Value and long_side.data == 5.0
    assert all(type(c) is Value for c in long_side._prev)  # the 4 became a micrograd leaf
    cubed.backward()
    assert x.grad == 12.0
    with pytest.raises(ValueError, match="already a name of Value; choose another"):
        define_op("item", lambda x, m: (x, (1.0,)))  # named once, though two classes hold it


def test_a_micrograd_model_is_a_tinygrad_edu_module():
    model = MLP(2, [3, 1])
    assert isinstance(model, tinygrad_edu.MLP) and isinstance(model, Module)
    names = [name for name, _ in model.named_parameters()]
    assert names[:3] == ["layers.0.neurons.0.w.0", "layers.0.neurons.0.w.1", "layers.0.neurons.0.b"]
    assert model.parameters() == [p for layer in model.layers for p in layer.parameters()]
    assert Neuron(3).parameters()[-1].data == 0.0  # the weights, then the bias
    assert model.layers[-1].activation == "linear" and model.layers[0].activation == "relu"


# ---------------------------------------------------------------- clear errors


def test_a_node_made_by_hand_is_refused_with_the_way_to_a_new_operation():
    a = Value(1.0)
    with pytest.raises(ValueError, match="define_op"):
        Value(2.0, (a, a), "+")
    with pytest.raises(ValueError, match="define_op"):
        Value(2.0, _op="tanh")
    with pytest.raises(AttributeError, match="define_op"):
        (a * 2)._backward = lambda: None
    with pytest.raises(TypeError, match="int or float, got str"):
        Value("2")


def test_power_takes_a_number_exponent_as_micrograds(micrograd):
    x = Value(2.0)
    with pytest.raises(TypeError, match="int or float exponent"):
        x ** Value(2.0)
    with pytest.raises(TypeError, match="int or float exponent"):
        2**x
    with pytest.raises(AssertionError):  # micrograd refuses a Value exponent too
        micrograd.engine.Value(2.0) ** micrograd.engine.Value(2.0)
    with pytest.raises(ValueError, match="negative base needs an integer exponent"):
        Value(-8.0) ** 0.5  # micrograd returns a complex number here


def test_a_wrong_number_of_inputs_is_a_value_error():
    with pytest.raises(ValueError, match="MLP expects 2 inputs, got 3"):
        MLP(2, [3, 1])([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="Neuron expects 2 inputs, got 1"):
        Neuron(2)([1.0])
    with pytest.raises(TypeError, match="Layer expects a list of 2 inputs"):
        Layer(2, 3)(Value(1.0))
    with pytest.raises(ValueError, match="whole number of inputs"):
        Neuron(0)
    with pytest.raises(ValueError, match="whole number of neurons"):
        Layer(2, 0)
    with pytest.raises(ValueError, match="list of layer sizes"):
        MLP(2, [])


# ---------------------------------------------------------------- what the README promises


def test_the_readme_example_prints_what_its_comments_say(capsys):
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    blocks = re.findall(r"```python\n(.*?)```", readme, re.S)
    (code,) = [block for block in blocks if "from tinygrad_edu.micrograd.nn import" in block]
    promised = [line.split("  # ", 1)[1] for line in code.splitlines() if line.startswith("print(")]
    state = random.getstate()  # the example seeds the global random, as micrograd's demos do
    try:
        exec(compile(code, "README micrograd", "exec"), {})
    finally:
        random.setstate(state)
    assert capsys.readouterr().out.splitlines() == promised


def test_a_second_backward_adds_the_same_gradients_again_where_micrograd_counts_too_much(
    micrograd,
):
    for V, second in ((Value, 12.0), (micrograd.engine.Value, 22.0)):
        a, b = V(3.0), V(2.0)
        d = (a * b + a) * b
        d.backward()
        assert a.grad == 6.0  # ∂d/∂a = (b + 1)·b
        d.backward()
        assert a.grad == second


def test_a_hidden_layer_of_one_neuron_works_where_micrograds_fails(micrograd):
    ours, theirs = twins(lambda nn: nn.MLP(2, [1, 3]), micrograd)
    assert len(ours([1.0, 2.0])) == 3
    with pytest.raises(TypeError):
        theirs([1.0, 2.0])
