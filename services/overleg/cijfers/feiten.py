"""The cases behind the figures, folded from the observations: one record per melding, VO, crisis
case and afschrift, with the quarter it counts in (Amsterdam time)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from wvggz_contracts.overleg import kwartaal_van
from wvggz_contracts.rechtstijd import lokale_datum

from services.overleg.cijfers.bron import Waarneming

AFSCHRIFT = "afschrift-crisismaatregel"


@dataclass(slots=True)
class Melding:
    """A melding received in `kwartaal`."""

    gemeente: str
    kwartaal: str
    melder: str
    jeugd: bool | None
    uitkomst: str | None = None


@dataclass(slots=True)
class Onderzoek:
    """A VO opened in `kwartaal`; its duration runs from the melding to its closing."""

    gemeente: str
    kwartaal: str
    melding_ontvangen_op: datetime
    jeugd: bool | None
    afgesloten_op: datetime | None = None
    reden: str | None = None
    verstreken: bool = False


@dataclass(slots=True)
class Crisis:
    """A crisis case reported in `kwartaal`, and the burgemeester's decision on it."""

    gemeente: str
    kwartaal: str
    gemeld_op: datetime
    jeugd: bool | None
    besloten_op: datetime | None = None
    genomen: bool | None = None
    voortgezet: bool = False


@dataclass(slots=True)
class Afschrift:
    """A copy of a crisis decision put ready in `kwartaal`, and when it went out."""

    gemeente: str
    kwartaal: str
    klaargezet_op: datetime
    verzonden_op: datetime | None = None


@dataclass
class Feiten:
    """Every case the figures count, and the hours that come from events."""

    meldingen: dict[str, Melding] = field(default_factory=dict)
    onderzoeken: dict[str, Onderzoek] = field(default_factory=dict)
    crises: dict[str, Crisis] = field(default_factory=dict)
    afschriften: dict[str, Afschrift] = field(default_factory=dict)
    hoorzittingen: defaultdict[tuple[str, str], int] = field(
        default_factory=lambda: defaultdict(int)
    )
    """Hearings per (gemeente, quarter)."""
    ggz_uren: defaultdict[tuple[str, str], float] = field(
        default_factory=lambda: defaultdict(float)
    )
    """GGZ consultation hours in VO's per (gemeente, quarter)."""

    def voeg_toe(self, w: Waarneming) -> None:
        """Fold one more observation in (events of one case arrive in their order)."""
        soort, zaak = w.soort, w.zaak
        if soort == "melding-ontvangen":
            self.meldingen[zaak] = Melding(
                w.gemeente, _kwartaal(w.op), w.feiten["melder"], w.feiten.get("jeugd")
            )
        elif soort == "triage-afgerond":
            if (melding := self.meldingen.get(zaak)) is not None:
                melding.uitkomst = w.feiten["uitkomst"]
        elif soort == "vo-geopend":
            self.onderzoeken[zaak] = Onderzoek(
                w.gemeente,
                _kwartaal(w.op),
                datetime.fromisoformat(w.feiten["melding_ontvangen_op"]),
                w.feiten.get("jeugd"),
            )
        elif soort == "vo-afgesloten":
            if (vo := self.onderzoeken.get(zaak)) is not None:
                vo.afgesloten_op, vo.reden = w.op, w.feiten["reden"]
        elif soort == "termijn-verstreken":
            if (vo := self.onderzoeken.get(zaak)) is not None:
                vo.verstreken = True
        elif soort == "crisis-gemeld":
            self.crises[zaak] = Crisis(w.gemeente, _kwartaal(w.op), w.op, w.feiten.get("jeugd"))
        elif soort in ("besluit-genomen", "besluit-afgewezen"):
            if (crisis := self.crises.get(zaak)) is not None:
                crisis.besloten_op, crisis.genomen = w.op, soort == "besluit-genomen"
        elif soort == "verzoek-voortzetting-ingediend":
            if (crisis := self.crises.get(zaak)) is not None:
                crisis.voortgezet = True
        elif soort == "hoorverslag-vastgelegd":
            self.hoorzittingen[(w.gemeente, _kwartaal(w.op))] += 1
        elif soort == "ggz-consultatie-vastgelegd":
            self.ggz_uren[(w.gemeente, _kwartaal(w.op))] += float(w.feiten["uren"])
        elif soort == "brief-klaargezet":
            if w.feiten.get("vorm") == AFSCHRIFT:
                self.afschriften[zaak] = Afschrift(w.gemeente, _kwartaal(w.op), w.op)
        elif soort == "brief-verzonden" and (afschrift := self.afschriften.get(zaak)):
            afschrift.verzonden_op = w.op

    def kwartalen(self) -> set[str]:
        """Every quarter some case counts in."""
        return {
            case.kwartaal
            for cases in (self.meldingen, self.onderzoeken, self.crises, self.afschriften)
            for case in cases.values()
        }


def _kwartaal(op: datetime) -> str:
    return kwartaal_van(lokale_datum(op))


def feiten_uit(waarnemingen: Iterable[Waarneming]) -> Feiten:
    """The cases behind the figures, from the observations in the order they were kept."""
    feiten = Feiten()
    for w in waarnemingen:
        feiten.voeg_toe(w)
    return feiten
