"""The view of a service's destructions: what waits for approval, what was held, what is done."""

from __future__ import annotations

from datetime import date, datetime
from typing import Final
from uuid import UUID

from wvggz_contracts.bewaring import (
    Grond,
    PersoonsgegevensVernietigd,
    VernietigingAangehouden,
    VernietigingGoedgekeurd,
    VernietigingVoorgesteld,
)
from wvggz_contracts.events import DomainEvent

from kernel.bewaring.regels import VERNIETIGING
from kernel.bewaring.vernietiging import AANGEHOUDEN, GOEDGEKEURD, VERNIETIGD, VOORGESTELD
from kernel.projection import CaseView, EventMeta, Tijdlijn


class VernietigingRij(Tijdlijn):
    """One dossier's destruction as functioneel beheer sees it (no personal data)."""

    zaak: UUID
    gemeente: str
    fase: str
    grond: Grond
    stromen: list[str]
    afgesloten_op: datetime | None = None
    voorgesteld_door: str
    voorgesteld_op: datetime
    goedgekeurd_door: str | None = None
    aangehouden_tot: date | None = None
    reden_aanhouden: str | None = None
    vernietigd_op: datetime | None = None


def evolve(
    row: VernietigingRij | None, event: DomainEvent, meta: EventMeta
) -> VernietigingRij | None:
    """The row after one more event of the destruction."""
    match event:
        case VernietigingVoorgesteld():
            row = VernietigingRij(
                stappen=row.stappen if row else [],
                zaak=event.zaak,
                gemeente=event.gemeente,
                fase=VOORGESTELD,
                grond=event.grond,
                stromen=event.stromen,
                afgesloten_op=event.afgesloten_op,
                voorgesteld_door=event.voorgesteld_door,
                voorgesteld_op=meta.occurred_at,
            )
        case VernietigingAangehouden() if row:
            update = {"fase": AANGEHOUDEN, "aangehouden_tot": event.tot}
            row = row.model_copy(update={**update, "reden_aanhouden": event.reden})
        case VernietigingGoedgekeurd() if row:
            row = row.model_copy(
                update={"fase": GOEDGEKEURD, "goedgekeurd_door": event.goedgekeurd_door}
            )
        case PersoonsgegevensVernietigd() if row:
            row = row.model_copy(update={"fase": VERNIETIGD, "vernietigd_op": event.vernietigd_op})
    return row.met_stap(meta) if row else None


GOEDGEKEURD_SLEUTEL: Final = f"fase:{GOEDGEKEURD}"
"""The lookup key of the destructions approved and not yet carried out."""

VERNIETIGINGEN: Final = CaseView(
    "vernietigingen",
    VernietigingRij,
    evolve,
    frozenset({VERNIETIGING}),
    lookup_keys=lambda row: [f"fase:{row.fase}"],
)
