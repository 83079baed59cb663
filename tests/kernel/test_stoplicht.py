"""The traffic light of a case against its legal term."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from kernel.queries import stoplicht

UITERLIJK = datetime(2026, 12, 14, 23, 0, tzinfo=UTC)
WAARSCHUWING = UITERLIJK - timedelta(days=4)


@pytest.mark.parametrize(
    ("nu", "kleur"),
    [
        (WAARSCHUWING - timedelta(seconds=1), "groen"),
        (WAARSCHUWING, "oranje"),
        (UITERLIJK, "oranje"),
        (UITERLIJK + timedelta(seconds=1), "rood"),
    ],
)
def test_green_until_the_warning_orange_until_the_term_red_after(nu: datetime, kleur: str) -> None:
    assert stoplicht(nu, WAARSCHUWING, UITERLIJK) == kleur


def test_without_a_warning_moment_it_is_green_until_the_term() -> None:
    assert stoplicht(UITERLIJK - timedelta(minutes=1), None, UITERLIJK) == "groen"
    assert stoplicht(UITERLIJK + timedelta(minutes=1), None, UITERLIJK) == "rood"
