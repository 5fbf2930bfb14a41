"""The saved-model file: a model's architecture and every parameter, as versioned JSON.

::

    {"format": "tinygrad_edu.model", "version": 1,
     "architecture": {"type": "MLP", "nin": 2, "nouts": [16, 16, 1], ...},
     "parameters": {"layers.0.neurons.0.w.0": 1.1934, ...}}

``write_model`` writes it atomically (a crash never leaves half a file) and
``read_model`` checks all of it before anyone uses it.  What the architecture
means, and how a model is built from it, is ``tinygrad_edu.nn``'s business.
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import Any

from .files import write_atomically

FILE_FORMAT = "tinygrad_edu.model"
FILE_VERSION = 1


def write_model(
    path: str | os.PathLike, architecture: dict[str, Any], parameters: dict[str, float]
) -> Path:
    """Write a model file to ``path``, making missing folders; return the path.

    Raises:
        ValueError: a parameter is nan or infinite (JSON cannot hold it); nothing is written.
        OSError: a folder on the way cannot be made, or the file cannot be written;
            an old file at ``path`` stays as it was.
    """
    for name, number in parameters.items():
        if not math.isfinite(number):
            raise ValueError(f"cannot save: parameter {name} is {number!r}")
    document = {
        "format": FILE_FORMAT,
        "version": FILE_VERSION,
        "architecture": architecture,
        "parameters": parameters,
    }
    return write_atomically(path, json.dumps(document, indent=1), make_folders=True)


def read_model(path: str | os.PathLike) -> tuple[dict[str, Any], Any]:
    """The architecture and the parameters held by the model file at ``path``.

    The parameters are returned as they are in the file: the model that takes
    them checks their names and values (``load_state_dict``).

    Raises:
        FileNotFoundError: there is no such file.
        ValueError: the file is not a saved model (not UTF-8 text, not JSON,
            truncated, another format or version, no architecture).
    """
    where = repr(os.fspath(path))
    try:
        with open(path, encoding="utf-8") as file:
            text = file.read()
    except FileNotFoundError:
        raise FileNotFoundError(f"no saved model at {where}") from None
    except UnicodeDecodeError:
        raise ValueError(f"{where} is not a saved model: not UTF-8 text (a binary file?)") from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(f"{where} is not a saved model: not valid JSON ({error})") from None
    if not isinstance(document, dict) or document.get("format") != FILE_FORMAT:
        raise ValueError(
            f'{where} is not a saved model: expected a JSON object with "format": "{FILE_FORMAT}"'
        )
    if document.get("version") != FILE_VERSION:
        raise ValueError(
            f"{where} has format version {document.get('version')!r}; "
            f"this tinygrad_edu reads version {FILE_VERSION}"
        )
    architecture = document.get("architecture")
    if not isinstance(architecture, dict) or not isinstance(architecture.get("type"), str):
        raise ValueError(f'{where} is not a saved model: its "architecture" names no type')
    return architecture, document.get("parameters")
