"""One verdict line per target, from the JSON of tools.bench and tools.gui_bench.

    python -m tools.bench_report bench.json gui.json

Each line: what was measured, the figure, the target, and ``OK`` or ``TE TRAAG``.
A figure that is missing (a run that was skipped) is reported as such.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from tools.gui_bench import LARGE_RATIO_MAX, TARGETS_MS

STORAGE_TARGETS = {
    "search_median": 30.0,
    "letter_2_pages": 250.0,
    "letter_2_pages_aes256": 350.0,
    "ratio_max": 1.3,
    "key_rotation": 3000.0,
    "report_year": 1000.0,
    "read_logged": 5.0,
    "year_of_log_listed": 200.0,
}


def _get(data: dict[str, Any], *path: str) -> Any:
    for key in path:
        if not isinstance(data, dict) or key not in data:
            return None
        data = data[key]
    return data


def verdicts(storage: dict[str, Any], gui: dict[str, Any]) -> list[tuple[str, Any, str, bool]]:
    """(label, figure, target text, ok) per target; figure None when not measured."""
    out: list[tuple[str, Any, str, bool]] = []

    def ms(label: str, figure: Any, target: float) -> None:
        ok = figure is not None and figure < target
        out.append((label, None if figure is None else f"{figure:.1f} ms", f"< {target:g} ms", ok))

    ms(
        "start → ontgrendelvenster",
        gui.get("start_to_unlock_window_ms"),
        TARGETS_MS["start_to_unlock_window"],
    )
    ms(
        "ontgrendelen (zonder Argon2) → caseload getekend",
        gui.get("unlock_to_caseload_painted_ms"),
        TARGETS_MS["unlock_to_caseload"],
    )
    ms(
        "dossier met 200 notities openen",
        gui.get("dossier_open_200_notes_ms"),
        TARGETS_MS["dossier_open"],
    )
    ms(
        "notitie opgeslagen → schermen bijgewerkt",
        gui.get("note_saved_to_views_updated_ms"),
        TARGETS_MS["note_saved_to_views_updated"],
    )
    ms(
        "verwijsstatus gewijzigd → schermen bijgewerkt",
        gui.get("referral_status_to_views_updated_ms"),
        TARGETS_MS["referral_status_to_views_updated"],
    )
    large = gui.get("large")
    ratio = _get(gui, "large", "ratio_to_small")
    label = "ontgrendelen → caseload, groei naar groot"
    if large:
        label = (
            f"ontgrendelen → caseload bij {large['clients']} cliënten "
            f"({large['unlock_to_caseload_painted_ms']:.1f} ms tegen "
            f"{gui.get('unlock_to_caseload_painted_ms'):.1f} ms)"
        )
    out.append(
        (
            label,
            None if ratio is None else f"{ratio:.2f}×",
            f"≤ {LARGE_RATIO_MAX:g}×",
            ratio is not None and ratio <= LARGE_RATIO_MAX,
        )
    )
    ms(
        "zoeken in notities (mediaan)",
        _get(storage, "encrypted", "search_median_ms"),
        STORAGE_TARGETS["search_median"],
    )
    ms(
        "verwijsbrief, 2 pagina's",
        _get(storage, "referral_letter", "letter_ms"),
        STORAGE_TARGETS["letter_2_pages"],
    )
    ms(
        "verwijsbrief, 2 pagina's met AES-256",
        _get(storage, "referral_letter", "letter_aes256_ms"),
        STORAGE_TARGETS["letter_2_pages_aes256"],
    )
    ms(
        "database opnieuw versleutelen (nieuw wachtwoord, zonder Argon2)",
        _get(storage, "key_rotation", "key_rotation_ms"),
        STORAGE_TARGETS["key_rotation"],
    )
    ms(
        "jaarrapport Resultaten met PDF",
        _get(storage, "report", "report_year_ms"),
        STORAGE_TARGETS["report_year"],
    )
    ms(
        "lezen gelogd (NEN 7513, mediaan)",
        _get(storage, "audit_log", "read_logged_median_ms"),
        STORAGE_TARGETS["read_logged"],
    )
    entries = _get(storage, "audit_log", "entries")
    ms(
        f"een jaar logboek ({entries or 50_000} regels) opgehaald",
        _get(storage, "audit_log", "year_listed_ms"),
        STORAGE_TARGETS["year_of_log_listed"],
    )
    ratios = {k: v for k, v in (storage.get("ratio_encrypted_over_plain") or {}).items() if v}
    worst = max(ratios, key=ratios.__getitem__) if ratios else None
    figure = ratios[worst] if worst else None
    out.append(
        (
            f"versleuteld ÷ gewone SQLite (slechtste: {worst})"
            if worst
            else "versleuteld ÷ gewone SQLite",
            None if figure is None else f"{figure:.2f}×",
            f"≤ {STORAGE_TARGETS['ratio_max']:g}×",
            figure is not None and figure <= STORAGE_TARGETS["ratio_max"],
        )
    )
    return out


def lines(storage: dict[str, Any], gui: dict[str, Any]) -> list[str]:
    rows = verdicts(storage, gui)
    width = max(len(label) for label, *_ in rows)
    return [
        f"{label:<{width}}  {figure or 'niet gemeten':>12}  {target:>10}  "
        f"{'OK' if ok else 'TE TRAAG'}"
        for label, figure, target, ok in rows
    ]


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print("gebruik: python -m tools.bench_report bench.json gui.json", file=sys.stderr)
        return 2
    storage, gui = (json.loads(Path(a).read_text(encoding="utf-8")) for a in args)
    print()
    for line in lines(storage, gui):
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
