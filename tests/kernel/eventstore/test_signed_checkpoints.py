"""The signing key file and the signed checkpoints a service appends to its own store."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from wvggz_contracts.audit import KettingGetekend

from kernel.audit import AuditTrail
from kernel.eventstore import NO_STREAM
from kernel.eventstore.sqlite import SqliteEventStore
from kernel.ketting import ChainSigner, key_path, public_key_path, signature_valid, signing_key
from tests.kernel.eventstore.contract import new_events

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def test_the_key_is_created_owner_only_with_its_public_key_beside_it(tmp_path: Path) -> None:
    path = key_path(tmp_path, "crisis")

    key = signing_key(path)

    assert path.stat().st_mode & 0o777 == 0o600
    assert signing_key(path).private_bytes_raw() == key.private_bytes_raw()
    assert len(public_key_path(path).read_text().strip()) == 64
    assert not [p for p in path.parent.iterdir() if p.name.endswith(".tmp")]


def test_a_key_readable_by_others_is_refused(tmp_path: Path) -> None:
    path = key_path(tmp_path, "crisis")
    signing_key(path)
    os.chmod(path, 0o644)

    with pytest.raises(ValueError, match="owner only"):
        signing_key(path)


async def test_a_checkpoint_is_signed_once_per_new_head_and_its_signature_holds(
    tmp_path: Path,
) -> None:
    store = SqliteEventStore(tmp_path / "events.db")
    signer = ChainSigner(
        store,
        AuditTrail(store, "crisis", lambda: NOW),
        signing_key(key_path(tmp_path, "crisis")),
        lambda: NOW,
        gemeente="GM0406",
        interval=60,
    )
    assert await signer.sign_now() is None  # an empty store: nothing to vouch for
    await store.append("crisis-1", new_events(2), NO_STREAM)

    first = await signer.sign_now()
    again = await signer.sign_now()

    stored = await store.last_event()
    await store.close()
    assert (first, again) == (3, None)
    assert stored is not None and stored.type == KettingGetekend.event_type
    assert stored.metadata["gemeente"] == "GM0406"
    assert stored.data["positie"] == 2
    assert signature_valid(stored.data)
    assert not signature_valid({**stored.data, "positie": 1})
    assert not signature_valid({**stored.data, "hash": "0" * 64})
