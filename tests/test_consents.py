"""Consent is only what really happened, for the purpose it was given; share the minimum.

Real vaults, real letters read back with pypdf (decrypted with their password).
"""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader

from brugdesk.app.caseload import Caseload
from brugdesk.app.gp_letter import GP_CONSENT_CHANGED, GP_PURPOSE, GpLetterDraft
from brugdesk.app.referral_letter import REFERRAL_PURPOSE, ReferralLetterDraft
from brugdesk.documents.letter_content import long_date
from brugdesk.domain.consent_rules import covers
from brugdesk.errors import ValidationError

PASSWORD = "abcd-efgh-jkmn-pqrs-tuvw"


def _text(data: bytes | Path, password: str | None = None) -> str:
    raw = data.read_bytes() if isinstance(data, Path) else data
    reader = PdfReader(io.BytesIO(raw))
    assert reader.is_encrypted == bool(password)
    if password:
        assert reader.decrypt(password)
    return "\n".join(p.extract_text() for p in reader.pages)


def _client(cl: Caseload) -> int:
    cl.settings.update(worker_name="Anouk de Wit", organisation="Welzijn Oost")
    cid = cl.clients.create(
        given_name="Gerda",
        family_name="Smit",
        date_of_birth="12-03-1951",
        referrer_id=cl.referrers.add(name="Huisartsenpraktijk De Linde"),
    )
    # The last conversation: debts (with signals) and loneliness, both at issue.
    cl.assessments.add(
        cid,
        instrument_id="leefgebieden",
        instrument_version="1",
        items=[
            {
                "domain": "financien",
                "score": 1,
                "priority": True,
                "signals": ["huurachterstand", "aanmaningen-deurwaarder"],
            },
            {"domain": "netwerk", "score": 2, "signals": ["weinig-contacten"]},
            {"domain": "wonen", "score": 5},
        ],
    )
    return cid


def _rows(cl: Caseload, cid: int) -> tuple[int, int, int]:
    return (
        len(cl.referrals.fetch(cid)),
        len(cl.consents.fetch(cid)),
        # Writes only: the read logged when a letter is looked at is no part of a job.
        len([a for a in cl.audit.fetch(client_id=cid, limit=100_000) if a.action != "read"]),
    )


# --- the purpose is enforced ----------------------------------------------------------


def test_a_gp_consent_does_not_let_a_referral_skip_the_consent_step(
    caseload: Caseload, tmp_path: Path
) -> None:
    cid = _client(caseload)
    # The GP practice is also in the social map: a GP-feedback consent naming it.
    pid = caseload.partners.add(organisation="Huisartsenpraktijk De Linde", domains=["lichaam"])
    caseload.consents.record(cid, recipient="huisarts", purpose=GP_PURPOSE, how="mondeling")
    caseload.consents.record(
        cid, recipient="Huisartsenpraktijk De Linde", purpose=GP_PURPOSE, how="mondeling",
        partner_id=pid,
    )  # fmt: skip
    draft = ReferralLetterDraft(caseload, cid)
    draft.choose(partner_id=pid, reason="Klachten")
    assert draft.existing_consent(pid) is None  # the wizard's consent page asks
    assert "geen toestemming" in _text(draft.pdf)
    before = _rows(caseload, cid)
    with pytest.raises(ValidationError) as err:
        draft.save(tmp_path / "brief.pdf")
    assert "toestemming" in err.value.message
    assert _rows(caseload, cid) == before and not (tmp_path / "brief.pdf").exists()
    # The service refuses it too: a concept cannot be marked sent on a GP consent.
    rid = caseload.referrals.create(cid, pid)
    with pytest.raises(ValidationError):
        caseload.referrals.mark_sent(rid)
    assert caseload.consents.active_for(cid, pid) is None
    # With consent for the referral itself it goes, and that consent is the basis.
    draft.choose(consent_how="schriftelijk")
    result = draft.save(tmp_path / "brief.pdf")
    ref = caseload.referrals.get(result.referral_id)
    basis = next(c for c in caseload.consents.fetch(cid) if c.id == ref.consent_id)
    assert basis.purpose == REFERRAL_PURPOSE and basis.partner_id == pid


def test_a_referral_consent_does_not_cover_gp_feedback(caseload: Caseload, tmp_path: Path) -> None:
    cid = _client(caseload)
    pid = caseload.partners.add(organisation="Buurtcentrum De Kroon", domains=["netwerk"])
    caseload.consents.record(
        cid, recipient="Buurtcentrum De Kroon", purpose=REFERRAL_PURPOSE, how="mondeling",
        partner_id=pid,
    )  # fmt: skip
    # A referral-purpose consent without a partner is no GP consent either.
    caseload.consents.record(cid, recipient="huisarts", purpose=REFERRAL_PURPOSE, how="mondeling")
    gp = GpLetterDraft(caseload, cid)
    assert not gp.has_consent and gp.consent is None
    assert "geen toestemming" in _text(gp.pdf)
    before = _rows(caseload, cid)
    with pytest.raises(ValidationError) as err:
        gp.save(tmp_path / "gp.pdf")
    assert "huisarts" in err.value.message
    assert _rows(caseload, cid) == before and not (tmp_path / "gp.pdf").exists()


def test_covers_needs_purpose_recipient_and_no_withdrawal(caseload: Caseload) -> None:
    cid = _client(caseload)
    pid = caseload.partners.add(organisation="Wijkteam")
    other = caseload.partners.add(organisation="Humanitas")
    cons = caseload.consents.record(
        cid, recipient="Wijkteam", purpose=" Verwijzing ", how="mondeling", partner_id=pid
    )
    (c,) = caseload.consents.fetch(cid)
    assert covers(c, purpose=REFERRAL_PURPOSE, partner_id=pid)  # case and spaces aside
    assert caseload.consents.active_for(cid, pid).id == cons
    assert not covers(c, purpose=REFERRAL_PURPOSE, partner_id=other)
    assert not covers(c, purpose=GP_PURPOSE, partner_id=pid)
    assert not covers(c, purpose=GP_PURPOSE, partner_id=None)
    caseload.consents.withdraw(cons)
    (c,) = caseload.consents.fetch(cid)
    assert not covers(c, purpose=REFERRAL_PURPOSE, partner_id=pid)


# --- the GP letter: only sent referrals, the consent basis, protected ----------------


def test_gp_letter_lists_only_sent_referrals_and_states_its_basis(
    caseload: Caseload, tmp_path: Path
) -> None:
    cid = _client(caseload)
    sent_to = caseload.partners.add(organisation="Schuldhulpverlening", domains=["financien"])
    concept_to = caseload.partners.add(organisation="Buurtcentrum De Kroon", domains=["netwerk"])
    caseload.consents.record(
        cid, recipient="Schuldhulpverlening", purpose=REFERRAL_PURPOSE, how="mondeling",
        partner_id=sent_to,
    )  # fmt: skip
    sent = caseload.referrals.create(cid, sent_to)
    caseload.referrals.mark_sent(sent)
    caseload.referrals.set_status(sent, "geaccepteerd")
    caseload.referrals.create(cid, concept_to)  # a concept: never reached anyone
    given = datetime(2026, 3, 4, 10, 30)
    caseload.consents.record(
        cid, recipient="huisarts", purpose=GP_PURPOSE, how="schriftelijk", given_at=given,
        recorded_by="Anouk de Wit",
    )  # fmt: skip
    gp = GpLetterDraft(caseload, cid)
    gp.choose(next_steps="Over zes weken evalueren", password=PASSWORD)
    gp.save(tmp_path / "gp.pdf")
    text = _text(tmp_path / "gp.pdf", PASSWORD)
    assert "Schuldhulpverlening: geaccepteerd" in text
    assert "Buurtcentrum" not in text and "concept" not in text
    assert "De cliënt heeft toestemming gegeven" in text
    assert "schriftelijk" in text and long_date(given.date()) in text
    assert "vastgelegd door Anouk de Wit" in text


def test_gp_consent_given_now_is_the_stated_basis_and_recorded_on_save_only(
    caseload: Caseload, tmp_path: Path
) -> None:
    cid = _client(caseload)
    gp = GpLetterDraft(caseload, cid, today=date.today())
    gp.choose(consent_how="schriftelijk", password=PASSWORD)
    preview = _text(gp.pdf, PASSWORD)
    assert "schriftelijk" in preview and long_date(date.today()) in preview
    assert caseload.consents.fetch(cid) == []  # chosen, not recorded
    gp.save(tmp_path / "gp.pdf")
    (c,) = caseload.consents.fetch(cid)
    assert c.purpose == GP_PURPOSE and c.partner_id is None and c.how == "schriftelijk"
    assert _text(tmp_path / "gp.pdf", PASSWORD) == preview


def test_gp_letter_refuses_when_its_stated_consent_was_replaced(
    caseload: Caseload, tmp_path: Path
) -> None:
    cid = _client(caseload)
    old = caseload.consents.record(
        cid, recipient="huisarts", purpose=GP_PURPOSE, how="mondeling",
        given_at=datetime.now() - timedelta(days=3),
    )  # fmt: skip
    gp = GpLetterDraft(caseload, cid)
    assert gp.has_consent and gp.consent.id == old
    # Meanwhile the consent is withdrawn and a new one given: the letter names the old one.
    caseload.consents.withdraw(old)
    caseload.consents.record(cid, recipient="huisarts", purpose=GP_PURPOSE, how="schriftelijk")
    before = _rows(caseload, cid)
    with pytest.raises(ValidationError) as err:
        gp.save(tmp_path / "gp.pdf")
    assert err.value.message == GP_CONSENT_CHANGED
    assert _rows(caseload, cid) == before and not (tmp_path / "gp.pdf").exists()


# --- the referral letter states its basis ----------------------------------------------


def test_referral_letter_states_who_how_and_when(caseload: Caseload, tmp_path: Path) -> None:
    cid = _client(caseload)
    pid = caseload.partners.add(organisation="Schuldhulpverlening", domains=["financien"])
    given = datetime(2026, 2, 1, 9, 0)
    caseload.consents.record(
        cid, recipient="Schuldhulpverlening", purpose=REFERRAL_PURPOSE, how="schriftelijk",
        partner_id=pid, given_at=given, recorded_by="Anouk de Wit",
    )  # fmt: skip
    draft = ReferralLetterDraft(caseload, cid)
    draft.choose(partner_id=pid, reason="Schulden", password=PASSWORD)
    draft.save(tmp_path / "brief.pdf")
    text = _text(tmp_path / "brief.pdf", PASSWORD)
    assert "De cliënt heeft toestemming gegeven" in text
    assert "schriftelijk" in text and long_date(given.date()) in text
    assert "vastgelegd door Anouk de Wit" in text


# --- share the minimum -----------------------------------------------------------------


def test_only_the_partners_domains_at_issue_are_suggested(
    caseload: Caseload, tmp_path: Path
) -> None:
    cid = _client(caseload)
    centre = caseload.partners.add(organisation="Buurtcentrum De Kroon", domains=["netwerk"])
    debts = caseload.partners.add(organisation="Schuldhulp", domains=["financien", "wonen"])
    bare = caseload.partners.add(organisation="Bibliotheek", domains=[])
    draft = ReferralLetterDraft(caseload, cid)
    assert draft.suggested_domains(centre) == ("netwerk",)
    assert draft.suggested_domains(debts) == ("financien",)  # wonen is not at issue
    assert draft.suggested_domains(bare) == ()
    draft.choose(
        partner_id=centre,
        reason="Eenzaam",
        shared_domains=draft.suggested_domains(centre),
        consent_how="mondeling",
    )
    draft.save(tmp_path / "brief.pdf")
    text = _text(tmp_path / "brief.pdf")
    assert "Sociaal netwerk" in text and "weinig contacten" in text
    assert "Geld en schulden" not in text and "huurachterstand" not in text.casefold()


def test_a_consent_has_one_of_the_two_purposes(caseload) -> None:
    from brugdesk.errors import ValidationError

    cid = caseload.clients.create(given_name="Jan", family_name="Doel")
    with pytest.raises(ValidationError) as raised:
        caseload.consents.record(cid, recipient="Wijkteam", purpose="v", how="mondeling")
    assert "verwijzing" in str(raised.value)
    assert caseload.consents.fetch(cid) == []
