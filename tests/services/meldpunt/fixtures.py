"""Example meldpunt commands for tests."""

from __future__ import annotations

from datetime import datetime, timedelta

from wvggz_contracts.meldpunt import Kanaal, RegistreerMelding
from wvggz_contracts.personen import Betrokkene, Melder, RelatieTotBetrokkene


def registreer_melding(
    at: datetime, gemeente: str = "GM0402", **changes: object
) -> RegistreerMelding:
    base = RegistreerMelding(
        gemeente=gemeente,
        ontvangen_op=at - timedelta(minutes=5),
        kanaal=Kanaal.TELEFOON,
        melder=Melder(naam="A. Buur", telefoon="035-0000000", relatie=RelatieTotBetrokkene.BUUR),
        betrokkene=Betrokkene(naam="J. Voorbeeld", bsn="111222333"),
        situatie="Roept dat hij wordt afgeluisterd; eet niet meer.",
    )
    return base.model_copy(update=changes)


def request_body(
    payload: RegistreerMelding, actor: dict[str, str], command_id: str
) -> dict[str, object]:
    return {"command_id": command_id, "actor": actor, "payload": payload.model_dump(mode="json")}
