"""A refused request says what is wrong in Dutch, naming the field."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from kernel.refusals import validation_reply


class Voorbeeld(BaseModel):
    model_config = ConfigDict(extra="forbid")

    zaak: uuid.UUID
    datum: date
    aantal: int = Field(ge=1)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"datum": "2026-01-01", "aantal": 1}, "zaak", "zaak: dit veld is verplicht"),
        ({"zaak": "x", "datum": "2026-01-01", "aantal": 1}, "zaak", "zaak: geen geldig id"),
        (
            {"zaak": str(uuid.uuid4()), "datum": "gisteren", "aantal": 1},
            "datum",
            "datum: geen geldige datum",
        ),
        (
            {"zaak": str(uuid.uuid4()), "datum": "2026-01-01", "aantal": 0},
            "aantal",
            "aantal: de waarde is te klein",
        ),
        (
            {"zaak": str(uuid.uuid4()), "datum": "2026-01-01", "aantal": 1, "x": 1},
            "x",
            "x: dit veld hoort niet in het verzoek",
        ),
    ],
)
def test_pydantic_refusals_are_given_in_dutch(
    data: dict[str, object], field: str, message: str
) -> None:
    with pytest.raises(ValidationError) as invalid:
        Voorbeeld.model_validate(data)

    error = validation_reply(invalid.value).error

    assert error is not None and error.field == field and error.message == message
