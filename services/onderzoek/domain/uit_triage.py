"""The onderzoek's policy on the meldpunt's triage: a VO outcome opens a verkennend onderzoek."""

from __future__ import annotations

from wvggz_contracts.meldpunt import TriageAfgerond, TriageUitkomst
from wvggz_contracts.onderzoek import OpenVerkennendOnderzoek


def open_uit_triage(triage: TriageAfgerond) -> OpenVerkennendOnderzoek | None:
    """Open the VO with the term the meldpunt set; other outcomes are not for the onderzoek."""
    if triage.uitkomst is not TriageUitkomst.VERKENNEND_ONDERZOEK:
        return None
    return OpenVerkennendOnderzoek(
        melding_id=triage.melding_id,
        gemeente=triage.gemeente,
        melding_ontvangen_op=triage.melding_ontvangen_op,
        vo_termijn_eind=triage.vo_termijn_eind,
        betrokkene=triage.betrokkene,
        melder=triage.melder,
        situatie=triage.situatie,
    )
