"""The post batch for a gemeente's mail room: the PDFs and a manifest without personal data."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Sequence
from datetime import datetime
from typing import Final

from wvggz_contracts.rechtstijd import amsterdamse_tijd

from services.notificaties.documenten.document import Document

MANIFEST: Final = "manifest.csv"
KOLOMMEN: Final = (
    "document_id",
    "bestand",
    "soort",
    "kenmerk",
    "paginas",
    "sha256",
    "aangemaakt_op",
)
"""The manifest's columns: what the mail room needs to print, count and check; no names, no BSN."""

_ID: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,99}")


def postbatch(stukken: Sequence[tuple[str, Document]]) -> bytes:
    """A ZIP of each document as `<document id>.pdf`, with `manifest.csv` describing them.

    The document id is the caller's (e.g. the afschrift id or the event id); it names the file,
    so it must be letters, digits, `-` and `_` only, and unique in the batch.
    """
    gezien: set[str] = set()
    for document_id, _ in stukken:
        if not _ID.fullmatch(document_id):
            raise ValueError(f"document id not usable as a file name: {document_id!r}")
        if document_id in gezien:
            raise ValueError(f"document id twice in one batch: {document_id}")
        gezien.add(document_id)

    manifest = io.StringIO()
    schrijver = csv.writer(manifest, lineterminator="\r\n")
    schrijver.writerow(KOLOMMEN)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archief:
        for document_id, document in stukken:
            bestand = f"{document_id}.pdf"
            archief.writestr(_entry(bestand, document.aangemaakt_op), document.pdf)
            schrijver.writerow(
                (
                    document_id,
                    bestand,
                    document.soort,
                    document.kenmerk,
                    document.paginas,
                    document.sha256,
                    amsterdamse_tijd(document.aangemaakt_op).isoformat(timespec="seconds"),
                )
            )
        laatste = max((document.aangemaakt_op for _, document in stukken), default=None)
        archief.writestr(_entry(MANIFEST, laatste), manifest.getvalue().encode("utf-8"))
    return buffer.getvalue()


def _entry(naam: str, moment: datetime | None) -> zipfile.ZipInfo:
    # Entry times from the documents, not the clock, so the same batch gives the same bytes.
    entry = zipfile.ZipInfo(naam)
    if moment is not None:
        entry.date_time = amsterdamse_tijd(moment).timetuple()[:6]
    entry.compress_type = zipfile.ZIP_DEFLATED
    entry.external_attr = 0o644 << 16  # rw-r--r-- when unpacked; a bare ZipInfo has no mode
    return entry
