"""The meldcode never leaves the log: no letter, no report holds a word of it.

Every document is rendered for real and read back (pypdf for PDFs); a word
of the facts, the interpretations and who was consulted must be absent,
while the client's own shared data is there (proof that the reading works).
"""

from __future__ import annotations

import io
from datetime import date, timedelta
from pathlib import Path

from pypdf import PdfReader

from brugdesk.app.caseload import Caseload
from brugdesk.app.gp_letter import GpLetterDraft
from brugdesk.app.referral_letter import ReferralLetterDraft, domains_at_issue
from brugdesk.app.report import ReportJob
from brugdesk.app.vault_jobs import fill_with_demo
from brugdesk.domain.referral_rules import SHAREABLE_FIELDS
from brugdesk.domain.report_rules import Period

FACT = "Brandwondjesopdehand"
THOUGHT = "Mogelijkverwaarlozing"
WHO = "Aandachtsfunctionarisbeek"
SECRET = (FACT, THOUGHT, WHO)


def _text(data: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)


def _leaks(text: str) -> list[str]:
    folded = text.casefold().replace("\n", "")
    return [w for w in SECRET if w.casefold() in folded]


def _client_with_meldcode(cl: Caseload) -> int:
    fill_with_demo(cl, clients=6, notes_per_client=3)
    cid = next(r.id for r in cl.clients.fetch() if cl.assessments.fetch(r.id))
    for step in range(1, 6):
        cl.meldcode.add(
            cid,
            step=step,
            held_on=date.today(),
            consulted=WHO,
            facts=f"{FACT} gezien bij stap {step}.",
            interpretations=f"{THOUGHT}?",
        )
    return cid


def test_no_letter_holds_a_word_of_the_meldcode(caseload: Caseload, tmp_path: Path) -> None:
    cl = caseload
    cl.settings.update(worker_name="Anouk de Wit", organisation="Welzijn Oost")
    cid = _client_with_meldcode(cl)
    client = cl.clients.get(cid)
    pid = cl.partners.add(organisation="Schuldhulpverlening", domains=domains_at_issue(cl, cid))

    referral = ReferralLetterDraft(cl, cid)
    referral.choose(
        partner_id=pid,
        reason="Huurachterstand",
        request="Graag een intake",
        shared_fields=tuple(SHAREABLE_FIELDS),
        shared_domains=tuple(domains_at_issue(cl, cid)),
        consent_how="mondeling",
    )
    referral.save(tmp_path / "verwijsbrief.pdf")
    letter = _text((tmp_path / "verwijsbrief.pdf").read_bytes())
    assert client.family_name in letter and "Huurachterstand" in letter
    assert _leaks(letter) == []

    gp = GpLetterDraft(cl, cid)
    gp.choose(next_steps="Over zes weken evalueren", consent_how="mondeling",
              fields=tuple(SHAREABLE_FIELDS))  # fmt: skip
    gp.save(tmp_path / "huisarts.pdf")
    gp_text = _text((tmp_path / "huisarts.pdf").read_bytes())
    assert client.family_name in gp_text and "Over zes weken evalueren" in gp_text
    assert _leaks(gp_text) == []


def test_no_report_holds_a_word_of_the_meldcode(caseload: Caseload, tmp_path: Path) -> None:
    _client_with_meldcode(caseload)
    today = date.today()
    job = ReportJob(caseload, Period.between(today - timedelta(days=800), today))
    job.save(pdf=tmp_path / "r.pdf", csv=tmp_path / "r.csv")
    text = _text((tmp_path / "r.pdf").read_bytes())
    table = (tmp_path / "r.csv").read_text("utf-8-sig")
    assert "Bereik" in text and "Bereik" in table
    assert _leaks(text) == [] and _leaks(table) == []
    # Nor does the report mention the meldcode at all (not even counts).
    assert "meldcode" not in text.casefold() and "meldcode" not in table.casefold()
