"""Failures are described for logs without the input that caused them."""

from __future__ import annotations

import pytest
from pydantic import TypeAdapter, ValidationError
from wvggz_contracts.bsn import Bsn
from wvggz_contracts.personen import Betrokkene

from kernel.logsafe import describe


def test_a_validation_failure_names_the_place_and_kind_but_not_the_value() -> None:
    with pytest.raises(ValidationError) as failure:
        Betrokkene.model_validate({"naam": "J. Voorbeeld", "bsn": "123456789"})

    text = describe(failure.value)

    assert "bsn" in text and "value_error" in text
    assert "123456789" not in text and "Voorbeeld" not in text


def test_other_failures_are_described_by_their_kind_only() -> None:
    with pytest.raises(ValidationError):
        TypeAdapter(Bsn).validate_python("111")

    assert describe(RuntimeError("BSN 111222333 of J. Voorbeeld")) == "RuntimeError"
