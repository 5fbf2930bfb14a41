"""A drop-in for the micrograd package: its ``engine.Value`` and ``nn`` modules, on our Values.

Change the imports of a micrograd program, ``from micrograd.engine import
Value`` to ``from tinygrad_edu.micrograd.engine import Value`` and ``from
micrograd.nn import MLP`` to ``from tinygrad_edu.micrograd.nn import MLP``, and
it runs as before; every Value it makes is a ``tinygrad_edu.Value``, so
``draw_dot``, ``explain`` and the explorer show it.
"""
