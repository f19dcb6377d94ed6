"""Settings shared by every test."""

from __future__ import annotations

import os

# Tests copy fixtures into fresh inboxes and run at once; production waits ZVIT_MIN_FILE_AGE_S
# (default 5 s) for a file to stop changing. tests/reliability checks that wait explicitly.
os.environ.setdefault("ZVIT_MIN_FILE_AGE_S", "0")
