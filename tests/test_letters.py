"""Referral and GP letters: real PDFs read back with pypdf."""

from __future__ import annotations

import hashlib
import io
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader

from brugdesk.app.caseload import Caseload
from brugdesk.app.gp_letter import GP_PURPOSE, GpLetterDraft
from brugdesk.app.referral_letter import ReferralLetterDraft
from brugdesk.documents import letter_content as content
from brugdesk.documents import letter_pdf as letters
from brugdesk.errors import LogoError, ValidationError

NAMES = [("Şükrü", "Yılmaz"), ("Łukasz", "Wójcik"), ("Thị Minh", "Nguyễn")]
HOSTILE = 'a < b & c, <b>vet</b>, <img src="/etc/passwd"/>, </para> &amp; &#x41;'


def _setup(
    cl: Caseload, given: str = "Şükrü", family: str = "Yılmaz", **ref
) -> tuple[int, int, ReferralLetterDraft]:
    """A client, a partner and a referral letter draft for them (nothing saved yet)."""
    cl.settings.update(
        worker_name="Anouk de Wit",
        worker_role="welzijnscoach",
        organisation="Welzijn Oost",
        phone="038-1234567",
    )
    cid = cl.clients.create(
        given_name=given,
        family_name=family,
        date_of_birth="12-03-1961",
        address="Geheimstraat 99",
        postal_code="8011AB",
        city="Zwolle",
        phone="06-11223344",
        email="client@example.nl",
        referrer_id=cl.referrers.add(name="Huisartsenpraktijk De Linde"),
        reason="Privé hulpvraag",
    )
    pid = cl.partners.add(organisation="Schuldhulpverlening", contact_person="Jan Jansen")
    draft = ReferralLetterDraft(cl, cid)
    draft.choose(
        partner_id=pid,
        reason=ref.pop("reason", "Schulden"),
        request=ref.pop("request", "Graag intake"),
        shared_fields=ref.pop("shared_fields", ["naam", "geboortedatum"]),
        **ref,
    )
    return cid, pid, draft


def _text(path_or_bytes, password: str | None = None) -> str:
    data = path_or_bytes.read_bytes() if isinstance(path_or_bytes, Path) else path_or_bytes
    reader = PdfReader(io.BytesIO(data))
    if password is not None:
        reader.decrypt(password)
    return "\n".join(p.extract_text() for p in reader.pages)


def test_letter_contains_only_the_selected_fields(caseload: Caseload, tmp_path: Path) -> None:
    caseload.settings.update(place="Deventer")
    _cid, _pid, draft = _setup(caseload, consent_how="mondeling")
    result = draft.save(tmp_path / "brief.pdf")
    text = _text(result.path)
    assert "Şükrü Yılmaz" in text and "12-03-1961" in text
    assert "Deventer, " in text  # the worker's place, not the client's city
    for private in (
        "Geheimstraat",
        "8011",
        "Zwolle",
        "06-11223344",
        "client@example.nl",
        "De Linde",
        "Privé hulpvraag",
    ):
        assert private not in text, private
    assert "pagina 1 van 1" in text and "Vertrouwelijk" in text
    meta = PdfReader(result.path).metadata
    assert meta.title == "Verwijzing" and meta.author == "Anouk de Wit"
    assert "Yılmaz" not in (meta.title or "")  # no client name in metadata


def test_optional_fields_appear_only_when_chosen(caseload: Caseload) -> None:
    _cid, _pid, draft = _setup(
        caseload, shared_fields=["naam", "adres", "telefoon", "email", "verwijzer"]
    )
    text = _text(draft.pdf)
    for shown in (
        "Geheimstraat 99, 8011 AB Zwolle",
        "06-11223344",
        "client@example.nl",
        "Huisartsenpraktijk De Linde",
    ):
        assert shown in text
    assert "12-03-1961" not in text


@pytest.mark.parametrize(("given", "family"), NAMES)
def test_names_extract_exactly_as_typed(caseload: Caseload, given: str, family: str) -> None:
    _cid, _pid, draft = _setup(caseload, given, family)
    pdf = draft.pdf
    assert f"{given} {family}" in _text(pdf)
    assert b"/FontFile2" in pdf or b"FontFile" in pdf  # the font is embedded


def test_markup_prints_literally(caseload: Caseload) -> None:
    _cid, _pid, draft = _setup(caseload, reason=HOSTILE, request="x < y\nnieuwe regel & meer")
    text = _text(draft.pdf)
    flat = re.sub(r"\s+", " ", text)
    assert HOSTILE in flat
    assert "x < y" in text and "nieuwe regel & meer" in text


def test_long_reason_flows_onto_many_pages_with_page_numbers(caseload: Caseload) -> None:
    words = " ".join(f"woord{i}" for i in range(30_000))
    _cid, _pid, draft = _setup(caseload, reason=words)
    reader = PdfReader(io.BytesIO(draft.pdf))
    total = len(reader.pages)
    assert total > 10
    for number, page in enumerate(reader.pages, start=1):
        assert f"pagina {number} van {total}" in page.extract_text()
    everything = _text(draft.pdf)
    assert "woord0" in everything and "woord29999" in everything


def test_aes256_opens_only_with_its_password(caseload: Caseload, tmp_path: Path) -> None:
    password = letters.generate_password()
    assert len(password) == 24 and len(set(password.split("-"))) == 5
    _cid, _pid, draft = _setup(caseload, consent_how="schriftelijk", password=password)
    result = draft.save(tmp_path / "beveiligd.pdf")
    raw = result.path.read_bytes()
    assert b"Y\xc4\xb1lmaz" not in raw and "Yılmaz".encode("utf-16-be") not in raw
    reader = PdfReader(result.path)
    assert reader.is_encrypted
    assert reader.decrypt("verkeerd") == 0
    assert reader.decrypt(password) != 0
    assert "/AESV3" in str(reader.trailer["/Encrypt"]["/CF"])  # AES-256
    assert "Şükrü Yılmaz" in _text(result.path, password)
    assert result.sha256 == hashlib.sha256(raw).hexdigest()


def test_consent_is_enforced_and_override_is_audited(caseload: Caseload, tmp_path: Path) -> None:
    cid, pid, draft = _setup(caseload)
    target = tmp_path / "brief.pdf"
    with pytest.raises(ValidationError):
        draft.save(target)
    assert not target.exists()  # nothing written without consent
    assert caseload.referrals.fetch(cid) == []
    preview = _text(draft.pdf)
    assert "geen toestemming van de cliënt vastgelegd" in preview
    consent = caseload.consents.record(
        cid, recipient="S", purpose="verwijzing", how="mondeling", partner_id=pid
    )
    caseload.consents.withdraw(consent)
    draft = ReferralLetterDraft(caseload, cid)
    draft.choose(partner_id=pid, reason="Schulden")
    with pytest.raises(ValidationError):
        draft.save(target)  # a withdrawn consent counts for nothing
    draft.choose(override_reason="Acute huisuitzetting")
    result = draft.save(target)
    ref = caseload.referrals.get(result.referral_id)
    assert ref.status == "verstuurd" and ref.letter_sha256 == result.sha256
    letter = _text(target)
    assert "zonder vastgelegde toestemming" in letter and "Acute huisuitzetting" in letter
    assert "heeft toestemming gegeven" not in letter
    actions = [(a.action, a.details.get("sha256")) for a in caseload.audit.fetch(client_id=cid)]
    assert ("export", result.sha256) in actions
    assert "consent_override" in [a for a, _ in actions]


def test_gp_feedback_letter(caseload: Caseload, tmp_path: Path) -> None:
    cid, _pid, draft = _setup(caseload, consent_how="mondeling")
    rid = draft.save(tmp_path / "v.pdf").referral_id
    caseload.referrals.set_status(rid, "geaccepteerd")
    caseload.assessments.add(
        cid,
        instrument_id="leefgebieden",
        instrument_version="1",
        items=[{"domain": "financien", "score": 2}],
    )
    caseload.actions.add(
        cid, description="Samen naar het Digicafé", due_on=date.today() + timedelta(days=50)
    )
    with pytest.raises(ValidationError):
        GpLetterDraft(caseload, cid).save(tmp_path / "gp.pdf")
    assert not (tmp_path / "gp.pdf").exists()
    caseload.consents.record(cid, recipient="Huisarts", purpose=GP_PURPOSE, how="mondeling")
    gp = GpLetterDraft(caseload, cid)
    gp.choose(next_steps="Over 6 weken evalueren")
    result = gp.save(tmp_path / "gp.pdf")
    text = _text(result.path)
    assert "Huisartsenpraktijk De Linde" in text and "Terugkoppeling" in text
    assert "Geld en schulden" in text and "Schuldhulpverlening: geaccepteerd" in text
    assert "Samen naar het Digicafé" in text and "Over 6 weken evalueren" in text
    assert "Geheimstraat" not in text


def test_default_file_name_has_initials_only(caseload: Caseload) -> None:
    cid, _pid, draft = _setup(caseload, "Jan", "de Vries")
    name = content.default_file_name("verwijzing", caseload.clients.get(cid))
    assert name == draft.default_file_name()
    assert re.fullmatch(r"verwijzing-\d{4}-\d{2}-\d{2}-JdV\.pdf", name)
    cid2, _p, _r = _setup(caseload, "Şükrü", "Yılmaz")
    assert "Yılmaz" not in content.default_file_name("verwijzing", caseload.clients.get(cid2))


def test_logo_from_settings_and_a_missing_logo(caseload: Caseload, tmp_path: Path) -> None:
    from PIL import Image as PilImage

    logo = tmp_path / "logo.png"
    PilImage.new("RGB", (120, 40), (30, 90, 160)).save(logo)
    caseload.settings.update(logo_path=str(logo))
    _cid, _pid, draft = _setup(caseload)
    with_logo = draft.pdf
    assert b"/Subtype /Image" in with_logo
    # A missing or damaged logo is named in Dutch, never a half-built letter.
    damaged = tmp_path / "kapot.png"
    damaged.write_bytes(logo.read_bytes()[:60])  # a valid header, the pixels cut off
    for bad in (tmp_path / "weg.png", damaged):
        caseload.settings.update(logo_path=str(bad))
        _cid, _pid, draft = _setup(caseload)
        with pytest.raises(LogoError) as caught:
            _ = draft.pdf
        assert bad.name in caught.value.message and "Instellingen" in caught.value.message
    caseload.settings.update(logo_path="")
    _cid, _pid, draft = _setup(caseload)
    without = draft.pdf  # no logo chosen: no image
    assert b"/Subtype /Image" not in without and "Şükrü Yılmaz" in _text(without)
