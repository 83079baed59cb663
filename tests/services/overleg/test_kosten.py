"""Hours and costs for the regional budget: hearings and consultations from the procedures'
events, secretariat hours as registered, each at its tariff (seed 001 §4.6)."""

from __future__ import annotations

from datetime import UTC, datetime

from wvggz_contracts.overleg import UrenSoort

from services.overleg.cijfers.feiten import feiten_uit
from services.overleg.cijfers.kosten import Tarieven, Uren, kostentabel

TARIEVEN = Tarieven(
    horen=76.80, ggz_consultatie=98.85, secretarieel=40.0, beleidsmatig=50.0, uren_per_horen=2
)
IN_K3 = datetime(2026, 8, 1, 12, tzinfo=UTC).timestamp()
IN_K4 = datetime(2026, 9, 30, 22, 30, tzinfo=UTC).timestamp()  # 1 October in Amsterdam


def test_hours_per_gemeente_come_from_hearings_consultations_and_registrations() -> None:
    feiten = feiten_uit(
        [
            ("hoorverslag-vastgelegd", "c1", "GM0402", IN_K3, None, None),
            ("hoorverslag-vastgelegd", "c2", "GM0402", IN_K3, None, None),
            ("hoorverslag-vastgelegd", "c3", "GM0402", IN_K4, None, None),  # the next quarter
            ("ggz-consultatie-vastgelegd", "v1", "GM0406", IN_K3, 1.5, None),
            ("ggz-consultatie-vastgelegd", "v1", "GM0406", IN_K3, 0.5, None),
        ]
    )
    geregistreerd = [
        Uren("GM0402", "2026-K3", UrenSoort.SECRETARIEEL, 8),
        Uren("GM0402", "2026-K3", UrenSoort.BELEIDSMATIG, 21),
        Uren("GM0406", "2026-K3", UrenSoort.HOREN, 1),
        Uren("GM0406", "2026-K4", UrenSoort.SECRETARIEEL, 99),  # another quarter
        Uren("GM0363", "2026-K3", UrenSoort.SECRETARIEEL, 99),  # another region
    ]

    tabel = kostentabel(feiten, geregistreerd, "2026-K3", ["GM0402", "GM0406"], TARIEVEN)

    assert tabel.rijen == ["GM0402", "GM0406", "Regio"]
    assert tabel.kolommen == [
        "uren horen",
        "uren ggz-consultatie",
        "uren secretarieel",
        "uren beleidsmatig",
        "kosten (euro)",
    ]
    hilversum = 4 * 76.80 + 8 * 40.0 + 21 * 50.0
    huizen = 1 * 76.80 + 2 * 98.85
    assert tabel.cellen == [
        [4.0, 0.0, 8.0, 21.0, round(hilversum, 2)],
        [1.0, 2.0, 0.0, 0.0, round(huizen, 2)],
        [5.0, 2.0, 8.0, 21.0, round(hilversum + huizen, 2)],
    ]
    assert "€ 76,80" in tabel.toelichting and "2 uur per hoorzitting" in tabel.toelichting
