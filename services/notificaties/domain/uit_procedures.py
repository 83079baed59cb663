"""The letters the procedures put ready, as the notificaties' own command to make and send them."""

from __future__ import annotations

from wvggz_contracts.brieven import BriefVorm, ZetBriefKlaar
from wvggz_contracts.crisis import AfschriftKlaargezet
from wvggz_contracts.meldpunt import MelderBriefKlaargezet as MeldpuntBrief
from wvggz_contracts.onderzoek import MelderBriefKlaargezet as OnderzoekBrief

from kernel.decider import derived_id


def uit_afschrift(afschrift: AfschriftKlaargezet) -> ZetBriefKlaar:
    """A copy of the burgemeester's decision for one of its recipients."""
    return ZetBriefKlaar(
        brief_id=afschrift.afschrift_id,
        zaak=afschrift.crisis_id,
        gemeente=afschrift.gemeente,
        vorm=BriefVorm.AFSCHRIFT,
        ontvanger=afschrift.ontvanger.value,
        bron_type=afschrift.event_type,
        bron=afschrift.model_dump(mode="json"),
    )


def uit_melderbrief(brief: MeldpuntBrief | OnderzoekBrief) -> ZetBriefKlaar:
    """A letter to the melder, once per case and kind of letter."""
    zaak = brief.vo_id if isinstance(brief, OnderzoekBrief) else brief.melding_id
    return ZetBriefKlaar(
        brief_id=derived_id(zaak, f"melderbrief:{brief.brief}"),
        zaak=zaak,
        gemeente=brief.gemeente,
        vorm=BriefVorm.MELDERBRIEF,
        ontvanger="melder",
        bron_type=brief.event_type,
        bron=brief.model_dump(mode="json"),
    )
