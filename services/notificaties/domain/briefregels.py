"""Every command on a letter, declared once: the service makes and sends it, functioneel
beheer confirms what the mail room posted or what came back."""

from __future__ import annotations

from wvggz_contracts.brieven import (
    BevestigAflevering,
    BevestigPostverzending,
    MaakBriefAan,
    RegistreerMislukking,
    VerzendBrief,
    ZetBriefKlaar,
)
from wvggz_contracts.commands import Rol

from kernel.rules import Rulebook, rule
from services.notificaties.domain.brieven import (
    Brief,
    bestaat,
    bevestig_aflevering,
    bevestig_post,
    evolve,
    gemeente_of,
    maak_aan,
    registreer_mislukking,
    verzend,
    zet_klaar,
)

CATEGORY = "brief"
"""Stream category of a letter: `brief-<brief_id>`."""

ZET_KLAAR = "zet-brief-klaar"
MAAK_AAN = "maak-brief-aan"
VERZEND = "verzend-brief"
BEVESTIG_AFLEVERING = "bevestig-aflevering"
BEVESTIG_POST = "bevestig-postverzending"
MISLUKT = "registreer-mislukking"


def make_brief_rulebook() -> Rulebook[Brief]:
    """The letter's rules."""
    dienst = frozenset({Rol.SYSTEEM})
    beheer = frozenset({Rol.FUNCTIONEEL_BEHEER})
    return Rulebook(
        category=CATEGORY,
        zaak="een brief",
        resource="brieven",
        fase_van=lambda state: state.fase,
        initial_state=Brief(),
        evolve=evolve,
        gemeente_of=gemeente_of,
        rules=(
            rule(
                name=ZET_KLAAR,
                payload=ZetBriefKlaar,
                description="Zet een brief of afschrift klaar (de dienst zelf, uit een procedure).",
                rollen=dienst,
                handeling="een brief klaarzetten",
                case_id=lambda command: command.payload.brief_id,
                decide=lambda state, command: zet_klaar(command, state),
                opent=True,
                gemeente=lambda payload: payload.gemeente,
            ),
            rule(
                name=MAAK_AAN,
                payload=MaakBriefAan,
                description="Leg vast dat het document van de brief is aangemaakt.",
                rollen=dienst,
                handeling="een brief aanmaken",
                case_id=lambda command: command.payload.brief_id,
                decide=lambda state, command: maak_aan(command, state),
                fase=bestaat,
            ),
            rule(
                name=VERZEND,
                payload=VerzendBrief,
                description="Leg vast dat de brief naar het kanaal van een partner ging.",
                rollen=dienst,
                handeling="een brief verzenden",
                case_id=lambda command: command.payload.brief_id,
                decide=lambda state, command: verzend(command, state),
                fase=bestaat,
            ),
            rule(
                name=BEVESTIG_AFLEVERING,
                payload=BevestigAflevering,
                description="Leg vast dat de partner de brief ontving.",
                rollen=dienst,
                handeling="een aflevering bevestigen",
                case_id=lambda command: command.payload.brief_id,
                decide=lambda state, command: bevestig_aflevering(command, state),
                fase=bestaat,
            ),
            rule(
                name=BEVESTIG_POST,
                payload=BevestigPostverzending,
                description="Bevestig dat de postkamer de brief verstuurde.",
                rollen=beheer,
                handeling="een postverzending bevestigen",
                case_id=lambda command: command.payload.brief_id,
                decide=lambda state, command: bevestig_post(command, state),
                fase=bestaat,
            ),
            rule(
                name=MISLUKT,
                payload=RegistreerMislukking,
                description="Leg vast dat een brief niet aankwam (opgegeven of retour).",
                rollen=frozenset({Rol.SYSTEEM, Rol.FUNCTIONEEL_BEHEER}),
                handeling="een mislukte verzending vastleggen",
                case_id=lambda command: command.payload.brief_id,
                decide=lambda state, command: registreer_mislukking(command, state),
                fase=bestaat,
            ),
        ),
    )
