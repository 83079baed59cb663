"""The figures at policy level as the overleg's participants ask for them: per quarter as JSON, CSV,
charts (SVG, PNG) and the quarterly report (PDF), and the costs for the regional budget."""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import Any

from faststream.nats import NatsRouter
from pydantic import BaseModel, ConfigDict
from wvggz_contracts.commands import Actor, ErrorCode, Rol
from wvggz_contracts.overleg import Kwartaal, nog_niet_begonnen
from wvggz_contracts.rechtstijd import lokale_datum

from kernel.decider import DomainError
from kernel.queries import Inzage, NoParams, QuerySpec
from kernel.runtime import ServiceRuntime
from services.overleg.cijfers.berekening import kwartaalcijfers
from services.overleg.cijfers.bijhouden import Cijferbron
from services.overleg.cijfers.kosten import Tarieven, Uren, kostentabel
from services.overleg.cijfers.model import Kwartaalcijfers
from services.overleg.projections import REGIO_OVERLEGGEN
from services.overleg.rapport.export import csv_van
from services.overleg.rapport.grafieken import Grafiek, grafiek
from services.overleg.rapport.kwartaalrapport import kwartaalrapport
from services.overleg.rapport.regels import Afspraakregel, Agendaregel
from services.overleg.vragen import DEELNEMERS, agenda

BEWAARD = 8
"""Quarters whose tables and charts are kept computed."""

BEGROTING = frozenset({Rol.SECRETARIAAT, Rol.FUNCTIONEEL_BEHEER, Rol.BURGEMEESTER})
"""Who sees the hours and costs: those who keep and approve the regional budget."""


class KwartaalVraag(BaseModel):
    """Params of the queries about one quarter."""

    model_config = ConfigDict(extra="forbid")

    kwartaal: Kwartaal


def _spec(name: str, description: str, sub: str | None = None, **kwargs: Any) -> QuerySpec:
    return QuerySpec(
        name,
        KwartaalVraag,
        description,
        rollen=kwargs.pop("rollen", DEELNEMERS),
        wat=kwargs.pop("wat", "de beleidscijfers"),
        resource=kwargs.pop("resource", "kwartaalcijfers"),
        item="kwartaal",
        sub=sub,
    )


KWARTALEN_VRAAG = QuerySpec(
    "kwartalen",
    NoParams,
    "De kwartalen waarover beleidscijfers zijn, nieuwste eerst.",
    rollen=DEELNEMERS,
    wat="de beleidscijfers",
    resource="kwartaalcijfers",
    werk=False,
)
CIJFERS_VRAAG = _spec(
    "kwartaalcijfers",
    "De beleidscijfers van een kwartaal per gemeente; aantallen van 1 tot 4 als <5, met"
    " aanvullende onderdrukking (x).",
)
CSV_VRAAG = _spec("kwartaalcijfers-csv", "De tabellen van een kwartaal als CSV.", "csv")
GRAFIEKEN_VRAAG = _spec(
    "grafieken", "De grafieken van een kwartaal (SVG, en PNG in base64).", "grafieken"
)
RAPPORT_VRAAG = _spec(
    "kwartaalrapport",
    "Het kwartaalrapport voor het regio-overleg (PDF in base64): cijfers, grafieken, agenda en"
    " open afspraken.",
    "rapport",
)
KOSTEN_VRAAG = _spec(
    "kosten",
    "Uren en kosten van een kwartaal per gemeente, voor de regionale begroting.",
    rollen=BEGROTING,
    wat="de kosten",
    resource="kosten",
)
QUERIES = (KWARTALEN_VRAAG, CIJFERS_VRAAG, CSV_VRAAG, GRAFIEKEN_VRAAG, RAPPORT_VRAAG, KOSTEN_VRAAG)


def serve(
    router: NatsRouter,
    runtime: ServiceRuntime[Any],
    bron: Cijferbron,
    escalaties: Callable[[str], tuple[Sequence[str], list[tuple[str, str]]]],
) -> None:
    """Answer the figures' queries; `escalaties(kwartaal)` gives the levels of the ladder and
    (gemeente, level) of each escalation registered in the quarter."""
    settings = runtime.settings
    gemeenten = list(settings.gemeenten)
    tarieven = Tarieven(
        horen=settings.tarief_horen,
        ggz_consultatie=settings.tarief_ggz_consultatie,
        secretarieel=settings.tarief_secretarieel,
        beleidsmatig=settings.tarief_beleidsmatig,
        uren_per_horen=settings.uren_per_horen,
    )

    def begonnen(kwartaal: str) -> None:
        if nog_niet_begonnen(kwartaal, lokale_datum(runtime.clock())):
            raise DomainError(
                ErrorCode.VALIDATION_FAILED, f"{kwartaal} is nog niet begonnen", "kwartaal"
            )

    # A quarter's tables and charts are asked for together (the portal's figures page asks
    # both): computed once per state of the cases, kept for the last few quarters asked.
    berekend: dict[tuple[object, ...], tuple[Kwartaalcijfers, list[Grafiek] | None]] = {}

    def berekening(kwartaal: str) -> tuple[tuple[object, ...], Kwartaalcijfers]:
        begonnen(kwartaal)
        niveaus, per_gemeente = escalaties(kwartaal)
        sleutel = (kwartaal, bron.versie, tuple(per_gemeente))
        if sleutel not in berekend:
            if len(berekend) >= BEWAARD:
                del berekend[next(iter(berekend))]
            found = kwartaalcijfers(
                bron.feiten,
                kwartaal,
                gemeenten,
                afschrift_termijn=timedelta(hours=settings.afschrift_tijdig_uren),
                escalaties=per_gemeente,
                niveaus=niveaus,
            )
            berekend[sleutel] = (found, None)
        return sleutel, berekend[sleutel][0]

    def cijfers(kwartaal: str, inzage: Inzage) -> Kwartaalcijfers:
        found = berekening(kwartaal)[1]
        inzage.aantal = len(found.tabellen)
        return found

    async def getekend(kwartaal: str, inzage: Inzage) -> tuple[Kwartaalcijfers, list[Grafiek]]:
        sleutel, found = berekening(kwartaal)
        inzage.aantal = len(found.tabellen)
        charts = berekend[sleutel][1]
        if charts is None:
            charts = await asyncio.to_thread(lambda: [grafiek(t) for t in found.tabellen])
            berekend[sleutel] = (found, charts)
        return found, charts

    async def kwartalen(_actor: Actor, _params: NoParams, inzage: Inzage) -> list[dict[str, Any]]:
        found = sorted(bron.feiten.kwartalen(), reverse=True)
        inzage.aantal = len(found)
        return [{"kwartaal": k} for k in found]

    async def tabellen(_actor: Actor, params: KwartaalVraag, inzage: Inzage) -> dict[str, Any]:
        return cijfers(params.kwartaal, inzage).model_dump(mode="json")

    async def csv(_actor: Actor, params: KwartaalVraag, inzage: Inzage) -> list[dict[str, Any]]:
        return [
            {
                "naam": f"{params.kwartaal}-{t.naam}.csv",
                "mediatype": "text/csv",
                "tekst": csv_van(t),
            }
            for t in cijfers(params.kwartaal, inzage).tabellen
        ]

    async def grafieken(
        _actor: Actor, params: KwartaalVraag, inzage: Inzage
    ) -> list[dict[str, Any]]:
        found, charts = await getekend(params.kwartaal, inzage)
        return [
            {
                "naam": t.naam,
                "titel": t.titel,
                "svg": g.svg.decode(),
                "png_base64": base64.b64encode(g.png).decode(),
                "punten": [list(p) for p in g.punten],
            }
            for t, g in zip(found.tabellen, charts, strict=True)
        ]

    async def rapport(_actor: Actor, params: KwartaalVraag, inzage: Inzage) -> dict[str, Any]:
        found = cijfers(params.kwartaal, inzage)
        overleggen = runtime.views.rows(REGIO_OVERLEGGEN)
        nu = runtime.clock()
        regio = overleggen[0].veiligheidsregio if overleggen else "de regio"
        volgende = agenda(overleggen[0], nu) if overleggen else {"punten": [], "afspraken": []}
        punten = [
            Agendaregel(thema=p["thema"], titel=p["titel"], toelichting=p["toelichting"] or "")
            for p in volgende["punten"]
        ]
        afspraken = [
            Afspraakregel(
                omschrijving=a["omschrijving"],
                eigenaar=a["eigenaar"],
                uiterlijk=a["uiterlijk"],
                status=a["status"],
            )
            for a in volgende["afspraken"]
        ]
        pdf = await asyncio.to_thread(
            kwartaalrapport, found, regio=regio, agenda=punten, afspraken=afspraken, gemaakt_op=nu
        )
        return {
            "naam": f"kwartaalrapport-{params.kwartaal}.pdf",
            "mediatype": "application/pdf",
            "base64": base64.b64encode(pdf).decode(),
        }

    async def kosten(_actor: Actor, params: KwartaalVraag, inzage: Inzage) -> dict[str, Any]:
        begonnen(params.kwartaal)
        geregistreerd = [
            Uren(u.gemeente, u.kwartaal, u.soort, float(u.uren))
            for row in runtime.views.rows(REGIO_OVERLEGGEN)
            for u in row.uren
        ]
        tabel = kostentabel(bron.feiten, geregistreerd, params.kwartaal, gemeenten, tarieven)
        inzage.aantal = len(tabel.rijen)
        return tabel.model_dump(mode="json")

    runtime.query(router, KWARTALEN_VRAAG, kwartalen)
    runtime.query(router, CIJFERS_VRAAG, tabellen)
    runtime.query(router, CSV_VRAAG, csv)
    runtime.query(router, GRAFIEKEN_VRAAG, grafieken)
    runtime.query(router, RAPPORT_VRAAG, rapport)
    runtime.query(router, KOSTEN_VRAAG, kosten)
