"""Signed checkpoints of a service's hash chain: the key file, the signature, the signing loop.

Every `interval` seconds (and once shortly after the start) the service signs the newest link
of its event store's chain with its Ed25519 key and appends the signature as a `KettingGetekend`
audit event. The relay publishes it like any event, so a copy sits in JetStream, out of reach
of anyone who rewrites the store's file.

The signed message is the tag `wvggz-controlepunt/1` followed by four fields, each an 8-byte
big-endian length and its UTF-8 bytes: the service, the position as decimal text, the hash (hex)
and the signing time as ISO 8601 in UTC with microseconds.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from wvggz_contracts.audit import KettingGetekend

from kernel.audit import AuditTrail
from kernel.background import BackgroundLoop
from kernel.decider import derived_id
from kernel.eventstore import EventStore
from kernel.private_files import private_file

log = logging.getLogger(__name__)

TAG = b"wvggz-controlepunt/1"
FIRST_AFTER_S = 5.0
"""Seconds after the start before the first checkpoint."""

_RECORDS = UUID("6a0f7c4e-2b1d-4d8e-9f3a-51c2e7b9d044")


def key_path(data_dir: Path, service: str) -> Path:
    """Where a service keeps its private signing key (the public key beside it, `.pub`)."""
    return data_dir / service / "ketting.key"


def public_key_path(private: Path) -> Path:
    """The public key file beside a private key file."""
    return private.with_suffix(".pub")


def signing_key(path: Path) -> Ed25519PrivateKey:
    """The service's signing key; created (0600, written whole) when it does not exist yet.

    Refused when readable by others. The public key is (re)written beside it as hex.
    """
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        fd = os.open(temporary, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        with os.fdopen(fd, "w") as file:
            file.write(Ed25519PrivateKey.generate().private_bytes_raw().hex())
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    if path.stat().st_mode & 0o077:
        raise ValueError(f"{path}: the signing key may be readable by its owner only (0600)")
    try:
        key = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(path.read_text().strip()))
    except ValueError:
        raise ValueError(f"{path}: not an Ed25519 private key as 64 hex digits") from None
    public = public_key_path(path)
    text = public_hex(key.public_key())
    if not public.exists() or public.read_text().strip() != text:
        private_file(public).write_text(text + "\n")
    return key


def public_hex(key: Ed25519PublicKey) -> str:
    """A public key as 64 hex digits."""
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw).hex()


def message(service: str, position: int, hash_: str, at: datetime) -> bytes:
    """The bytes a checkpoint's signature covers (see the module doc)."""
    moment = at.astimezone(UTC).isoformat(timespec="microseconds")
    parts = [TAG]
    for field in (service, str(position), hash_, moment):
        raw = field.encode("utf-8")
        parts += [len(raw).to_bytes(8, "big"), raw]
    return b"".join(parts)


def sign(
    key: Ed25519PrivateKey, service: str, position: int, hash_: str, at: datetime
) -> KettingGetekend:
    """A signed checkpoint of the chain link at `position`."""
    return KettingGetekend(
        service=service,
        positie=position,
        hash=hash_,
        getekend_op=at,
        publieke_sleutel=public_hex(key.public_key()),
        handtekening=key.sign(message(service, position, hash_, at)).hex(),
    )


def signature_valid(data: Mapping[str, Any]) -> bool:
    """Whether a checkpoint's signature holds under the public key it names."""
    try:
        checkpoint = KettingGetekend.model_validate(data)
        public = Ed25519PublicKey.from_public_bytes(bytes.fromhex(checkpoint.publieke_sleutel))
        public.verify(
            bytes.fromhex(checkpoint.handtekening),
            message(
                checkpoint.service, checkpoint.positie, checkpoint.hash, checkpoint.getekend_op
            ),
        )
    except (ValueError, InvalidSignature):
        return False
    return True


class ChainSigner(BackgroundLoop):
    """Appends a signed checkpoint shortly after the start and then every `interval` seconds,
    when the store holds something newer than the last checkpoint it appended."""

    def __init__(
        self,
        store: EventStore,
        audit: AuditTrail,
        key: Ed25519PrivateKey,
        clock: Callable[[], datetime],
        *,
        gemeente: str,
        interval: float,
        first_after: float = FIRST_AFTER_S,
    ) -> None:
        self.store = store
        self.audit = audit
        self.key = key
        self.clock = clock
        self.gemeente = gemeente
        self.interval = interval
        self.first_after = min(first_after, interval)
        self.last_appended = 0

    async def sign_now(self) -> int | None:
        """Sign the newest link now; the position of the checkpoint event, None if nothing new."""
        head = await self.store.last_event()
        if head is None or head.chain is None or head.position <= self.last_appended:
            return None
        service = self.audit.service
        link = head.chain
        checkpoint = sign(self.key, service, link.sequence, link.hash, self.clock())
        record_id = derived_id(_RECORDS, f"{service}@{link.sequence}")
        # Published under one gemeente of the region: a subject needs one, and a checkpoint
        # holds nothing of any person or case.
        self.last_appended = await self.audit.record_now(
            checkpoint, "ketting", record_id, gemeente=self.gemeente
        )
        return self.last_appended

    async def _run(self) -> None:
        await asyncio.sleep(self.first_after)
        while True:
            position = await self.sign_now()
            if position is not None:
                log.info("hash chain signed; checkpoint at position %s", position)
            await asyncio.sleep(self.interval)
