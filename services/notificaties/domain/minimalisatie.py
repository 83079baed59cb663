"""What a partner may receive of an event: by default only a reference (informatiearm
notificeren), and a field only where a profile names the legal basis for that partner kind."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel
from wvggz_contracts.notificaties import PartnerSoort
from wvggz_contracts.personal import personal_fields

GEVOELIG = frozenset({"bijzonder", "bsn"})
"""Marks of personal data that never go out without a legal basis stated in the profile."""


@dataclass(frozen=True, slots=True)
class Grondslag:
    """The fields of one event type a partner kind receives, and why the law allows it."""

    velden: frozenset[str]
    bron: str
    """The legal basis, e.g. an article of the Wvggz; required for sensitive fields."""
    gevoelig: bool = False
    """Whether the fields include special-category data or a BSN (then `bron` says why)."""


Profielen = Mapping[PartnerSoort, Mapping[str, Grondslag]]

PROFIELEN: Profielen = {soort: {} for soort in PartnerSoort}
"""Per partner kind and event type, what goes out beside the reference. Empty: every partner
receives a reference only and fetches content with its own right (the fetch endpoint that
checks that right and logs the disclosure is the next step of this service)."""


def notificatie(
    soort: PartnerSoort,
    event_type: str,
    event_id: UUID,
    case_id: str,
    gemeente: str,
    time: datetime,
    data: Mapping[str, Any],
    profielen: Profielen = PROFIELEN,
) -> dict[str, Any]:
    """The notification a partner of this kind gets of one event: a reference, and the fields
    its profile names for this event type."""
    grondslag = profielen.get(soort, {}).get(event_type)
    velden = {k: data[k] for k in sorted(grondslag.velden) if k in data} if grondslag else {}
    return {
        "id": str(event_id),
        "type": event_type,
        "subject": case_id,
        "gemeente": gemeente,
        "time": time.isoformat(),
        "dataref": f"/api/v1/notificaties/{event_id}",
        "data": velden,
    }


def lekken(profielen: Profielen, modellen: Iterable[tuple[str, type[BaseModel]]]) -> list[str]:
    """Every field a profile sends that holds sensitive personal data without a stated basis, and
    every field a profile names that the event does not have: empty when all is well."""
    fouten: list[str] = []
    for event_type, model in modellen:
        marks = personal_fields(model)
        for soort, per_type in profielen.items():
            grondslag = per_type.get(event_type)
            if grondslag is None:
                continue
            for veld in sorted(grondslag.velden):
                if veld not in model.model_fields:
                    fouten.append(f"{soort}/{event_type}: {veld} bestaat niet")
                    continue
                binnen = {
                    m for path, m in marks.items() if path == veld or path.startswith(f"{veld}.")
                }
                if binnen & GEVOELIG and not (grondslag.gevoelig and grondslag.bron.strip()):
                    fouten.append(f"{soort}/{event_type}: {veld} ({', '.join(sorted(binnen))})")
    return fouten
