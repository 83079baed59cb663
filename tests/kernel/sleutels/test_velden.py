"""Opening sealed fields wherever they sit: nested, in lists, destroyed, or not what was sealed."""

from __future__ import annotations

import base64
import copy
import os
from pathlib import Path
from typing import Annotated, Any

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from pydantic import BaseModel
from wvggz_contracts.personal import VERNIETIGD, Persoonsgegeven

from kernel.sleutels import Veldsleutels
from kernel.sleutels.bestand import BestandsKluis, hoofdsleutel

DOSSIER = "melding-00000000-0000-0000-0000-000000000001"


class Contact(BaseModel):
    naam: Annotated[str, Persoonsgegeven()]
    rol: str


class Dossier(BaseModel):
    gemeente: str
    contacten: list[Contact]
    notities: Annotated[list[str], Persoonsgegeven("bijzonder")]
    adres: Annotated[dict[str, Any] | None, Persoonsgegeven()]
    leeg: Annotated[str | None, Persoonsgegeven()]


DATA: dict[str, Any] = {
    "gemeente": "GM0402",
    "contacten": [{"naam": "J. Voorbeeld", "rol": "buur"}, {"naam": "A. Één", "rol": "zus"}],
    "notities": ['eerste "regel"\n', "tweede"],
    "adres": {"straat": "Dorpsstraat", "nummer": 1, "bewoond": True},
    "leeg": None,
}


@pytest.fixture
def velden(tmp_path: Path) -> Veldsleutels:
    return Veldsleutels(BestandsKluis(tmp_path / "kluis.db", hoofdsleutel(tmp_path / "key")))


def test_fields_sealed_in_nested_models_and_lists_open_to_what_was_sealed(
    velden: Veldsleutels,
) -> None:
    sealed = velden.seal(Dossier, DATA, DOSSIER)
    stored = copy.deepcopy(sealed)

    assert sealed["contacten"][0]["naam"].keys() == {"vercijferd", "sleutel"}
    assert sealed["contacten"][0]["rol"] == "buur"
    assert velden.open(sealed) == DATA
    assert sealed == stored  # opening changes a copy, never what was read


def test_data_without_sealed_fields_is_handed_back_as_it_is(velden: Veldsleutels) -> None:
    plain: dict[str, Any] = {"gemeente": "GM0402", "lijst": [{"a": [1, 2]}, "b"], "leeg": None}
    assert velden.open(plain) is plain


def test_every_field_of_a_destroyed_dossier_reads_as_vernietigd(velden: Veldsleutels) -> None:
    sealed = velden.seal(Dossier, DATA, DOSSIER)
    velden.kluis.vernietig(DOSSIER)

    opened = velden.open(sealed)

    assert [c["naam"] for c in opened["contacten"]] == [VERNIETIGD, VERNIETIGD]
    assert opened["notities"] == opened["adres"] == VERNIETIGD
    assert opened["gemeente"] == "GM0402" and opened["leeg"] is None


def test_a_value_under_a_key_the_store_never_had_is_refused(velden: Veldsleutels) -> None:
    sealed = velden.seal(Dossier, DATA, DOSSIER)
    sealed["contacten"][1]["naam"]["sleutel"] = "melding-nooit-gemaakt"

    with pytest.raises(KeyError, match="never had"):
        velden.open(sealed)


@pytest.mark.parametrize("plain", [b"", b'"J. Voorbeeld" extra', b"{", b"J. Voorbeeld"])
def test_a_sealed_text_that_is_not_one_json_value_is_refused(
    velden: Veldsleutels, plain: bytes
) -> None:
    nonce = os.urandom(12)
    key = AESGCM(velden.kluis.maak(DOSSIER))
    sealed = nonce + key.encrypt(nonce, plain, f"{DOSSIER}\x00situatie".encode())
    envelope = {"vercijferd": base64.b64encode(sealed).decode(), "sleutel": DOSSIER}

    with pytest.raises(ValueError, match=r"Expecting|Extra data"):
        velden.open({"situatie": envelope})
