"""Child processes of the runner that end when it ends, even when it is killed."""

from __future__ import annotations

import ctypes
import signal


def end_with_parent() -> None:
    """In the child before exec: get SIGTERM when the runner dies, even by SIGKILL (Linux)."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass  # not Linux: children outlive a killed runner, as they would anyway
