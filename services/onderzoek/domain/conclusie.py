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
    eis_deskundigheid(state, payload)
    return _aanvraag(state, command, payload.aanvraag, rapport_id, op_verzoek_melder)


GGZ_TOETSEN = frozenset({Toets.PSYCHISCHE_STOORNIS, Toets.NOODZAAK_VERPLICHTE_ZORG})
"""The checks that need GGZ expertise: seed 001 §3.1 stap 2, "Bij het uitvoeren van het
verkennend onderzoek dient bij stap 2.2 en 2.3 GGZ-expertise ingeschakeld te worden"."""

UITZONDERINGEN = ("zonder_ggz_motivatie", "zonder_jeugdexpertise_motivatie")
"""The fields of `Concludeer` that motivate an aanvraag without the expertise the VO needs."""


def eis_deskundigheid(state: Onderzoek, payload: Concludeer) -> None:
    """An aanvraag resting on check 2 or 3 needs the expertise consulted, or a motivation.

    Seed 001 §3.1 stap 2: check 2 is "onderbouwd aan te geven door raadplegen professional met
    GGZ expertise", check 3 "te onderbouwen met eventuele toets door professional met GGZ
    expertise"; seed 001 §2.5: for a minor "expertise gericht op kinder- en jeugdpsychiatrie, die
    binnen de periode van veertien dagen voor het verkennend onderzoek beschikbaar moet zijn".
    The consultation may come before or after the consulent records the check, as long as it is
    recorded when the aanvraag is filed. An aanvraag filed at an entitled melder's wish before
    checks 2 and 3 were judged rests on neither, so it needs neither.
    """
    steunt_op_ggz_toetsen = any(u.toets in GGZ_TOETSEN for u in state.uitslagen)
    ontbreekt = {
        "zonder_ggz_motivatie": steunt_op_ggz_toetsen and not state.ggz_geconsulteerd,
        "zonder_jeugdexpertise_motivatie": steunt_op_ggz_toetsen
        and state.kinderpsychiatrie_nodig
        and not state.jeugdexpertise_geconsulteerd,
    }
    uitleg = {
        "zonder_ggz_motivatie": "de toetsen psychische stoornis en noodzaak verplichte zorg vragen"
        " GGZ-expertise: leg eerst een GGZ-consultatie vast, of motiveer waarom de aanvraag"
        " zonder wordt ingediend",
        "zonder_jeugdexpertise_motivatie": "de betrokkene is minderjarig: leg een consultatie met"
        " kinder- en jeugdpsychiatrische expertise vast (jeugdexpertise), of motiveer waarom de"
        " aanvraag zonder wordt ingediend",
    }
    for veld in UITZONDERINGEN:
        motivatie = getattr(payload, veld)
        if ontbreekt[veld] and motivatie is None:
            raise violated(uitleg[veld], veld)
        if not ontbreekt[veld] and motivatie is not None:
            raise violated(f"{veld} hoort er niet bij: de deskundigheid ontbreekt niet", veld)


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
    for veld in UITZONDERINGEN:
        if getattr(payload, veld) is not None:
            raise violated(f"{veld} hoort alleen bij een aanvraag", veld)
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
        ggz_geconsulteerd=state.ggz_geconsulteerd,
        jeugdexpertise_geconsulteerd=state.jeugdexpertise_geconsulteerd,
        zonder_ggz_motivatie=payload.zonder_ggz_motivatie,
        zonder_jeugdexpertise_motivatie=payload.zonder_jeugdexpertise_motivatie,
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
