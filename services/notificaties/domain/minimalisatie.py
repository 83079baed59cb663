"""What a partner may receive of an event: by default only a reference (informatiearm
notificeren), and a field only where a profile names the legal basis for that partner kind."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from wvggz_contracts.envelope import CloudEvent
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
receives a reference only (the event's id, type, case and gemeente)."""


OPHAALBAAR: Profielen = {
    **{soort: {} for soort in PartnerSoort},
    PartnerSoort.OM: {
        "nl.wvggz.onderzoek.aanvraag-ingediend.v1": Grondslag(
            frozenset(
                {
                    "vo_id",
                    "ingediend_op",
                    "betrokkene",
                    "jeugd",
                    "gronden",
                    "contact_consulent",
                    "spoed",
                    "bijlagen",
                    "toelichting",
                    "gemeente_ziet_geen_noodzaak",
                    "reden_geen_noodzaak",
                    "melder_verzoekt_zorgmachtiging",
                    "verzoekende_melder",
                }
            ),
            bron="art. 5:2 Wvggz: de aanvraag voorbereiding verzoekschrift zorgmachtiging gaat"
            " met de uitkomst van het verkennend onderzoek naar de officier van justitie",
            gevoelig=True,
        ),
    },
}
"""Per partner kind and event type, what a partner subscribed to it may fetch of an event's
content with its own right (`wvggz.ophalen.<partner>`); every fetch is a verstrekking."""


def ophaalbare_velden(event_type: str, profielen: Profielen = OPHAALBAAR) -> frozenset[str]:
    """The fields of an event type any partner kind may fetch: all that is kept of it."""
    return frozenset().union(
        *(per_type[event_type].velden for per_type in profielen.values() if event_type in per_type)
    )


def notificatie(
    soort: PartnerSoort, event: CloudEvent, bron: str, profielen: Profielen = PROFIELEN
) -> dict[str, Any]:
    """The notification a partner of this kind gets of one event, as a structured CloudEvent:
    the event's id, type, case and gemeente, and only the fields its profile names."""
    grondslag = profielen.get(soort, {}).get(event.type)
    data = event.data
    velden = {k: data[k] for k in sorted(grondslag.velden) if k in data} if grondslag else {}
    return {
        "specversion": "1.0",
        "id": str(event.id),
        "source": bron,
        "type": event.type,
        "time": event.time.isoformat(),
        "subject": str(event.subject),
        "datacontenttype": "application/json",
        "gemeente": event.gemeente,
        "correlationid": str(event.correlationid),
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
