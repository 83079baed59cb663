"""Copies (afschriften) of the decision, and the advocaat assignment when there is none."""

from __future__ import annotations

from wvggz_contracts.crisis import (
    AdvocaatToegewezen,
    AdvocaatToewijzingGevraagd,
    AfschriftKlaargezet,
    BesluitAfgewezen,
    BesluitGenomen,
    BesluitUitkomst,
    CrisisGemeld,
    Ontvanger,
    RegistreerAdvocaat,
)
from wvggz_contracts.events import DomainEvent

from kernel.decider import Command, derived_id, violated
from services.crisis.domain.parameters import Parameters
from services.crisis.domain.state import Crisis, gemeld


def afschrift(
    besluit: BesluitGenomen | BesluitAfgewezen,
    ontvanger: Ontvanger,
    aan: str | None,
    parameters: Parameters,
) -> AfschriftKlaargezet:
    """One copy of the decision for one recipient."""
    uitkomst = (
        BesluitUitkomst.GENOMEN
        if isinstance(besluit, BesluitGenomen)
        else BesluitUitkomst.AFGEWEZEN
    )
    return AfschriftKlaargezet(
        crisis_id=besluit.crisis_id,
        gemeente=besluit.gemeente,
        afschrift_id=derived_id(besluit.besluit_id, f"afschrift:{ontvanger}"),
        ontvanger=ontvanger,
        aan=aan,
        besluit_id=besluit.besluit_id,
        besluit=uitkomst,
        besloten_op=besluit.besloten_op,
        rechtsgrond=parameters.rechtsgronden[(uitkomst, ontvanger)],
    )


def bij_oplegging(
    crisis: CrisisGemeld, besluit: BesluitGenomen, state: Crisis, parameters: Parameters
) -> list[DomainEvent]:
    """The copies of a crisismaatregel taken, and an advocaat assignment when there is none.

    To the betrokkene, the advocaat (without one, an assignment is asked for and the advocaat's
    copy follows on `RegistreerAdvocaat`), the geneesheer-directeur, the IGJ, the OvJ, the
    vertegenwoordiger when the decision names one, and the pvp only with the consent recorded at
    the hearing (none when hearing was impossible).
    """
    events: list[DomainEvent] = [
        afschrift(besluit, Ontvanger.BETROKKENE, crisis.betrokkene.naam, parameters)
    ]
    if besluit.advocaat is not None:
        events.append(afschrift(besluit, Ontvanger.ADVOCAAT, besluit.advocaat, parameters))
    else:
        events.append(
            AdvocaatToewijzingGevraagd(
                crisis_id=besluit.crisis_id,
                gemeente=besluit.gemeente,
                besluit_id=besluit.besluit_id,
                betrokkene=crisis.betrokkene,
                gevraagd_op=besluit.besloten_op,
            )
        )
    gd = besluit.geneesheer_directeur
    events += [
        afschrift(besluit, Ontvanger.GENEESHEER_DIRECTEUR, gd, parameters),
        afschrift(besluit, Ontvanger.IGJ, None, parameters),
        afschrift(besluit, Ontvanger.OVJ, None, parameters),
    ]
    if besluit.vertegenwoordiger is not None:
        events.append(
            afschrift(besluit, Ontvanger.VERTEGENWOORDIGER, besluit.vertegenwoordiger, parameters)
        )
    if state.hoorverslag is not None and state.hoorverslag.toestemming_gegevens_pvp:
        pvp = besluit.patientenvertrouwenspersoon
        events.append(afschrift(besluit, Ontvanger.PVP, pvp, parameters))
    return events


def bij_afwijzing(
    crisis: CrisisGemeld, besluit: BesluitAfgewezen, parameters: Parameters
) -> list[DomainEvent]:
    """The copies of a refusal: fewer recipients, by choice.

    The betrokkene (bekendmaking, art. 3:41 Awb), the OvJ (who may still prepare a zorgmachtiging)
    and an advocaat or vertegenwoordiger the decision names. No GD, IGJ or pvp: no compulsory
    care is carried out or supervised. No advocaat is assigned for a refusal.
    """
    events: list[DomainEvent] = [
        afschrift(besluit, Ontvanger.BETROKKENE, crisis.betrokkene.naam, parameters)
    ]
    if besluit.advocaat is not None:
        events.append(afschrift(besluit, Ontvanger.ADVOCAAT, besluit.advocaat, parameters))
    events.append(afschrift(besluit, Ontvanger.OVJ, None, parameters))
    if besluit.vertegenwoordiger is not None:
        events.append(
            afschrift(besluit, Ontvanger.VERTEGENWOORDIGER, besluit.vertegenwoordiger, parameters)
        )
    return events


def registreer_advocaat(
    command: Command[RegistreerAdvocaat], state: Crisis, parameters: Parameters
) -> list[DomainEvent]:
    """The assigned advocaat, and the copy of the decision that waited for them."""
    gemeld(state)
    besluit = state.besluit
    if not state.advocaat_gevraagd or not isinstance(besluit, BesluitGenomen):
        raise violated("er is geen advocaat gevraagd voor deze crisiszaak", "advocaat")
    advocaat = command.payload.advocaat
    return [
        AdvocaatToegewezen(
            crisis_id=besluit.crisis_id, advocaat=advocaat, toegewezen_op=command.at
        ),
        afschrift(besluit, Ontvanger.ADVOCAAT, advocaat, parameters),
    ]
