"""The network view's card: each step of the network's passes as the chain rule in short names.

Names (the key the page shows with them): ``x[i]`` the inputs; ``w[l][j,i]``
the weight by which neuron j of layer l multiplies its input i; ``b[l][j]``
its bias; ``z[l][j] = Σᵢ w[l][j,i]·a[l-1][i] + b[l][j]`` its weighted sum;
``a[l][j] = act(z[l][j])`` its output (``a[0][i]`` is ``x[i]``); ``L`` the
loss.  Every number is the walkthrough's, so the card shows what ``forward``
and ``backward()`` compute.  A name with spaces in it (the loss's
``(a[3][0] - 1.0)``, a sum ``Σᵢ w[2][1,i]·a[1][i]``) and an aside such as
``(i = 0…3)`` are each written ``unbroken``: the card never splits one across lines.
"""

from __future__ import annotations

from ..draw.network import Network, NetworkNeuron, NetworkStep
from ..draw.network_picture import DENSE, NetworkPicture
from ..draw.style import number
from ..engine import Value
from ..walkthrough import derivative_rule
from .page import unbroken

TERMS_SHOWN = 4  # a sum of more terms is written with its first two and its last one
TAIL_LINES = 5  # the loss's backward step lists at most this many of its edges

KEY_DENSE = ("a small circle", "a (blue) over ∂L/∂z (orange)")  # when a layer is large
KEY = [
    ("x[i]", "input i"),
    ("w[l][j,i]", "the weight by which neuron j of layer l multiplies its input i"),
    ("b[l][j]", "that neuron's bias"),
    ("z[l][j]", f"its weighted sum, {unbroken('Σᵢ w[l][j,i]·a[l-1][i]')} + b[l][j]"),
    ("a[l][j]", "its output act(z[l][j]); a[0][i] is x[i]"),
    ("∂a, ∂z", "in a neuron's circle: ∂L/∂a and ∂L/∂z"),
    ("∂ on an edge", "that weight's ∂L/∂w"),
]

SLOPES = {  # act′(z), written with the neuron's names
    "tanh": "1 - a²",
    "sigmoid": unbroken("a·(1 - a)"),
    "relu": "1 if z > 0 else 0",
}


def _times(factor: float, other: float) -> str:
    return f"{_operand(factor)}·{_operand(other)}"


def _operand(x: float) -> str:
    text = number(x)
    return f"({text})" if text.startswith("-") else text


def _aside(text: str) -> str:
    """``(text)``, one word of the card."""
    return unbroken(f"({text})")


def _sum(terms: list[str], limit: int = TERMS_SHOWN) -> str:
    """``t0 + t1 + t2``, or ``t0 + t1 + … + t9`` when there are more than ``limit``."""
    if len(terms) > limit:
        terms = [*terms[:2], "…", terms[-1]]
    return " + ".join(terms)


def network_view(network: Network, pictures: list[NetworkPicture]) -> tuple[dict, list[str]]:
    """The page's data for the network view, and the SVG of each of its layouts."""
    steps = network.steps()
    cards = [_card(network, step) for step in steps]
    data = {
        "kind": "network",
        "steps": [
            {"phase": step.phase, "lines": lines, "detail": detail}
            for step, (lines, detail) in zip(steps, cards)
        ],
        "neurons": {
            f"{n.layer}.{n.index}": {
                "name": n.a_name,
                "forward": steps.index(NetworkStep("forward", "neuron", n)),
                "backward": steps.index(NetworkStep("backward", "neuron", n)),
            }
            for n in network.neurons
        },
        "key": KEY + ([KEY_DENSE] if pictures[0].look is DENSE else []),
    }
    return data, [p.svg_text for p in pictures]


def root_formula(network: Network) -> str:
    """``L = (a[2][0] - 1.0)**2 = 1.59``, or ``a[2][0] = 0.43`` for a network without a loss."""
    root = network.walk.root
    made = f" = {_expression(network, root, False)}" if network.tail else ""
    return f"{network.root_name}{made} = {number(root.data)}"


def _card(network: Network, step: NetworkStep) -> tuple[list[str], str]:
    if step.kind == "inputs":
        shown = ",  ".join(f"x[{i}] = {number(x.data)}" for i, x in enumerate(network.inputs))
        return [shown], (
            "The forward pass starts at the inputs. Layer by layer, each neuron then computes "
            "its weighted sum z and its output a."
        )
    if step.kind == "neuron" and step.phase == "forward":
        return _forward_neuron(network, step.neuron)
    if step.kind == "loss" and step.phase == "forward":
        root = network.walk.root
        return [
            f"L = {_expression(network, root, False)}",
            f"  = {_expression(network, root, True)} = {number(root.data)}",
        ], ("The loss compares the network's output with the target: the forward pass ends here.")
    if step.kind == "start":
        top = network.root_name
        return [f"∂{top}/∂{top} = 1"], (
            f"The backward pass starts at {top} and goes the other way: from the output layer "
            "back to the first, each neuron in three lines of the chain rule."
        )
    if step.kind == "loss":
        return _backward_loss(network)
    return _backward_neuron(network, step.neuron)


def _forward_neuron(network: Network, n: NetworkNeuron) -> tuple[list[str], str]:
    names = [network.source_name(s) for s in n.sources]
    symbols = [f"{n.weight_name(i)}·{name}" for i, name in enumerate(names)]
    numbers = [_times(w.data, s.data) for w, s in zip(n.weights, n.sources)]
    if n.bias is not None:
        symbols.append(n.bias_name)
        numbers.append(_operand(n.bias.data))
    limit = TERMS_SHOWN + (n.bias is not None)
    if len(symbols) > limit:
        last = n.layer - 1
        inputs = "x[i]" if last == 0 else f"a[{last}][i]"
        symbols = [unbroken(f"Σᵢ w[{n.layer}][{n.index},i]·{inputs}")] + symbols[len(n.sources) :]
    z = number(n.z.data)
    lines = [f"{n.z_name} = {' + '.join(symbols)}", f"  = {_sum(numbers, limit)} = {z}"]
    if n.activation == "linear":
        linear = _aside("linear: no activation")
        lines.append(f"{n.a_name} = {n.z_name} = {number(n.a.data)}  {linear}")
    else:
        act = n.activation
        lines.append(
            f"{n.a_name} = {act}({n.z_name}) = {act}({number(n.z.data)}) = {number(n.a.data)}"
        )
    where = n.neuron.prefix.rstrip(".") or "a Neuron"
    return lines, (
        f"Neuron {n.index} of layer {n.layer} ({where}) weighs its {len(n.sources)} inputs, "
        f"adds its bias and applies {n.activation}. Click it to see its node-level graph."
    )


def _expression(network: Network, node: Value, with_numbers: bool, depth: int = 0) -> str:
    """The loss as a formula of the outputs: ``(a[2][0] - 1.0)**2``, or with their values."""
    outputs = {n.a: n for n in network.neurons}
    if node in outputs and node is not network.walk.root:
        return number(node.data) if with_numbers else outputs[node].a_name
    if not node.inputs:
        return node.label if node.label and not with_numbers else _operand(node.data)
    parts = [_expression(network, inp, with_numbers, depth + 1) for inp in node.inputs]
    if len(parts) == 2:
        text = f"{parts[0]} {node.op} {parts[1]}"
    elif node.op.startswith("**"):
        bare = " " not in parts[0] or parts[0].startswith("(")
        return f"{parts[0]}{node.op}" if bare else f"({parts[0]}){node.op}"
    elif node.op == "neg":
        text = f"-{parts[0]}"
    else:
        return f"{node.op}({parts[0]})"
    return _aside(text) if depth else text


def _backward_loss(network: Network) -> tuple[list[str], str]:
    """The chain rule through the loss's own operations, back to each output."""
    walk, top = network.walk, network.root_name
    outputs = {n.a: n.a_name for n in network.neurons}

    def name(node: Value) -> str:
        if node is walk.root:
            return top
        return outputs.get(node) or _aside(_expression(network, node, False))

    tail = set(network.tail)
    edges = [s for s in walk.steps if s.output in tail and (s.input.inputs or s.input in outputs)]
    lines = [
        f"∂{top}/∂{name(s.input)} += ∂{top}/∂{name(s.output)}·{_operand(s.local_grad)} = "
        f"{_times(s.upstream, s.local_grad)} = {number(s.contribution)}"
        for s in edges[:TAIL_LINES]
    ]
    if len(edges) > TAIL_LINES:
        lines.append(f"… and {len(edges) - TAIL_LINES} more edges of the loss")
    lines += [f"∂{top}/∂{n.a_name} = {number(walk.grads[n.a])}" for n in network.outputs]
    return lines, (
        "The backward pass goes through the loss's own operations first, by the chain rule, "
        "to the gradient at each output of the network."
    )


def _backward_neuron(network: Network, n: NetworkNeuron) -> tuple[list[str], str]:
    walk, top = network.walk, network.root_name
    users = network.users_of(n)
    grad_a = number(walk.grads[n.a])
    if n.a is walk.root:
        first = f"∂{top}/∂{n.a_name} = 1  {_aside('the root')}"
    elif not users:
        first = f"∂{top}/∂{n.a_name} = {grad_a}  {_aside('from the loss')}"
    else:
        symbols = [f"∂{top}/∂{m.z_name}·{m.weight_name(i)}" for m, i in users]
        numbers = [_times(walk.grads[m.z], m.weights[i].data) for m, i in users]
        if n.a in {inp for node in network.tail for inp in node.inputs}:
            symbols.append(_aside("from the loss"))
            direct = sum(
                s.contribution
                for s in walk.steps
                if s.input is n.a and s.output in set(network.tail)
            )
            numbers.append(_operand(direct))
        if len(symbols) > TERMS_SHOWN:
            above = n.layer + 1
            symbols = [unbroken(f"Σₖ ∂{top}/∂z[{above}][k]·w[{above}][k,{n.index}]")]
        first = f"∂{top}/∂{n.a_name} = {' + '.join(symbols)} = {_sum(numbers)} = {grad_a}"
    if n.activation == "linear":
        grad_z = number(walk.grads[n.z])
        second = f"∂{top}/∂{n.z_name} = ∂{top}/∂{n.a_name} = {grad_z}  {_aside('linear')}"
        rule = "A linear neuron's output is its sum: the gradient passes through unchanged."
    else:
        slope = n.a.local_grads[0]
        second = (
            f"∂{top}/∂{n.z_name} = ∂{top}/∂{n.a_name}·{n.activation}′({n.z_name}) = "
            f"{_times(walk.grads[n.a], slope)} = {number(walk.grads[n.z])}"
        )
        rule = (
            f"{n.activation}′(z) = {SLOPES.get(n.activation, derivative_rule(n.activation))}"
            f" = {number(slope)} here."
        )
    grads = [number(walk.grads[w]) for w in n.weights]
    last = n.layer - 1
    inputs = "x[i]" if last == 0 else f"a[{last}][i]"
    shown = grads if len(grads) <= TERMS_SHOWN else [*grads[:2], "…", grads[-1]]
    third = (
        f"∂{top}/∂w[{n.layer}][{n.index},i] = ∂{top}/∂{n.z_name}·{inputs} = {', '.join(shown)}"
        f"  {_aside(f'i = 0…{len(grads) - 1}')}"
        if len(grads) > 1
        else f"∂{top}/∂{n.weight_name(0)} = ∂{top}/∂{n.z_name}·{network.source_name(n.sources[0])}"
        f" = {grads[0]}"
    )
    lines = [first, second, third]
    if n.bias is not None:
        lines.append(f"∂{top}/∂{n.bias_name} = ∂{top}/∂{n.z_name} = {number(walk.grads[n.bias])}")
    return lines, (
        f"Neuron {n.position}: the gradient arrives at its output, passes through "
        f"{n.activation} to its sum ({rule}), and reaches each weight times the input it weighs, "
        "and the bias as it is."
    )
