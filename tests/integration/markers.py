"""Marker personal data for the routes, and a scan for it outside the stores."""

from __future__ import annotations

import re
from collections.abc import Iterable
from fnmatch import fnmatch
from pathlib import Path
from typing import Any

from tests.integration.route import melding

BSN = "111222333"
BETROKKENE = "Zwaantje Markeerhuis"
MELDER = "Melchior Kliksmeer"

MARKERS = re.compile(
    r"111222333|111\.222\.333|111 222 333|Zwaantje|Markeerhuis|Melchior|Kliksmeer", re.IGNORECASE
)
"""The BSN in its usual spellings and every part of both names."""

STORES = (
    "*/views.db",
    "*/views.db-*",
    "notificaties/inhoud.db*",
    "notificaties/leveringen.db*",
    "nats/jetstream/*/streams/WVGGZ_PARTNER_*",
)
"""Where personal data may be in the open: what a service derived from its events to work with
(views; notificaties' content and delivery queue, both emptied after the partner retention) and
what a partner is sent (its stream). The event stores, the event stream and the letters' PDFs
hold it sealed under each dossier's key."""


def marked_melding(relatie: str) -> dict[str, Any]:
    """A melding about the marker betrokkene by the marker melder, the name in the free text."""
    payload = melding(relatie)
    payload["betrokkene"] = {**payload["betrokkene"], "naam": BETROKKENE, "bsn": BSN}
    payload["melder"] = {**payload["melder"], "naam": MELDER}
    payload["situatie"] = f"{BETROKKENE} (BSN {BSN}) eet niet meer, zegt {MELDER}."
    return payload


def leaks(where: str, texts: Iterable[str]) -> list[str]:
    """`where: <marker>` for each marker found in the texts."""
    return [f"{where}: {found.group()}" for text in texts for found in MARKERS.finditer(text)]


def is_store(path: Path, root: Path) -> bool:
    """Whether a file of the data dir is one of the stores allowed to hold personal data."""
    relative = path.relative_to(root).as_posix()
    return any(fnmatch(relative, pattern) for pattern in STORES)


def file_leaks(root: Path) -> list[str]:
    """Markers in every file under the data dir except the stores (logs, config, keys, ...)."""
    found: list[str] = []
    for path in sorted(p for p in root.rglob("*") if p.is_file() and not is_store(p, root)):
        found += leaks(str(path.relative_to(root)), [path.read_text(errors="replace")])
    return found
