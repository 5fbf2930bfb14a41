"""The network explorers of the classroom notebooks, built as the notebooks build them.

nb02 (``02_seeing_backpropagation.py``) explores one sample's squared error through
``MLP(2, [3, 1])``; nb03 (``03_sigmoid_neurons_and_xor.py``) trains ``MLP(2, [4, 1])`` of
sigmoids on XOR for 1,000 epochs and explores the error of the example (1, 0).
"""

from tinygrad_edu import MLP, explore, make_xor, mse


def nb02_loss():
    """Section 5 of nb02: the model and ``(model([0.5, -1.0]) - 1.0) ** 2``, labelled ``loss``."""
    model = MLP(2, [3, 1], activation="tanh", seed=0)
    loss = (model([0.5, -1.0]) - 1.0) ** 2
    loss.label = "loss"
    return model, loss


def nb03_loss():
    """Section 6 of nb03: the trained XOR network and its ``mse([model([1.0, 0.0])], [1.0])``."""
    X, labels = make_xor(4, shuffle=False)
    model = MLP(2, [4, 1], activation="sigmoid", output_activation="sigmoid", seed=0)
    for _ in range(1000):
        error = mse([model(x) for x in X], labels)
        model.zero_grad()
        error.backward()
        for p in model.parameters():
            p.data -= 2.0 * p.grad
    return model, mse([model([1.0, 0.0])], [1.0])


NOTEBOOK_LOSSES = {"nb02": nb02_loss, "nb03": nb03_loss}


def notebook_explorer(name: str):
    """That notebook's model, its loss, and the loss's network explorer (as the notebook shows it,
    ``_repr_html_``, it is the output of ``explore(loss)``)."""
    model, loss = NOTEBOOK_LOSSES[name]()
    explorer = explore(loss)
    assert explorer.view == "network"
    return model, loss, explorer
