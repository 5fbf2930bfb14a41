"""``python -m tinygrad_edu <command>``: the same as ``tinygrad-edu <command>``."""

from .cli import main

raise SystemExit(main())
