"""Inzage and a copy for the client: every kind of data, only this client's, all or nothing."""

from __future__ import annotations

import io
import json
import re
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader

from brugdesk.app import files as files_mod
from brugdesk.app.caseload import Caseload
from brugdesk.app.inzage import InzageDraft
from brugdesk.app.referral_letter import ReferralLetterDraft
from brugdesk.cli import main as cli_main
from brugdesk.documents import inzage_pdf
from brugdesk.errors import ValidationError, VaultError
from brugdesk.services import audit as audit_mod
from tests.conftest import PASSPHRASE

PASSWORD = "abcd-efgh-jkmn-pqrs-tuvw"


def _pdf_text(data: bytes, password: str | None = None) -> str:
    reader = PdfReader(io.BytesIO(data))
    if password:
        assert reader.decrypt(password)
    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in reader.pages))


def _everything(cl: Caseload, tmp_path: Path, tag: str) -> tuple[int, dict[str, str]]:
    """A client with every kind of data; returns the id and a marker word per kind."""
    m = {
        "name": f"Zwaluw{tag}",
        "address": f"Lindelaan{tag} 4",
        "contact_note": f"Contactnotitie{tag} <b>vet</b>",
        "conv_note": f"Gespreksnotitie{tag}",
        "wish": f"Wens{tag}",
        "item_note": f"Domeinnotitie{tag}",
        "action": f"Actie{tag} bellen",
        "who": f"Buurman{tag}",
        "partner": f"Partnerorganisatie{tag}",
        "reason": f"Verwijsreden{tag}",
        "withdrawn": f"Intrekker{tag}",
    }
    cl.settings.update(worker_name="Anouk de Wit", organisation="Welzijn Oost")
    cid = cl.clients.create(
        given_name="Fatma",
        family_name=m["name"],
        date_of_birth="12-03-1961",
        address=m["address"],
        city="Zwolle",
        referrer_id=cl.referrers.add(name=f"Praktijk{tag}"),
    )
    cl.contacts.add(
        cid,
        occurred_at=datetime.now() - timedelta(days=3),
        kind="huisbezoek",
        duration_min=45,
        note=m["contact_note"],
        domains=["financien"],
    )
    cl.assessments.add(
        cid,
        instrument_id="leefgebieden",
        instrument_version="1",
        held_on=date.today() - timedelta(days=2),
        note=m["conv_note"],
        items=[
            {
                "domain": "financien",
                "score": 2,
                "signals": ["huurachterstand"],
                "wish": m["wish"],
                "priority": True,
                "note": m["item_note"],
            }
        ],
    )
    answers = ["ja", "min-of-meer", "nee", "nee", "ja", "min-of-meer"]
    items = ["leegte", "mis-mensen", "in-de-steek", "terugvallen", "vertrouwen", "verbonden"]
    index = {"nee": 0, "min-of-meer": 1, "ja": 2}
    cl.assessments.add(
        cid,
        instrument_id="eenzaamheid-djg6",
        instrument_version="1",
        held_on=date.today() - timedelta(days=1),
        items=[{"domain": i, "score": index[a]} for i, a in zip(items, answers, strict=True)],
    )
    cl.actions.add(
        cid, description=m["action"], who=m["who"], domain="financien",
        due_on=date.today() + timedelta(days=7),
    )  # fmt: skip
    pid = cl.partners.add(organisation=m["partner"])
    draft = ReferralLetterDraft(cl, cid)
    draft.choose(
        partner_id=pid,
        reason=m["reason"],
        request="Graag een intake",
        consent_how="mondeling",
        shared_fields=("naam", "geboortedatum", "adres"),
        shared_domains=("financien",),
    )
    draft.save(tmp_path / f"verwijzing{tag}.pdf")
    other = cl.consents.record(
        cid, recipient=m["withdrawn"], purpose="verwijzing", how="schriftelijk"
    )
    cl.consents.withdraw(other)
    return cid, m


@pytest.fixture
def two(caseload: Caseload, tmp_path: Path):
    a, ma = _everything(caseload, tmp_path, "Aap")
    b, mb = _everything(caseload, tmp_path, "Beer")
    return a, ma, b, mb


def test_every_kind_of_data_is_in_the_pdf_and_json_and_no_other_client(
    caseload: Caseload, tmp_path: Path, two
) -> None:
    a, ma, _b, mb = two
    draft = InzageDraft(caseload, a)
    text = _pdf_text(draft.pdf)
    data = json.loads(draft.json_bytes().decode("utf-8"))
    blob = json.dumps(data, ensure_ascii=False)
    for key, word in ma.items():
        assert word in text, key
        assert word in blob, key
    for key, word in mb.items():
        assert word not in text, key
        assert word not in blob, key
    # The B1 parts are all there.
    for heading in (
        "Wat brugdesk over u bewaart",
        "Uw gegevens",
        "Contactmomenten",
        "Gesprekken",
        "Plan",
        "Verwijzingen: wat is gedeeld, met wie en wanneer",
        "Toestemmingen",
        "Wat er over u is verstuurd of afgedrukt",
    ):
        assert heading in text
    # Signals by their label from the conversation's instrument version, scores, DJG-6.
    assert "Huurachterstand" in text and "Geld en schulden" in text
    assert "Ik ervaar een leegte om me heen." in text and "Min of meer" in text
    conv = {c["instrument"]: c for c in data["conversations"]}
    assert conv["leefgebieden"]["items"][0]["signals"] == [
        {"id": "huurachterstand", "label": "Huurachterstand"}
    ]
    assert conv["leefgebieden"]["items"][0]["score"] == 2
    assert conv["eenzaamheid-djg6"]["result"]["complete"] is True
    # Exactly what was shared with whom, when; the status history.
    (ref,) = data["referrals"]
    assert [f["field"] for f in ref["shared_fields"]] == ["naam", "geboortedatum", "adres"]
    assert [d["domain"] for d in ref["shared_domains"]] == ["financien"]
    assert ref["partner"] == ma["partner"] and ref["letter_sent_at"]
    assert [h["status"] for h in ref["history"]] == ["concept", "verstuurd"]
    assert "Adres" in text and "Gedeelde leefgebieden" in text
    # Consents: one given and active, one withdrawn.
    assert sorted(c["active"] for c in data["consents"]) == [False, True]
    assert "Ingetrokken op" in text and "niet ingetrokken" in text
    # The saved referral letter, as the audit knows it.
    (export,) = data["exports"]
    assert export["entity"] == "referral" and export["to"] == ma["partner"]
    assert "Verwijzingsbrief" in text
    # Typed markup prints literally; ISO dates in the JSON.
    assert "<b>vet</b>" in text
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", data["client"]["date_of_birth"])
    assert data["format"] == "brugdesk-inzage" and "meldcode" not in data


@pytest.mark.parametrize("password", [None, PASSWORD])
def test_preview_bytes_are_the_saved_bytes_with_audit_rows(
    caseload: Caseload, tmp_path: Path, two, password: str | None
) -> None:
    a, ma, _b, _mb = two
    draft = InzageDraft(caseload, a)
    draft.choose(password=password)
    preview = draft.pdf
    assert draft.pdf is preview  # rendered once
    saved = draft.save(tmp_path / "inzage.pdf", tmp_path / "inzage.json")
    assert (tmp_path / "inzage.pdf").read_bytes() == preview
    assert saved.password_protected is bool(password)
    assert ma["name"] in _pdf_text(preview, password)
    if password:
        assert PdfReader(io.BytesIO(preview)).is_encrypted
    body = (tmp_path / "inzage.json").read_bytes()
    assert ma["wish"] in body.decode("utf-8")
    rows = [e for e in caseload.audit.fetch(client_id=a) if e.entity == "inzage"]
    by_kind = {e.details["kind"]: e for e in rows}
    assert set(by_kind) == {"pdf", "json"}
    assert all(e.action == "export" for e in rows)
    assert by_kind["pdf"].details["sha256"] == files_mod.sha256_of(tmp_path / "inzage.pdf")
    assert by_kind["json"].details["sha256"] == files_mod.sha256_of(tmp_path / "inzage.json")
    assert by_kind["pdf"].details["password_protected"] is bool(password)
    # The next inzage lists this one among what was sent about the client.
    again = json.loads(InzageDraft(caseload, a).json_bytes())
    assert [e["what"] for e in again["exports"]].count("Inzage en afschrift") == 2


def test_a_failing_audit_row_leaves_no_file(
    caseload: Caseload, tmp_path: Path, two, monkeypatch: pytest.MonkeyPatch
) -> None:
    a, *_ = two
    draft = InzageDraft(caseload, a)  # logs its read (NEN 7513) when it is made
    before = len(caseload.audit.fetch(client_id=a, limit=100_000))

    def broken(*args, **kwargs):
        raise RuntimeError("audit row refused")

    monkeypatch.setattr("brugdesk.app.inzage.record", broken)
    with pytest.raises(RuntimeError):
        draft.save(tmp_path / "inzage.pdf")
    assert list(tmp_path.glob("inzage*")) == [] and list(tmp_path.glob(".inzage*")) == []
    assert len(caseload.audit.fetch(client_id=a, limit=100_000)) == before
    monkeypatch.setattr("brugdesk.app.inzage.record", audit_mod.record)
    draft.save(tmp_path / "inzage.pdf")  # the same draft saves cleanly afterwards
    assert (tmp_path / "inzage.pdf").read_bytes() == draft.pdf


def test_the_same_name_for_both_files_is_refused(caseload: Caseload, tmp_path: Path, two) -> None:
    a, *_ = two
    with pytest.raises(ValidationError):
        InzageDraft(caseload, a).save(tmp_path / "x.pdf", tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()


def test_meldcode_cannot_be_chosen_without_steps(caseload: Caseload, two) -> None:
    a, *_ = two
    draft = InzageDraft(caseload, a)
    assert not draft.meldcode_available
    with pytest.raises(ValidationError):
        draft.choose(include_meldcode=True)


def test_meldcode_only_when_chosen(caseload: Caseload, two) -> None:
    service = caseload.meldcode
    a, _ma, b, _mb = two
    add = service.add
    add(a, step=1, held_on=date.today(), consulted="", facts="FeitAap", interpretations="DuidAap")
    add(b, step=1, held_on=date.today(), consulted="", facts="FeitBeer", interpretations="DuidB")
    draft = InzageDraft(caseload, a)
    assert "FeitAap" not in _pdf_text(draft.pdf)
    assert "meldcode" not in json.loads(draft.json_bytes())
    draft.choose(include_meldcode=True)
    text = _pdf_text(draft.pdf)
    assert "FeitAap" in text and "DuidAap" in text and "FeitBeer" not in text
    assert json.loads(draft.json_bytes())["meldcode"][0]["facts"] == "FeitAap"


def test_demo_client_renders(caseload: Caseload) -> None:
    from brugdesk.app.vault_jobs import fill_with_demo

    fill_with_demo(caseload, clients=3, notes_per_client=3)
    for row in caseload.clients.fetch():
        draft = InzageDraft(caseload, row.id)
        text = _pdf_text(draft.pdf)
        assert row.family_name in text
        for contact in caseload.contacts.fetch(row.id):
            first = contact.note.split()[0] if contact.note.split() else ""
            assert first in text


# --- the CLI --------------------------------------------------------------------------


def test_cli_writes_pdf_and_json_and_refuses_existing_files(
    caseload: Caseload, vault_dir: Path, tmp_path: Path, two, capsys, monkeypatch
) -> None:
    a, ma, _b, mb = two
    caseload.lock()
    monkeypatch.setenv("BRUGDESK_PASSPHRASE", PASSPHRASE)
    pdf, js = tmp_path / "out.pdf", tmp_path / "out.json"
    args = ["inzage", "--data-dir", str(vault_dir), "--client", str(a), "--pdf", str(pdf)]
    assert cli_main([*args, "--json", str(js)]) == 0
    out = capsys.readouterr().out
    assert str(pdf) in out and str(js) in out
    text = _pdf_text(pdf.read_bytes())
    assert ma["name"] in text and mb["name"] not in text
    assert json.loads(js.read_text("utf-8"))["client"]["family_name"] == ma["name"]
    before = pdf.read_bytes()
    assert cli_main(args) == 2
    assert "bestaat al" in capsys.readouterr().err
    assert pdf.read_bytes() == before
    assert cli_main([*args, "--force"]) == 0
    assert cli_main([*args[:3], "--client", "99999", "--pdf", str(tmp_path / "n.pdf")]) == 1
    assert not (tmp_path / "n.pdf").exists()


def test_an_erased_client_leaves_no_file_name_of_an_inzage(vault_dir: Path, tmp_path: Path) -> None:
    """The worker may name the file after the client; the audit outlives the erasure."""
    from tests.vault_pages import all_plaintext

    cl = Caseload.open(vault_dir, PASSPHRASE)
    try:
        key = cl.vault.key_hex()
        cid = cl.clients.create(given_name="Zwaantje", family_name="Quirijnsma")
        InzageDraft(cl, cid).save(tmp_path / "inzage Quirijnsma.pdf", tmp_path / "Quirijnsma.json")
        (row, *_rest) = [e for e in cl.audit.fetch(client_id=cid) if e.entity == "inzage"]
        assert row.details["sha256"] and "file" not in row.details
        cl.clients.delete(cid, reason="verzoek_client")
        assert b"quirijnsma" not in all_plaintext(vault_dir, key).lower()
    finally:
        cl.lock()


def test_a_closure_reason_chosen_from_the_list_is_in_the_copy(caseload: Caseload) -> None:
    """Closed with a reason from the list and no words: the copy still says why."""
    cid = caseload.clients.create(given_name="Kees", family_name="Klaar")
    caseload.clients.update(cid, gp_before=4, gp_source="praktijk")
    caseload.clients.close(cid, code="doelen-bereikt")
    draft = InzageDraft(caseload, cid)
    data = json.loads(draft.json_bytes())
    assert data["client"]["closure_code"] == "doelen-bereikt"
    assert data["client"]["closure"] == "Doelen bereikt, eigen kracht of netwerk"
    assert data["client"]["gp_visits_source"] == "praktijk"
    text = _pdf_text(draft.pdf)
    assert "Reden van afsluiten: Doelen bereikt, eigen kracht of netwerk" in text
    assert "door de praktijk" in text


def test_an_inzage_never_overwrites_the_vaults_own_files(vault_dir: Path, tmp_path: Path) -> None:
    cl = Caseload.open(vault_dir, PASSPHRASE)
    try:
        cid = cl.clients.create(given_name="Ada", family_name="Kluis")
        draft = InzageDraft(cl, cid)
        before = (vault_dir / "vault.json").read_bytes()
        rows = len(cl.audit.fetch(client_id=cid))
        for name in ("vault.json", "caseload.db"):
            with pytest.raises(VaultError, match="bestand van de kluis zelf"):
                draft.save(vault_dir / name)
        link = tmp_path / "link.json"
        try:
            link.symlink_to(vault_dir / "vault.json")
        except OSError:  # Windows without the right to make links
            pass
        else:
            with pytest.raises(VaultError, match="bestand van de kluis zelf"):
                draft.save(link)
        assert (vault_dir / "vault.json").read_bytes() == before
        assert len(cl.audit.fetch(client_id=cid)) == rows  # no export row either
    finally:
        cl.lock()
    Caseload.open(vault_dir, PASSPHRASE).lock()  # the vault still opens


def test_a_new_password_encrypts_the_same_drawing_again(
    caseload: Caseload, two, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Toggling the password must not draw a long dossier again (the window waits)."""
    a, ma, *_ = two
    draft = InzageDraft(caseload, a)
    drawn: list[bool] = []
    real = inzage_pdf.render
    monkeypatch.setattr(inzage_pdf, "render", lambda data: drawn.append(True) or real(data))
    plain = draft.pdf
    draft.choose(password=PASSWORD)
    secret = draft.pdf
    draft.choose(password=None)
    assert draft.pdf == plain and len(drawn) == 1
    assert ma["name"] in _pdf_text(secret, PASSWORD)
    assert ma["name"] in _pdf_text(plain)
