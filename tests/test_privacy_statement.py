"""The privacy statement: one text for window and PDF, filled in from the settings."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from brugdesk.app import files, privacy
from brugdesk.app.caseload import Caseload
from brugdesk.domain.privacy_statement import privacy_statement
from brugdesk.domain.records import WorkerSettings
from brugdesk.errors import VaultError


def _words(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join((p.extract_text() or "").split()) for p in reader.pages)


def test_the_statement_says_the_organisation_contact_and_period() -> None:
    s = privacy_statement(
        WorkerSettings(
            organisation="Stichting Brug",
            worker_name="Noor Visser",
            phone="038 123 45 67",
            email="info@brug.nl",
            retention_months=18,
        )
    ).as_text()
    assert "Stichting Brug" in s and "Noor Visser, uw welzijnscoach, houdt" in s
    assert "telefoon 038 123 45 67 of e-mail info@brug.nl" in s
    assert "nog 18 maanden" in s
    assert "Alleen op de laptop" in s and "versleuteld" in s
    assert "huisarts" in s and "toestemming" in s
    # brugdesk can refer without consent (a reason on record): the statement says so.
    assert "kan het zonder uw toestemming. Dan schrijven wij op waarom." in s
    assert "Inzage" in s and "Verbetering" in s and "Verwijdering" in s


def test_without_settings_the_statement_still_reads_well() -> None:
    s = privacy_statement(WorkerSettings()).as_text()
    assert "onze organisatie" in s and "Uw welzijnscoach houdt" in s
    assert "nog 24 maanden (2 jaar)" in s
    assert "Vraag uw welzijnscoach hoe u onze organisatie kunt bereiken." in s
    assert "nog 1 maand." in privacy_statement(WorkerSettings(retention_months=1)).as_text()


def test_the_pdf_says_what_the_window_says(caseload: Caseload, tmp_path: Path) -> None:
    caseload.settings.update(organisation="Stichting Brug", retention_months=30)
    window_text = privacy.statement(caseload).as_text()
    dest = privacy.save_pdf(caseload, tmp_path / "privacy.pdf")
    text = _words(dest.read_bytes())
    assert "Stichting Brug" in text and "nog 30 maanden" in text
    for line in window_text.splitlines():  # every heading of the window is in the PDF
        if line.endswith("?"):
            assert line in text
    [row] = [r for r in caseload.audit.fetch() if r.entity == "privacy_statement"]
    assert row.action == "export" and row.details["sha256"] == files.sha256_of(dest)


def test_a_failing_rename_leaves_no_file_and_no_row(
    caseload: Caseload, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*_a, **_k):
        raise PermissionError("in gebruik")

    monkeypatch.setattr(files, "replace_retrying", refuse)
    out = tmp_path / "uit"
    out.mkdir()
    with pytest.raises(VaultError):
        privacy.save_pdf(caseload, out / "privacy.pdf")
    assert list(out.iterdir()) == []
    assert not [r for r in caseload.audit.fetch() if r.entity == "privacy_statement"]
