"""What an inzage shows the betrokkene: everything, except a melder who asked to stay unknown."""

from __future__ import annotations

from typing import Any

from kernel.bewaring.inzage import AFGESCHERMD, afgeschermd


def test_a_melder_who_asked_to_stay_unknown_is_screened_off_wherever_it_sits() -> None:
    melder = {
        "naam": "M. Elder",
        "telefoon": "0612345678",
        "email": None,
        "relatie": "buur",
        "anoniem_naar_betrokkene": True,
    }
    data: dict[str, Any] = {
        "betrokkene": {"naam": "B. Etrokkene"},
        "melder": melder,
        "bron": {"melders": [melder]},
    }

    shown = afgeschermd(data)

    screened = {
        "naam": AFGESCHERMD,
        "telefoon": AFGESCHERMD,
        "email": None,
        "relatie": "buur",
        "anoniem_naar_betrokkene": True,
    }
    assert shown == {
        "betrokkene": {"naam": "B. Etrokkene"},
        "melder": screened,
        "bron": {"melders": [screened]},
    }
    assert data["melder"]["naam"] == "M. Elder"  # the stored data is not changed


def test_a_melder_who_may_be_known_is_shown() -> None:
    data = {"melder": {"naam": "M. Elder", "anoniem_naar_betrokkene": False}}
    assert afgeschermd(data) == data
