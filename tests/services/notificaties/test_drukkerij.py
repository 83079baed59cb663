"""Which way an afschrift goes: only to the one partner of the recipient's kind that the letter's
own gemeente manages and subscribed; when none or several qualify, by post."""

from __future__ import annotations

import uuid

from wvggz_contracts.brieven import BriefVorm
from wvggz_contracts.notificaties import Kanaal, PartnerSoort

from services.notificaties.drukkerij import AFSCHRIFT_TYPE, kies_partner
from services.notificaties.projections import Abonnement, BriefRij, PartnerRij


def brief(ontvanger: str, vorm: BriefVorm = BriefVorm.AFSCHRIFT) -> BriefRij:
    return BriefRij(
        brief_id=uuid.uuid4(),
        zaak=uuid.uuid4(),
        gemeente="GM0402",
        vorm=vorm,
        ontvanger=ontvanger,
        bron_type=AFSCHRIFT_TYPE,
    )


def partner(
    soort: PartnerSoort, beheerd_door: str = "GM0402", gemeenten: list[str] | None = None
) -> PartnerRij:
    abonnement = Abonnement(
        abonnement_id=uuid.uuid4(),
        gebeurtenissen=[AFSCHRIFT_TYPE],
        gemeenten=gemeenten or [],
        kanaal=Kanaal.WEBHOOK,
        url="https://partner.example.nl/hook",
    )
    return PartnerRij(
        partner_id=uuid.uuid4(),
        naam=f"Partner {soort}",
        oin="00000001003214345000",
        soort=soort,
        beheerd_door=beheerd_door,
        abonnementen=[abonnement],
    )


def test_the_ovjs_afschrift_goes_to_the_om_the_gemeente_manages() -> None:
    om = partner(PartnerSoort.OM)

    assert kies_partner(brief("ovj"), [partner(PartnerSoort.IGJ), om]) == om


def test_another_gemeentes_partner_never_gets_the_letter() -> None:
    elders = partner(PartnerSoort.OM, beheerd_door="GM0406", gemeenten=["GM0402"])

    assert kies_partner(brief("ovj"), [elders]) is None


def test_two_partners_of_the_kind_mean_post_not_a_guess() -> None:
    assert (
        kies_partner(brief("igj"), [partner(PartnerSoort.IGJ), partner(PartnerSoort.IGJ)]) is None
    )


def test_named_persons_and_melders_get_their_letters_by_post() -> None:
    everyone = [partner(soort) for soort in PartnerSoort]

    for ontvanger in ("betrokkene", "advocaat", "geneesheer-directeur", "pvp"):
        assert kies_partner(brief(ontvanger), everyone) is None
    assert kies_partner(brief("melder", BriefVorm.MELDERBRIEF), everyone) is None
