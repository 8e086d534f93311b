"""``python -m app.pintrk``: see :mod:`app.pintrk.cli`.

The process is this one run, so its entry point may pause the cycle collector (a process-wide
switch the core itself never touches): a replay builds trees, which reference counting frees,
and the collector would only rescan an ever larger heap (~8% of a 10,000-message replay).
"""

import gc
import sys

from .cli import main

gc.disable()
sys.exit(main())
