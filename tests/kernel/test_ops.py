"""Deadline gauges: bounded labels, fixed buckets, the nearest deadline per kind and gemeente."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from prometheus_client import CollectorRegistry

from kernel.ops import OpsMetrics, Termijn, bucket

NU = datetime(2026, 11, 23, 9, tzinfo=UTC)


@pytest.mark.parametrize(
    ("over", "naam"),
    [
        (timedelta(minutes=-1), "verstreken"),
        (timedelta(minutes=30), "binnen-1u"),
        (timedelta(hours=5), "binnen-6u"),
        (timedelta(hours=18), "binnen-24u"),
        (timedelta(days=2), "binnen-3d"),
        (timedelta(days=6), "binnen-7d"),
        (timedelta(days=14), "later"),
    ],
)
def test_a_deadline_falls_in_the_bucket_of_how_soon_it_is_due(over: timedelta, naam: str) -> None:
    assert bucket(NU + over, NU) == naam


def test_the_gauges_show_what_is_open_now_and_forget_what_closed() -> None:
    registry = CollectorRegistry()
    metrics = OpsMetrics("test", registry)
    open_nu = [
        Termijn("crisis-besluit", "GM0402", NU + timedelta(hours=3)),
        Termijn("crisis-besluit", "GM0402", NU + timedelta(hours=5)),
        Termijn("crisis-besluit", "GM0406", NU - timedelta(minutes=10)),
    ]

    metrics.show_deadlines(open_nu, NU)
    counted = registry.get_sample_value(
        "wvggz_test_deadlines_open",
        {"soort": "crisis-besluit", "gemeente": "GM0402", "bucket": "binnen-6u"},
    )
    nearest = registry.get_sample_value(
        "wvggz_test_deadline_nearest_seconds", {"soort": "crisis-besluit", "gemeente": "GM0402"}
    )
    passed = registry.get_sample_value(
        "wvggz_test_deadline_nearest_seconds", {"soort": "crisis-besluit", "gemeente": "GM0406"}
    )
    metrics.show_deadlines([], NU)
    gone = registry.get_sample_value(
        "wvggz_test_deadlines_open",
        {"soort": "crisis-besluit", "gemeente": "GM0402", "bucket": "binnen-6u"},
    )

    assert counted == 2
    assert nearest == 3 * 3600
    assert passed == -600
    assert gone is None
