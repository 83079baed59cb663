"""Personal-data fields sealed under a dossier's key, and opened again wherever they are read.

A sealed field holds `{"vercijferd": <base64 of nonce and AES-256-GCM ciphertext>, "sleutel":
<key id>}` in place of its value. The ciphertext covers the value's JSON and is bound to the key
id and the field's path, so it cannot be moved to another dossier or field unnoticed. Opening
needs no model: any such object is opened, which lets a consumer read another service's events,
and a field whose key was destroyed reads as VERNIETIGD.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
from collections.abc import Mapping
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from pydantic import BaseModel
from wvggz_contracts.personal import VERNIETIGD, personal_fields

from kernel.sleutels.kluis import Sleutelkluis

VERCIJFERD = "vercijferd"
SLEUTEL = "sleutel"
_ENVELOP = frozenset({VERCIJFERD, SLEUTEL})
_decoder = json.JSONDecoder()


Boom = dict[str, "Boom | str"]
"""A model's personal fields as a tree of field names; a leaf is the field's kind."""


def boom_van(model: type[BaseModel]) -> Boom:
    """The tree of a model's personal fields; a marked field's inner fields are sealed with it."""
    boom: Boom = {}
    for path, soort in sorted(personal_fields(model).items(), key=lambda p: p[0].count(".")):
        *heads, leaf = path.split(".")
        node: Boom | str = boom
        for head in heads:
            if not isinstance(node, dict):
                break  # inside a field sealed whole
            node = node.setdefault(head, {})
        if isinstance(node, dict):
            node.setdefault(leaf, soort)
    return boom


class Veldsleutels:
    """Seals a model's personal fields for the store and the bus; opens them for readers."""

    def __init__(self, kluis: Sleutelkluis) -> None:
        self.kluis = kluis
        self._bomen: dict[type[BaseModel], Boom] = {}

    def boom(self, model: type[BaseModel]) -> Boom:
        """The model's personal fields, worked out once."""
        if model not in self._bomen:
            self._bomen[model] = boom_van(model)
        return self._bomen[model]

    def needs(
        self, model: type[BaseModel], data: Mapping[str, Any], sleutel_id: str
    ) -> tuple[bool, set[tuple[str, str]]]:
        """Whether sealing this data needs the dossier's key, and the (BSN index, key) links
        it brings: a BSN in it lets an inzage or an erasure on request find the dossier."""
        found: list[tuple[str, Any]] = []
        _collect(data, self.boom(model), found)
        links = {(self.kluis.index(str(v)), sleutel_id) for soort, v in found if soort == "bsn"}
        return bool(found), links

    def seal(self, model: type[BaseModel], data: Mapping[str, Any], sleutel_id: str) -> Any:
        """The data with every personal field of the model sealed under the dossier's key
        (made first through `needs` and the key store's `bewaar`, or here if not)."""
        boom = self.boom(model)
        if not boom:
            return data
        key = AESGCM(self.kluis.sleutel(sleutel_id) or self.kluis.maak(sleutel_id))
        return _sealed(data, boom, key, sleutel_id, "")

    def open(self, data: Mapping[str, Any]) -> Any:
        """The data with every sealed field opened (VERNIETIGD where its key is gone)."""
        keys: dict[str, AESGCM | None] = {}  # each dossier's key as this read found it
        if isinstance(data, dict):
            if data.keys() == _ENVELOP:
                return self._open_field(data, "", keys)
            return self._opened(data, "", keys)
        return self._opened_list(data, "", keys) if isinstance(data, list) else data

    def _opened(self, node: dict[str, Any], path: str, keys: dict[str, AESGCM | None]) -> Any:
        """The node itself when nothing in it was sealed, else a copy with the fields opened.

        Every read of an event walks all of it, so the walk skips plain values without a call
        and spells out a path only where a sealed field may be."""
        copy: dict[str, Any] | None = None
        for name, value in node.items():
            if isinstance(value, dict):
                where = f"{path}.{name}" if path else name
                if value.keys() == _ENVELOP:
                    opened = self._open_field(value, where, keys)
                else:
                    opened = self._opened(value, where, keys)
            elif isinstance(value, list):
                opened = self._opened_list(value, f"{path}.{name}" if path else name, keys)
            else:
                continue
            if opened is not value:
                if copy is None:
                    copy = dict(node)
                copy[name] = opened
        return node if copy is None else copy

    def _opened_list(self, node: list[Any], path: str, keys: dict[str, AESGCM | None]) -> Any:
        """The list itself when nothing in it was sealed, else a copy (items share its path)."""
        copy: list[Any] | None = None
        for index, item in enumerate(node):
            if isinstance(item, dict):
                if item.keys() == _ENVELOP:
                    opened = self._open_field(item, path, keys)
                else:
                    opened = self._opened(item, path, keys)
            elif isinstance(item, list):
                opened = self._opened_list(item, path, keys)
            else:
                continue
            if opened is not item:
                if copy is None:
                    copy = list(node)
                copy[index] = opened
        return node if copy is None else copy

    def seal_bytes(self, data: bytes, sleutel_id: str, doel: str) -> bytes:
        """A document (a letter's PDF) sealed under its dossier's key, bound to its purpose."""
        key = self.kluis.sleutel(sleutel_id) or self.kluis.maak(sleutel_id)
        nonce = os.urandom(12)
        return nonce + AESGCM(key).encrypt(nonce, data, _aad(sleutel_id, doel))

    def open_bytes(self, sealed: bytes, sleutel_id: str, doel: str) -> bytes | None:
        """The document again; None once its dossier's key was destroyed."""
        key = self.kluis.sleutel(sleutel_id)
        if key is None:
            return None
        return AESGCM(key).decrypt(sealed[:12], sealed[12:], _aad(sleutel_id, doel))

    def _open_field(
        self, envelope: Mapping[str, Any], path: str, keys: dict[str, AESGCM | None]
    ) -> Any:
        sleutel_id = str(envelope[SLEUTEL])
        if sleutel_id not in keys:
            raw = self.kluis.sleutel(sleutel_id)
            if raw is None and not self.kluis.vernietigd(sleutel_id):
                # Keys are on disk before any event sealed under them: this one never was.
                raise KeyError(f"sealed under a key the key store never had: {sleutel_id}")
            keys[sleutel_id] = None if raw is None else AESGCM(raw)
        key = keys[sleutel_id]
        if key is None:
            return VERNIETIGD
        sealed = binascii.a2b_base64(envelope[VERCIJFERD])
        return _value(key.decrypt(sealed[:12], sealed[12:], _aad(sleutel_id, path)).decode())


def _seal(value: Any, key: AESGCM, sleutel_id: str, path: str) -> Any:
    if value is None:
        return None  # that a field was left empty is not personal data
    nonce = os.urandom(12)
    plain = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()
    sealed = nonce + key.encrypt(nonce, plain, _aad(sleutel_id, path))
    return {VERCIJFERD: base64.b64encode(sealed).decode("ascii"), SLEUTEL: sleutel_id}


def _value(text: str) -> Any:
    """The JSON value `_seal` wrote, without the checks per call of `json.loads`, which cost as
    much as the decryption (the text is authenticated, so it is exactly what was sealed)."""
    value, end = _decoder.raw_decode(text)
    if end != len(text):
        raise json.JSONDecodeError("Extra data", text, end)
    return value


def _aad(sleutel_id: str, path: str) -> bytes:
    return f"{sleutel_id}\x00{path}".encode()


def _sealed(node: Any, boom: Boom | str, key: AESGCM, sleutel_id: str, path: str) -> Any:
    """A copy of the node with the fields of the tree sealed (lists crossed item by item)."""
    if isinstance(boom, str):
        return _seal(node, key, sleutel_id, path)
    if isinstance(node, list):
        return [_sealed(item, boom, key, sleutel_id, path) for item in node]
    if not isinstance(node, Mapping) or node.keys() == _ENVELOP:
        return node
    copy = dict(node)
    for name, sub in boom.items():
        if name in copy:
            copy[name] = _sealed(
                copy[name], sub, key, sleutel_id, f"{path}.{name}" if path else name
            )
    return copy


def _collect(node: Any, boom: Boom | str, found: list[tuple[str, Any]]) -> None:
    """The (kind, value) of every field of the tree that is set."""
    if isinstance(boom, str):
        if node is not None:
            found.append((boom, node))
    elif isinstance(node, list):
        for item in node:
            _collect(item, boom, found)
    elif isinstance(node, Mapping):
        for name, sub in boom.items():
            if name in node:
                _collect(node[name], sub, found)
