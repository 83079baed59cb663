"""The conclusion of a VO: the aanvraag to the OvJ, or the reason not to file one."""

from __future__ import annotations

from uuid import UUID

from wvggz_contracts.events import DomainEvent
from wvggz_contracts.onderzoek import (
    AanvraagIngediend,
    AanvraagVoorbereidingVerzoekschrift,
    AfsluitReden,
    BriefUitkomst,
    Concludeer,
    GeenAanvraag,
    Grond,
    Gronden,
    Toets,
)

from kernel.decider import Command, violated
from services.onderzoek.domain.afsluiting import afsluiten
from services.onderzoek.domain.state import Onderzoek, geopend

INGEDIEND = "aanvraag voorbereiding verzoekschrift zorgmachtiging ingediend bij de officier"


def concludeer(state: Onderzoek, command: Command[Concludeer]) -> list[DomainEvent]:
    """Conclude after three yeses and a report; an entitled melder's wish forces an aanvraag."""
    payload = command.payload
    if payload.melder_verzoekt_zorgmachtiging and not state.melder_heeft_recht_op_terugkoppeling:
        raise violated(
            "alleen een melder met recht op terugkoppeling kan om een zorgmachtiging vragen",
            "melder_verzoekt_zorgmachtiging",
        )
    # Seed 001 stap 3: when the gemeente sees no need but an entitled melder wants a
    # zorgmachtiging, the aanvraag is filed anyway, saying so; the checks need not all be yes.
    # A "no" recorded with BeoordeelToets closes the VO at once (stap 2), so in this case the
    # consulent concludes instead of recording that "no"; the answered checks become the gronden.
    op_verzoek_melder = payload.melder_verzoekt_zorgmachtiging and not state.alle_toetsen_ja
    if not op_verzoek_melder and not state.alle_toetsen_ja:
        raise violated(
            f"beoordeel eerst de toets {state.volgende_toets} voordat je concludeert", "toets"
        )
    rapport_id = state.rapport_id
    if rapport_id is None:
        raise violated("leg eerst het rapport van het onderzoek vast", "rapport")
    if payload.aanvraag is None:
        return _geen_aanvraag(state, command)
    if op_verzoek_melder and payload.reden is None:
        raise violated("vermeld waarom de gemeente geen noodzaak ziet", "reden")
    if not op_verzoek_melder and payload.reden is not None:
        raise violated("een aanvraag na drie keer ja heeft geen reden", "reden")
    return _aanvraag(state, command, payload.aanvraag, rapport_id, op_verzoek_melder)


def _geen_aanvraag(state: Onderzoek, command: Command[Concludeer]) -> list[DomainEvent]:
    payload = command.payload
    if payload.melder_verzoekt_zorgmachtiging:
        raise violated(
            "de melder wenst een zorgmachtiging: dien de aanvraag in en vermeld dat de gemeente "
            "geen noodzaak ziet",
            "aanvraag",
        )
    if payload.reden is None:
        raise violated("geef de reden om geen aanvraag in te dienen", "reden")
    besluit = GeenAanvraag(vo_id=payload.vo_id, reden=payload.reden, besloten_op=command.at)
    return [
        besluit,
        *afsluiten(
            state,
            AfsluitReden.GEEN_AANVRAAG,
            payload.reden,
            command.at,
            BriefUitkomst.GEEN_AANVRAAG,
        ),
    ]


def _aanvraag(
    state: Onderzoek,
    command: Command[Concludeer],
    aanvraag: AanvraagVoorbereidingVerzoekschrift,
    rapport_id: UUID,
    op_verzoek_melder: bool,
) -> list[DomainEvent]:
    vo = geopend(state)
    payload = command.payload
    ingediend = AanvraagIngediend(
        vo_id=vo.vo_id,
        melding_id=vo.melding_id,
        gemeente=vo.gemeente,
        ingediend_op=command.at,
        betrokkene=vo.betrokkene,
        jeugd=vo.jeugd,
        gronden=gronden(state),
        rapport_id=rapport_id,
        contact_consulent=aanvraag.contact_consulent,
        spoed=aanvraag.spoed,
        bijlagen=aanvraag.bijlagen,
        toelichting=aanvraag.toelichting,
        gemeente_ziet_geen_noodzaak=op_verzoek_melder,
        reden_geen_noodzaak=payload.reden,
        melder_verzoekt_zorgmachtiging=payload.melder_verzoekt_zorgmachtiging,
        verzoekende_melder=vo.melder if payload.melder_verzoekt_zorgmachtiging else None,
    )
    if op_verzoek_melder:
        toelichting = f"{INGEDIEND} op verzoek van de melder; de gemeente ziet geen noodzaak"
        uitkomst = BriefUitkomst.AANVRAAG_OP_VERZOEK_MELDER
    else:
        toelichting, uitkomst = INGEDIEND, BriefUitkomst.AANVRAAG_INGEDIEND
    return [
        ingediend,
        *afsluiten(state, AfsluitReden.AANVRAAG_INGEDIEND, toelichting, command.at, uitkomst),
    ]


def gronden(state: Onderzoek) -> Gronden:
    """The answered core questions as the grounds of the aanvraag."""
    per_toets = {
        u.toets: Grond(aannemelijk=u.aannemelijk, motivatie=u.motivatie) for u in state.uitslagen
    }
    return Gronden(
        ernstig_nadeel=per_toets.get(Toets.ERNSTIG_NADEEL),
        psychische_stoornis=per_toets.get(Toets.PSYCHISCHE_STOORNIS),
        noodzaak_verplichte_zorg=per_toets.get(Toets.NOODZAAK_VERPLICHTE_ZORG),
    )
