"""The crisis route of the demo: triage crisis → verklaring → horen → besluit → afschriften."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from nats.js.api import DeliverPolicy
from wvggz_contracts.crisis import AfschriftKlaargezet
from wvggz_contracts.envelope import CloudEvent
from wvggz_contracts.subjects import EVENTS_STREAM, event_filter

from kernel.decider import derived_id
from wvggz.connection import Connection, demo_user
from wvggz.demo import GM, Caller, registreer_melding_request


async def run_crisis(connection: Connection, say: Any = print) -> list[str]:
    """Walk a crisis from the meldpunt to the burgemeester's besluit; return who gets a copy."""
    client = await connection.client()
    observer = await connection.client("bootstrap")
    try:
        copies = await observer.jetstream().subscribe(
            event_filter(AfschriftKlaargezet.event_type),
            stream=EVENTS_STREAM,
            ordered_consumer=True,
            deliver_policy=DeliverPolicy.NEW,
        )
        staff = {
            rol: Caller(client, connection, demo_user(rol, GM))
            for rol in (
                "triagist",
                "crisisdienst",
                "psychiater",
                "hoorder",
                "burgemeester",
                "functioneel-beheer",
            )
        }
        melding = await staff["triagist"].command(
            "meldpunt", "registreer-melding", registreer_melding_request()["payload"]
        )
        ja = {"aannemelijk": True, "motivatie": "Volgens politie ter plaatse."}
        await staff["triagist"].command(
            "meldpunt",
            "rond-triage-af",
            {
                "melding_id": melding["case_id"],
                "uitkomst": "crisis",
                "antwoorden": {
                    "ernstig_nadeel": ja,
                    "psychische_stoornis": ja,
                    "verplichte_zorg_nodig": ja,
                },
                "afwijking_motivatie": "Acuut gevaar: de zorgmachtiging kan niet worden afgewacht.",
            },
        )
        crisis_id = str(derived_id(uuid.UUID(melding["case_id"]), "crisismaatregel"))
        case = await staff["crisisdienst"].wait_for("crisis", "open-crises", "crisis_id", crisis_id)
        say(
            f"11. Triage says crisis; the crisis service opened case {crisis_id}: "
            f"{case['uren_over']} hours left for the burgemeester's besluit."
        )
        for rol, name, payload in _steps(crisis_id, {rol: c.user for rol, c in staff.items()}):
            command_id = (
                _verklaring_command(crisis_id) if name.startswith("stel-medische") else None
            )
            await staff[rol].command("crisis", name, payload, command_id)
            say(f"    {rol}: {name}")
        due: list[str] = []
        while len(due) < 6:
            event = CloudEvent.model_validate_json((await copies.next_msg(timeout=10)).data)
            if str(event.subject) == crisis_id:
                due.append(event.data["ontvanger"])
        say(f"12. Afschriften due to: {', '.join(due)}.")
        return due
    finally:
        await client.close()
        await observer.close()


def _verklaring_command(crisis_id: str) -> uuid.UUID:
    """The psychiatrist's draft command id: the verklaring's id derives from it, for signing."""
    return derived_id(uuid.UUID(crisis_id), "demo-verklaring")


def _steps(crisis_id: str, users: dict[str, str]) -> list[tuple[str, str, dict[str, Any]]]:
    now = datetime.now(UTC).isoformat()
    ja = {"voldaan": True, "toelichting": "Vastgesteld bij onderzoek."}
    criteria = dict.fromkeys(
        (
            "onmiddellijk_dreigend_ernstig_nadeel",
            "ernstig_vermoeden_psychische_stoornis",
            "maatregel_kan_nadeel_afwenden",
            "zorgmachtiging_niet_afwachten",
            "verzet_tegen_zorg",
        ),
        ja,
    )
    verklaring = derived_id(_verklaring_command(crisis_id), "medische-verklaring")
    return [
        (
            "functioneel-beheer",
            "registreer-hoormandaat",
            {"gemeente": GM, "partij": "Vcare", "geldig_van": "2026-01-01"},
        ),
        (
            "functioneel-beheer",
            "registreer-hoorder",
            {
                "gemeente": GM,
                "hoorder": users["hoorder"],
                "partij": "Vcare",
                "geldig_van": "2026-01-01",
            },
        ),
        (
            "psychiater",
            "stel-medische-verklaring-op",
            {
                "crisis_id": crisis_id,
                "psychiater": users["psychiater"],
                "is_behandelaar": False,
                "onderzocht_op": now,
                "criteria": criteria,
                "bevindingen": "Psychotisch, suïcidaal.",
            },
        ),
        (
            "psychiater",
            "onderteken-medische-verklaring",
            {"crisis_id": crisis_id, "verklaring_id": str(verklaring)},
        ),
        (
            "hoorder",
            "leg-hoorverslag-vast",
            {
                "crisis_id": crisis_id,
                "hoorder": users["hoorder"],
                "gehoord_op": now,
                "wijze": "telefoon",
                "wensen_en_voorkeuren": "Liever geen injectie.",
                "crisiskaart_geraadpleegd": True,
                "tolk_gebruikt": False,
                "naasten_aanwezig": True,
                "pvp_uitgelegd": True,
                "toestemming_gegevens_pvp": True,
            },
        ),
        ("crisisdienst", "stel-integraal-advies-samen", {"crisis_id": crisis_id}),
        (
            "burgemeester",
            "neem-besluit",
            {
                "crisis_id": crisis_id,
                "besloten_op": now,
                "advocaat": "Mr. A. Advocaat",
                "besluit": {
                    "uitkomst": "genomen",
                    "verplichte_zorg": ["opname in een accommodatie"],
                    "zorgaanbieder": "GGZ Centraal",
                    "geneesheer_directeur": "Dr. G. Directeur",
                    "zorgverantwoordelijke": "Dr. Z. Verantwoordelijk",
                    "rechtsmiddel": "Beroep bij de rechtbank.",
                    "motivatie": "Alle criteria zijn voldaan.",
                },
            },
        ),
    ]
