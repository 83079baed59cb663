"""Where a case stands, in words for people, from the state its events fold into."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from wvggz_contracts.crisis import BesluitAfgewezen, BesluitGenomen, IntegraalAdviesSamengesteld
from wvggz_contracts.meldpunt import TriageUitkomst

from services.crisis.domain.state import Crisis
from services.meldpunt.domain.state import Melding
from services.onderzoek.domain.state import Onderzoek


def stub(soort: type[Any]) -> Any:
    return soort.model_construct()


def test_a_melding_is_to_be_triaged_then_triaged_then_its_vo_closed() -> None:
    assert Melding().fase == "ontvangen, nog te triageren"
    triaged = Melding(uitkomst=TriageUitkomst.VERKENNEND_ONDERZOEK)
    assert triaged.fase == "getriageerd: verkennend onderzoek"
    assert Melding(uitkomst=TriageUitkomst.VERKENNEND_ONDERZOEK, vo_afgesloten=True).fase == (
        "getriageerd; het verkennend onderzoek is afgesloten"
    )


def test_a_vo_runs_then_closes_with_or_without_an_aanvraag() -> None:
    nu = datetime(2026, 12, 1, tzinfo=UTC)
    closed = Onderzoek(afgesloten_op=nu)
    requested = Onderzoek(afgesloten_op=nu, aanvraag_ingediend_op=nu)

    assert closed.fase == "afgesloten zonder aanvraag"
    assert requested.fase == "aanvraag ingediend, wacht op de officier van justitie"


def test_a_crisis_case_is_prepared_advised_decided() -> None:
    assert Crisis().fase == "voorbereiding van het besluit"
    assert Crisis(advies=stub(IntegraalAdviesSamengesteld)).fase == "advies ligt klaar"
    assert Crisis(besluit=stub(BesluitGenomen)).fase == "crisismaatregel loopt"
    assert Crisis(besluit=stub(BesluitAfgewezen)).fase == "besluit: geen crisismaatregel"
    assert Crisis(besluit=stub(BesluitGenomen), verlopen=True).fase == "crisismaatregel verlopen"
