"""The benchmarks' named figures in var/bench/latest.json, so the trend can be followed commit by
commit: each script merges its own section in, stamped with the commit and the time it ran."""

from __future__ import annotations

import json
import os
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
LATEST = REPO / "var" / "bench" / "latest.json"


def commit() -> str:
    """The commit the benchmark ran on (with `+` when the tree had changes)."""
    head = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True
    ).stdout.strip()
    dirty = subprocess.run(["git", "diff", "--quiet", "HEAD"], cwd=REPO).returncode != 0
    return f"{head}+" if dirty else head


def bewaar(script: str, figures: dict[str, Any], path: Path = LATEST) -> Path:
    """Merge one script's figures into the file (written whole), under its own name."""
    found: dict[str, Any] = json.loads(path.read_text()) if path.exists() else {}
    found[script] = {"commit": commit(), "at": datetime.now(UTC).isoformat(), **figures}
    path.parent.mkdir(parents=True, exist_ok=True)
    draft = path.with_name(f".{path.name}.{os.getpid()}")
    draft.write_text(json.dumps(found, indent=2, sort_keys=True) + "\n")
    draft.replace(path)
    return path
