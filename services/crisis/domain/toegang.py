"""Authorisation: role and gemeente per command, the acting person, and the register's mandates."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from wvggz_contracts.commands import ErrorCode, Rol
from wvggz_contracts.crisis import (
    BeeindigCrisismaatregel,
    HeropenMedischeVerklaring,
    LegHoorverslagVast,
    LegHorenOnmogelijkVast,
    LegTijdelijkeZorgVast,
    MeldCrisis,
    NeemBesluit,
    OndertekenMedischeVerklaring,
    RegistreerAdvocaat,
    RegistreerOvjGegevens,
    RegistreerRechterlijkeBeslissing,
    RegistreerVerzoekVoortzetting,
    RegistreerVerzoekZorgmachtiging,
    SignaleerBesluitTermijnVerstreken,
    SignaleerEindeMaatregel,
    SignaleerNaderendBesluit,
    StartCrisisUitTriage,
    StelIntegraalAdviesSamen,
    StelMedischeVerklaringOp,
    VraagOvjGegevensOp,
)

from kernel.decider import Command, DomainError, refuse
from services.crisis.domain.mandaat import eis_mandaat
from services.crisis.domain.state import Crisis


@dataclass(frozen=True, slots=True)
class Bevoegdheid:
    """The roles that may give one command, and what it does (for a refusal's message)."""

    rollen: frozenset[Rol]
    handeling: str


def _rollen(*rollen: Rol) -> frozenset[Rol]:
    return frozenset(rollen)


CRISISTEAM = _rollen(Rol.CRISISDIENST, Rol.PSYCHIATER)
OVJ = _rollen(Rol.OVJ_KOPPELING)
SYSTEEM = _rollen(Rol.SYSTEEM)

BEVOEGDHEDEN: Mapping[type[BaseModel], Bevoegdheid] = {
    MeldCrisis: Bevoegdheid(_rollen(Rol.CRISISDIENST), "een crisis melden"),
    StartCrisisUitTriage: Bevoegdheid(SYSTEEM, "een crisiszaak uit triage starten"),
    LegTijdelijkeZorgVast: Bevoegdheid(CRISISTEAM, "tijdelijke verplichte zorg vastleggen"),
    VraagOvjGegevensOp: Bevoegdheid(CRISISTEAM, "gegevens bij de officier opvragen"),
    RegistreerOvjGegevens: Bevoegdheid(OVJ, "gegevens van de officier registreren"),
    StelMedischeVerklaringOp: Bevoegdheid(
        _rollen(Rol.PSYCHIATER), "een medische verklaring opstellen"
    ),
    OndertekenMedischeVerklaring: Bevoegdheid(
        _rollen(Rol.PSYCHIATER), "een medische verklaring ondertekenen"
    ),
    HeropenMedischeVerklaring: Bevoegdheid(CRISISTEAM, "een medische verklaring heropenen"),
    LegHoorverslagVast: Bevoegdheid(_rollen(Rol.HOORDER), "een hoorverslag vastleggen"),
    LegHorenOnmogelijkVast: Bevoegdheid(
        _rollen(Rol.HOORDER, Rol.CRISISDIENST), "vastleggen dat horen onmogelijk is"
    ),
    StelIntegraalAdviesSamen: Bevoegdheid(
        _rollen(Rol.CRISISDIENST, Rol.HOORDER, Rol.FUNCTIONEEL_BEHEER),
        "het integraal advies samenstellen",
    ),
    NeemBesluit: Bevoegdheid(
        _rollen(Rol.BURGEMEESTER, Rol.LOCO_BURGEMEESTER), "over een crisismaatregel besluiten"
    ),
    RegistreerAdvocaat: Bevoegdheid(
        _rollen(Rol.FUNCTIONEEL_BEHEER, Rol.SYSTEEM), "een toegewezen advocaat registreren"
    ),
    RegistreerVerzoekVoortzetting: Bevoegdheid(OVJ, "een verzoek tot voortzetting registreren"),
    RegistreerRechterlijkeBeslissing: Bevoegdheid(OVJ, "een rechterlijke beslissing registreren"),
    RegistreerVerzoekZorgmachtiging: Bevoegdheid(OVJ, "een verzoek tot zorgmachtiging registreren"),
    BeeindigCrisismaatregel: Bevoegdheid(
        _rollen(Rol.FUNCTIONEEL_BEHEER),
        "de crisismaatregel namens de geneesheer-directeur beëindigen",
    ),
    SignaleerNaderendBesluit: Bevoegdheid(SYSTEEM, "een naderende besluittermijn signaleren"),
    SignaleerBesluitTermijnVerstreken: Bevoegdheid(
        SYSTEEM, "een verstreken besluittermijn signaleren"
    ),
    SignaleerEindeMaatregel: Bevoegdheid(SYSTEEM, "het einde van de maatregel signaleren"),
}
"""Who may give each command; the actor's gemeente must also be the case's."""


def eis_bevoegd(
    command: Command[Any],
    bevoegdheden: Mapping[type[BaseModel], Bevoegdheid],
    gemeente: str | None,
    zaak: str,
) -> None:
    """Refuse unless the actor has a permitted role and acts for `gemeente` (when known)."""
    actor = command.actor
    bevoegdheid = bevoegdheden.get(type(command.payload))
    if bevoegdheid is None:
        raise refuse(f"onbekend commando voor {zaak}: {type(command.payload).__name__}")
    if actor.rol not in bevoegdheid.rollen:
        rollen = " of ".join(sorted(bevoegdheid.rollen))
        wie = (
            f"de rol {rollen} mag" if len(bevoegdheid.rollen) == 1 else f"de rollen {rollen} mogen"
        )
        raise refuse(f"alleen {wie} {bevoegdheid.handeling}, niet de rol {actor.rol}")
    if gemeente is not None and actor.gemeente != gemeente:
        raise refuse(f"{actor.gemeente} mag niet handelen voor {zaak} van {gemeente}")


def authorize(command: Command[Any], state: Crisis) -> None:
    """Refuse a role, gemeente, person or missing mandate that may not give this command."""
    payload = command.payload
    # An unknown case has no gemeente: a start checks the payload's, others get NOT_FOUND later.
    gemeente = state.gemeente
    if isinstance(payload, MeldCrisis | StartCrisisUitTriage) and gemeente is None:
        gemeente = payload.gemeente
    eis_bevoegd(command, BEVOEGDHEDEN, gemeente, "een crisiszaak")
    actor = command.actor
    if isinstance(payload, StelMedischeVerklaringOp) and payload.psychiater != actor.id:
        raise _persoonlijk(
            "een psychiater stelt alleen een eigen medische verklaring op", "psychiater"
        )
    opsteller = state.verklaring.psychiater if state.verklaring else actor.id
    if isinstance(payload, OndertekenMedischeVerklaring) and opsteller != actor.id:
        raise _persoonlijk(
            "alleen de psychiater die de verklaring opstelde mag haar ondertekenen",
            "verklaring_id",
        )
    if isinstance(payload, LegHoorverslagVast):
        if payload.hoorder != actor.id:
            raise _persoonlijk("een hoorder legt alleen een eigen hoorverslag vast", "hoorder")
        # The hearing must be covered by the mandate both when it took place and when recorded.
        momenten = {"het moment van horen": payload.gehoord_op, "nu": command.at}
        eis_mandaat(payload.mandaat, payload.partij, momenten, "mandaat", "te horen")
    if isinstance(payload, NeemBesluit) and actor.rol == Rol.LOCO_BURGEMEESTER:
        eis_mandaat(
            payload.loco_registratie,
            actor.id,
            {"nu": command.at},
            "loco_registratie",
            "als loco-burgemeester te besluiten",
        )


def _persoonlijk(message: str, field: str) -> DomainError:
    return DomainError(ErrorCode.FORBIDDEN, message, field)
