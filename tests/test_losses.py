"""Losses: values by hand, gradients against central differences and PyTorch, and bad input."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tinygrad_edu import (
    Value,
    binary_cross_entropy,
    cross_entropy,
    hinge,
    mse,
    softmax,
    topological_order,
)
from tinygrad_edu.functional import gradcheck
from tinygrad_edu.losses import mean

reals = st.floats(-3, 3, allow_nan=False)
probabilities = st.floats(0.02, 0.98)


def test_mse_by_hand():
    assert mse([Value(1.0), 3.0], [0.0, 1.0]).data == pytest.approx((1 + 4) / 2)
    p = Value(0.25)
    mse([p], [1.0]).backward()
    assert p.grad == pytest.approx(2 * (0.25 - 1.0))


def test_hinge_by_hand():
    s1, s2, s3 = Value(0.5), Value(-2.0), Value(3.0)
    loss = hinge([s1, s2, s3], [1, 1, -1])
    assert loss.data == pytest.approx((0.5 + 3.0 + 4.0) / 3)
    loss.backward()
    assert (s1.grad, s2.grad, s3.grad) == pytest.approx((-1 / 3, -1 / 3, 1 / 3))
    far = Value(2.0)
    hinge([far], [1]).backward()  # beyond the margin: no loss, no gradient
    assert far.grad == 0.0


def test_bce_by_hand():
    p = Value(0.8)
    loss = binary_cross_entropy([p, 0.3], [1, 0])
    assert loss.data == pytest.approx(-(math.log(0.8) + math.log(0.7)) / 2)
    loss.backward()
    assert p.grad == pytest.approx((0.8 - 1) / (0.8 * 0.2) / 2)


def test_bce_is_finite_at_0_and_1():
    for p, t in [(0.0, 1), (1.0, 0), (1e-300, 1), (1 - 1e-17, 0)]:
        v = Value(p)
        loss = binary_cross_entropy([v], [t])
        loss.backward()
        assert math.isfinite(loss.data) and loss.data == pytest.approx(-math.log(1e-12), rel=1e-3)
        assert math.isfinite(v.grad) and v.grad != 0.0
    for p, t in [(0.0, 0), (1.0, 1)]:  # right and sure: (almost) no loss
        assert binary_cross_entropy([p], [t]).data == pytest.approx(0.0, abs=1e-11)


def test_softmax_by_hand_and_stable_for_large_values():
    probs = softmax([Value(1.0), 2.0, 3.0])
    e = [math.exp(k) for k in (1, 2, 3)]
    assert [p.data for p in probs] == pytest.approx([k / sum(e) for k in e])
    big = softmax([1000.0, 1000.0, -1000.0])
    assert [p.data for p in big] == pytest.approx([0.5, 0.5, 0.0])


def test_cross_entropy_by_hand_and_stable_for_large_logits():
    z = [Value(1.0), Value(2.0), Value(0.5)]
    loss = cross_entropy(z, 1)
    total = sum(math.exp(v.data) for v in z)
    assert loss.data == pytest.approx(-math.log(math.exp(2.0) / total))
    loss.backward()
    expected = [math.exp(v.data) / total - (i == 1) for i, v in enumerate(z)]
    assert [v.grad for v in z] == pytest.approx(expected)
    assert cross_entropy([1000.0, 0.0], 1).data == pytest.approx(1000.0)
    assert cross_entropy([1000.0, 0.0], 0).data == pytest.approx(0.0)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(reals, reals), min_size=1, max_size=4))
def test_mse_gradient_matches_central_differences(pairs):
    targets = [t for _, t in pairs]
    assert gradcheck(lambda *p: mse(list(p), targets), [p for p, _ in pairs])


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(reals, st.sampled_from([-1, 1])), min_size=1, max_size=4))
def test_hinge_gradient_matches_central_differences(pairs):
    scores = [s for s, _ in pairs]
    targets = [y for _, y in pairs]
    if any(abs(1 - y * s) < 1e-3 for s, y in pairs):  # the kink has no derivative
        return
    assert gradcheck(lambda *s: hinge(list(s), targets), scores)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(probabilities, st.sampled_from([0, 1, 0.25])), min_size=1, max_size=4))
def test_bce_gradient_matches_central_differences(pairs):
    targets = [t for _, t in pairs]
    assert gradcheck(lambda *p: binary_cross_entropy(list(p), targets), [p for p, _ in pairs])


@settings(max_examples=30, deadline=None)
@given(st.lists(reals, min_size=2, max_size=5), st.data())
def test_softmax_and_cross_entropy_gradients_match_central_differences(logits, data):
    target = data.draw(st.integers(0, len(logits) - 1))
    weights = [0.3 * (i + 1) for i in range(len(logits))]
    assert gradcheck(lambda *z: cross_entropy(list(z), target), logits)
    assert gradcheck(
        lambda *z: sum((w * p for w, p in zip(weights, softmax(list(z)))), Value(0.0)), logits
    )


def test_losses_match_pytorch():
    torch = pytest.importorskip("torch")
    F = torch.nn.functional
    cases = [
        (mse, [0.3, -1.2, 2.0], [1.0, 0.0, 1.0], lambda p, t: F.mse_loss(p, t)),
        (
            binary_cross_entropy,
            [0.3, 0.9, 0.05],
            [1.0, 0.0, 0.0],
            lambda p, t: F.binary_cross_entropy(p, t),
        ),
        (hinge, [0.3, -1.2, 2.0], [1, -1, -1], lambda s, y: torch.relu(1 - y * s).mean()),
    ]
    for ours, inputs, targets, theirs in cases:
        values = [Value(x) for x in inputs]
        loss = ours(values, targets)
        loss.backward()
        t_in = torch.tensor(inputs, dtype=torch.float64, requires_grad=True)
        t_loss = theirs(t_in, torch.tensor(targets, dtype=torch.float64))
        t_loss.backward()
        assert loss.data == pytest.approx(t_loss.item(), rel=1e-12)
        assert [v.grad for v in values] == pytest.approx(t_in.grad.tolist(), rel=1e-12)
    logits = [2.0, -1.0, 0.5, 30.0]
    for target in range(4):
        values = [Value(z) for z in logits]
        loss = cross_entropy(values, target)
        loss.backward()
        t_in = torch.tensor([logits], dtype=torch.float64, requires_grad=True)
        t_loss = F.cross_entropy(t_in, torch.tensor([target]))
        t_loss.backward()
        assert loss.data == pytest.approx(t_loss.item(), rel=1e-12)
        assert [v.grad for v in values] == pytest.approx(t_in.grad[0].tolist(), rel=1e-9, abs=1e-15)
    probs = softmax([Value(z) for z in logits])
    expected = torch.softmax(torch.tensor(logits, dtype=torch.float64), 0).tolist()
    assert [p.data for p in probs] == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: mse([1.0, 2.0], [1.0]), "one target per prediction: got 2 predictions and 1"),
        (lambda: mse([], []), "at least one prediction"),
        (lambda: hinge([1.0, 2.0], [1, 0]), "targets -1 or \\+1, got 0"),
        (lambda: hinge([1.0], [True]), "targets -1 or \\+1, got True"),
        (lambda: binary_cross_entropy([1.5], [1]), "probabilities in \\[0, 1\\], got 1.5"),
        (lambda: binary_cross_entropy([0.5], [2]), "targets in \\[0, 1\\], got 2"),
        (lambda: cross_entropy([1.0, 2.0], 2), "class index from 0 to 1, got 2"),
        (lambda: cross_entropy([1.0, 2.0], 1.0), "class index from 0 to 1, got 1.0"),
        (lambda: cross_entropy([1.0, math.inf], 0), "finite logits"),
        (lambda: softmax([]), "at least one value"),
        (lambda: softmax([math.inf, 0.0]), "softmax needs finite values, got inf"),
        (lambda: softmax([0.0, math.nan]), "softmax needs finite values, got nan"),
        (lambda: cross_entropy([0.0, math.nan], 0), "finite logits, got nan"),
        (lambda: cross_entropy([math.nan, 0.0], 1), "finite logits, got nan"),
        (lambda: cross_entropy([], 0), "at least one logit"),
        (lambda: hinge([math.nan], [1]), "hinge needs finite scores, got nan"),
        (lambda: binary_cross_entropy([0.5], [math.nan]), "targets in \\[0, 1\\], got nan"),
        (lambda: mean([]), "at least one term"),
    ],
)
def test_bad_input_is_a_clear_error(call, message):
    with pytest.raises(ValueError, match=message):
        call()


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: mse(Value(0.3), 1.0), "mse expects a list of predictions, got Value"),
        (lambda: mse([Value(0.3)], 1.0), "mse expects a list of targets, got float"),
        (lambda: hinge(0.5, [1]), "hinge expects a list of scores, got float"),
        (
            lambda: binary_cross_entropy(Value(0.5), [1]),
            "binary_cross_entropy expects a list of probabilities, got Value",
        ),
    ],
)
def test_one_sample_instead_of_a_list_says_how_to_pass_it(call, message):
    with pytest.raises(TypeError, match=message) as error:
        call()
    assert "for one sample use" in str(error.value) and "([y], [t])" in str(error.value)


def test_a_target_that_is_not_a_number_is_a_type_error():
    with pytest.raises(TypeError, match="binary_cross_entropy needs numbers as targets, got str"):
        binary_cross_entropy([0.5], ["1"])


def test_mean_of_values_and_its_gradient():
    terms = [Value(1.0), Value(2.0), Value(6.0)]
    m = mean(terms)
    m.backward()
    assert m.data == 3.0
    assert [t.grad for t in terms] == pytest.approx([1 / 3] * 3)


def test_mean_adds_no_node_for_the_count():
    one = Value(0.7)
    assert mean([one]) is one  # the mean of one term is that term
    predictions = [Value(0.3), Value(0.8), Value(-0.1)]
    loss = mse(predictions, [1.0, 0.0, 0.5])
    leaves = [v for v in topological_order(loss) if not v.inputs]
    constants = [v.data for v in leaves if v not in predictions]
    assert constants == [1.0, 0.0, 0.5, 1 / 3]  # the targets and the scale 1/n, no count 3
    assert loss.op == "*" and loss.data == pytest.approx((0.49 + 0.64 + 0.36) / 3)
