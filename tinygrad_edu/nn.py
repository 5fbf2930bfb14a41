"""Neural networks built from Values: Module, Neuron, Layer, MLP; saving and loading them."""

from __future__ import annotations

import math
import os
import random
from collections.abc import Iterator, Mapping, Sequence
from types import MethodType
from typing import Any

from .checks import is_number, is_whole
from .engine import Value
from .model_file import read_model, write_model
from .samples import as_sample

Number = int | float
Seed = int | random.Random | None
ACTIVATIONS = ("relu", "tanh", "sigmoid", "linear")


class _ModelOrClassMethod:
    """A method with two meanings: ``model.load(path)`` fills a model, ``MLP.load(path)`` makes one.

    Called on a model, it is ``on_model(model, ...)``; called on a class, it is
    ``on_class(cls, ...)``.  (A plain method called on the class would take the
    path for ``self``: "missing 1 required positional argument".)
    """

    def __init__(self, on_model: Any, on_class: Any) -> None:
        self.on_model, self.on_class = on_model, on_class

    def __get__(self, model: Any, cls: type) -> Any:
        if model is None:
            return MethodType(self.on_class, cls)
        return MethodType(self.on_model, model)


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

        Missing folders in ``path`` are made.  The file is written next to
        ``path`` under a temporary name and renamed over it only when complete,
        so a crash never leaves a half-written file.

        Raises:
            ValueError: a parameter is nan or infinite (JSON cannot hold it); nothing is written.
        """
        write_model(path, self.architecture(), self.state_dict())

    def _load_into(self, path: str | os.PathLike) -> None:
        """Set every parameter from a file written by ``save``, after checking all of it.

        (``MLP.load(path)``, on the class, builds a new model instead;
        ``tinygrad_edu.load(path)`` builds whatever the file holds.)

        Raises:
            FileNotFoundError: there is no such file.
            ValueError: the file is not a saved model (not UTF-8 text, not JSON,
                truncated, another format or version), holds another architecture,
                misses or adds parameter names, or holds a value that is not a finite
                number.
            In every case the model keeps its old weights.
        """
        architecture, parameters = read_model(path)
        expected = self.architecture()
        if architecture != expected:
            raise ValueError(
                f"{os.fspath(path)!r} holds another architecture: "
                f"{architecture!r}, expected {expected!r}"
            )
        self.load_state_dict(parameters)

    def _load_new(cls, path: str | os.PathLike) -> Module:
        """The model saved at ``path``, built anew: ``MLP.load("model.json")``.

        Raises:
            FileNotFoundError, ValueError: as ``tinygrad_edu.load``.
            TypeError: the file holds another kind of module than ``cls``.
        """
        model = load(path)
        if not isinstance(model, cls):
            raise TypeError(
                f"{os.fspath(path)!r} holds the architecture of {type(model).__name__}, not of "
                f"{cls.__name__}: tinygrad_edu.load(path) builds whatever a file holds"
            )
        return model

    load = _ModelOrClassMethod(_load_into, _load_new)

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


def check_sizes(nin: Any = 1, nout: Any = 1, nouts: Any = (1,)) -> None:
    """Refuse sizes that make no network: a Neuron's inputs, a Layer's neurons, an MLP's layers."""
    if not is_whole(nin) or nin < 1:
        raise ValueError(f"a Neuron needs a whole number of inputs >= 1, got {nin!r}")
    if not is_whole(nout) or nout < 1:
        raise ValueError(f"a Layer needs a whole number of neurons >= 1, got {nout!r}")
    if isinstance(nouts, str) or not isinstance(nouts, Sequence) or not nouts:
        raise ValueError(f"nouts must be a list of layer sizes such as [16, 16, 1], got {nouts!r}")


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
        check_sizes(nin=nin)
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
        x = _check_inputs(x, len(self.w), "Neuron")
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
        check_sizes(nout=nout)
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
        x = _check_inputs(x, self.nin, "Layer")
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
        check_sizes(nouts=nouts)
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
        x = _check_inputs(x, self.nin, "MLP")
        for layer in self.layers:
            x = layer(x)
        return x[0] if len(x) == 1 else x

    def to_torch(self, dtype: Any = None) -> Any:
        """The same network in PyTorch: an ``nn.Sequential`` of ``Linear`` and activation layers.

        Layer i becomes ``Linear(nin, nout)`` with ``weight[j][k]`` = the weight
        ``layers.i.neurons.j.w.k`` and ``bias[j]`` = ``layers.i.neurons.j.b``,
        followed by ``ReLU``, ``Tanh`` or ``Sigmoid`` (nothing for linear).  It
        computes the same function, in float64 unless ``dtype`` (a torch dtype,
        e.g. ``torch.float32``) says otherwise; it takes a batch, shape
        (n, nin), and returns shape (n, nouts[-1]).  Needs PyTorch installed.
        """
        from .torch_bridge import LayerWeights, sequential

        layers = [
            LayerWeights(
                [[w.data for w in neuron.w] for neuron in layer.neurons],
                [neuron.b.data for neuron in layer.neurons],
                layer.activation,
            )
            for layer in self.layers
        ]
        return sequential(layers, dtype)


def from_torch(module: Any) -> MLP:
    """An MLP with the weights of a PyTorch ``nn.Sequential`` of ``Linear`` and activation layers.

    The reverse of ``MLP.to_torch``: each ``Linear`` (with a bias) may be
    followed by one ``ReLU``, ``Tanh`` or ``Sigmoid`` (none means linear); the
    hidden layers must share one activation, as an MLP's do.

    Raises:
        TypeError: ``module`` is not such an ``nn.Sequential``.
        ValueError: its layers do not fit together or differ in activation.
    """
    from .torch_bridge import layers_of

    layers = layers_of(module)
    hidden = {layer.activation for layer in layers[:-1]}
    if len(hidden) > 1:
        raise ValueError(
            "an MLP's hidden layers share one activation; this module's use "
            f"{', '.join(sorted(hidden))}"
        )
    nouts = [len(layer.rows) for layer in layers]
    activation = hidden.pop() if hidden else "relu"
    model = MLP(len(layers[0].rows[0]), nouts, activation, layers[-1].activation, seed=0)
    state = {}
    for i, layer in enumerate(layers):
        for j, (row, bias) in enumerate(zip(layer.rows, layer.biases)):
            state.update({f"layers.{i}.neurons.{j}.w.{k}": w for k, w in enumerate(row)})
            state[f"layers.{i}.neurons.{j}.b"] = bias
    model.load_state_dict(state)
    return model


_MODULE_TYPES = {"MLP": MLP, "Layer": Layer, "Neuron": Neuron}


def load(path: str | os.PathLike) -> Module:
    """The model saved at ``path`` (by ``save``), built from its file: an MLP, Layer or Neuron.

    ``model = tinygrad_edu.load("model.json")`` needs no architecture from
    you: the file records it.  A module of your own (a ``Module`` subclass) is
    rebuilt by you, then filled with ``your_module.load(path)``.

    Raises:
        FileNotFoundError: there is no such file.
        ValueError: the file is not a saved model, holds a module of your own,
            an architecture that cannot be built, or parameters that do not fit it.
    """
    architecture, parameters = read_model(path)
    kind = architecture["type"]
    where = repr(os.fspath(path))
    if kind not in _MODULE_TYPES:
        raise ValueError(
            f"{where} holds a module of your own, {kind}: build it yourself "
            f"({kind}(...)) and call its .load(path)"
        )
    arguments = {key: value for key, value in architecture.items() if key != "type"}
    count = _parameter_count(kind, arguments)
    held = len(parameters) if isinstance(parameters, Mapping) else None
    if count is not None and held is not None and count != held and count > 1_000_000:
        raise ValueError(  # said on the numbers: building it first could take all the memory
            f"{where} holds {held:,} parameters, but its architecture has {count:,}"
        )
    try:
        model = _MODULE_TYPES[kind](**arguments, seed=0)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{where} holds an architecture that cannot be built: {error}") from None
    if model.architecture() != architecture:
        raise ValueError(f"{where} holds an architecture that cannot be built: {architecture!r}")
    model.load_state_dict(parameters)
    return model


def _parameter_count(kind: str, arguments: dict[str, Any]) -> int | None:
    """How many parameters an architecture has, from its sizes alone (None: not sizes).

    A layer of ``nout`` neurons reading ``nin`` inputs has (nin + 1)·nout.
    """
    try:
        if kind == "Neuron":
            sizes = [arguments["nin"], 1]
        elif kind == "Layer":
            sizes = [arguments["nin"], arguments["nout"]]
        else:
            sizes = [arguments["nin"], *arguments["nouts"]]
    except (KeyError, TypeError):
        return None
    if not all(is_whole(size) and size >= 1 for size in sizes):
        return None
    return sum((nin + 1) * nout for nin, nout in zip(sizes, sizes[1:]))


_SAMPLE_TYPES = (list, tuple)


def _check_inputs(x: Any, expected: int, who: str) -> Sequence[Value | Number]:
    """``x`` as a list (or tuple) of ``expected`` inputs; each is checked when it is used.

    An array row (``np.array([0.5, 1.0])``) becomes a list of Python numbers.
    """
    if type(x) in _SAMPLE_TYPES and len(x) == expected and type(x[0]) not in _SAMPLE_TYPES:
        return x  # the usual case, decided quickly: every neuron of every layer asks
    x = as_sample(x)
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
    return x
