"""The commands the meldpunt accepts: subject name, payload model and target case."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from wvggz_contracts.meldpunt import (
    OverdraagMelding,
    RegistreerMelding,
    RegistreerVoAfsluiting,
    RondTriageAf,
)

from kernel.decider import Command, CommandSpec, derived_id


def melding_id_for(command: Command[RegistreerMelding]) -> UUID:
    """A new melding's id follows from the command id, so a retried registration repeats it."""
    return derived_id(command.command_id, "melding")


def _overdracht_van(command: Command[OverdraagMelding]) -> UUID:
    return command.payload.melding_id


def _triage_van(command: Command[RondTriageAf]) -> UUID:
    return command.payload.melding_id


REGISTREER_MELDING = CommandSpec(
    name="registreer-melding",
    payload=RegistreerMelding,
    case_id=melding_id_for,
    description="Registreer een melding over een persoon om wie de melder zich zorgen maakt.",
)

OVERDRAAG_MELDING = CommandSpec(
    name="overdraag-melding",
    payload=OverdraagMelding,
    case_id=_overdracht_van,
    description="Draag een nog niet getriageerde melding over aan een andere gemeente in de regio.",
)

ROND_TRIAGE_AF = CommandSpec(
    name="rond-triage-af",
    payload=RondTriageAf,
    case_id=_triage_van,
    description="Leg de triage van een melding vast: de drie vragen beoordeeld en het vervolg.",
)


def _vo_afsluiting_van(command: Command[RegistreerVoAfsluiting]) -> UUID:
    return command.payload.melding_id


REGISTREER_VO_AFSLUITING = CommandSpec(
    name="registreer-vo-afsluiting",
    payload=RegistreerVoAfsluiting,
    case_id=_vo_afsluiting_van,
    description="De dienst zelf: het verkennend onderzoek van deze melding is afgesloten.",
)

COMMANDS: tuple[CommandSpec[Any], ...] = (
    REGISTREER_MELDING,
    OVERDRAAG_MELDING,
    ROND_TRIAGE_AF,
    REGISTREER_VO_AFSLUITING,
)
"""Every command of the meldpunt, for the handlers to register."""
