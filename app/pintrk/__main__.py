"""``python -m app.pintrk``: see :mod:`app.pintrk.cli`."""

import sys

from .cli import main

sys.exit(main())
