"""The layers point one way: ui / cli -> app (facade and jobs) -> services -> storage.

domain/ (pure rules and records) and documents/ (renderers) sit beside them;
errors, paths and logsetup are small infrastructure everyone may use.
Imports are read with the AST, database use with the tokenizer (so comments
and strings never count).
"""

from __future__ import annotations

import ast
import io
import tokenize
from dataclasses import dataclass
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "brugdesk"

#: Files another piece of work is rewriting right now; each still breaks the rule
#: named here. Remove the entry once the file is merged without the violation
#: (test_pending_entries_are_still_needed says when).
PENDING: dict[str, str] = {}

QT = {"PySide6", "PyQt5", "PyQt6", "shiboken6"}
DATABASE = {"sqlalchemy", "sqlite3", "sqlcipher3"}
#: What the shells (ui/ and cli.py) may import from brugdesk: the facade and the
#: jobs (app), domain rules and records, errors and the small infrastructure.
SHELL_MAY_IMPORT = (
    "brugdesk.app",
    "brugdesk.domain",
    "brugdesk.errors",
    "brugdesk.paths",
    "brugdesk.logsetup",
    "brugdesk.dutch_args",
    "brugdesk.__version__",
)


@dataclass(frozen=True)
class Import:
    name: str  # fully qualified: "brugdesk.app.caseload" or "brugdesk.logsetup"
    line: int
    type_only: bool  # inside ``if TYPE_CHECKING:``


def _module_of(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> list[Import]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    type_only_nodes: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                type_only_nodes.update(id(n) for n in ast.walk(child))
    package = _module_of(path)
    if path.name != "__init__.py":
        package = package.rpartition(".")[0]
    found: list[Import] = []
    for node in ast.walk(tree):
        type_only = id(node) in type_only_nodes
        if isinstance(node, ast.Import):
            found += [Import(a.name, node.lineno, type_only) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative import: resolve against this package
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            if base == "brugdesk":  # from brugdesk import logsetup, __version__
                found += [Import(f"brugdesk.{a.name}", node.lineno, type_only) for a in node.names]
            else:
                found.append(Import(base, node.lineno, type_only))
    return found


def _files(root: Path) -> list[Path]:
    return sorted(root.rglob("*.py"))


def _rel(path: Path) -> str:
    return path.relative_to(PACKAGE).as_posix()


def _under(name: str, *prefixes: str) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def _database_use(path: Path) -> list[str]:
    """`.transaction(`, `Session`, `sessionmaker` or `session.` in code (not comments)."""
    tokens = [
        t
        for t in tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline)
        if t.type not in (tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.STRING)
    ]
    hits = []
    for i, tok in enumerate(tokens):
        nxt = tokens[i + 1].string if i + 1 < len(tokens) else ""
        prev = tokens[i - 1].string if i else ""
        if tok.type != tokenize.NAME:
            continue
        if tok.string == "transaction" and prev == "." and nxt == "(":
            hits.append(f"line {tok.start[0]}: .transaction(")
        elif tok.string in {"Session", "sessionmaker"}:
            hits.append(f"line {tok.start[0]}: {tok.string}")
        elif tok.string == "session" and nxt == ".":
            hits.append(f"line {tok.start[0]}: session.")
    return hits


# --- the rules: each returns (file, problem) pairs ----------------------------------


def _shell_files() -> list[Path]:
    return [*_files(PACKAGE / "ui"), PACKAGE / "cli.py"]


def shell_import_violations() -> list[tuple[str, str]]:
    out = []
    for path in _shell_files():
        allowed = SHELL_MAY_IMPORT + (("brugdesk.ui",) if _rel(path).startswith("ui/") else ())
        for imp in _imports(path):
            if _under(imp.name, "brugdesk") and not _under(imp.name, *allowed):
                out.append((_rel(path), f"line {imp.line}: imports {imp.name}"))
            if imp.name.split(".")[0] in DATABASE:
                out.append((_rel(path), f"line {imp.line}: imports {imp.name}"))
    return out


def shell_database_violations() -> list[tuple[str, str]]:
    return [(_rel(p), hit) for p in _shell_files() for hit in _database_use(p)]


def qt_violations() -> list[tuple[str, str]]:
    return [
        (_rel(p), f"line {imp.line}: imports {imp.name}")
        for p in _files(PACKAGE)
        if not _rel(p).startswith("ui/")
        for imp in _imports(p)
        if imp.name.split(".")[0] in QT
    ]


def _layer_violations(layer: str, allowed: tuple[str, ...], *, type_hints_ok: bool = False):
    out = []
    for path in _files(PACKAGE / layer):
        for imp in _imports(path):
            if type_hints_ok and imp.type_only:
                continue
            if _under(imp.name, "brugdesk") and not _under(imp.name, *allowed):
                out.append((_rel(path), f"line {imp.line}: imports {imp.name}"))
    return out


def storage_violations() -> list[tuple[str, str]]:
    # storage/ imports nothing above it.
    return _layer_violations("storage", ("brugdesk.storage", "brugdesk.errors", "brugdesk.paths"))


def domain_violations() -> list[tuple[str, str]]:
    # Pure rules and records. paths only to find the instrument definitions that
    # ship with the app (brugdesk/resources/instruments), which are rules themselves.
    return _layer_violations("domain", ("brugdesk.domain", "brugdesk.errors", "brugdesk.paths"))


def services_violations() -> list[tuple[str, str]]:
    # services/ never import app/ or ui/ at run time; a type hint may name the
    # facade that hands each service its transaction (``if TYPE_CHECKING:``).
    below = ("brugdesk.services", "brugdesk.domain", "brugdesk.storage", "brugdesk.errors")
    return _layer_violations("services", (*below, "brugdesk.paths"), type_hints_ok=True)


def documents_violations() -> list[tuple[str, str]]:
    # Renderers: bytes in, bytes out; no facade, no persistence, no Qt.
    allowed = ("brugdesk.documents", "brugdesk.domain", "brugdesk.errors", "brugdesk.paths")
    return _layer_violations("documents", allowed)


def core_imports_ui_violations() -> list[tuple[str, str]]:
    return [
        (_rel(p), f"line {imp.line}: imports {imp.name}")
        for p in _files(PACKAGE)
        if not _rel(p).startswith("ui/")
        for imp in _imports(p)
        if _under(imp.name, "brugdesk.ui")
    ]


RULES = {
    "ui/ and cli.py import only the facade, jobs, domain, errors, paths, logsetup": (
        shell_import_violations
    ),
    "no transaction or session in ui/ or cli.py": shell_database_violations,
    "no Qt outside ui/": qt_violations,
    "storage/ imports nothing above it": storage_violations,
    "domain/ is pure": domain_violations,
    "services/ never import app/ or ui/": services_violations,
    "documents/ never import app/, services/, storage/ or ui/": documents_violations,
    "nothing outside ui/ imports ui/": core_imports_ui_violations,
}


def _outside_pending(violations: list[tuple[str, str]]) -> list[str]:
    return [f"{path}: {problem}" for path, problem in violations if path not in PENDING]


def test_ui_and_cli_import_only_the_core_api() -> None:
    assert _outside_pending(shell_import_violations()) == []


def test_no_transaction_or_session_in_ui_or_cli() -> None:
    assert _outside_pending(shell_database_violations()) == []


def test_no_qt_outside_ui() -> None:
    assert qt_violations() == []


def test_storage_imports_nothing_above_it() -> None:
    assert storage_violations() == []


def test_domain_is_pure() -> None:
    assert domain_violations() == []


def test_services_never_import_app_or_ui() -> None:
    assert services_violations() == []


def test_documents_are_renderers_only() -> None:
    assert documents_violations() == []


def test_nothing_outside_ui_imports_ui() -> None:
    assert core_imports_ui_violations() == []


def test_pending_entries_are_still_needed() -> None:
    """An entry whose file no longer breaks any rule should be removed from PENDING."""
    breaking = {path for rule in RULES.values() for path, _ in rule()}
    assert [path for path in PENDING if path not in breaking] == []


# --- the checks see real code -----------------------------------------------------


def test_the_checks_see_real_files() -> None:
    # Guard against the rules passing because they found nothing to look at.
    assert len(_files(PACKAGE / "ui")) > 20 and len(_files(PACKAGE)) > 60
    for layer in ("app", "domain", "services", "documents", "storage", "ui"):
        assert _files(PACKAGE / layer), layer
    assert (PACKAGE / "cli.py").exists()
    names = {imp.name for imp in _imports(PACKAGE / "app" / "caseload.py")}
    assert "sqlalchemy.orm" in names and "brugdesk.storage.vault" in names
    # `from brugdesk import logsetup` is seen as brugdesk.logsetup
    assert "brugdesk.logsetup" in {imp.name for imp in _imports(PACKAGE / "cli.py")}
    # TYPE_CHECKING imports are told apart
    base = _imports(PACKAGE / "services" / "base.py")
    assert any(imp.name == "brugdesk.app.caseload" and imp.type_only for imp in base)
    # the tokenizer finds database use in code that has it, and only in code
    assert any("transaction(" in hit for hit in _database_use(PACKAGE / "app" / "transfers.py"))
    assert _database_use(PACKAGE / "ui" / "__init__.py") == []  # says "ORM session." in prose
    for pending in PENDING:
        assert (PACKAGE / pending).exists(), pending


def test_the_rules_catch_a_violation(tmp_path: Path, monkeypatch) -> None:
    """A planted offender in a copy of the tree is reported by each kind of rule."""
    import shutil

    fake = tmp_path / "brugdesk"
    shutil.copytree(PACKAGE, fake, ignore=shutil.ignore_patterns("__pycache__", "resources"))
    (fake / "ui" / "planted.py").write_text(
        "from brugdesk.storage.vault import Vault\n"
        "from brugdesk.services import clients\n"
        "def f(caseload):\n"
        "    with caseload.transaction() as session:\n"
        "        session.add(1)\n",
        encoding="utf-8",
    )
    (fake / "storage" / "planted.py").write_text(
        "from brugdesk.app.caseload import Caseload\n", encoding="utf-8"
    )
    (fake / "domain" / "planted.py").write_text(
        "from brugdesk.services.audit import record\nimport PySide6\n", encoding="utf-8"
    )
    (fake / "documents" / "planted.py").write_text(
        "from brugdesk.storage.atomic import atomic_write_bytes\n", encoding="utf-8"
    )
    (fake / "services" / "planted.py").write_text(
        "from brugdesk.app import vault_jobs\n", encoding="utf-8"
    )
    monkeypatch.setattr(f"{__name__}.PACKAGE", fake)
    found = {name: {path for path, _ in rule()} for name, rule in RULES.items()}
    assert (
        "ui/planted.py"
        in found["ui/ and cli.py import only the facade, jobs, domain, errors, paths, logsetup"]
    )
    assert "ui/planted.py" in found["no transaction or session in ui/ or cli.py"]
    assert "storage/planted.py" in found["storage/ imports nothing above it"]
    assert "domain/planted.py" in found["domain/ is pure"]
    assert "domain/planted.py" in found["no Qt outside ui/"]
    assert (
        "documents/planted.py" in found["documents/ never import app/, services/, storage/ or ui/"]
    )
    assert "services/planted.py" in found["services/ never import app/ or ui/"]
    hits = dict(shell_database_violations())
    assert len([p for p, _ in shell_database_violations() if p == "ui/planted.py"]) == 2, hits
