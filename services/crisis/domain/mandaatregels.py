"""Every command on a gemeente's mandate register (hoorders, loco-burgemeesters), declared once.

A register is the stream `mandaat-<mandaat_id_for(gemeente)>` (`make_mandaat_rulebook`); the
kernel checks role and gemeente.
"""

from __future__ import annotations

from wvggz_contracts.commands import Rol
from wvggz_contracts.crisis import (
    BeeindigHoorder,
    BeeindigHoormandaat,
    BeeindigLocoBurgemeester,
    RegistreerHoorder,
    RegistreerHoormandaat,
    RegistreerLocoBurgemeester,
)

from kernel.rules import Rulebook, rule
from services.crisis.domain import mandaatregister
from services.crisis.domain.mandaatregister import Mandaatregister, mandaat_id_for

MANDAAT_CATEGORY = "mandaat"
"""Stream category of a register: `mandaat-<mandaat_id_for(gemeente)>`."""

REGISTREER_HOORMANDAAT = "registreer-hoormandaat"
BEEINDIG_HOORMANDAAT = "beeindig-hoormandaat"
REGISTREER_HOORDER = "registreer-hoorder"
BEEINDIG_HOORDER = "beeindig-hoorder"
REGISTREER_LOCO_BURGEMEESTER = "registreer-loco-burgemeester"
BEEINDIG_LOCO_BURGEMEESTER = "beeindig-loco-burgemeester"

BEHEER = frozenset({Rol.FUNCTIONEEL_BEHEER})


def make_mandaat_rulebook(regio: frozenset[str]) -> Rulebook[Mandaatregister]:
    """The rules of the mandate registers of a region's gemeenten, kept by functioneel beheer.

    A gemeente's register exists for it from the start (its id follows from the gemeente), so
    every command opens it: the kernel checks the actor's gemeente against the payload's.
    """
    if not regio:
        raise ValueError("de regio heeft geen gemeenten")
    return Rulebook(
        category=MANDAAT_CATEGORY,
        zaak="het mandaatregister",
        resource="mandaatregisters",
        initial_state=Mandaatregister(),
        evolve=mandaatregister.evolve,
        gemeente_of=mandaatregister.gemeente_of,
        rules=(
            rule(
                name=REGISTREER_HOORMANDAAT,
                payload=RegistreerHoormandaat,
                description="Registreer een mandaat om te horen.",
                rollen=BEHEER,
                handeling="een hoormandaat registreren",
                case_id=lambda command: mandaat_id_for(command.payload.gemeente),
                decide=lambda _state, command: mandaatregister.registreer_hoormandaat(
                    command, regio
                ),
                opent=True,
                gemeente=lambda payload: payload.gemeente,
            ),
            rule(
                name=BEEINDIG_HOORMANDAAT,
                payload=BeeindigHoormandaat,
                description="Beëindig een mandaat om te horen.",
                rollen=BEHEER,
                handeling="een hoormandaat beëindigen",
                case_id=lambda command: mandaat_id_for(command.payload.gemeente),
                decide=lambda state, command: mandaatregister.beeindig_hoormandaat(
                    command, state, regio
                ),
                opent=True,
                gemeente=lambda payload: payload.gemeente,
            ),
            rule(
                name=REGISTREER_HOORDER,
                payload=RegistreerHoorder,
                description="Registreer een gebruiker die hoort voor een partij, en de periode.",
                rollen=BEHEER,
                handeling="een hoorder registreren",
                case_id=lambda command: mandaat_id_for(command.payload.gemeente),
                decide=lambda _state, command: mandaatregister.registreer_hoorder(command, regio),
                opent=True,
                gemeente=lambda payload: payload.gemeente,
            ),
            rule(
                name=BEEINDIG_HOORDER,
                payload=BeeindigHoorder,
                description="Beëindig de registratie van een hoorder.",
                rollen=BEHEER,
                handeling="een hoorder beëindigen",
                case_id=lambda command: mandaat_id_for(command.payload.gemeente),
                decide=lambda state, command: mandaatregister.beeindig_hoorder(
                    command, state, regio
                ),
                opent=True,
                gemeente=lambda payload: payload.gemeente,
            ),
            rule(
                name=REGISTREER_LOCO_BURGEMEESTER,
                payload=RegistreerLocoBurgemeester,
                description="Registreer een loco-burgemeester en de periode.",
                rollen=BEHEER,
                handeling="een loco-burgemeester registreren",
                case_id=lambda command: mandaat_id_for(command.payload.gemeente),
                decide=lambda _state, command: mandaatregister.registreer_loco_burgemeester(
                    command, regio
                ),
                opent=True,
                gemeente=lambda payload: payload.gemeente,
            ),
            rule(
                name=BEEINDIG_LOCO_BURGEMEESTER,
                payload=BeeindigLocoBurgemeester,
                description="Beëindig de registratie van een loco-burgemeester.",
                rollen=BEHEER,
                handeling="een loco-burgemeester beëindigen",
                case_id=lambda command: mandaat_id_for(command.payload.gemeente),
                decide=lambda state, command: mandaatregister.beeindig_loco_burgemeester(
                    command, state, regio
                ),
                opent=True,
                gemeente=lambda payload: payload.gemeente,
            ),
        ),
    )
