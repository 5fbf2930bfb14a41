"""Data as people have it: lists, tuples or numpy arrays in; lists of Python numbers out.

A dataset is ``X``, a list of samples (each a list of numbers, one per
input), and ``y``, a list of class numbers 0..k−1.  People also hold them as
numpy arrays, as tuples, or as float labels ``0.0``/``1.0`` read from a file.
Every function that takes data in reads it through these helpers, so all of
those are accepted and turned into plain lists of floats and ints first.

An array is read through its ``tolist()`` (numpy arrays, PyTorch tensors,
pandas Series and ``array.array`` all have one), which gives Python numbers;
numpy is never imported here.
"""

from __future__ import annotations

import math
from typing import Any

from .checks import is_number


def _listed(data: Any) -> Any:
    """``data`` as a list when it is an array (has ``tolist()`` giving a list), else unchanged."""
    tolist = getattr(data, "tolist", None)
    if callable(tolist):
        converted = tolist()
        if isinstance(converted, list):
            return converted
    return data


def _is_list_like(data: Any) -> bool:
    return isinstance(data, list | tuple)


def as_samples(X: Any, who: str) -> list[list[float]]:
    """``X`` as a list of samples, each a list of finite floats of one length.

    Raises:
        TypeError: ``X`` is not a list or an array.
        ValueError: ``X`` is one sample (a list of numbers) rather than a list
            of them, a sample has another length than the first, or a sample
            holds something that is not a finite number.
    """
    rows = _listed(X)
    if not _is_list_like(rows):
        raise TypeError(
            f"{who} expects X as a list of samples (lists of numbers) or a 2-D array, "
            f"got {type(X).__name__}"
        )
    samples = [_listed(row) for row in rows]
    if samples and is_number(samples[0]):
        raise ValueError(
            f"{who} expects a list of samples, and X[0] is a number, so X looks like one "
            "sample: wrap it in a list, [x]"
        )
    for i, sample in enumerate(samples):
        if not _is_list_like(sample) or len(sample) != len(samples[0]):
            raise ValueError(
                f"X[{i}] must be a list of {len(samples[0])} numbers like X[0], got {sample!r}"
            )
        for number in sample:
            if not is_number(number):
                raise ValueError(f"X[{i}] must hold numbers, got {number!r}")
            if not math.isfinite(number):
                raise ValueError(f"X[{i}] must hold finite numbers, got {number!r}")
    return [[float(number) for number in sample] for sample in samples]


def as_sample(x: Any) -> Any:
    """One sample as a list when it is an array row (``np.array([0.5, 1.0])``), else unchanged.

    What the sample holds is checked where it is used, as for a list.
    """
    return _listed(x)


def as_labels(y: Any, who: str) -> list[int]:
    """``y`` as a list of class numbers 0, 1, ...: ints, numpy integers, or whole floats like 1.0.

    Raises:
        TypeError: ``y`` is not a list (or array) of labels.
        ValueError: a label is not a whole number >= 0 (``0.5``, ``-1``, ``"cat"``, ``True``).
    """
    labels = _listed(y)
    if not _is_list_like(labels):
        raise TypeError(f"{who} expects the labels as a list or 1-D array, got {type(y).__name__}")
    classes = []
    for label in labels:
        if not is_number(label) or not float(label).is_integer() or label < 0:
            raise ValueError(f"labels must be class numbers 0, 1, ..., got {label!r}")
        classes.append(int(label))
    return classes
