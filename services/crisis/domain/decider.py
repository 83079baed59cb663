"""The crisis decider: the phase guards of a case and dispatch to the rule per command."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import timedelta
from typing import Any

from pydantic import BaseModel
from wvggz_contracts.crisis import (
    BeeindigCrisismaatregel,
    BesluitUitkomst,
    HeropenMedischeVerklaring,
    LegHoorverslagVast,
    LegHorenOnmogelijkVast,
    LegTijdelijkeZorgVast,
    MeldCrisis,
    NeemBesluit,
    OndertekenMedischeVerklaring,
    Ontvanger,
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
from wvggz_contracts.events import DomainEvent

from kernel.decider import Command, Decider, violated
from services.crisis.domain import (
    advies,
    afschriften,
    besluit,
    horen,
    start,
    termijnbewaking,
    verklaring,
    verloop,
    voorbereiding,
)
from services.crisis.domain.parameters import RECHTSGRONDEN, Parameters
from services.crisis.domain.state import Crisis, evolve, gemeld
from services.crisis.domain.termijnen import Termijnregels
from services.crisis.domain.toegang import authorize

CATEGORY = "crisismaatregel"
"""Stream category of a case: `crisismaatregel-<crisis_id>`."""

Regel = Callable[[Command[Any], Crisis, Parameters], list[DomainEvent]]

REGELS: Mapping[type[BaseModel], Regel] = {
    MeldCrisis: start.meld_crisis,
    StartCrisisUitTriage: start.start_uit_triage,
    LegTijdelijkeZorgVast: voorbereiding.leg_tijdelijke_zorg_vast,
    VraagOvjGegevensOp: voorbereiding.vraag_ovj_gegevens_op,
    RegistreerOvjGegevens: voorbereiding.registreer_ovj_gegevens,
    StelMedischeVerklaringOp: verklaring.stel_medische_verklaring_op,
    OndertekenMedischeVerklaring: verklaring.onderteken_medische_verklaring,
    HeropenMedischeVerklaring: verklaring.heropen_medische_verklaring,
    LegHoorverslagVast: horen.leg_hoorverslag_vast,
    LegHorenOnmogelijkVast: horen.leg_horen_onmogelijk_vast,
    StelIntegraalAdviesSamen: advies.stel_integraal_advies_samen,
    NeemBesluit: besluit.neem_besluit,
    RegistreerAdvocaat: afschriften.registreer_advocaat,
    RegistreerVerzoekVoortzetting: verloop.registreer_verzoek_voortzetting,
    RegistreerRechterlijkeBeslissing: verloop.registreer_rechterlijke_beslissing,
    RegistreerVerzoekZorgmachtiging: verloop.registreer_verzoek_zorgmachtiging,
    BeeindigCrisismaatregel: verloop.beeindig_crisismaatregel,
    SignaleerNaderendBesluit: termijnbewaking.signaleer_naderend_besluit,
    SignaleerBesluitTermijnVerstreken: termijnbewaking.signaleer_besluit_termijn_verstreken,
    SignaleerEindeMaatregel: termijnbewaking.signaleer_einde_maatregel,
}
"""The rule that decides each command."""

START = frozenset({MeldCrisis, StartCrisisUitTriage})

VOOR_BESLUIT = frozenset(
    {
        LegTijdelijkeZorgVast,
        VraagOvjGegevensOp,
        StelMedischeVerklaringOp,
        OndertekenMedischeVerklaring,
        HeropenMedischeVerklaring,
        LegHoorverslagVast,
        LegHorenOnmogelijkVast,
        StelIntegraalAdviesSamen,
        NeemBesluit,
    }
)
"""Commands that prepare the decision: refused once the burgemeester decided."""

NA_AFSLUITING = frozenset(
    {
        RegistreerAdvocaat,
        SignaleerNaderendBesluit,
        SignaleerBesluitTermijnVerstreken,
        SignaleerEindeMaatregel,
    }
)
"""Commands that still apply to a closed case: the advocaat's copy, and signals (no-ops)."""

NA_VERLOPEN = frozenset(
    {
        RegistreerVerzoekVoortzetting,
        RegistreerRechterlijkeBeslissing,
        RegistreerVerzoekZorgmachtiging,
    }
)
"""Commands that may still register a fact from before an expiry the watcher recorded."""


def make_decider(
    regio: frozenset[str],
    besluit_binnen: timedelta = timedelta(hours=18),
    waarschuwing_na: timedelta = timedelta(hours=12),
    termijnregels: Termijnregels | None = None,
    rechtsgronden: Mapping[tuple[BesluitUitkomst, Ontvanger], str] | None = None,
) -> Decider[Crisis]:
    """The crisis decider for a region: the decision norm, its warning and the term rules."""
    parameters = Parameters(
        regio=regio,
        besluit_binnen=besluit_binnen,
        waarschuwing_na=waarschuwing_na,
        termijnregels=termijnregels or Termijnregels(),
        rechtsgronden={**RECHTSGRONDEN, **(rechtsgronden or {})},
    )

    def decide(command: Command[Any], state: Crisis) -> list[DomainEvent]:
        soort = type(command.payload)
        regel = REGELS.get(soort)
        if regel is None:
            raise violated(f"onbekend commando voor een crisiszaak: {soort.__name__}")
        if soort not in START:
            gemeld(state)
            laat = state.verlopen and soort in NA_VERLOPEN
            if not state.open and soort not in NA_AFSLUITING and not laat:
                raise violated("de crisiszaak is afgesloten")
            if state.besloten and soort in VOOR_BESLUIT:
                raise violated("de burgemeester heeft al besloten over deze crisismaatregel")
        return regel(command, state, parameters)

    return Decider(
        category=CATEGORY,
        initial_state=Crisis(),
        evolve=evolve,
        decide=decide,
        authorize=authorize,
        gemeente_of=lambda state: state.gemeente,
    )
