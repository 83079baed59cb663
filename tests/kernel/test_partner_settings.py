"""The chain partners the bus knows, and how long their streams keep notifications."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from kernel.settings import ServiceSettings


def test_partners_are_named_by_one_subject_token_each(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WVGGZ_NATS_PARTNERS", raising=False)
    assert ServiceSettings().nats_partners == ("demo",)

    monkeypatch.setenv("WVGGZ_NATS_PARTNERS", '["demo", "ggd-regio"]')

    assert ServiceSettings().nats_partners == ("demo", "ggd-regio")
    for wrong in ("Demo", "om.x", "om>", "1om", ""):
        with pytest.raises(ValidationError, match="pattern"):
            ServiceSettings(nats_partners=(wrong,))


def test_partner_streams_keep_notifications_at_least_a_day() -> None:
    assert ServiceSettings().partner_retention_days == 30
    with pytest.raises(ValidationError, match="greater than or equal to 1"):
        ServiceSettings(partner_retention_days=0.5)
