"""The storage benchmark runs and prints its figures (never timed assertions)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path


def test_bench_prints_one_json_object(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "tools.bench",
            "--clients",
            "20",
            "--notes",
            "400",
            "--searches",
            "5",
            "--out",
            str(tmp_path / "b.json"),
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    for side in ("encrypted", "plain", "ratio_encrypted_over_plain"):
        assert set(figures[side]) >= {
            "open_ms", "caseload_list_ms", "search_median_ms", "search_p95_ms",
            "dossier_open_ms", "insert_note_ms",
        }  # fmt: skip
    assert figures["kdf"]["ms"] > 0 and figures["notes"] == 400
    assert figures["referral_letter"]["pages"] == 2
    assert figures["referral_letter"]["letter_aes256_ms"] > 0
    assert figures["report"]["report_year_ms"] > 0
    log = figures["audit_log"]  # the log: a read logged, a year of 50,000 entries listed
    assert log["entries"] >= 50_000 and log["read_logged_median_ms"] > 0
    assert log["year_listed_ms"] > 0
    assert json.loads((tmp_path / "b.json").read_text()) == figures
