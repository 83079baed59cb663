"""The retention commands every service with dossiers serves, declared once for all of them."""

from __future__ import annotations

from typing import Any, Final

from wvggz_contracts.bewaring import (
    HoudVernietigingAan,
    KeurVernietigingGoed,
    LegVernietigingVast,
    StelVernietigingVoor,
)
from wvggz_contracts.commands import Rol

from kernel.bewaring import vernietiging
from kernel.bewaring.archief import Dossier
from kernel.bewaring.vernietiging import Vernietiging
from kernel.decider import Lookup
from kernel.rules import Rulebook, rule

VERNIETIGING: Final = "vernietiging"
"""Stream category of a dossier's destruction: `vernietiging-<case id>`."""

DOSSIER: Final[Lookup[Dossier | None]] = Lookup("bewaring-dossier")
"""The dossier a proposal names, with its streams and closing, as the service's views hold it."""

BEHEER: Final = frozenset({Rol.FUNCTIONEEL_BEHEER})


def resource_of(service: str) -> str:
    """The API collection of a service's destructions (one per service: each has its own)."""
    return f"{service}-vernietigingen"


def bewaring_rulebook(service: str, termijn_jaren: float) -> Rulebook[Vernietiging]:
    """The destruction of the service's dossiers after `termijn_jaren` from their closing."""

    def stel_voor(state: Vernietiging, command: Any) -> Any:
        return vernietiging.stel_voor(state, command, command.feit(DOSSIER), termijn_jaren)

    return Rulebook(
        category=VERNIETIGING,
        zaak="een vernietiging",
        resource=resource_of(service),
        fase_van=lambda state: state.fase,
        initial_state=Vernietiging(),
        evolve=vernietiging.evolve,
        gemeente_of=vernietiging.gemeente_of,
        rules=(
            rule(
                name="stel-vernietiging-voor",
                payload=StelVernietigingVoor,
                description="Stel voor de persoonsgegevens van een afgesloten dossier te"
                " vernietigen: na de bewaartermijn (de dienst zelf) of op verzoek van de"
                " betrokkene (functioneel beheer).",
                rollen=frozenset({Rol.SYSTEEM, Rol.FUNCTIONEEL_BEHEER}),
                handeling="een vernietiging voorstellen",
                case_id=lambda command: command.payload.zaak,
                decide=stel_voor,
                lookups=(DOSSIER,),
                opent=True,
                gemeente=lambda payload: payload.gemeente,
            ),
            rule(
                name="keur-vernietiging-goed",
                payload=KeurVernietigingGoed,
                description="Keur de voorgestelde vernietiging goed; de dienst vernietigt dan"
                " de sleutels van het dossier en legt de vernietiging vast.",
                rollen=BEHEER,
                handeling="een vernietiging goedkeuren",
                case_id=lambda command: command.payload.zaak,
                decide=vernietiging.keur_goed,
                fase=vernietiging.voorgesteld,
                toegang=vernietiging.niet_door_voorsteller,
            ),
            rule(
                name="houd-vernietiging-aan",
                payload=HoudVernietigingAan,
                description="Houd de voorgestelde vernietiging aan tot een latere dag.",
                rollen=BEHEER,
                handeling="een vernietiging aanhouden",
                case_id=lambda command: command.payload.zaak,
                decide=vernietiging.houd_aan,
                fase=vernietiging.voorgesteld,
            ),
            rule(
                name="leg-vernietiging-vast",
                payload=LegVernietigingVast,
                description="Leg vast dat de sleutels van het dossier zijn vernietigd (alleen"
                " de dienst zelf).",
                rollen=frozenset({Rol.SYSTEEM}),
                handeling="een vernietiging vastleggen",
                case_id=lambda command: command.payload.zaak,
                decide=vernietiging.leg_vast,
                fase=vernietiging.goedgekeurd,
            ),
        ),
    )
