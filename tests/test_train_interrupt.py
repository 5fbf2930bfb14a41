"""Ctrl-C during fit: training stops cleanly, and fit returns the History so far."""

import signal
import threading

import pytest

from tinygrad_edu import MLP, SGD, fit, make_moons
from tinygrad_edu.optim import Optimizer

X, Y = make_moons(12, noise=0.1, seed=0)


def weights(model):
    return [p.data for p in model.parameters()]


def trained(epochs):
    """The weights after ``epochs`` uninterrupted epochs, to compare an interrupted run with."""
    model = MLP(2, [4, 1], seed=0)
    fit(model, X, Y, epochs=epochs, progress=False)
    return weights(model)


def interrupt_on_pass(model, number, action):
    """Call ``action()`` from the backward pass of step ``number`` (counting from 1).

    A hook on a parameter runs in every step's backward pass, as soon as that
    parameter's gradient is complete: there the step is half done.
    """
    passes = []

    def hook(grad):
        passes.append(grad)
        if len(passes) == number:
            action()

    model.parameters()[0].register_hook(hook)


def test_a_keyboard_interrupt_inside_a_step_abandons_that_step(capsys):
    model = MLP(2, [4, 1], seed=0)

    def stop():
        raise KeyboardInterrupt

    interrupt_on_pass(model, 3, stop)
    history = fit(model, X, Y, epochs=50)
    assert history.interrupted
    assert len(history.loss) == len(history.accuracy) == 2
    assert weights(model) == trained(2)  # the third step never moved a weight
    err = capsys.readouterr().err
    assert err == "training interrupted (Ctrl-C) after 2 of 50 epochs\n"  # one line, no summary


def test_ctrl_c_lets_the_step_in_progress_finish_then_stops():
    model = MLP(2, [4, 1], seed=0)
    interrupt_on_pass(model, 3, lambda: signal.raise_signal(signal.SIGINT))  # a real Ctrl-C
    history = fit(model, X, Y, epochs=50, progress=False)
    assert history.interrupted and len(history.loss) == 3  # the third step was completed
    assert weights(model) == trained(3)
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # Python's again


def test_a_second_ctrl_c_stops_at_once():
    model = MLP(2, [4, 1], seed=0)

    def press_twice():
        signal.raise_signal(signal.SIGINT)  # asks for a stop after this step
        signal.raise_signal(signal.SIGINT)  # KeyboardInterrupt now, in the backward pass

    interrupt_on_pass(model, 3, press_twice)
    history = fit(model, X, Y, epochs=50, progress=False)
    assert history.interrupted and len(history.loss) == 2
    assert weights(model) == trained(2)
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


class HalfwayInterrupted(SGD):
    """An SGD whose third update is interrupted after moving half of the parameters."""

    calls = 0

    def step(self):
        self.calls += 1
        if self.calls < 3:
            return super().step()
        for p in self.params[: len(self.params) // 2]:
            p.data -= 1.0
        raise KeyboardInterrupt


def test_an_update_interrupted_half_way_is_undone():
    model = MLP(2, [4, 1], seed=0)
    reference = MLP(2, [4, 1], seed=0)
    fit(reference, X, Y, optimizer=SGD(reference.parameters(), lr=0.1), epochs=2, progress=False)
    optimizer = HalfwayInterrupted(model.parameters(), lr=0.1)
    history = fit(model, X, Y, optimizer=optimizer, epochs=50, progress=False)
    assert history.interrupted and len(history.loss) == 2
    assert weights(model) == weights(reference)  # every parameter as after step 2


def test_an_interrupted_minibatch_epoch_says_how_many_of_its_steps_were_done(capsys):
    model = MLP(2, [4, 1], seed=0)
    interrupt_on_pass(model, 5, lambda: signal.raise_signal(signal.SIGINT))
    history = fit(model, X, Y, epochs=50, batch_size=4)  # 3 steps an epoch
    assert len(history.loss) == 1  # epoch 2 had done 2 of its 3 steps
    assert capsys.readouterr().err == (
        "training interrupted (Ctrl-C) after 1 of 50 epochs and 2 steps of the next\n"
    )


def test_outside_the_main_thread_an_interrupt_is_still_caught():
    model = MLP(2, [4, 1], seed=0)

    def stop():
        raise KeyboardInterrupt

    interrupt_on_pass(model, 2, stop)
    results = []
    thread = threading.Thread(target=lambda: results.append(fit(model, X, Y, progress=False)))
    thread.start()
    thread.join()
    assert results[0].interrupted and len(results[0].loss) == 1


def test_a_program_with_its_own_ctrl_c_handler_keeps_it():
    seen = []

    def own_handler(signal_number, frame):
        seen.append(signal_number)

    previous = signal.signal(signal.SIGINT, own_handler)
    try:
        model = MLP(2, [4, 1], seed=0)
        interrupt_on_pass(model, 2, lambda: signal.raise_signal(signal.SIGINT))
        history = fit(model, X, Y, epochs=3, progress=False)
        assert seen == [signal.SIGINT] and not history.interrupted  # the program's choice
        assert signal.getsignal(signal.SIGINT) is own_handler
    finally:
        signal.signal(signal.SIGINT, previous)


def test_other_errors_are_not_swallowed():
    class Broken(Optimizer):
        def step(self):
            raise RuntimeError("broken optimizer")

    model = MLP(2, [4, 1], seed=0)
    with pytest.raises(RuntimeError, match="broken optimizer"):
        fit(model, X, Y, optimizer=Broken(model.parameters(), lr=0.1), progress=False)
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
