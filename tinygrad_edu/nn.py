"""Neural networks built from Values: Module, Neuron, Layer, MLP; saving and loading them."""

from __future__ import annotations

import json
import math
import os
import random
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from .checks import is_number, is_whole
from .engine import Value
from .files import write_atomically

Number = int | float
Seed = int | random.Random | None
ACTIVATIONS = ("relu", "tanh", "sigmoid", "linear")
FILE_FORMAT = "tinygrad_edu.model"
FILE_VERSION = 1


class Module:
    """Something with parameters: it can list them, name them and zero their gradients.

    Parameters are found by walking the module's attributes in the order they
    were set: a Value, a Module, or a list of either. Their dotted names
    (``layers.0.neurons.1.w.2``) follow that walk, and each parameter's label is
    its dotted name from the outermost module: a module names what it holds when
    it is assigned to an attribute, and every ``named_parameters()`` walk renames
    it again (so a list filled in place after the assignment is named too).
    """

    _name = ""  # this module's dotted prefix inside the module that holds it ("" at the top)

    def __setattr__(self, attribute: str, held: Any) -> None:
        """Set the attribute; a Value or Module put there (or in a list there) gets its name."""
        object.__setattr__(self, attribute, held)
        if not attribute.startswith("_"):
            for name, child in _held(attribute, held):
                self._label(name, child)

    def _label(self, name: str, child: Value | Module) -> None:
        """Label a parameter, or name a module and everything inside it, as ``name`` in self."""
        if isinstance(child, Value):
            child.label = self._name + name
        else:
            child._name = f"{self._name}{name}."
            for inner, grandchild in child._children():
                child._label(inner, grandchild)

    def _children(self) -> Iterator[tuple[str, Value | Module]]:
        """The Values and Modules held directly, named by attribute (and list index)."""
        for attribute, held in vars(self).items():
            if not attribute.startswith("_"):
                yield from _held(attribute, held)

    def named_parameters(self) -> Iterator[tuple[str, Value]]:
        """Every parameter with its stable dotted name (relative to this module), in a fixed order.

        Walking also labels each parameter with its full dotted name.
        """
        for name, child in self._children():
            if isinstance(child, Value):
                child.label = self._name + name
                yield name, child
            else:
                child._name = f"{self._name}{name}."
                for inner, parameter in child.named_parameters():
                    yield f"{name}.{inner}", parameter

    def parameters(self) -> list[Value]:
        """Every parameter, in the order of ``named_parameters()``."""
        return [parameter for _, parameter in self.named_parameters()]

    def zero_grad(self) -> None:
        """Set every parameter's gradient to 0 (gradients accumulate otherwise)."""
        for parameter in self.parameters():
            parameter.grad = 0.0

    def state_dict(self) -> dict[str, float]:
        """Every parameter's value by its dotted name: ``{"layers.0.neurons.0.w.0": 0.31, ...}``."""
        return {name: parameter.data for name, parameter in self.named_parameters()}

    def load_state_dict(self, state: Mapping[str, float]) -> None:
        """Set every parameter from ``state`` (as made by ``state_dict()``), all or nothing.

        Raises:
            ValueError: a name is missing or unexpected, or a value is not a finite
                number; the parameters keep their old values.
        """
        checked = _check_state(state, [name for name, _ in self.named_parameters()])
        for name, parameter in self.named_parameters():
            parameter.data = checked[name]

    def architecture(self) -> dict[str, Any]:
        """What it takes to rebuild this module: its type and constructor arguments."""
        return {"type": type(self).__name__}

    def save(self, path: str | os.PathLike) -> None:
        """Write the architecture and every parameter to ``path`` as JSON, atomically.

        The file is written next to ``path`` under a temporary name and renamed
        over it only when complete, so a crash never leaves a half-written file.

        Raises:
            ValueError: a parameter is nan or infinite (JSON cannot hold it); nothing is written.
        """
        state = self.state_dict()
        for name, number in state.items():
            if not math.isfinite(number):
                raise ValueError(f"cannot save: parameter {name} is {number!r}")
        document = {
            "format": FILE_FORMAT,
            "version": FILE_VERSION,
            "architecture": self.architecture(),
            "parameters": state,
        }
        write_atomically(path, json.dumps(document, indent=1))

    def load(self, path: str | os.PathLike) -> None:
        """Set every parameter from a file written by ``save``, after checking all of it.

        Raises:
            FileNotFoundError: there is no such file.
            ValueError: the file is not a saved model (not UTF-8 text, not JSON,
                truncated, another format or version), holds another architecture,
                misses or adds parameter names, or holds a value that is not a finite
                number.
            In every case the model keeps its old weights.
        """
        try:
            with open(path, encoding="utf-8") as file:
                text = file.read()
        except FileNotFoundError:
            raise FileNotFoundError(f"no saved model at {os.fspath(path)!r}") from None
        except UnicodeDecodeError:
            raise ValueError(
                f"{os.fspath(path)!r} is not a saved model: not UTF-8 text (a binary file?)"
            ) from None
        try:
            document = json.loads(text)
        except json.JSONDecodeError as error:
            raise ValueError(
                f"{os.fspath(path)!r} is not a saved model: not valid JSON ({error})"
            ) from None
        if not isinstance(document, dict) or document.get("format") != FILE_FORMAT:
            raise ValueError(
                f"{os.fspath(path)!r} is not a saved model: expected a JSON object "
                f'with "format": "{FILE_FORMAT}"'
            )
        if document.get("version") != FILE_VERSION:
            raise ValueError(
                f"{os.fspath(path)!r} has format version {document.get('version')!r}; "
                f"this tinygrad_edu reads version {FILE_VERSION}"
            )
        expected = self.architecture()
        if document.get("architecture") != expected:
            raise ValueError(
                f"{os.fspath(path)!r} holds another architecture: "
                f"{document.get('architecture')!r}, expected {expected!r}"
            )
        self.load_state_dict(document.get("parameters"))

    def _extra_repr(self) -> str:
        """The arguments shown inside the parentheses of ``repr``."""
        return ""

    def __repr__(self) -> str:
        """Like PyTorch: the module's name, then each child module indented on its own line."""
        children = [
            f"  ({name}): " + repr(child).replace("\n", "\n  ")
            for name, child in self._children()
            if isinstance(child, Module)
        ]
        head = f"{type(self).__name__}({self._extra_repr()}"
        return head + ")" if not children else head + "\n" + "\n".join(children) + "\n)"


def _held(attribute: str, held: Any) -> Iterator[tuple[str, Value | Module]]:
    """What one attribute holds: a Value or Module by the attribute's name, list items by index."""
    if isinstance(held, list):
        for index, item in enumerate(held):
            if isinstance(item, Value | Module):
                yield f"{attribute}.{index}", item
    elif isinstance(held, Value | Module):
        yield attribute, held


def _rng(seed: Seed) -> random.Random:
    """A private generator: seeded ones repeat, and the global ``random`` is never touched."""
    return seed if isinstance(seed, random.Random) else random.Random(seed)


def _check_state(state: Any, names: list[str]) -> dict[str, float]:
    """``state`` as name -> float, once every name is known, present and a finite number."""
    if not isinstance(state, Mapping):
        raise ValueError(
            f"parameters must be a mapping of name -> number, got {type(state).__name__}"
        )
    missing = [name for name in names if name not in state]
    unexpected = sorted(set(state) - set(names), key=str)
    if missing or unexpected:
        raise ValueError(
            "parameter names do not match the model: "
            f"missing {_listed(missing)}, unexpected {_listed(unexpected)}"
        )
    checked = {}
    for name in names:
        number = state[name]
        if not is_number(number):
            raise ValueError(f"parameter {name} must be a number, got {number!r}")
        if not math.isfinite(number):
            raise ValueError(f"parameter {name} must be finite, got {number!r}")
        checked[name] = float(number)
    return checked


def _listed(names: list) -> str:
    shown = ", ".join(map(str, names[:5])) + (", ..." if len(names) > 5 else "")
    return f"{len(names)} ({shown})" if names else "none"


def _check_activation(activation: str) -> str:
    if activation not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {', '.join(ACTIVATIONS)}; got {activation!r}")
    return activation


class Parameter(Value):
    """A weight or the bias of a Neuron: a Value that knows whose it is.

    ``neuron`` is the Neuron that holds it and ``index`` the input its weight
    multiplies, wᵢ·xᵢ (``None`` for the bias b).  Pictures use this to find a
    model's neurons in a graph whatever the labels say; in every other way it is
    a Value.
    """

    __slots__ = ("_owner",)  # (the Neuron, the index): one slot more than a Value

    def __init__(self, data: Number, neuron: Neuron, index: int | None = None) -> None:
        super().__init__(data)
        self._owner = (neuron, index)

    @property
    def neuron(self) -> Neuron:
        """The Neuron that holds this parameter."""
        return self._owner[0]

    @property
    def index(self) -> int | None:
        """The input position i of the weight wᵢ; None for the bias."""
        return self._owner[1]


class Neuron(Module):
    """One neuron: out = activation(w·x + b).

    Weights start uniform in ±√(6/nin) for relu (He) and ±√(3/nin) otherwise
    (LeCun), so the weighted sum keeps a similar scale whatever the fan-in.  The
    bias starts uniform in ±1/√nin (as in PyTorch's ``Linear``): with every bias
    at 0, each first-layer ReLU would switch on along a line through the origin,
    and the network would have to move its biases before it could bend its
    boundary anywhere else.
    """

    def __init__(self, nin: int, activation: str = "relu", seed: Seed = None) -> None:
        if not is_whole(nin) or nin < 1:
            raise ValueError(f"a Neuron needs a whole number of inputs >= 1, got {nin!r}")
        self._activation = _check_activation(activation)
        rng = _rng(seed)
        bound = math.sqrt((6.0 if activation == "relu" else 3.0) / nin)
        self.w = [Parameter(rng.uniform(-bound, bound), self, i) for i in range(nin)]
        self.b = Parameter(rng.uniform(-1.0, 1.0) / math.sqrt(nin), self)

    @property
    def nin(self) -> int:
        """The number of inputs (one weight each)."""
        return len(self.w)

    @property
    def dotted_name(self) -> str:
        """Its name in the model that holds it, ``layers.0.neurons.1`` ("" on its own)."""
        return self._name.rstrip(".")

    @property
    def activation(self) -> str:
        """The name of the function applied to w·x + b: relu, tanh, sigmoid or linear."""
        return self._activation

    def architecture(self) -> dict[str, Any]:
        return {"type": "Neuron", "nin": self.nin, "activation": self.activation}

    def _extra_repr(self) -> str:
        return f"nin={self.nin}, activation={self.activation!r}"

    def __call__(self, x: Sequence[Value | Number]) -> Value:
        """activation(Σ wᵢ·xᵢ + b); the result is labelled ``<name>out``."""
        _check_inputs(x, len(self.w), "Neuron")
        z = self.b
        for wi, xi in zip(self.w, x):
            z = z + wi * xi
        out = z if self._activation == "linear" else getattr(z, self._activation)()
        if out is not z:
            z.label = f"{self._name}z"
        out.label = f"{self._name}out"
        return out


class Layer(Module):
    """``nout`` neurons reading the same inputs; calling it returns a list."""

    def __init__(self, nin: int, nout: int, activation: str = "relu", seed: Seed = None) -> None:
        if not is_whole(nout) or nout < 1:
            raise ValueError(f"a Layer needs a whole number of neurons >= 1, got {nout!r}")
        rng = _rng(seed)
        self.neurons = [Neuron(nin, activation, rng) for _ in range(nout)]

    @property
    def nin(self) -> int:
        """The number of inputs every neuron reads."""
        return self.neurons[0].nin

    @property
    def nout(self) -> int:
        """The number of neurons, so the length of the output list."""
        return len(self.neurons)

    @property
    def activation(self) -> str:
        """The activation every neuron of the layer uses."""
        return self.neurons[0].activation

    def architecture(self) -> dict[str, Any]:
        return {"type": "Layer", "nin": self.nin, "nout": self.nout, "activation": self.activation}

    def __repr__(self) -> str:
        """One line, like PyTorch's ``Linear``: its sizes and activation, not every neuron."""
        return f"Layer(nin={self.nin}, nout={self.nout}, activation={self.activation!r})"

    def __call__(self, x: Sequence[Value | Number]) -> list[Value]:
        """[neuron(x) for each neuron]."""
        _check_inputs(x, self.nin, "Layer")
        return [neuron(x) for neuron in self.neurons]


class MLP(Module):
    """A multilayer perceptron: layers of sizes ``nouts`` applied in turn.

    Hidden layers use ``activation``, the last one ``output_activation``.
    Calling it returns a Value when the last layer has one neuron, else a list.
    """

    def __init__(
        self,
        nin: int,
        nouts: Sequence[int],
        activation: str = "relu",
        output_activation: str = "linear",
        seed: Seed = None,
    ) -> None:
        if isinstance(nouts, str) or not isinstance(nouts, Sequence) or not nouts:
            raise ValueError(
                f"nouts must be a list of layer sizes such as [16, 16, 1], got {nouts!r}"
            )
        self._activation = _check_activation(activation)
        _check_activation(output_activation)
        rng = _rng(seed)
        sizes = [nin, *nouts]
        last = len(nouts) - 1
        self.layers = [
            Layer(sizes[i], sizes[i + 1], output_activation if i == last else activation, rng)
            for i in range(len(nouts))
        ]

    @property
    def nin(self) -> int:
        """The number of inputs of the first layer."""
        return self.layers[0].nin

    @property
    def nouts(self) -> list[int]:
        """The size of each layer, the last one being the number of outputs."""
        return [layer.nout for layer in self.layers]

    def architecture(self) -> dict[str, Any]:
        return {
            "type": "MLP",
            "nin": self.nin,
            "nouts": self.nouts,
            "activation": self._activation,
            "output_activation": self.layers[-1].activation,
        }

    def __call__(self, x: Sequence[Value | Number]) -> Value | list[Value]:
        """The last layer's output for input ``x``: a Value if it has one neuron, else a list."""
        _check_inputs(x, self.nin, "MLP")
        for layer in self.layers:
            x = layer(x)
        return x[0] if len(x) == 1 else x


_SAMPLE_TYPES = (list, tuple)


def _check_inputs(x: Any, expected: int, who: str) -> None:
    """``x`` must be a list (or tuple) of ``expected`` inputs; each is checked when it is used."""
    if type(x) in _SAMPLE_TYPES and len(x) == expected and type(x[0]) not in _SAMPLE_TYPES:
        return  # the usual case, decided quickly: every neuron of every layer asks
    if isinstance(x, str | bytes) or not isinstance(x, Sequence):
        raise TypeError(
            f"{who} expects a list of {expected} inputs (numbers or Values), "
            f"got {type(x).__name__}: {x!r}"
        )
    if x and isinstance(x[0], list | tuple):  # a batch: only its first item is looked at
        raise TypeError(
            f"{who} takes one sample (a list of {expected} numbers) at a time; got a list of "
            "lists: call it once per sample, e.g. [model(x) for x in X]"
        )
    if len(x) != expected:
        raise ValueError(f"{who} expects {expected} inputs, got {len(x)}")
