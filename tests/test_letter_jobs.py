"""The letter jobs: preview bytes are the saved bytes; a save is all or nothing.

Every step of a save is made to fail in turn (rendering, the temporary file,
each row in the transaction, the commit, the rename). After each failure
there is no file, no temporary file, and no referral, consent or audit row.
"""

from __future__ import annotations

import errno
import hashlib
import io
import os
from datetime import date, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.platypus.doctemplate import LayoutError
from sqlalchemy import event
from sqlalchemy.exc import OperationalError

from brugdesk.app.caseload import Caseload
from brugdesk.app.gp_letter import GP_PURPOSE, GpLetterDraft
from brugdesk.app.referral_letter import ReferralLetterDraft
from brugdesk.documents import letter_pdf
from brugdesk.documents.letter_content import long_date
from brugdesk.errors import BrugdeskError, DiskFull, ValidationError, VaultError
from brugdesk.services import consents as consents_mod
from brugdesk.services import referrals as referrals_mod

PASSWORD = "abcd-efgh-jkmn-pqrs-tuvw"


def _client(cl: Caseload) -> tuple[int, int]:
    cl.settings.update(worker_name="Anouk de Wit", organisation="Welzijn Oost")
    cid = cl.clients.create(
        given_name="Şükrü",
        family_name="Yılmaz",
        date_of_birth="12-03-1961",
        referrer_id=cl.referrers.add(name="Huisartsenpraktijk De Linde"),
    )
    pid = cl.partners.add(organisation="Schuldhulpverlening", contact_person="Jan Jansen")
    return cid, pid


def _referral(cl: Caseload, cid: int, pid: int, **choices) -> ReferralLetterDraft:
    draft = ReferralLetterDraft(cl, cid)
    draft.choose(partner_id=pid, reason="Huurachterstand", request="Graag een intake", **choices)
    return draft


def _rows(cl: Caseload, cid: int) -> tuple[int, int, int]:
    """(referrals, consents, audit rows) for this client — read through the caseload."""
    return (
        len(cl.referrals.fetch(cid)),
        len(cl.consents.fetch(cid)),
        # The job's rows: the read logged when the letter was first seen is no part of it.
        len([a for a in cl.audit.fetch(client_id=cid, limit=100_000) if a.action != "read"]),
    )


def _text(data: bytes, password: str | None = None) -> str:
    reader = PdfReader(io.BytesIO(data))
    if password:
        assert reader.decrypt(password)
    return "\n".join(p.extract_text() for p in reader.pages)


# --- preview bytes are the saved bytes ----------------------------------------------


@pytest.mark.parametrize("password", [None, PASSWORD])
def test_referral_preview_bytes_are_the_saved_bytes(
    caseload: Caseload, tmp_path: Path, password: str | None
) -> None:
    cid, pid = _client(caseload)
    draft = _referral(caseload, cid, pid, consent_how="mondeling", password=password)
    preview = draft.pdf
    result = draft.save(tmp_path / "brief.pdf")
    saved = (tmp_path / "brief.pdf").read_bytes()
    assert saved == preview
    assert result.sha256 == hashlib.sha256(saved).hexdigest()
    assert PdfReader(io.BytesIO(saved)).is_encrypted == bool(password)
    assert "Şükrü Yılmaz" in _text(saved, password)
    ref = caseload.referrals.get(result.referral_id)
    assert ref.letter_sha256 == result.sha256
    exports = [a for a in caseload.audit.fetch(client_id=cid) if a.action == "export"]
    assert [a.details["sha256"] for a in exports] == [result.sha256]


def test_letter_is_rendered_once_per_set_of_choices(
    caseload: Caseload, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cid, pid = _client(caseload)
    draft = _referral(caseload, cid, pid, consent_how="schriftelijk")
    real, calls = letter_pdf.render, []
    monkeypatch.setattr(letter_pdf, "render", lambda letter: calls.append(1) or real(letter))
    first = draft.pdf
    assert draft.pdf is first and draft.cached_pdf() is first
    draft.choose(reason="Huurachterstand")  # the same choice again: nothing to redo
    assert draft.pdf is first and len(calls) == 1
    draft.choose(reason="Huurachterstand en aanmaningen")
    assert draft.cached_pdf() is None
    second = draft.pdf
    assert second != first and "aanmaningen" in _text(second) and len(calls) == 2
    draft.save(tmp_path / "brief.pdf")
    assert len(calls) == 2  # saving renders nothing new
    assert (tmp_path / "brief.pdf").read_bytes() == second


def test_referral_is_created_sent_with_its_consent_in_one_go(
    caseload: Caseload, tmp_path: Path
) -> None:
    cid, pid = _client(caseload)
    due = date.today() + timedelta(days=70)  # within the year a feedback date may lie ahead
    draft = _referral(caseload, cid, pid, consent_how="mondeling", feedback_due=due)
    assert "heeft toestemming gegeven" in _text(draft.pdf)
    assert long_date(due) in _text(draft.pdf)
    assert caseload.consents.fetch(cid) == []  # choosing consent writes nothing
    assert caseload.referrals.fetch(cid) == []
    result = draft.save(tmp_path / "brief.pdf")
    (consent,) = caseload.consents.fetch(cid)
    assert consent.partner_id == pid and consent.how == "mondeling"
    assert consent.purpose == "verwijzing" and consent.recorded_by == "Anouk de Wit"
    ref = caseload.referrals.get(result.referral_id)
    assert ref.status == "verstuurd" and ref.consent_id == consent.id
    assert [e.status for e in ref.events] == ["concept", "verstuurd"]
    assert ref.feedback_due == due
    actions = sorted(a.action for a in caseload.audit.fetch(client_id=cid))
    # client, consent, referral, the file, and one read: the letter was looked at
    assert actions == ["create", "create", "create", "export", "read"]


def test_override_is_in_the_letter_and_the_log(caseload: Caseload, tmp_path: Path) -> None:
    cid, pid = _client(caseload)
    draft = _referral(caseload, cid, pid)
    with pytest.raises(ValidationError) as err:
        draft.save(tmp_path / "brief.pdf")
    assert "toestemming" in err.value.message
    assert list(tmp_path.glob("*.pdf")) == []
    draft.choose(override_reason="Acute huisuitzetting")
    text = _text(draft.pdf)
    assert "zonder vastgelegde toestemming" in text and "Acute huisuitzetting" in text
    result = draft.save(tmp_path / "brief.pdf")
    ref = caseload.referrals.get(result.referral_id)
    assert ref.consent_id is None and ref.consent_override_reason == "Acute huisuitzetting"
    assert "consent_override" in [a.action for a in caseload.audit.fetch(client_id=cid)]
    assert caseload.consents.fetch(cid) == []


def test_consent_withdrawn_after_the_preview_stops_the_save(
    caseload: Caseload, tmp_path: Path
) -> None:
    cid, pid = _client(caseload)
    consent = caseload.consents.record(
        cid, recipient="Schuld", purpose="verwijzing", how="mondeling", partner_id=pid
    )
    draft = _referral(caseload, cid, pid)
    assert draft.existing_consent() is not None
    assert "heeft toestemming gegeven" in _text(draft.pdf)
    caseload.consents.withdraw(consent)
    before = _rows(caseload, cid)
    with pytest.raises(ValidationError):
        draft.save(tmp_path / "brief.pdf")
    assert _rows(caseload, cid) == before
    assert [p.name for p in tmp_path.iterdir()] == ["data"]  # no letter, no temporary file


def test_an_abandoned_draft_writes_nothing(caseload: Caseload) -> None:
    cid, pid = _client(caseload)
    before = _rows(caseload, cid)
    draft = _referral(caseload, cid, pid, consent_how="mondeling", password=PASSWORD)
    assert draft.pdf.startswith(b"%PDF")
    gp = GpLetterDraft(caseload, cid)
    gp.choose(consent_how="mondeling", next_steps="Evalueren")
    assert gp.pdf.startswith(b"%PDF")
    del draft, gp
    assert _rows(caseload, cid) == before


def test_an_existing_concept_is_sent_and_a_sent_letter_copied(
    caseload: Caseload, tmp_path: Path
) -> None:
    cid, pid = _client(caseload)
    rid = caseload.referrals.create(cid, pid, reason="Oud concept", shared_fields=["naam"])
    draft = ReferralLetterDraft(caseload, cid, referral_id=rid)
    assert draft.choices.reason == "Oud concept" and not draft.is_copy
    draft.choose(consent_how="schriftelijk")
    result = draft.save(tmp_path / "brief.pdf")
    assert result.referral_id == rid and caseload.referrals.get(rid).status == "verstuurd"
    assert len(caseload.referrals.fetch(cid)) == 1

    copy = ReferralLetterDraft(caseload, cid, referral_id=rid)
    assert copy.is_copy and "heeft toestemming gegeven" in _text(copy.pdf)
    preview = copy.pdf
    again = copy.save(tmp_path / "kopie.pdf")
    assert (tmp_path / "kopie.pdf").read_bytes() == preview
    ref = caseload.referrals.get(rid)
    assert ref.status == "verstuurd" and ref.letter_sha256 == result.sha256
    latest = caseload.audit.fetch(client_id=cid)[0]
    assert latest.action == "export" and latest.details == {"sha256": again.sha256, "copy": True}


# --- failure injection: each step in turn --------------------------------------------


def _raise_db_full(*_a, **_k):
    raise OperationalError("INSERT", {}, Exception("database or disk is full"))


@pytest.fixture
def failing_commit(caseload: Caseload):
    """Calling it makes the next commits fail (after every row and the rename)."""
    armed: list = []

    def boom(_session) -> None:
        raise OperationalError("COMMIT", {}, Exception("database is locked"))

    def arm() -> None:
        event.listen(caseload._sessions, "before_commit", boom)
        armed.append(boom)

    def disarm() -> None:
        while armed:
            event.remove(caseload._sessions, "before_commit", armed.pop())

    arm.disarm = disarm
    yield arm
    disarm()


def _layout_fails(_letter):
    raise LayoutError("Flowable too large")


def _encryption_fails(*_a):
    raise ValueError("bad key")


def _inject(step: str, monkeypatch: pytest.MonkeyPatch, failing_commit, job: str) -> Path | None:
    """Make *step* fail; returns another destination when the step is the folder itself."""
    if step == "render":
        monkeypatch.setattr(letter_pdf, "render", _layout_fails)
    elif step == "encrypt":
        monkeypatch.setattr(letter_pdf, "protect", _encryption_fails)
    elif step == "folder":
        return Path("missing-folder") / "brief.pdf"
    elif step == "temp-write":

        def full(_fd):
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(os, "fsync", full)
    elif step == "consent-row":
        monkeypatch.setattr(consents_mod, "record", _raise_db_full)
    elif step == "referral-row":
        monkeypatch.setattr(referrals_mod, "add_referral", _raise_db_full)
        if job == "referral":
            import brugdesk.app.referral_letter as job_mod

            monkeypatch.setattr(job_mod, "add_referral", _raise_db_full)
    elif step == "audit-row":
        real = referrals_mod.record if job == "referral" else None

        def audit_fails(session, action, *a, **k):
            if action == "export":
                _raise_db_full()
            return real(session, action, *a, **k)

        if job == "referral":
            monkeypatch.setattr(referrals_mod, "record", audit_fails)
        else:
            import brugdesk.app.gp_letter as gp_mod

            monkeypatch.setattr(gp_mod, "record", lambda *a, **k: _raise_db_full())
    elif step == "commit":
        failing_commit()
    elif step == "rename":

        def refuse(*_a):
            raise PermissionError(errno.EACCES, "Access is denied")

        monkeypatch.setattr(os, "replace", refuse)
    return None


STEPS = [
    "render",
    "encrypt",
    "folder",
    "temp-write",
    "consent-row",
    "referral-row",
    "audit-row",
    "commit",
    "rename",
]


def _check_nothing_left(folder: Path, cl: Caseload, cid: int, before, err) -> None:
    assert isinstance(err.value, BrugdeskError)
    assert err.value.message and "Traceback" not in err.value.message
    assert list(folder.iterdir()) == []  # no file, no temporary file
    assert _rows(cl, cid) == before


@pytest.mark.parametrize("step", STEPS)
def test_referral_save_fails_at_each_step_and_leaves_nothing(
    caseload: Caseload,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    failing_commit,
    step: str,
) -> None:
    cid, pid = _client(caseload)
    folder = tmp_path / "uit"
    folder.mkdir()
    monkeypatch.chdir(tmp_path)
    draft = _referral(caseload, cid, pid, consent_how="mondeling", password=PASSWORD)
    before = _rows(caseload, cid)
    dest = _inject(step, monkeypatch, failing_commit, "referral") or folder / "brief.pdf"
    with pytest.raises(BrugdeskError) as err:
        draft.save(dest)
    failing_commit.disarm()  # reading the rows back commits too
    _check_nothing_left(folder, caseload, cid, before, err)
    assert not Path("missing-folder").exists()
    if step == "temp-write":
        assert isinstance(err.value, DiskFull)
    if step in ("folder", "rename"):
        assert isinstance(err.value, VaultError) and "map" in err.value.message
    monkeypatch.undo()
    failing_commit.disarm()
    # Nothing was half done: the same draft saves cleanly afterwards.
    result = draft.save(folder / "brief.pdf")
    assert (folder / "brief.pdf").read_bytes() == draft.pdf
    assert _rows(caseload, cid) == (before[0] + 1, before[1] + 1, before[2] + 3)
    assert caseload.referrals.get(result.referral_id).status == "verstuurd"


def test_a_failed_commit_puts_an_older_file_of_that_name_back(
    caseload: Caseload, tmp_path: Path, failing_commit
) -> None:
    cid, pid = _client(caseload)
    old = tmp_path / "brief.pdf"
    old.write_bytes(b"de vorige brief")
    draft = _referral(caseload, cid, pid, consent_how="mondeling")
    before = _rows(caseload, cid)
    failing_commit()
    with pytest.raises(VaultError):
        draft.save(old)
    failing_commit.disarm()
    assert [p.name for p in tmp_path.iterdir() if p.name != "data"] == ["brief.pdf"]
    assert old.read_bytes() == b"de vorige brief"
    assert _rows(caseload, cid) == before
    draft.save(old)  # and replacing it for real works
    assert old.read_bytes() == draft.pdf
    assert [p.name for p in tmp_path.iterdir() if p.name != "data"] == ["brief.pdf"]


# --- the GP letter: the same shape ------------------------------------------------------


def _gp(cl: Caseload, cid: int, **choices) -> GpLetterDraft:
    draft = GpLetterDraft(cl, cid)
    draft.choose(next_steps="Over zes weken evalueren", **choices)
    return draft


@pytest.mark.parametrize("password", [None, PASSWORD])
def test_gp_preview_bytes_are_the_saved_bytes_and_consent_waits_for_save(
    caseload: Caseload, tmp_path: Path, password: str | None
) -> None:
    cid, _pid = _client(caseload)
    draft = _gp(caseload, cid, consent_how="mondeling", password=password)
    preview = draft.pdf
    assert caseload.consents.fetch(cid) == []
    result = draft.save(tmp_path / "huisarts.pdf")
    saved = (tmp_path / "huisarts.pdf").read_bytes()
    assert saved == preview and result.sha256 == hashlib.sha256(saved).hexdigest()
    assert "Over zes weken evalueren" in _text(saved, password)
    (consent,) = caseload.consents.fetch(cid)
    assert consent.purpose == GP_PURPOSE and consent.partner_id is None
    export = next(a for a in caseload.audit.fetch(client_id=cid) if a.action == "export")
    assert export.entity == "gp_feedback" and export.details["sha256"] == result.sha256
    assert export.details["consent_id"] == consent.id
    assert GpLetterDraft(caseload, cid).has_consent  # the next letter needs no new consent


def test_gp_letter_needs_consent_or_a_reason(caseload: Caseload, tmp_path: Path) -> None:
    cid, _pid = _client(caseload)
    draft = _gp(caseload, cid)
    with pytest.raises(ValidationError):
        draft.save(tmp_path / "huisarts.pdf")
    assert list(tmp_path.glob("*.pdf")) == []
    draft.choose(override_reason="Cliënt is niet bereikbaar, huisarts vraagt erom")
    draft.save(tmp_path / "huisarts.pdf")
    actions = [a.action for a in caseload.audit.fetch(client_id=cid)]
    assert "consent_override" in actions and caseload.consents.fetch(cid) == []


@pytest.mark.parametrize("step", [s for s in STEPS if s != "referral-row"])
def test_gp_save_fails_at_each_step_and_leaves_nothing(
    caseload: Caseload,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    failing_commit,
    step: str,
) -> None:
    cid, _pid = _client(caseload)
    folder = tmp_path / "uit"
    folder.mkdir()
    monkeypatch.chdir(tmp_path)
    draft = _gp(caseload, cid, consent_how="mondeling", password=PASSWORD)
    before = _rows(caseload, cid)
    dest = _inject(step, monkeypatch, failing_commit, "gp") or folder / "huisarts.pdf"
    with pytest.raises(BrugdeskError) as err:
        draft.save(dest)
    failing_commit.disarm()  # reading the rows back commits too
    _check_nothing_left(folder, caseload, cid, before, err)
    monkeypatch.undo()
    failing_commit.disarm()
    draft.save(folder / "huisarts.pdf")
    assert (folder / "huisarts.pdf").read_bytes() == draft.pdf
    assert _rows(caseload, cid) == (before[0], before[1] + 1, before[2] + 2)


# --- saving the same draft twice; a destination that is not a folder ----------------


def test_saving_a_sent_draft_again_makes_an_audited_copy(
    caseload: Caseload, tmp_path: Path
) -> None:
    cid, pid = _client(caseload)
    draft = _referral(caseload, cid, pid, consent_how="mondeling")
    first = draft.save(tmp_path / "brief.pdf")
    assert _rows(caseload, cid)[:2] == (1, 1)
    second = draft.save(tmp_path / "brief-kopie.pdf")
    assert _rows(caseload, cid)[:2] == (1, 1)  # no second referral, no second consent
    assert second.referral_id == first.referral_id
    copies = [a for a in caseload.audit.fetch(client_id=cid) if a.details.get("copy")]
    assert [a.action for a in copies] == ["export"]
    assert (tmp_path / "brief-kopie.pdf").read_bytes() == (tmp_path / "brief.pdf").read_bytes()


def test_saving_a_gp_letter_twice_records_the_consent_once(
    caseload: Caseload, tmp_path: Path
) -> None:
    cid, _pid = _client(caseload)
    draft = GpLetterDraft(caseload, cid)
    draft.choose(consent_how="mondeling")
    draft.save(tmp_path / "huisarts.pdf")
    draft.save(tmp_path / "huisarts-2.pdf")
    gp = [c for c in caseload.consents.fetch(cid) if c.purpose == GP_PURPOSE]
    assert len(gp) == 1
    exports = [a for a in caseload.audit.fetch(client_id=cid) if a.action == "export"]
    assert len(exports) == 2


def test_a_destination_under_a_file_is_named_as_such(caseload: Caseload, tmp_path: Path) -> None:
    cid, pid = _client(caseload)
    blocker = tmp_path / "geen-map"
    blocker.write_text("ik ben een bestand")
    draft = _referral(caseload, cid, pid, consent_how="mondeling")
    before = _rows(caseload, cid)
    with pytest.raises(VaultError) as caught:
        draft.save(blocker / "brief.pdf")
    assert "is een bestand, geen map" in caught.value.message
    assert "kluis" not in caught.value.message
    assert _rows(caseload, cid) == before
