"""The commands the crisis service accepts: subject name, payload and target case of each."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from wvggz_contracts.crisis import (
    BeeindigCrisismaatregel,
    BeeindigHoormandaat,
    BeeindigLocoBurgemeester,
    HeropenMedischeVerklaring,
    LegHoorverslagVast,
    LegHorenOnmogelijkVast,
    LegTijdelijkeZorgVast,
    MeldCrisis,
    NeemBesluit,
    OndertekenMedischeVerklaring,
    RegistreerAdvocaat,
    RegistreerHoormandaat,
    RegistreerLocoBurgemeester,
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

from kernel.decider import CommandSpec
from services.crisis.domain.mandaatregister import mandaat_id_for
from services.crisis.domain.start import crisis_id_for


def _crisis(name: str, payload: type[BaseModel], description: str) -> CommandSpec[Any]:
    """A command on an existing crisis case, named by `payload.crisis_id`."""
    return CommandSpec(
        name=name, payload=payload, case_id=lambda c: c.payload.crisis_id, description=description
    )


def _register(name: str, payload: type[BaseModel], description: str) -> CommandSpec[Any]:
    """A command on the mandate register of `payload.gemeente`."""
    return CommandSpec(
        name=name,
        payload=payload,
        case_id=lambda c: mandaat_id_for(c.payload.gemeente),
        description=description,
    )


MELD_CRISIS = _crisis(
    "meld-crisis", MeldCrisis, "Registreer een crisis gemeld door politie of zorgverantwoordelijke."
)
START_CRISIS_UIT_TRIAGE = CommandSpec(
    name="start-crisis-uit-triage",
    payload=StartCrisisUitTriage,
    case_id=lambda c: crisis_id_for(c.payload.melding_id),
    description="Start een crisiszaak voor een melding die de triage als crisis afrondde.",
)
LEG_TIJDELIJKE_ZORG_VAST = _crisis(
    "leg-tijdelijke-zorg-vast",
    LegTijdelijkeZorgVast,
    "Leg tijdelijke verplichte zorg vóór het besluit vast (art. 7:3 Wvggz).",
)
VRAAG_OVJ_GEGEVENS_OP = _crisis(
    "vraag-ovj-gegevens-op",
    VraagOvjGegevensOp,
    "Vraag de officier om gegevens over eerdere maatregelen en machtigingen.",
)
REGISTREER_OVJ_GEGEVENS = _crisis(
    "registreer-ovj-gegevens", RegistreerOvjGegevens, "Registreer de gegevens van de officier."
)
STEL_MEDISCHE_VERKLARING_OP = _crisis(
    "stel-medische-verklaring-op",
    StelMedischeVerklaringOp,
    "Stel als onafhankelijk psychiater de medische verklaring op.",
)
ONDERTEKEN_MEDISCHE_VERKLARING = _crisis(
    "onderteken-medische-verklaring",
    OndertekenMedischeVerklaring,
    "Onderteken de opgestelde medische verklaring.",
)
HEROPEN_MEDISCHE_VERKLARING = _crisis(
    "heropen-medische-verklaring",
    HeropenMedischeVerklaring,
    "Heropen de medische verklaring zolang het horen niet is vastgelegd.",
)
LEG_HOORVERSLAG_VAST = _crisis(
    "leg-hoorverslag-vast", LegHoorverslagVast, "Leg als gemandateerd hoorder het hoorverslag vast."
)
LEG_HOREN_ONMOGELIJK_VAST = _crisis(
    "leg-horen-onmogelijk-vast",
    LegHorenOnmogelijkVast,
    "Leg vast waarom de betrokkene niet gehoord kon worden.",
)
STEL_INTEGRAAL_ADVIES_SAMEN = _crisis(
    "stel-integraal-advies-samen",
    StelIntegraalAdviesSamen,
    "Stel het integraal advies aan de burgemeester samen.",
)
NEEM_BESLUIT = _crisis(
    "neem-besluit", NeemBesluit, "Neem als (loco-)burgemeester het besluit over de crisismaatregel."
)
REGISTREER_ADVOCAAT = _crisis(
    "registreer-advocaat", RegistreerAdvocaat, "Registreer de toegewezen advocaat."
)
REGISTREER_VERZOEK_VOORTZETTING = _crisis(
    "registreer-verzoek-voortzetting",
    RegistreerVerzoekVoortzetting,
    "Registreer het verzoek van de officier om een machtiging tot voortzetting.",
)
REGISTREER_RECHTERLIJKE_BESLISSING = _crisis(
    "registreer-rechterlijke-beslissing",
    RegistreerRechterlijkeBeslissing,
    "Registreer de beslissing van de rechter op een verzoek van de officier.",
)
REGISTREER_VERZOEK_ZORGMACHTIGING = _crisis(
    "registreer-verzoek-zorgmachtiging",
    RegistreerVerzoekZorgmachtiging,
    "Registreer het verzoek om een zorgmachtiging tijdens de voortzetting.",
)
BEEINDIG_CRISISMAATREGEL = _crisis(
    "beeindig-crisismaatregel",
    BeeindigCrisismaatregel,
    "Beëindig de crisismaatregel namens de geneesheer-directeur.",
)
SIGNALEER_NADEREND_BESLUIT = _crisis(
    "signaleer-naderend-besluit",
    SignaleerNaderendBesluit,
    "Termijnbewaking: het waarschuwingsmoment vóór de besluittermijn is bereikt.",
)
SIGNALEER_BESLUIT_TERMIJN_VERSTREKEN = _crisis(
    "signaleer-besluit-termijn-verstreken",
    SignaleerBesluitTermijnVerstreken,
    "Termijnbewaking: de besluittermijn is verstreken.",
)
SIGNALEER_EINDE_MAATREGEL = _crisis(
    "signaleer-einde-maatregel",
    SignaleerEindeMaatregel,
    "Termijnbewaking: het einde van de crisismaatregel is bereikt.",
)

REGISTREER_HOORMANDAAT = _register(
    "registreer-hoormandaat", RegistreerHoormandaat, "Registreer een mandaat om te horen."
)
BEEINDIG_HOORMANDAAT = _register(
    "beeindig-hoormandaat", BeeindigHoormandaat, "Beëindig een mandaat om te horen."
)
REGISTREER_LOCO_BURGEMEESTER = _register(
    "registreer-loco-burgemeester",
    RegistreerLocoBurgemeester,
    "Registreer een loco-burgemeester en de periode.",
)
BEEINDIG_LOCO_BURGEMEESTER = _register(
    "beeindig-loco-burgemeester",
    BeeindigLocoBurgemeester,
    "Beëindig de registratie van een loco-burgemeester.",
)

COMMANDS: tuple[CommandSpec[Any], ...] = (
    MELD_CRISIS,
    START_CRISIS_UIT_TRIAGE,
    LEG_TIJDELIJKE_ZORG_VAST,
    VRAAG_OVJ_GEGEVENS_OP,
    REGISTREER_OVJ_GEGEVENS,
    STEL_MEDISCHE_VERKLARING_OP,
    ONDERTEKEN_MEDISCHE_VERKLARING,
    HEROPEN_MEDISCHE_VERKLARING,
    LEG_HOORVERSLAG_VAST,
    LEG_HOREN_ONMOGELIJK_VAST,
    STEL_INTEGRAAL_ADVIES_SAMEN,
    NEEM_BESLUIT,
    REGISTREER_ADVOCAAT,
    REGISTREER_VERZOEK_VOORTZETTING,
    REGISTREER_RECHTERLIJKE_BESLISSING,
    REGISTREER_VERZOEK_ZORGMACHTIGING,
    BEEINDIG_CRISISMAATREGEL,
    SIGNALEER_NADEREND_BESLUIT,
    SIGNALEER_BESLUIT_TERMIJN_VERSTREKEN,
    SIGNALEER_EINDE_MAATREGEL,
)
"""The commands of the crisis decider (`make_decider`)."""

MANDAAT_COMMANDS: tuple[CommandSpec[Any], ...] = (
    REGISTREER_HOORMANDAAT,
    BEEINDIG_HOORMANDAAT,
    REGISTREER_LOCO_BURGEMEESTER,
    BEEINDIG_LOCO_BURGEMEESTER,
)
"""The commands of the mandate-register decider (`make_mandaat_decider`)."""
