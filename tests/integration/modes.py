"""Walks a data dir for files or folders that group or others may use."""

from __future__ import annotations

import stat
from pathlib import Path

EXCEPTIONS: dict[str, str] = {}
"""Paths under the data dir allowed wider modes, with the reason. None needed today: the
platform's only sockets are TCP ports, and every file and folder it writes is owner-only."""


def loose_modes(root: Path) -> list[str]:
    """`<mode> <path>` for the data dir itself and everything under it open to group or others."""
    found: list[str] = []
    for path in [root, *sorted(root.rglob("*"))]:
        relative = path.relative_to(root).as_posix()
        if relative in EXCEPTIONS:
            continue
        mode = stat.S_IMODE(path.lstat().st_mode)
        if mode & 0o077:
            found.append(f"{mode:o} {relative}")
    return found
