"""The hours the region pays for per gemeente and quarter, and their cost at the tariffs (seed 001
§4.6): hearings and GGZ consultations from the procedures' events, the rest as registered."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from wvggz_contracts.overleg import UrenSoort

from services.overleg.cijfers.feiten import Feiten
from services.overleg.cijfers.model import Getoond, Tabel

REGIO = "Regio"


@dataclass(frozen=True, slots=True)
class Tarieven:
    """Euro per hour of each kind, and the hours one hearing takes."""

    horen: float
    ggz_consultatie: float
    secretarieel: float
    beleidsmatig: float
    uren_per_horen: float

    def per_uur(self, soort: UrenSoort) -> float:
        """The tariff of a kind of hours."""
        return float(getattr(self, soort.value.replace("-", "_")))


@dataclass(frozen=True, slots=True)
class Uren:
    """Hours registered by command."""

    gemeente: str
    kwartaal: str
    soort: UrenSoort
    uren: float


def kostentabel(
    feiten: Feiten,
    geregistreerd: Iterable[Uren],
    kwartaal: str,
    gemeenten: Sequence[str],
    tarieven: Tarieven,
) -> Tabel:
    """Hours of each kind and their cost per gemeente, and for the region."""
    soorten = list(UrenSoort)
    uren = {g: dict.fromkeys(soorten, 0.0) for g in gemeenten}
    for gemeente in gemeenten:
        horen = feiten.hoorzittingen.get((gemeente, kwartaal), 0) * tarieven.uren_per_horen
        uren[gemeente][UrenSoort.HOREN] += horen
        uren[gemeente][UrenSoort.GGZ_CONSULTATIE] += feiten.ggz_uren.get((gemeente, kwartaal), 0.0)
    for registratie in geregistreerd:
        if registratie.kwartaal == kwartaal and registratie.gemeente in uren:
            uren[registratie.gemeente][registratie.soort] += registratie.uren

    def rij(per_soort: dict[UrenSoort, float]) -> list[Getoond]:
        kosten = sum(per_soort[s] * tarieven.per_uur(s) for s in soorten)
        return [*(round(per_soort[s], 2) for s in soorten), round(kosten, 2)]

    regio = {s: sum(uren[g][s] for g in gemeenten) for s in soorten}
    return Tabel(
        naam="kosten",
        titel=f"Uren en kosten voor de regionale begroting, {kwartaal}",
        eenheid="uren en euro",
        optelbaar=False,
        rijen=[*gemeenten, REGIO],
        kolommen=[*(f"uren {s.value}" for s in soorten), "kosten (euro)"],
        cellen=[*(rij(uren[g]) for g in gemeenten), rij(regio)],
        toelichting=(
            f"Horen: {_getal(tarieven.uren_per_horen)} uur per hoorzitting à"
            f" {_euro(tarieven.horen)}; GGZ-consultatie à {_euro(tarieven.ggz_consultatie)};"
            f" secretarieel à {_euro(tarieven.secretarieel)}; beleidsmatig à"
            f" {_euro(tarieven.beleidsmatig)} per uur."
        ),
    )


def _getal(waarde: float) -> str:
    return f"{waarde:g}".replace(".", ",")


def _euro(bedrag: float) -> str:
    """An amount as Dutch readers write it: € 76,80."""
    return f"€ {bedrag:.2f}".replace(".", ",")
