"""``python -m benchmarks``: run every workload and print one table."""

import sys

from .run import main

sys.exit(main())
