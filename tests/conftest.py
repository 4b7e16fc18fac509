"""The whole run uses a cache folder of its own (src/narrate/cache.py), so what a test finds
there is what the tests put there; the subprocesses the tests start inherit it."""

from __future__ import annotations

import os
import tempfile

os.environ["NARRATE_CACHE"] = tempfile.mkdtemp(prefix="narrate-test-cache-")
