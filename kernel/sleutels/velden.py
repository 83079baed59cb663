"""Personal-data fields sealed under a dossier's key, and opened again wherever they are read.

A sealed field holds `{"vercijferd": <base64 of nonce and AES-256-GCM ciphertext>, "sleutel":
<key id>}` in place of its value. The ciphertext covers the value's JSON and is bound to the key
id and the field's path, so it cannot be moved to another dossier or field unnoticed. Opening
needs no model: any such object is opened, which lets a consumer read another service's events,
and a field whose key was destroyed reads as VERNIETIGD.
"""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Callable, Mapping
from functools import partial
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from pydantic import BaseModel
from wvggz_contracts.personal import VERNIETIGD, personal_fields

from kernel.sleutels.kluis import Sleutelkluis

VERCIJFERD = "vercijferd"
SLEUTEL = "sleutel"
_ENVELOP = frozenset({VERCIJFERD, SLEUTEL})


class Veldsleutels:
    """Seals a model's personal fields for the store and the bus; opens them for readers."""

    def __init__(self, kluis: Sleutelkluis) -> None:
        self.kluis = kluis
        self._paths: dict[type[BaseModel], tuple[tuple[str, str], ...]] = {}

    def paths(self, model: type[BaseModel]) -> tuple[tuple[str, str], ...]:
        """The model's personal fields (dotted path, kind), outer ones first."""
        if model not in self._paths:
            found = personal_fields(model)
            self._paths[model] = tuple(sorted(found.items(), key=lambda p: p[0].count(".")))
        return self._paths[model]

    def seal(self, model: type[BaseModel], data: Mapping[str, Any], sleutel_id: str) -> Any:
        """The data with every personal field of the model sealed under the dossier's key.

        A BSN in it links the key to the person in the key store's index (for inzage and
        erasure on request) before it is sealed.
        """
        paths = self.paths(model)
        if not paths:
            return data
        for path, soort in paths:
            if soort == "bsn":
                for bsn in _values(data, path.split(".")):
                    self.kluis.koppel(self.kluis.index(str(bsn)), sleutel_id)
        sealed: Any = data
        for path, _soort in paths:
            sealed = _map(
                sealed, path.split("."), partial(self._seal, sleutel_id=sleutel_id, path=path)
            )
        return sealed

    def open(self, data: Mapping[str, Any]) -> Any:
        """The data with every sealed field opened (VERNIETIGD where its key is gone)."""
        return self._open(data, "")

    def _seal(self, value: Any, sleutel_id: str, path: str) -> Any:
        if value is None:
            return None  # that a field was left empty is not personal data
        key = self.kluis.maak(sleutel_id)
        nonce = os.urandom(12)
        plain = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()
        sealed = nonce + AESGCM(key).encrypt(nonce, plain, _aad(sleutel_id, path))
        return {VERCIJFERD: base64.b64encode(sealed).decode("ascii"), SLEUTEL: sleutel_id}

    def _open(self, node: Any, path: str) -> Any:
        if isinstance(node, dict):
            if node.keys() == _ENVELOP:
                return self._open_field(node, path)
            opened = {k: self._open(v, f"{path}.{k}" if path else k) for k, v in node.items()}
            return node if all(opened[k] is node[k] for k in node) else opened
        if isinstance(node, list):
            items = [self._open(item, path) for item in node]
            return node if all(a is b for a, b in zip(items, node, strict=True)) else items
        return node

    def _open_field(self, envelope: Mapping[str, Any], path: str) -> Any:
        sleutel_id = str(envelope[SLEUTEL])
        key = self.kluis.sleutel(sleutel_id)
        if key is None:
            return VERNIETIGD
        sealed = base64.b64decode(envelope[VERCIJFERD])
        plain = AESGCM(key).decrypt(sealed[:12], sealed[12:], _aad(sleutel_id, path))
        return json.loads(plain)


def _aad(sleutel_id: str, path: str) -> bytes:
    return f"{sleutel_id}\x00{path}".encode()


def _map(node: Any, segments: list[str], change: Callable[[Any], Any]) -> Any:
    """A copy of the node with the value at this path changed (lists crossed item by item)."""
    if not segments:
        return change(node)
    if isinstance(node, list):
        return [_map(item, segments, change) for item in node]
    if isinstance(node, Mapping) and segments[0] in node and node.keys() != _ENVELOP:
        head, *rest = segments
        return {**node, head: _map(node[head], rest, change)}
    return node


def _values(node: Any, segments: list[str]) -> list[Any]:
    """The values at this path that are set (lists crossed item by item)."""
    if not segments:
        return [] if node is None else [node]
    if isinstance(node, list):
        return [v for item in node for v in _values(item, segments)]
    if isinstance(node, Mapping) and segments[0] in node:
        return _values(node[segments[0]], segments[1:])
    return []
