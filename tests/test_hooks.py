"""Value.register_hook: called once per pass with the node's complete gradient, removable."""

import sys

import pytest

from tinygrad_edu import Value, explain
from tinygrad_edu.engine import Hooked


def reused_graph():
    """c = (a + a) * (a * b): a feeds three edges, so its gradient arrives in shares."""
    a, b = Value(3.0, "a"), Value(-2.0, "b")
    c = (a + a) * (a * b)
    return a, b, c


def test_hook_is_called_once_with_the_complete_gradient():
    a, b, c = reused_graph()
    seen = []
    a.register_hook(seen.append)
    c.backward()
    # c = 2a·ab = 2a²b, dc/da = 4ab = -24 (three shares: 2·(ab)·... summed)
    assert seen == [pytest.approx(4 * 3.0 * -2.0)]
    assert a.grad == pytest.approx(-24.0)


def test_hook_sees_the_gradient_after_all_shares_arrived():
    a, b, c = reused_graph()
    grad_when_called = []
    a.register_hook(lambda g: grad_when_called.append((g, a.grad)))
    c.backward()
    ((g, held),) = grad_when_called
    assert g == pytest.approx(-24.0)
    assert held == pytest.approx(-24.0)  # nothing was still missing from a.grad


def test_hook_on_an_inner_node_and_on_the_root():
    x = Value(0.5, "x")
    n = x * 4.0
    y = n.tanh()
    got = {}
    n.register_hook(lambda g: got.setdefault("n", g))
    y.register_hook(lambda g: got.setdefault("y", g))
    y.backward()
    t = y.data
    assert got == {"y": 1.0, "n": pytest.approx(1 - t * t)}


def test_a_leaf_hook_gets_this_pass_gradient_not_the_accumulated_one():
    a, b, c = reused_graph()
    seen = []
    a.register_hook(seen.append)
    c.backward()
    c.backward()
    assert seen == [pytest.approx(-24.0), pytest.approx(-24.0)]
    assert a.grad == pytest.approx(-48.0)  # the leaf accumulates, the hook does not


def test_hooks_fire_in_backward_steps_too_once_per_pass():
    a, b, c = reused_graph()
    steps_taken = []
    fired_after = []
    a.register_hook(lambda g: fired_after.append((len(steps_taken), g)))
    for step in c.backward_steps():
        steps_taken.append(step)
    last_into_a = max(i for i, s in enumerate(steps_taken) if s.input is a)
    assert fired_after == [(len(steps_taken), pytest.approx(-24.0))]
    assert last_into_a < len(steps_taken)
    assert steps_taken[last_into_a].total == pytest.approx(-24.0)


def test_remove_detaches_the_hook():
    a, b, c = reused_graph()
    seen = []
    handle = a.register_hook(seen.append)
    c.backward()
    handle.remove()
    c.backward()
    assert len(seen) == 1
    handle.remove()  # removing twice is harmless


def test_removing_one_handle_keeps_the_other_registration_of_the_same_function():
    a, b, c = reused_graph()
    seen = []
    first = a.register_hook(seen.append)
    a.register_hook(seen.append)
    first.remove()
    first.remove()
    c.backward()
    assert seen == [pytest.approx(-24.0)]


def test_several_hooks_run_in_registration_order_and_may_remove_themselves():
    x = Value(2.0, "x")
    y = x * x
    calls = []
    handle = x.register_hook(lambda g: (calls.append("first"), handle.remove()))
    x.register_hook(lambda g: calls.append("second"))
    y.backward()
    y.backward()
    assert calls == ["first", "second", "second"]


def test_the_breakpoint_recipe_pauses_at_the_chosen_node(monkeypatch):
    """The README's recipe: v.register_hook(lambda g: breakpoint())."""
    paused_with = []
    x = Value(1.5, "x")
    n = x * 2.0
    loss = n**2
    monkeypatch.setattr(sys, "breakpointhook", lambda: paused_with.append(n.grad))
    n.register_hook(lambda g: breakpoint())
    loss.backward()
    assert paused_with == [pytest.approx(2 * 3.0)]  # n's gradient is complete at the pause


def test_register_hook_refuses_something_not_callable():
    with pytest.raises(TypeError, match="callable"):
        Value(1.0).register_hook(42)


def test_a_failing_hook_in_backward_steps_leaves_the_leaves_as_they_were():
    a, b, c = reused_graph()
    a.grad, b.grad = 5.0, 7.0

    def fail(grad):
        raise RuntimeError("stop here")

    c.register_hook(fail)
    with pytest.raises(RuntimeError, match="stop here"):
        list(c.backward_steps())
    assert (a.grad, b.grad) == (5.0, 7.0)


def test_a_hooked_node_keeps_its_op_and_gets_it_back_as_a_plain_str():
    x = Value(2.0)
    y = x * x
    handle = y.register_hook(lambda g: None)
    assert y.op == "*" and type(y.op) is str
    handle.remove()
    assert y.op == "*" and type(y._operation) is not Hooked
    with pytest.raises(AttributeError):
        y.op = "+"  # a node's operation is a fact about how it was made


def test_hooks_see_the_same_gradients_in_backward_and_in_backward_steps():
    def run(passes):
        a, b, c = reused_graph()
        a.grad, b.grad = 100.0, 200.0  # from earlier passes
        seen = []
        c.register_hook(lambda g: seen.append((a.grad, b.grad)))
        a.register_hook(lambda g: seen.append((a.grad, b.grad)))
        passes(c)
        return seen, (a.grad, b.grad)

    by_backward = run(lambda c: c.backward())
    by_steps = run(lambda c: list(c.backward_steps()))
    assert by_backward == by_steps
    (at_root, at_a), after = by_backward[0], by_backward[1]
    assert at_root == (0.0, 0.0)  # this pass's gradients only, while it runs
    assert at_a == (pytest.approx(-24.0), pytest.approx(18.0))
    assert after == (pytest.approx(100.0 - 24.0), pytest.approx(200.0 + 18.0))


def test_stopping_backward_steps_early_leaves_the_leaves_as_they_were():
    a, b, c = reused_graph()
    a.grad = 5.0
    steps = c.backward_steps()
    next(steps)
    steps.close()
    assert (a.grad, b.grad) == (5.0, 0.0)


def test_ctrl_c_in_a_hook_leaves_the_leaves_as_they_were():
    a, b, c = reused_graph()
    a.grad, b.grad = 10.0, 20.0

    def interrupt(grad):
        raise KeyboardInterrupt

    c.register_hook(interrupt)
    with pytest.raises(KeyboardInterrupt):
        c.backward()
    assert (a.grad, b.grad) == (10.0, 20.0)


def lecture_graph():
    """y = x·x + x·w at x = 2, w = 3: ∂y/∂x = 2x + w = 7, ∂y/∂w = x = 2."""
    x, w = Value(2.0, "x"), Value(3.0, "w")
    y = x * x + x * w
    y.label = "y"
    return x, w, y


def test_a_second_pass_from_a_hook_is_refused_and_says_how_to_look_ahead():
    x, w, y = lecture_graph()
    y.register_hook(lambda g: y.backward())
    with pytest.raises(RuntimeError, match=r"still under way.*explain\(root\)"):
        y.backward()
    assert (x.grad, w.grad) == (0.0, 0.0)  # the refused pass left nothing behind


def test_explain_looks_ahead_from_a_hook_and_the_pass_goes_on_unchanged():
    x, w, y = lecture_graph()
    told = []
    y.register_hook(lambda g: told.append(explain(y)))
    y.backward()
    assert (x.grad, w.grad) == (7.0, 2.0)
    assert "d(y)/d(x) = 3.0 + 2.0 + 2.0 = 7.0" in told[0]


def test_explain_looks_ahead_while_backward_steps_is_paused():
    x, w, y = lecture_graph()
    steps = y.backward_steps()
    first = next(steps)
    during = {node: node.grad for node in (x, w, y)}
    text = explain(y)
    assert {node: node.grad for node in (x, w, y)} == during  # the look ahead touched nothing
    rest = list(steps)
    undisturbed = lecture_graph()[2].backward_steps()
    assert [repr(step) for step in [first, *rest]] == [repr(step) for step in undisturbed]
    assert (x.grad, w.grad) == (7.0, 2.0)
    assert "d(y)/d(x) = 3.0 + 2.0 + 2.0 = 7.0" in text  # told before the pass got there
