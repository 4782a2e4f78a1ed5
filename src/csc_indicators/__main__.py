"""``python -m csc_indicators``: the command line."""

import sys

from .cli import main

sys.exit(main())
