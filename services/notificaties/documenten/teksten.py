"""The Dutch words the documents use: roles, outcomes, gemeente names, dates and times."""

from __future__ import annotations

from typing import Final

from wvggz_contracts.crisis.common import BesluitUitkomst, Ontvanger
from wvggz_contracts.meldpunt import BriefSoort as MeldpuntBrief
from wvggz_contracts.meldpunt import Doorverwijzing, TriageUitkomst
from wvggz_contracts.onderzoek.common import BriefSoort as OnderzoekBrief
from wvggz_contracts.onderzoek.common import BriefUitkomst

GEMEENTEN: Final[dict[str, str]] = {
    "GM0376": "Blaricum",
    "GM0317": "Eemnes",
    "GM1942": "Gooise Meren",
    "GM0402": "Hilversum",
    "GM0406": "Huizen",
    "GM0417": "Laren",
    "GM0457": "Weesp",
    "GM1696": "Wijdemeren",
}
"""Names of the gemeenten of the default region (`GOOI_EN_VECHTSTREEK` in the contracts)."""

ONTVANGERS: Final[dict[Ontvanger, str]] = {
    Ontvanger.BETROKKENE: "betrokkene",
    Ontvanger.ADVOCAAT: "advocaat van de betrokkene",
    Ontvanger.GENEESHEER_DIRECTEUR: "geneesheer-directeur",
    Ontvanger.IGJ: "Inspectie Gezondheidszorg en Jeugd",
    Ontvanger.OVJ: "officier van justitie",
    Ontvanger.VERTEGENWOORDIGER: "vertegenwoordiger van de betrokkene",
    Ontvanger.PVP: "patiëntenvertrouwenspersoon",
}
"""Each recipient of an afschrift in words, as "u ontvangt dit afschrift als …"."""

BESLUITEN: Final[dict[BesluitUitkomst, str]] = {
    BesluitUitkomst.GENOMEN: "Crisismaatregel genomen",
    BesluitUitkomst.AFGEWEZEN: "Geen crisismaatregel genomen",
}
"""The burgemeester's decision in a few words."""

BESLUIT_ZINNEN: Final[dict[BesluitUitkomst, str]] = {
    BesluitUitkomst.GENOMEN: "een crisismaatregel genomen",
    BesluitUitkomst.AFGEWEZEN: "besloten geen crisismaatregel te nemen",
}
"""The burgemeester's decision, as "de burgemeester heeft op … …"."""

BRIEF_TITELS: Final[dict[str, str]] = {
    MeldpuntBrief.ONTVANGSTBEVESTIGING: "Ontvangstbevestiging van uw melding",
    MeldpuntBrief.TRIAGE_VERVOLG: "Vervolg op uw melding",
    OnderzoekBrief.VO_UITKOMST: "Uitkomst van het verkennend onderzoek",
    OnderzoekBrief.OVJ_BESLUIT: "Reactie van de officier van justitie",
    OnderzoekBrief.TERMIJN_VERSTREKEN: "Termijn van het verkennend onderzoek verstreken",
}
"""The subject of each letter to a melder, by its kind (the meldpunt's and the onderzoek's)."""

TRIAGE_VERVOLG: Final[dict[TriageUitkomst, str]] = {
    TriageUitkomst.CRISIS: "De situatie vraagt om een spoedige beoordeling. De procedure voor een"
    " mogelijke crisismaatregel is gestart.",
    TriageUitkomst.VERKENNEND_ONDERZOEK: "De gemeente start een verkennend onderzoek naar de"
    " noodzaak van verplichte ggz. U ontvangt bericht over de uitkomst van dat onderzoek.",
    TriageUitkomst.REGULIER: "Er is geen aanleiding voor een onderzoek naar verplichte ggz. De"
    " gemeente zorgt voor een vervolg via de gewone hulpverlening.",
    TriageUitkomst.GEEN_GROND: "Er is geen aanleiding voor verdere stappen op grond van de Wet"
    " verplichte ggz. De melding is afgesloten.",
}
"""What follows a triaged melding, told to an entitled melder."""

DOORVERWIJZINGEN: Final[dict[Doorverwijzing, str]] = {
    Doorverwijzing.BEMOEIZORG: "bemoeizorg",
    Doorverwijzing.SCHULDHULP: "schuldhulpverlening",
    Doorverwijzing.BUURTBEMIDDELING: "buurtbemiddeling",
    Doorverwijzing.WIJKTEAM: "het wijkteam",
    Doorverwijzing.HUISARTS: "de huisarts",
    Doorverwijzing.ANDERS: "een andere vorm van hulp",
}
"""Where a melding that needs no verplichte ggz is referred to, as "verwezen naar …"."""

_OVJ_ZELF = (
    " U kunt de officier van justitie zelf vragen een verzoekschrift voor een zorgmachtiging"
    " voor te bereiden."
)

BRIEF_UITKOMSTEN: Final[dict[BriefUitkomst, str]] = {
    BriefUitkomst.GEEN_VERVOLG: "Het verkennend onderzoek is op {datum} afgerond zonder vervolg. De"
    " gemeente vraagt de officier van justitie niet om een verzoekschrift voor een zorgmachtiging"
    " voor te bereiden." + _OVJ_ZELF,
    BriefUitkomst.AANVRAAG_INGEDIEND: "De gemeente heeft op {datum} de officier van justitie"
    " gevraagd een verzoekschrift voor een zorgmachtiging voor te bereiden.",
    BriefUitkomst.AANVRAAG_OP_VERZOEK_MELDER: "De gemeente heeft op {datum}, op uw verzoek, de"
    " officier van justitie gevraagd een verzoekschrift voor een zorgmachtiging voor te bereiden.",
    BriefUitkomst.GEEN_AANVRAAG: "Het verkennend onderzoek is op {datum} afgerond. De gemeente"
    " vraagt de officier van justitie niet om een verzoekschrift voor een zorgmachtiging voor te"
    " bereiden." + _OVJ_ZELF,
    BriefUitkomst.OVJ_BEREIDT_VERZOEKSCHRIFT_VOOR: "De officier van justitie heeft op {datum}"
    " laten weten een verzoekschrift voor een zorgmachtiging voor te bereiden.",
    BriefUitkomst.OVJ_BEREIDT_GEEN_VERZOEKSCHRIFT_VOOR: "De officier van justitie heeft op {datum}"
    " laten weten geen verzoekschrift voor een zorgmachtiging voor te bereiden.",
    BriefUitkomst.GEEN_BESLUIT_BINNEN_TERMIJN: "De termijn van het verkennend onderzoek is op"
    " {datum} verstreken zonder dat de gemeente een besluit heeft genomen." + _OVJ_ZELF,
}
"""What a letter after the verkennend onderzoek tells an entitled melder; never why."""


def gemeente_naam(code: str) -> str:
    """The gemeente's name, or its CBS code when it is not one of the known gemeenten."""
    return GEMEENTEN.get(code, code)


def hoofdletter(tekst: str) -> str:
    """The text with its first letter a capital, the rest as it is (unlike str.capitalize)."""
    return tekst[:1].upper() + tekst[1:]
