"""The layers point one way: ui -> core -> storage (DESIGN.md §2)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "brugdesk"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def _files(root: Path) -> list[Path]:
    return sorted(root.rglob("*.py"))


def test_no_qt_outside_ui() -> None:
    offenders = [
        str(p.relative_to(PACKAGE))
        for p in _files(PACKAGE)
        if "ui" not in p.relative_to(PACKAGE).parts[:1]
        and any(
            name.split(".")[0] in {"PySide6", "PyQt5", "PyQt6", "shiboken6"} for name in _imports(p)
        )
    ]
    assert offenders == []


def test_no_database_access_in_ui() -> None:
    ui = PACKAGE / "ui"
    offenders = []
    for p in _files(ui) if ui.exists() else []:
        names = _imports(p)
        source = p.read_text(encoding="utf-8")
        if any(n.split(".")[0] in {"sqlalchemy", "sqlite3", "sqlcipher3"} for n in names):
            offenders.append(str(p))
        if any(n.startswith("brugdesk.storage") for n in names) or "Session(" in source:
            offenders.append(str(p))
    assert offenders == []


def test_storage_does_not_import_core_or_ui() -> None:
    allowed = {"brugdesk.errors", "brugdesk.paths"}
    offenders = []
    for p in _files(PACKAGE / "storage"):
        for name in _imports(p):
            if name.startswith("brugdesk") and not (
                name.startswith("brugdesk.storage") or name in allowed
            ):
                offenders.append(f"{p.name}: {name}")
    assert offenders == []


def test_the_checks_see_real_files() -> None:
    # Guard against the tests above passing because they found nothing.
    assert len(_files(PACKAGE)) > 10
    assert any(name.startswith("sqlalchemy") for name in _imports(PACKAGE / "app" / "caseload.py"))
