"""Starting the app as a process: --demo cleans up after itself; the GUI benchmark runs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "TMPDIR": str(tmp_path),
        "BRUGDESK_LOG_DIR": str(tmp_path / "logs"),
        **extra,
    }


def test_demo_mode_starts_and_leaves_nothing_behind(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "brugdesk.ui.app", "--demo"],
        env=_env(tmp_path, BRUGDESK_STARTUP_PROBE="1"),
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "shown"
    # Quitting at once still lets the demo job and the warm-up it starts return.
    assert "Traceback" not in result.stderr, result.stderr
    assert not list(tmp_path.glob("brugdesk-demo-*"))  # the demo vault is deleted on exit


def test_start_with_data_dir_shows_first_run(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "brugdesk.ui.app", "--data-dir", str(tmp_path / "leeg")],
        env=_env(tmp_path, BRUGDESK_STARTUP_PROBE="1"),
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert result.returncode == 0 and result.stdout.strip() == "shown"
    assert not (tmp_path / "leeg" / "vault.json").exists()  # nothing created before the wizard


def test_gui_benchmark_prints_its_figures_and_the_verdicts(tmp_path: Path) -> None:
    """The benchmarks run tiny and the report gives one verdict line per target
    (figures only: nothing here asserts a time)."""
    gui_json, storage_json = tmp_path / "gui.json", tmp_path / "storage.json"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "tools.gui_bench",
            *("--clients", "30", "--notes", "300"),
            *("--large", "60:600", "--out", str(gui_json)),
        ],
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    for key in (
        "start_to_unlock_window_ms",
        "unlock_to_caseload_painted_ms",
        "dossier_open_200_notes_ms",
        "note_saved_to_views_updated_ms",
        "referral_status_to_views_updated_ms",
        "kdf_ms",
    ):
        assert figures[key] > 0
    assert figures["large"]["clients"] == 60 and figures["large"]["ratio_to_small"] > 0
    assert figures["targets_ms"]["unlock_to_caseload"] == 150

    storage = subprocess.run(
        [
            sys.executable,
            "-m",
            "tools.bench",
            *("--clients", "20", "--notes", "200"),
            *("--searches", "3", "--out", str(storage_json)),
        ],
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert storage.returncode == 0, storage.stderr
    report = subprocess.run(
        [sys.executable, "-m", "tools.bench_report", str(storage_json), str(gui_json)],
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert report.returncode == 0, report.stderr
    lines = [line for line in report.stdout.splitlines() if line.strip()]
    assert len(lines) == 14
    assert all(line.endswith((" OK", " TE TRAAG")) for line in lines)
    assert "niet gemeten" not in report.stdout
    assert any("notitie opgeslagen" in line and "< 50 ms" in line for line in lines)
    assert any("opnieuw versleutelen" in line and "< 3000 ms" in line for line in lines)
    assert any("lezen gelogd" in line and "< 5 ms" in line for line in lines)
    assert any("jaarrapport Resultaten" in line and "< 1000 ms" in line for line in lines)
    assert any("jaar logboek" in line and "< 200 ms" in line for line in lines)
    assert any("60 cliënten" in line and "≤ 3×" in line for line in lines)


def test_missing_x11_library_is_named_in_dutch(monkeypatch) -> None:
    import ctypes

    from brugdesk.ui import app

    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    assert app.missing_system_library() is None  # offscreen needs no X11 libraries
    monkeypatch.delenv("QT_QPA_PLATFORM")
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)

    def broken_loader(name, mode=0):  # failure injection: the loader's own error text
        raise OSError("libxcb-icccm.so.4: cannot open shared object file: No such file")

    monkeypatch.setattr(ctypes, "CDLL", broken_loader)
    message = app.missing_system_library()
    assert message and "libxcb-icccm.so.4 ontbreekt" in message
    assert "sudo apt install" in message


def test_icon_and_system_signals_come_after_the_window_is_shown(tmp_path: Path) -> None:
    """The icon files and the sleep/screen-lock listeners are not on the start path:
    they start after the first window is reported shown, and they do start."""
    probe = (
        "from brugdesk.ui import app, power_events\n"
        "icon, listen = app.set_window_icon, power_events.PowerEvents.listen\n"
        "def set_icon():\n"
        "    print('icon', flush=True); icon()\n"
        "def listening(self):\n"
        "    print('listening', flush=True); listen(self)\n"
        "app.set_window_icon = set_icon\n"
        "power_events.PowerEvents.listen = listening\n"
        f"raise SystemExit(app.main(['--data-dir', {str(tmp_path / 'leeg')!r}]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe],
        env=_env(tmp_path, BRUGDESK_STARTUP_PROBE="1"),
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["shown", "icon", "listening"]
