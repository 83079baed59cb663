"""The directory of overlegtafels: kept by functioneel beheer of the managing gemeente, searched
by every professional of the region."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import pytest
from faststream.nats import NatsRouter
from pydantic import ValidationError
from wvggz_contracts.commands import Actor, ErrorCode, Rol
from wvggz_contracts.doorzetting import (
    HefTafelOp,
    Niveau,
    RegistreerTafel,
    TafelGeregistreerd,
    TafelGewijzigd,
    TafelOpgeheven,
    WijzigTafel,
)
from wvggz_contracts.events import DomainEvent
from wvggz_contracts.gemeenten import GOOI_EN_VECHTSTREEK

from kernel.access import system_actor
from kernel.decider import DomainError
from kernel.projection import CaseView, EventMeta, Projector, ViewStore
from kernel.queries import Answer, Inzage, answer_query, require_role
from kernel.runtime import ServiceRuntime
from kernel.testing import DeciderSpec, command
from services.overleg.doorzetting import vragen
from services.overleg.doorzetting.regels import TAFEL, make_tafel_rulebook
from services.overleg.doorzetting.views import TAFELS, TafelRij, evolve_tafel
from services.overleg.doorzetting.vragen import (
    OVERLEGTAFELS_VRAAG,
    TafelVraag,
    TafelZoekvraag,
    zoek_tafels,
)

REGIO = frozenset(GOOI_EN_VECHTSTREEK)
RULES = make_tafel_rulebook(REGIO)
NU = datetime(2026, 11, 2, 9, tzinfo=UTC)
TAFEL_ID = uuid.UUID(int=1)
BEHEER = Actor(id="beheer-1", rol=Rol.FUNCTIONEEL_BEHEER, gemeente="GM0402")
BEHEER_HUIZEN = Actor(id="beheer-2", rol=Rol.FUNCTIONEEL_BEHEER, gemeente="GM0406")
BEHEER_ELDERS = Actor(id="beheer-3", rol=Rol.FUNCTIONEEL_BEHEER, gemeente="GM0363")
CONSULENT = Actor(id="c-1", rol=Rol.CONSULENT, gemeente="GM0402")
CONSULENT_HUIZEN = Actor(id="c-2", rol=Rol.CONSULENT, gemeente="GM0406")

GEGEVENS: dict[str, Any] = {
    "tafel_id": TAFEL_ID,
    "gemeente": "GM0402",
    "naam": "Triage- & transfertafel",
    "niveau": Niveau.REGIONAAL,
    "deelnemers": ["Geïntegreerde en vrijgevestigde ggz", "Huisartsen en POH-ggz", "Wijkcoaches"],
    "doel": "Wachttijden terugdringen en een passende plek vinden.",
    "aanmelders": ["Iedere deelnemende zorgverlener"],
    "criteria": "Een lange wachtlijst terwijl zorg op korte termijn nodig is.",
    "contact": "aanmelding@triagetafel.example.nl",
    "werkgebied": "Gooi en Vechtstreek",
}
GEREGISTREERD = TafelGeregistreerd(**GEGEVENS)


def spec() -> DeciderSpec:
    return DeciderSpec(RULES.decider)


def registreer(**changes: Any) -> RegistreerTafel:
    return RegistreerTafel.model_validate(GEGEVENS | changes)


def wijzig(**changes: Any) -> WijzigTafel:
    return WijzigTafel.model_validate(GEGEVENS | changes)


def test_functioneel_beheer_registers_a_table_once() -> None:
    spec().when(command(registreer(), BEHEER, NU)).then(GEREGISTREERD)
    spec().given(GEREGISTREERD).when(command(registreer(), BEHEER, NU)).then_error(
        ErrorCode.RULE_VIOLATED, "tafel_id"
    )


def test_only_functioneel_beheer_of_the_managing_gemeente_keeps_a_table() -> None:
    spec().when(command(registreer(), CONSULENT, NU)).then_error(ErrorCode.FORBIDDEN)
    spec().when(command(registreer(), BEHEER_HUIZEN, NU)).then_error(ErrorCode.FORBIDDEN)
    for payload in (wijzig(naam="Andere naam"), HefTafelOp(tafel_id=TAFEL_ID)):
        spec().given(GEREGISTREERD).when(command(payload, BEHEER_HUIZEN, NU)).then_error(
            ErrorCode.FORBIDDEN
        )
        spec().given(GEREGISTREERD).when(command(payload, CONSULENT, NU)).then_error(
            ErrorCode.FORBIDDEN
        )


def test_a_table_of_a_gemeente_outside_the_region_is_refused() -> None:
    spec().when(command(registreer(gemeente="GM0363"), BEHEER_ELDERS, NU)).then_error(
        ErrorCode.RULE_VIOLATED, "gemeente"
    )


def test_a_change_replaces_every_field_and_a_change_of_nothing_records_nothing() -> None:
    nieuw = wijzig(deelnemers=["Wijkcoaches"], werkgebied=None, contact="035 123 45 67")

    spec().given(GEREGISTREERD).when(command(nieuw, BEHEER, NU)).then(
        TafelGewijzigd(**nieuw.model_dump())
    )
    spec().given(GEREGISTREERD).when(command(wijzig(), BEHEER, NU)).then()


def test_a_table_keeps_its_managing_gemeente_and_must_exist_to_change() -> None:
    spec().given(GEREGISTREERD).when(command(wijzig(gemeente="GM0406"), BEHEER, NU)).then_error(
        ErrorCode.RULE_VIOLATED, "gemeente"
    )
    spec().when(command(wijzig(), BEHEER, NU)).then_error(ErrorCode.NOT_FOUND, "tafel_id")


def test_an_ended_table_is_not_changed_ended_again_or_registered_anew() -> None:
    opheffen = HefTafelOp(tafel_id=TAFEL_ID, reden="Opgegaan in de regiotafel.")
    opgeheven = TafelOpgeheven(tafel_id=TAFEL_ID, reden="Opgegaan in de regiotafel.")

    spec().given(GEREGISTREERD).when(command(opheffen, BEHEER, NU)).then(opgeheven)
    for payload in (opheffen, wijzig(naam="Nieuw")):
        spec().given(GEREGISTREERD, opgeheven).when(command(payload, BEHEER, NU)).then_error(
            ErrorCode.RULE_VIOLATED, "tafel_id"
        )
    spec().given(GEREGISTREERD, opgeheven).when(command(registreer(), BEHEER, NU)).then_error(
        ErrorCode.RULE_VIOLATED, "tafel_id"
    )


def test_what_beheer_may_do_now_follows_the_tables_phase() -> None:
    actief = RULES.decider.fold([GEREGISTREERD])
    opgeheven = RULES.decider.fold([GEREGISTREERD, TafelOpgeheven(tafel_id=TAFEL_ID)])

    assert RULES.allowed_now(actief, BEHEER, NU) == ["wijzig-tafel", "hef-tafel-op"]
    assert RULES.fase_van(actief) == "actief"
    assert RULES.allowed_now(opgeheven, BEHEER, NU) == []
    assert RULES.fase_van(opgeheven) == "opgeheven"
    assert RULES.allowed_now(actief, BEHEER_HUIZEN, NU) == []


@pytest.mark.parametrize(
    "wrong",
    [
        {"deelnemers": []},
        {"aanmelders": []},
        {"contact": "tel. 035\nmail secretariaat"},
        {"naam": "  "},
        {"niveau": "landelijk"},
        {"deelnemers": ["x" * 301]},
    ],
)
def test_an_incomplete_or_malformed_entry_is_refused(wrong: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        registreer(**wrong)


def meta(version: int, at: datetime, case: uuid.UUID = TAFEL_ID) -> EventMeta:
    return EventMeta(case, TAFEL, "GM0402", "t", version, version, at, "beheer-1", "beheer")


def fold(events: list[DomainEvent], start: datetime = NU) -> TafelRij | None:
    row: TafelRij | None = None
    for version, event in enumerate(events, start=1):
        row = evolve_tafel(row, event, meta(version, start + timedelta(days=version)))
    return row


def test_the_directory_row_holds_every_field_and_whether_the_table_is_active() -> None:
    gewijzigd = TafelGewijzigd(**(GEGEVENS | {"contact": "035 123 45 67"}))

    row = fold([GEREGISTREERD, gewijzigd])
    assert row is not None
    assert row.model_dump(include=set(GEGEVENS)) == GEGEVENS | {"contact": "035 123 45 67"}
    assert (row.actief, row.versie) == (True, 2)
    assert row.geregistreerd_op == NU + timedelta(days=1)
    assert row.gewijzigd_op == NU + timedelta(days=2)

    opgeheven = fold([GEREGISTREERD, gewijzigd, TafelOpgeheven(tafel_id=TAFEL_ID)])
    assert opgeheven is not None
    assert (opgeheven.actief, opgeheven.opgeheven_op, opgeheven.versie) == (
        False,
        NU + timedelta(days=3),
        3,
    )
    assert fold([TafelOpgeheven(tafel_id=TAFEL_ID)]) is None


def tafel(nummer: int, naam: str, niveau: Niveau, **changes: Any) -> TafelGeregistreerd:
    return TafelGeregistreerd(
        **(GEGEVENS | {"tafel_id": uuid.UUID(int=nummer), "naam": naam, "niveau": niveau} | changes)
    )


TOPX = tafel(
    2,
    "TopX / ketencasusoverleg",
    Niveau.REGIONAAL,
    gemeente="GM0406",
    deelnemers=["Openbaar Ministerie", "Politie", "Reclassering"],
    doel="Veiligheid vergroten met (justitiële) interventies.",
    aanmelders=["Alle aangesloten partners, in overleg met de procesmanager"],
    criteria="Multiproblematiek op meer dan één leefgebied.",
)
BOVENREGIONAAL = tafel(
    3,
    "Bovenregionale tafel hoogcomplexe ggz",
    Niveau.BOVENREGIONAAL,
    deelnemers=["Zorgkantoor", "Cliëntondersteuning"],
    doel="Een plek voor hoogcomplexe ggz buiten de regio.",
    criteria="De regionale tafels vonden geen plek.",
)
OPGEHEVEN = tafel(4, "Oude regiotafel", Niveau.REGIONAAL)


def rows() -> list[TafelRij]:
    found = []
    for event in (GEREGISTREERD, TOPX, BOVENREGIONAAL, OPGEHEVEN):
        row = evolve_tafel(None, event, meta(1, NU, event.tafel_id))
        assert row is not None
        found.append(row)
    einde = evolve_tafel(found[-1], TafelOpgeheven(tafel_id=OPGEHEVEN.tafel_id), meta(2, NU))
    assert einde is not None
    return [*found[:-1], einde]


def names(found: list[TafelRij]) -> list[str]:
    return [row.naam for row in found]


def test_the_directory_is_searched_on_every_word_in_any_field_ignoring_case_and_accents() -> None:
    assert names(zoek_tafels(rows(), "POLITIE")) == ["TopX / ketencasusoverleg"]
    assert names(zoek_tafels(rows(), "clientondersteuning zorgkantoor")) == [
        "Bovenregionale tafel hoogcomplexe ggz"
    ]
    assert names(zoek_tafels(rows(), "procesmanager")) == ["TopX / ketencasusoverleg"]
    assert names(zoek_tafels(rows(), "wachttijden")) == ["Triage- & transfertafel"]
    assert names(zoek_tafels(rows(), "leefgebied")) == ["TopX / ketencasusoverleg"]
    assert zoek_tafels(rows(), "politie zorgkantoor") == []


def test_the_directory_lists_active_tables_by_rung_then_name_and_filters_on_the_rung() -> None:
    assert names(zoek_tafels(rows())) == [
        "TopX / ketencasusoverleg",
        "Triage- & transfertafel",
        "Bovenregionale tafel hoogcomplexe ggz",
    ]
    assert names(zoek_tafels(rows(), niveau=Niveau.BOVENREGIONAAL)) == [
        "Bovenregionale tafel hoogcomplexe ggz"
    ]
    assert zoek_tafels(rows(), niveau=Niveau.MINISTER) == []
    assert "Oude regiotafel" in names(zoek_tafels(rows(), "regiotafel", ook_opgeheven=True))
    assert zoek_tafels(rows(), "regiotafel") == []


@dataclass
class FakeRuntime:
    """What `vragen.serve` uses of a service runtime: its settings, views, clock and queries."""

    views: ViewStore
    clock: Callable[[], datetime] = lambda: NU
    settings: Any = field(default_factory=lambda: SimpleNamespace(gemeenten=tuple(REGIO)))
    answers: dict[str, Answer] = field(default_factory=dict)

    def query(self, _router: NatsRouter, spec: Any, answer: Answer) -> None:
        self.answers[spec.name] = answer


def served(tmp_path: Path, view: CaseView[Any], *events: tuple[DomainEvent, EventMeta]) -> Any:
    """The queries as `serve` registers them, on a view store holding these events."""
    store = ViewStore(tmp_path / "views.db")
    store.apply([view], list(events), position=len(events))
    runtime = FakeRuntime(store)
    vragen.serve(NatsRouter(), cast(ServiceRuntime[Any], runtime))
    assert sorted(runtime.answers) == sorted(q.name for q in vragen.QUERIES)
    return runtime


def batch() -> list[tuple[DomainEvent, EventMeta]]:
    return [
        (event, EventMeta(event.tafel_id, TAFEL, event.gemeente, "t", n, 1, NU, "b", "r"))
        for n, event in enumerate((GEREGISTREERD, TOPX, BOVENREGIONAAL), start=1)
    ]


async def test_every_professional_of_the_region_reads_the_directory_of_every_gemeente(
    tmp_path: Path,
) -> None:
    runtime = served(tmp_path, TAFELS, *batch())
    lijst = runtime.answers["overlegtafels"]
    inzage = Inzage()

    found = await lijst(CONSULENT_HUIZEN, TafelZoekvraag(q="ggz"), inzage)

    assert [row["naam"] for row in found] == [
        "Triage- & transfertafel",
        "Bovenregionale tafel hoogcomplexe ggz",
    ]
    assert inzage.aantal == 2
    een = await runtime.answers["overlegtafel"](
        CONSULENT_HUIZEN, TafelVraag(tafel_id=TAFEL_ID), Inzage()
    )
    assert een["contact"] == GEGEVENS["contact"]
    with pytest.raises(DomainError) as onbekend:
        await runtime.answers["overlegtafel"](
            CONSULENT, TafelVraag(tafel_id=uuid.UUID(int=99)), Inzage()
        )
    assert onbekend.value.code == ErrorCode.NOT_FOUND
    buiten = Actor(id="c-9", rol=Rol.CONSULENT, gemeente="GM0363")
    with pytest.raises(DomainError) as elders:
        await lijst(buiten, TafelZoekvraag(), Inzage())
    assert elders.value.code == ErrorCode.FORBIDDEN


def test_the_service_itself_does_not_read_the_directory_but_every_staff_role_does() -> None:
    with pytest.raises(DomainError):
        require_role(system_actor("overleg", "GM0402"), OVERLEGTAFELS_VRAAG.rollen, "de tafels")
    for rol in set(Rol) - {Rol.SYSTEEM}:
        require_role(Actor(id="x", rol=rol, gemeente="GM0402"), OVERLEGTAFELS_VRAAG.rollen, "")


async def test_the_directory_list_is_filtered_on_the_rung_as_declared(tmp_path: Path) -> None:
    runtime = served(tmp_path, TAFELS, *batch())
    projector = cast(Projector, SimpleNamespace(position=3))

    async def ask(filters: dict[str, str]) -> list[str]:
        body = {"params": {}, "filters": filters}
        reply = await answer_query(
            json.dumps(body),
            CONSULENT,
            TafelZoekvraag,
            runtime.answers["overlegtafels"],
            projector,
            Inzage(),
            filters=OVERLEGTAFELS_VRAAG.filters,
        )
        assert reply.ok, reply.error
        return [row["naam"] for row in reply.data]

    assert await ask({"niveau": "bovenregionaal"}) == ["Bovenregionale tafel hoogcomplexe ggz"]
    assert await ask({"gemeente": "GM0406"}) == ["TopX / ketencasusoverleg"]
