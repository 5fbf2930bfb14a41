"""Benchmarks: tinygrad_edu against micrograd, PyTorch scalar tensors and plain floats.

Run with ``make bench`` (``make bench QUICK=1`` for a few-second smoke run).
"""
