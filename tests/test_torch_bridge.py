"""model.to_torch() and tinygrad_edu.from_torch(): the same network in PyTorch, and back.

Outputs, losses and every parameter's gradient agree with tinygrad_edu's to
1e-12 in float64.  Skipped where PyTorch is not installed (CI installs it).
"""

import subprocess
import sys

import pytest

from tinygrad_edu import MLP, from_torch, hinge, make_moons

torch = pytest.importorskip("torch")

X, Y = make_moons(20, noise=0.1, seed=0)
ARCHITECTURES = [
    ([16, 16, 1], "relu", "linear"),
    ([5, 3], "tanh", "linear"),
    ([4, 4, 1], "sigmoid", "sigmoid"),
    ([1], "relu", "tanh"),
]


def tinygrad_step(model):
    """The README's step: hinge loss of the batch plus 1e-4·Σp², then backward."""
    scores = [model(x) for x in X]
    scores = scores if not isinstance(scores[0], list) else [s[0] for s in scores]
    loss = hinge(scores, [2 * c - 1 for c in Y]) + 1e-4 * sum(p * p for p in model.parameters())
    model.zero_grad()
    loss.backward()
    return loss.data


def torch_step(net):
    scores = net(torch.tensor(X, dtype=torch.float64))[:, 0]
    targets = torch.tensor([2.0 * c - 1 for c in Y], dtype=torch.float64)
    penalty = sum((p * p).sum() for p in net.parameters())
    loss = torch.relu(1 - targets * scores).mean() + 1e-4 * penalty
    net.zero_grad()
    loss.backward()
    return loss.item()


def torch_names(model):
    """tinygrad_edu's name of each torch parameter entry: (tensor, index) -> dotted name."""
    linears = [m for m in model.to_torch() if isinstance(m, torch.nn.Linear)]
    names = {}
    for i, linear in enumerate(linears):
        for j in range(linear.out_features):
            names[(i, "bias", j)] = f"layers.{i}.neurons.{j}.b"
            for k in range(linear.in_features):
                names[(i, "weight", j, k)] = f"layers.{i}.neurons.{j}.w.{k}"
    return names


@pytest.mark.parametrize("nouts, activation, output_activation", ARCHITECTURES)
def test_outputs_and_every_gradient_agree_to_1e_12(nouts, activation, output_activation):
    model = MLP(2, nouts, activation, output_activation, seed=3)
    net = model.to_torch()
    assert isinstance(net, torch.nn.Sequential)
    for x in X:
        mine = model(x)
        mine = mine if isinstance(mine, list) else [mine]
        theirs = net(torch.tensor([x], dtype=torch.float64))[0].tolist()
        assert [v.data for v in mine] == pytest.approx(theirs, abs=1e-12, rel=1e-12)
    assert tinygrad_step(model) == pytest.approx(torch_step(net), abs=1e-12, rel=1e-12)
    linears = [m for m in net if isinstance(m, torch.nn.Linear)]
    parameters = dict(model.named_parameters())
    for (i, kind, *index), name in torch_names(model).items():
        tensor = getattr(linears[i], kind)
        assert tensor.dtype == torch.float64
        assert tensor[tuple(index)].item() == parameters[name].data  # the same weights, exactly
        assert tensor.grad[tuple(index)].item() == pytest.approx(
            parameters[name].grad, abs=1e-12, rel=1e-12
        )
    assert len(torch_names(model)) == len(parameters)  # every parameter compared


def test_the_layers_are_linear_and_activation_modules():
    net = MLP(2, [3, 2], "tanh", "sigmoid", seed=0).to_torch()
    assert [type(m).__name__ for m in net] == ["Linear", "Tanh", "Linear", "Sigmoid"]
    assert [(m.in_features, m.out_features) for m in net[::2]] == [(2, 3), (3, 2)]
    assert MLP(2, [3, 1], seed=0).to_torch(torch.float32)[0].weight.dtype == torch.float32


@pytest.mark.parametrize("nouts, activation, output_activation", ARCHITECTURES)
def test_from_torch_gives_back_the_same_model(nouts, activation, output_activation):
    model = MLP(2, nouts, activation, output_activation, seed=5)
    back = from_torch(model.to_torch())
    assert back.architecture() == model.architecture()
    assert back.state_dict() == model.state_dict()


def test_from_torch_reads_a_network_built_in_pytorch():
    torch.manual_seed(0)
    net = torch.nn.Sequential(
        torch.nn.Linear(3, 4), torch.nn.ReLU(), torch.nn.Linear(4, 2), torch.nn.Identity()
    )
    model = from_torch(net)
    assert model.architecture() == {
        "type": "MLP",
        "nin": 3,
        "nouts": [4, 2],
        "activation": "relu",
        "output_activation": "linear",
    }
    x = [0.3, -1.2, 2.0]
    expected = net(torch.tensor([x])).double()[0].tolist()  # float32 weights, read exactly
    assert [v.data for v in model(x)] == pytest.approx(expected, rel=1e-6)


@pytest.mark.parametrize(
    "make, error, message",
    [
        (lambda: torch.nn.Linear(2, 1), TypeError, "an nn.Sequential of Linear"),
        (lambda: torch.nn.Sequential(torch.nn.Conv1d(1, 1, 1)), TypeError, "layer 0 is Conv1d"),
        (lambda: torch.nn.Sequential(torch.nn.ReLU()), ValueError, "must follow a Linear"),
        (lambda: torch.nn.Sequential(), ValueError, "at least one Linear"),
        (
            lambda: torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.Linear(4, 1)),
            ValueError,
            "layer 1 takes 4 inputs, but the layer before gives 3",
        ),
        (
            lambda: torch.nn.Sequential(torch.nn.Linear(2, 3, bias=False)),
            ValueError,
            "without a bias",
        ),
        (
            lambda: torch.nn.Sequential(
                torch.nn.Linear(2, 3),
                torch.nn.ReLU(),
                torch.nn.Linear(3, 3),
                torch.nn.Tanh(),
                torch.nn.Linear(3, 1),
            ),
            ValueError,
            "share one activation; this module's use relu, tanh",
        ),
        (
            lambda: torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.ReLU(), torch.nn.Tanh()),
            ValueError,
            "layer 2 \\(Tanh\\) must follow a Linear",
        ),
    ],
)
def test_from_torch_refuses_what_an_mlp_cannot_be(make, error, message):
    with pytest.raises(error, match=message):
        from_torch(make())


def test_importing_tinygrad_edu_does_not_import_torch():
    code = "import sys, tinygrad_edu; print('torch' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "False", result.stderr


def test_to_torch_leaves_torchs_random_generator_alone():
    torch = pytest.importorskip("torch")
    model = MLP(2, [3, 1], seed=0)
    torch.manual_seed(0)
    expected = torch.rand(1)
    torch.manual_seed(0)
    model.to_torch()
    assert torch.equal(torch.rand(1), expected)
