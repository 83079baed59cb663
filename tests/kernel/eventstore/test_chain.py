"""The chain's encoding: every field counts, and no two field lists encode alike."""

from __future__ import annotations

from typing import Any

import pytest

from kernel.eventstore.chain import GENESIS, link_hash

FIELDS = (GENESIS, 7, "3f1c0d6e-0000-4000-8000-000000000001", "melding-1", 2, "t", "{}", "{}", "t0")


def test_the_hash_is_sha256_hex_and_repeatable() -> None:
    assert link_hash(*FIELDS) == link_hash(*FIELDS)
    assert len(link_hash(*FIELDS)) == 64


@pytest.mark.parametrize("index", range(len(FIELDS)))
def test_every_field_changes_the_hash(index: int) -> None:
    changed: list[Any] = list(FIELDS)
    value = changed[index]
    changed[index] = value + 1 if isinstance(value, int) else f"{value}x"

    assert link_hash(*changed) != link_hash(*FIELDS)


def test_moving_text_between_fields_changes_the_hash() -> None:
    shifted = (*FIELDS[:6], '{"a":1}', "{}", "t0")
    moved = (*FIELDS[:6], '{"a":1}{}', "", "t0")

    assert link_hash(*shifted) != link_hash(*moved)
