"""The quarter's figures per gemeente, computed from the cases: counts with their small cells
suppressed, and durations where enough cases count."""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import timedelta
from operator import attrgetter
from typing import TypeVar

from wvggz_contracts.overleg import kwartaal_grenzen

from services.overleg.cijfers.feiten import Afschrift, Crisis, Feiten, Melding, Onderzoek
from services.overleg.cijfers.model import Getoond, Kwartaalcijfers, Tabel
from services.overleg.cijfers.onderdrukking import onderdruk

C = TypeVar("C", Melding, Onderzoek, Crisis, Afschrift)

MIN_VOOR_MAAT = 5
"""A median or p90 is shown only over at least this many cases: fewer could point at a person."""

BESLUITNORM = timedelta(hours=18).total_seconds()
"""The burgemeester decides within 18 hours of the crisis being reported (seed 001 bijlage 4)."""

TOTAAL = "Totaal"
REGIO = "Regio"

UITKOMSTEN = ("crisis", "verkennend-onderzoek", "regulier", "geen-grond", "niet-getrieerd")
MELDERS = ("naaste", "buur", "hulpverlener", "politie", "anders")
VO_AFLOOP = ("aanvraag-ingediend", "geen-aanvraag", "toets-negatief", "lopend")
VO_TERMIJN = ("binnen-termijn", "termijn-verstreken", "lopend")
CRISIS_AFLOOP = ("genomen-en-voortgezet", "genomen", "afgewezen", "geen-besluit")
BESLUITTERMIJN = ("binnen-18-uur", "na-18-uur", "geen-besluit")
JEUGD = ("jonger-dan-18", "volwassen", "onbekend")
AFSCHRIFT_TIJDIG = ("tijdig", "te-laat", "niet-verzonden")


def _telling(
    naam: str,
    titel: str,
    gemeenten: Sequence[str],
    kolommen: Sequence[str],
    per_gemeente: Sequence[Iterable[str]],
    toelichting: str = "",
) -> Tabel:
    """A count table: per gemeente, the column of each of its cases.

    Every table of one population shares its row totals (e.g. meldingen per gemeente); the
    suppression treats them as known, so two tables together reveal no more than each alone.
    """
    tellingen = [Counter(kolommen_van) for kolommen_van in per_gemeente]
    cellen = [[telling[k] for k in kolommen] for telling in tellingen]
    return Tabel(
        naam=naam,
        titel=titel,
        rijen=[*gemeenten, TOTAAL],
        kolommen=[*kolommen, TOTAAL],
        cellen=onderdruk(cellen, bekende_rijtotalen=True),
        toelichting=toelichting,
    )


def p90(waarden: Sequence[float]) -> float:
    """The 90th percentile by nearest rank: the smallest value at least 90 % of them reach."""
    ordered = sorted(waarden)
    return ordered[math.ceil(0.9 * len(ordered)) - 1]


def _maat(
    naam: str,
    titel: str,
    eenheid: str,
    gemeenten: Sequence[str],
    duren: Mapping[str, list[float]],
) -> Tabel:
    """Median and p90 per gemeente and for the region, where enough cases count."""

    def rij(waarden: list[float]) -> list[Getoond]:
        if len(waarden) < MIN_VOOR_MAAT:
            return [None, None]
        return [round(statistics.median(waarden), 1), round(p90(waarden), 1)]

    alle = [d for g in gemeenten for d in duren.get(g, [])]
    return Tabel(
        naam=naam,
        titel=titel,
        eenheid=eenheid,
        optelbaar=False,
        rijen=[*gemeenten, REGIO],
        kolommen=["mediaan", "p90"],
        cellen=[*(rij(duren.get(g, [])) for g in gemeenten), rij(alle)],
        toelichting=f"Alleen getoond over ten minste {MIN_VOOR_MAAT} zaken.",
    )


def _uren(van: float, tot: float) -> float:
    return (tot - van) / 3600


def _vo_afloop(vo: Onderzoek) -> str:
    return vo.reden or "lopend"


def _vo_termijn(vo: Onderzoek) -> str:
    if vo.verstreken:
        return "termijn-verstreken"
    return "lopend" if vo.afgesloten_op is None else "binnen-termijn"


def _crisis_afloop(crisis: Crisis) -> str:
    if crisis.genomen is None:
        return "geen-besluit"
    if not crisis.genomen:
        return "afgewezen"
    return "genomen-en-voortgezet" if crisis.voortgezet else "genomen"


def _besluittermijn(crisis: Crisis) -> str:
    if crisis.besloten_op is None:
        return "geen-besluit"
    return "binnen-18-uur" if crisis.besloten_op - crisis.gemeld_op <= BESLUITNORM else "na-18-uur"


def _jeugd(case: Onderzoek | Crisis) -> str:
    return "onbekend" if case.jeugd is None else ("jonger-dan-18" if case.jeugd else "volwassen")


def _afschrift(afschrift: Afschrift, termijn: float) -> str:
    if afschrift.verzonden_op is None:
        return "niet-verzonden"
    return "tijdig" if afschrift.verzonden_op - afschrift.klaargezet_op <= termijn else "te-laat"


def kwartaalcijfers(
    feiten: Feiten,
    kwartaal: str,
    gemeenten: Sequence[str],
    *,
    afschrift_termijn: timedelta = timedelta(hours=24),
    escalaties: Sequence[tuple[str, str]] = (),
    niveaus: Sequence[str] = (),
) -> Kwartaalcijfers:
    """Every table of one quarter for the gemeenten of the region.

    `escalaties` holds (gemeente, current level) of each escalation of the regionale
    doorzettingsmacht registered in the quarter, counted per level of `niveaus`.
    """
    van, tot = kwartaal_grenzen(kwartaal)
    meldingen = [feiten.in_kwartaal(Melding, kwartaal, g) for g in gemeenten]
    vos = [feiten.in_kwartaal(Onderzoek, kwartaal, g) for g in gemeenten]
    crises = [feiten.in_kwartaal(Crisis, kwartaal, g) for g in gemeenten]
    afschriften = [feiten.in_kwartaal(Afschrift, kwartaal, g) for g in gemeenten]
    binnen = afschrift_termijn.total_seconds()

    def per(cases: Sequence[Sequence[C]], kolom: Callable[[C], str]) -> list[Iterable[str]]:
        return [map(kolom, van_gemeente) for van_gemeente in cases]

    vo_duur = {
        g: [
            _uren(vo.melding_ontvangen_op, vo.afgesloten_op) / 24
            for vo in van_gemeente
            if vo.afgesloten_op is not None
        ]
        for g, van_gemeente in zip(gemeenten, vos, strict=True)
    }
    besluit_uren = {
        g: [
            _uren(crisis.gemeld_op, crisis.besloten_op)
            for crisis in van_gemeente
            if crisis.besloten_op is not None
        ]
        for g, van_gemeente in zip(gemeenten, crises, strict=True)
    }
    tabellen = [
        _telling(
            "meldingen-per-uitkomst",
            "Meldingen naar uitkomst van de triage",
            gemeenten,
            UITKOMSTEN,
            per(meldingen, attrgetter("uitkomst")),
        ),
        _telling(
            "meldingen-per-melder",
            "Meldingen naar soort melder",
            gemeenten,
            MELDERS,
            per(meldingen, attrgetter("melder")),
            "Naaste: vertegenwoordiger, partner, ouder, familie of een andere essentiële naaste.",
        ),
        _telling(
            "vo-afloop",
            "Verkennende onderzoeken naar afloop (aanvragen aan de OvJ)",
            gemeenten,
            VO_AFLOOP,
            per(vos, _vo_afloop),
        ),
        _telling(
            "vo-termijn",
            "Verkennende onderzoeken en de termijn van 14 dagen",
            gemeenten,
            VO_TERMIJN,
            per(vos, _vo_termijn),
        ),
        _maat(
            "vo-duur",
            "Duur van melding tot afsluiting van het verkennend onderzoek",
            "dagen",
            gemeenten,
            vo_duur,
        ),
        _telling(
            "crisis-afloop",
            "Crisismaatregelen: besluiten en voortzettingen",
            gemeenten,
            CRISIS_AFLOOP,
            per(crises, _crisis_afloop),
        ),
        _telling(
            "crisis-besluittermijn",
            "Crisismaatregelen: besluit binnen 18 uur",
            gemeenten,
            BESLUITTERMIJN,
            per(crises, _besluittermijn),
        ),
        _maat(
            "crisis-besluittijd",
            "Uren van crisismelding tot besluit van de burgemeester",
            "uren",
            gemeenten,
            besluit_uren,
        ),
        _telling(
            "crisis-jeugd",
            "Crisismaatregelen naar leeftijd (jeugd: jonger dan 18)",
            gemeenten,
            JEUGD,
            per(crises, _jeugd),
        ),
        _telling(
            "vo-jeugd",
            "Verkennende onderzoeken naar leeftijd (jeugd: jonger dan 18)",
            gemeenten,
            JEUGD,
            per(vos, _jeugd),
        ),
        _telling(
            "afschriften",
            "Afschriften van crisisbesluiten verzonden binnen "
            f"{afschrift_termijn / timedelta(hours=1):g} uur",
            gemeenten,
            AFSCHRIFT_TIJDIG,
            per(afschriften, lambda a: _afschrift(a, binnen)),
        ),
    ]
    if niveaus:
        tabellen.append(
            _telling(
                "escalaties-per-niveau",
                "Escalaties (regionale doorzettingsmacht) naar huidig niveau",
                gemeenten,
                niveaus,
                [[n for waar, n in escalaties if waar == g] for g in gemeenten],
            )
        )
    return Kwartaalcijfers(
        kwartaal=kwartaal, van=van, tot=tot, gemeenten=list(gemeenten), tabellen=tabellen
    )
