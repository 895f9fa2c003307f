"""Process hardening while secrets may be in memory: no core dumps, no debugger attach by
ordinary processes of the same user (where the platform allows)."""

from __future__ import annotations

import contextlib
import sys

PR_SET_DUMPABLE = 4


def harden_process() -> None:
    """Turn off core dumps (and, on Linux, mark the process non-dumpable). Never fails."""
    with contextlib.suppress(Exception):
        import resource

        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if sys.platform.startswith("linux"):
        with contextlib.suppress(Exception):
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
