"""Core attacks on issue 10: a message names what is really wrong."""

from __future__ import annotations

import pytest

from brugdesk.errors import ValidationError


def _sent_referral(caseload) -> tuple[int, int]:
    cid = caseload.clients.create(given_name="Anna", family_name="Bakker")
    pid = caseload.partners.add(organisation="Schuldhulp", domains=["financien"])
    caseload.consents.record(
        cid, recipient="Schuldhulp", purpose="verwijzing", how="mondeling", partner_id=pid
    )
    rid = caseload.referrals.create(cid, pid, reason="Schulden", request="Budgetbeheer")
    caseload.referrals.mark_sent(rid)
    return cid, rid


def test_a_rejection_with_a_too_long_reason_says_it_is_too_long(caseload) -> None:
    """A pasted e-mail as the reason was answered with 'Geef de reden…', as if none was typed."""
    _cid, rid = _sent_referral(caseload)
    with pytest.raises(ValidationError) as caught:
        caseload.referrals.set_status(rid, "afgewezen", note="Wachtlijst. " + "x" * 3000)
    assert "te lang" in caught.value.message
    assert "Geef de reden" not in caught.value.message
    assert caseload.referrals.get(rid).status == "verstuurd"
