"""A letter's PDF on disk is sealed under its letter's key: destroying that key ends the
document too, in the folder and in every backup of it."""

from __future__ import annotations

from pathlib import Path
from uuid import UUID

from kernel.sleutels import Veldsleutels
from services.notificaties.domain.briefregels import CATEGORY

DOEL = "brief-pdf"
"""What the sealed bytes are, bound into the seal: a letter's own record cannot pass for it."""


def stroom(brief_id: UUID) -> str:
    """The letter's case stream, whose key seals its document."""
    return f"{CATEGORY}-{brief_id}"


def verzegel(velden: Veldsleutels, brief_id: UUID, pdf: bytes) -> bytes:
    """The PDF as it is written to disk."""
    return velden.seal_bytes(pdf, stroom(brief_id), DOEL)


def lees(velden: Veldsleutels, pad: Path, brief_id: UUID) -> bytes | None:
    """The letter's PDF; None when its personal data was destroyed."""
    return velden.open_bytes(pad.read_bytes(), stroom(brief_id), DOEL)
