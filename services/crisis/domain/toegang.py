"""Authorisation beyond role and gemeente: the acting person, and the register's mandates.

Each check is a rule's `toegang` (see `regels.py`): it runs after the kernel checked role and
gemeente, and raises FORBIDDEN, which the pipeline records in the audit trail.
"""

from __future__ import annotations

from wvggz_contracts.commands import ErrorCode, Rol
from wvggz_contracts.crisis import (
    LegHoorverslagVast,
    LegHorenOnmogelijkVast,
    NeemBesluit,
    OndertekenMedischeVerklaring,
    StelMedischeVerklaringOp,
)

from kernel.decider import Command, DomainError
from services.crisis.domain.mandaat import (
    HOORMANDAAT,
    LOCO_REGISTRATIE,
    eis_hoorbevoegdheid,
    eis_mandaat,
)
from services.crisis.domain.state import Crisis


def eigen_verklaring(_state: Crisis, command: Command[StelMedischeVerklaringOp]) -> None:
    """A psychiatrist drafts only a verklaring in their own name."""
    if command.payload.psychiater != command.actor.id:
        raise _persoonlijk(
            "een psychiater stelt alleen een eigen medische verklaring op", "psychiater"
        )


def eigen_ondertekening(state: Crisis, command: Command[OndertekenMedischeVerklaring]) -> None:
    """Only the psychiatrist who drafted the verklaring signs it."""
    opsteller = state.verklaring.psychiater if state.verklaring else command.actor.id
    if opsteller != command.actor.id:
        raise _persoonlijk(
            "alleen de psychiater die de verklaring opstelde mag haar ondertekenen",
            "verklaring_id",
        )


def gemandateerde_hoorder(_state: Crisis, command: Command[LegHoorverslagVast]) -> None:
    """A hoorder records their own hearing, as a user the register binds to a party that is
    mandated to hear: both the registration and the mandate cover the hearing and the recording.
    """
    payload = command.payload
    if payload.hoorder != command.actor.id:
        raise _persoonlijk("een hoorder legt alleen een eigen hoorverslag vast", "hoorder")
    momenten = {"het moment van horen": payload.gehoord_op, "nu": command.at}
    eis_hoorbevoegdheid(command.feit(HOORMANDAAT), command.actor.id, momenten)


def gemandateerde_hoorder_onmogelijk(
    _state: Crisis, command: Command[LegHorenOnmogelijkVast]
) -> None:
    """Only a user the register binds to a party mandated to hear records that hearing was
    impossible, under the same register as the hearing itself (at the recording)."""
    eis_hoorbevoegdheid(command.feit(HOORMANDAAT), command.actor.id, {"nu": command.at})


def geregistreerde_loco(_state: Crisis, command: Command[NeemBesluit]) -> None:
    """A loco-burgemeester decides only while registered; the burgemeester needs no registration."""
    actor = command.actor
    if actor.rol == Rol.LOCO_BURGEMEESTER:
        eis_mandaat(
            command.feit(LOCO_REGISTRATIE),
            actor.id,
            {"nu": command.at},
            None,  # the loco is the actor: no field of the command named them
            "als loco-burgemeester te besluiten",
        )


def _persoonlijk(message: str, field: str) -> DomainError:
    return DomainError(ErrorCode.FORBIDDEN, message, field)
