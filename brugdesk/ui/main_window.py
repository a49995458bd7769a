"""The main window: first run, unlock, the workspace — and locking.

Locking saves every draft and closes every dialog first, throws the workspace
away at once (no client data remains in any widget and the title never names
a client), and asks running jobs to stop at their next safe point. The vault
key goes when the last of those jobs has returned; the GUI thread never waits
for them, and the unlock screen refuses a new unlock until then. After unlocking the worker is put back on
the same client and tab, the note editor finds its draft, and every dialog that
held typing is opened again with it (see ui.kit.drafting). Ctrl+L and Ctrl+Q
work in dialogs too (the LockGuard sees them).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QMainWindow,
    QStackedWidget,
)

from brugdesk.paths import vault_present
from brugdesk.ui.change_bridge import ChangeBridge
from brugdesk.ui.kit.error_boundary import guard
from brugdesk.ui.kit.widgets import BusyPage, centered, initial_size, plain, user_message
from brugdesk.ui.lockguard import LockGuard
from brugdesk.ui.menus import build_menus, open_about
from brugdesk.ui.tasks import Tasks
from brugdesk.ui.unlock import UnlockPage

if TYPE_CHECKING:
    from brugdesk.app.caseload import Caseload
    from brugdesk.ui.dialogs.import_dialog import ImportDialog
    from brugdesk.ui.dialogs.report_dialog import ReportDialog
    from brugdesk.ui.dialogs.settings_dialog import SettingsDialog
    from brugdesk.ui.kit.drafting import ReopenSpec
    from brugdesk.ui.wizards.first_run import FirstRunWizard
    from brugdesk.ui.workspace import Workspace

# The database layer and the workspace are imported when first needed, so the
# unlock window appears fast; warm_up() loads them while the user types.

LOCKED_TITLE = "brugdesk — vergrendeld"
UNLOCKED_TITLE = "brugdesk"
#: Why the window locked, said on the lock screen (and gone once unlocked).
LOCK_MESSAGES = {
    "idle": "Vergrendeld na een tijd zonder gebruik. Uw invoer is bewaard.",
    "sleep": "Vergrendeld omdat de computer uit de slaapstand kwam.",
    "screen-lock": "Vergrendeld omdat het scherm werd vergrendeld. Uw invoer is bewaard.",
}


#: Change kinds that can move the 'Vandaag' figure.
TODAY_KINDS = ("client", "contact", "action", "referral", "assessment", "settings")
#: Reopen kinds that bring back the client form: the form itself, or a
#: "Nieuwe verwijzer…" form opened from it (which the client form reopens).
CLIENT_FORM_KINDS = ("client-form", "client-referrer")


#: Jobs that did finish after their dialog was closed by a lock, and what the
#: worker must know about that.
FINISHED_UNSEEN: dict[str, str] = {
    "passphrase": "Het nieuwe wachtwoord is ingesteld terwijl u vergrendelde. "
    "Ontgrendel met het nieuwe wachtwoord.",
    "recovery-key": "Er is een nieuwe herstelsleutel gemaakt terwijl u vergrendelde, maar "
    "die is niet getoond. Maak na het ontgrendelen opnieuw een herstelsleutel via "
    "Instellingen.",
    "import-write": "De import is afgerond terwijl u vergrendelde.",
    "delete-client": "De cliënt is verwijderd terwijl u vergrendelde.",
    "report-save": "Het rapport is opgeslagen terwijl u vergrendelde.",
}


class MainWindow(QMainWindow):
    became_unlocked = Signal()
    became_locked = Signal(str)

    def __init__(self, data_dir: Path, *, demo_passphrase: str = "", preparing: bool = False):
        super().__init__()
        self.data_dir = data_dir
        self.tasks = Tasks(self)
        self.tasks.dropped.connect(self._job_dropped)
        self.locking: Caseload | None = None  # locked on screen, key not yet dropped
        self.caseload: Caseload | None = None
        self.workspace: Workspace | None = None
        self.resume: dict[str, int] = {}
        #: The dialogs that held typing when the window locked, to open again after unlocking.
        self.reopen: list[ReopenSpec] = []
        self.bridge = ChangeBridge(self)
        self.bridge.arrived.connect(self.operation_did_execute)
        self._unsubscribe: Callable[[], None] | None = None
        self.guard = LockGuard(parent=self)
        self.guard.lock_requested.connect(self.lock)
        self.guard.quit_requested.connect(self.close)
        self.guard.watch_window(self)  # Windows: be told when the screen is locked
        self.setWindowTitle(LOCKED_TITLE)
        self.resize(initial_size(self.screen().availableGeometry()))  # fits a 1366×768 laptop

        self.stack = QStackedWidget()
        self.setCentralWidget(self.stack)
        self.unlock_page = UnlockPage(data_dir, self.tasks, demo_passphrase)
        self.unlock_page.unlocked.connect(self.on_unlocked)
        self.unlock_page.restore_requested.connect(guard(self.restore_backup, "Terugzetten"))
        self.stack.addWidget(self.unlock_page)
        self.wizard: FirstRunWizard | None = None
        self._build_actions()
        self.status_label = plain(QLabel())  # the worker's name as typed
        self.statusBar().addPermanentWidget(self.status_label)
        if preparing:
            self.busy_page = BusyPage("De demokluis wordt klaargezet…")
            self.stack.addWidget(self.busy_page)
            self.stack.setCurrentWidget(self.busy_page)
        else:
            self.show_start()
        self._set_unlocked_actions(False)

    # --- actions and menus ----------------------------------------------------------------

    def _action(self, text: str, slot, shortcut: QKeySequence | str | None = None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(guard(slot, action.text()))
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        self.new_action = self._action("&Nieuwe cliënt…", self.new_client, "Ctrl+N")
        self.search_action = self._action("&Zoeken", self.focus_search, "Ctrl+F")
        self.lock_action = self._action("&Vergrendelen", lambda: self.lock("button"), "Ctrl+L")
        self.edit_action = self._action("Cliënt &bewerken…", self.edit_client, "Ctrl+E")
        self.close_action = self._action("Dossier &afsluiten…", self.close_client)
        self.inzage_action = self._action("&Inzage en afschrift…", self.open_inzage)
        self.talk_action = self._action("&Gesprek starten…", self.start_conversation, "Ctrl+G")
        self.today_action = self._action("&Vandaag", self.open_today, "Ctrl+T")
        self.partners_action = self._action("&Sociale kaart…", self.open_partners, "Ctrl+K")
        self.referrers_action = self._action("&Verwijzers…", self.open_referrers)
        self.report_action = self._action("&Resultaten…", self.open_report, "Ctrl+R")
        self.log_action = self._action("&Logboek…", self.open_log)
        self.import_action = self._action("Cliënten &importeren…", self.import_clients)
        self.backup_action = self._action("&Back-up maken…", self.make_backup)
        self.restore_action = self._action("Back-up &terugzetten…", self.restore_backup)
        self.settings_action = self._action("&Instellingen…", self.open_settings, "Ctrl+,")
        self.quit_action = self._action("A&fsluiten", self.close, "Ctrl+Q")
        self.about_action = self._action("&Over brugdesk…", lambda: open_about(self))
        self.privacy_action = self._action("&Privacyverklaring…", self.open_privacy)
        self.toolbar = build_menus(self)

    def _set_unlocked_actions(self, unlocked: bool) -> None:
        for action in (
            self.new_action,
            self.search_action,
            self.lock_action,
            self.edit_action,
            self.close_action,
            self.inzage_action,
            self.talk_action,
            self.today_action,
            self.privacy_action,
            self.partners_action,
            self.referrers_action,
            self.report_action,
            self.log_action,
            self.import_action,
            self.backup_action,
            self.settings_action,
        ):
            action.setEnabled(unlocked)
        self.toolbar.setVisible(unlocked)

    # --- states -------------------------------------------------------------------------

    def show_start(self) -> None:
        """First run when there is no vault yet, else the unlock screen."""
        if vault_present(self.data_dir):
            self.show_unlock()
            return
        from brugdesk.ui.wizards.first_run import FirstRunWizard

        self.wizard = FirstRunWizard(self.data_dir, self.tasks)
        self.wizard.setWindowFlags(Qt.WindowType.Widget)
        self.wizard.finished_with.connect(self._wizard_done)
        self.wizard.restore_requested.connect(guard(self.restore_backup, "Terugzetten"))
        self.wizard_page = centered(self.wizard, 820)
        self.stack.addWidget(self.wizard_page)
        self.stack.setCurrentWidget(self.wizard_page)

    def _wizard_done(self, caseload: Caseload) -> None:
        self._close_wizard()
        self.on_unlocked(caseload)

    def _close_wizard(self) -> None:
        self.wizard = None
        self.stack.removeWidget(self.wizard_page)
        self.wizard_page.deleteLater()

    def show_unlock(self) -> None:
        self.stack.setCurrentWidget(self.unlock_page)
        self.unlock_page.reset()

    def warm_up(self) -> None:
        """Import the database layer and the workspace in the background."""

        def load() -> list[str]:
            import brugdesk.ui.workspace  # noqa: F401
            from brugdesk.app.vault_jobs import finish_interrupted_work

            # What a crash interrupted (a first run, a restore, a key change) is
            # finished or undone now, and the worker is told which.
            return finish_interrupted_work(self.data_dir)

        def done(messages: list[str]) -> None:
            if messages:
                self.statusBar().showMessage(" ".join(messages))

        self.tasks.run(
            "warm-up", load, done, lambda e: self.statusBar().showMessage(user_message(e))
        )

    def on_unlocked(self, caseload: Caseload) -> None:
        from brugdesk.ui.workspace import Workspace, collector_paused

        self.caseload = caseload
        if self.statusBar().currentMessage() in LOCK_MESSAGES.values():
            self.statusBar().clearMessage()  # "Vergrendeld …" belongs to the lock screen
        with collector_paused():
            overview = caseload.clients.overview()  # the lines and the Vandaag count in one read
            self.workspace = Workspace(caseload, tasks=self.tasks, rows=overview.rows)
        self.workspace.message.connect(lambda text: self.statusBar().showMessage(text, 5000))
        self.stack.addWidget(self.workspace)
        self.stack.setCurrentWidget(self.workspace)
        self.setWindowTitle(UNLOCKED_TITLE)
        self._set_unlocked_actions(True)
        settings = caseload.settings.get()
        self.guard.set_idle_minutes(settings.idle_lock_minutes)
        self.guard.start()
        self.status_label.setText(settings.worker_name)
        client_id = self.resume.get("client")
        if client_id and self.workspace.select_client(client_id) and self.workspace.dossier:
            self.workspace.dossier.tabs.setCurrentIndex(self.resume.get("tab", 0))
        self.resume = {}
        self.workspace.table.setFocus()
        reopen, self.reopen = self.reopen, []
        for spec in reopen:
            self._reopen(spec)
        self._unsubscribe = caseload.changes.subscribe(self.bridge.deliver)
        self._show_today_count(overview.today.count)
        self.became_unlocked.emit()

    def lock(self, reason: str = "button") -> None:
        if self.caseload is None:
            return
        self.guard.stop()
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        workspace, self.workspace = self.workspace, None
        if workspace is not None:
            if workspace.current_client_id is not None:
                self.resume = {"client": workspace.current_client_id, "tab": workspace.current_tab}
            self.reopen = workspace.save_drafts_and_close()
            workspace.wipe()
            self.stack.removeWidget(workspace)
            workspace.hide()
            workspace.setParent(None)  # out of the window's tree right away
            workspace.deleteLater()
        # A backup, import or passphrase change still running uses the vault: it is
        # told to stop at its next safe point, and the key goes when it returned.
        caseload, self.caseload = self.caseload, None
        caseload.request_lock()
        self.locking = caseload
        self.unlock_page.set_locking(True)
        self._set_unlocked_actions(False)
        self.today_action.setText("&Vandaag")
        self.setWindowTitle(LOCKED_TITLE)
        self.status_label.clear()
        self.statusBar().clearMessage()
        self.show_unlock()
        if reason in LOCK_MESSAGES:
            self.statusBar().showMessage(LOCK_MESSAGES[reason])
        self.tasks.when_idle(lambda: self._finish_lock(caseload))
        self.became_locked.emit(reason)

    def _finish_lock(self, caseload: Caseload) -> None:
        """The last job that used the vault has returned: now the key goes."""
        caseload.lock()
        if self.locking is caseload:
            self.locking = None
        self.unlock_page.set_locking(False)

    def _job_dropped(self, name: str, ok: bool, payload: object) -> None:
        """A job's dialog was closed (by the lock) before it returned: say how it ended."""
        from brugdesk.app.caseload import LockInterrupted

        if not ok and isinstance(payload, LockInterrupted):
            self.statusBar().showMessage(payload.message)
        elif ok and name in FINISHED_UNSEEN:
            self.statusBar().showMessage(FINISHED_UNSEEN[name])

    def _reopen(self, spec: ReopenSpec) -> None:
        """Open a dialog that held typing at the lock again; it finds its draft itself."""
        workspace = self.workspace
        if workspace is None:
            return
        if spec.kind == "settings":
            self.open_settings()
        elif spec.kind == "import":
            self.import_clients()
        elif spec.kind == "report":
            self.open_report()
        elif spec.kind == "partner":
            partners = self.open_partners()
            if partners is not None:
                partners.open_partner(spec.record_id)
        elif spec.kind == "referrer":
            referrers = self.open_referrers()
            if referrers is not None:
                referrers.open_referrer(spec.record_id)
        elif spec.kind in CLIENT_FORM_KINDS and _client_form_open(workspace, spec.client_id):
            return  # back already (a "Nieuwe verwijzer…" form brings its client form along)
        elif spec.kind in CLIENT_FORM_KINDS and spec.client_id is None:
            workspace.new_client()
        elif spec.client_id is None or not workspace.select_client(spec.client_id):
            return  # the client was deleted meanwhile (and its drafts with it)
        elif spec.kind in CLIENT_FORM_KINDS:
            workspace.edit_client(spec.client_id)
        elif spec.kind == "close-dossier":
            workspace.close_client(spec.client_id)
        elif spec.kind == "conversation":
            workspace.start_conversation(spec.client_id)
        elif spec.kind == "referral":
            workspace.start_referral(spec.client_id)
        elif workspace.dossier is not None and spec.kind == "gp-letter":
            workspace.dossier.referrals.gp_feedback()
        elif workspace.dossier is not None and spec.kind == "referral-status":
            workspace.dossier.referrals.open_status(spec.record_id)
        elif workspace.dossier is not None and spec.kind == "referral-correction":
            workspace.dossier.referrals.open_correction(spec.record_id)
        elif workspace.dossier is not None and spec.kind == "action-edit":
            workspace.dossier.plan.open_action(spec.record_id)
        elif workspace.dossier is not None and spec.kind == "meldcode":
            workspace.dossier.open_meldcode()

    # --- commands -------------------------------------------------------------------------

    def new_client(self) -> None:
        if self.workspace:
            self.workspace.new_client()

    def edit_client(self) -> None:
        if self.workspace:
            self.workspace.edit_client()

    def close_client(self) -> None:
        if self.workspace:
            self.workspace.close_client()

    def open_inzage(self):
        if self.workspace:
            return self.workspace.open_inzage()
        return None

    def operation_did_execute(self, changes) -> None:
        """The one place where the window follows what a job changed."""
        if self.caseload is None or self.workspace is None:  # arrived after the lock
            return
        self.workspace.apply_changes(changes)
        if changes.all_clients or changes.touches(*TODAY_KINDS):
            self.update_today_count()

    def update_today_count(self) -> None:
        if self.caseload is None or self.workspace is None:  # locked, or locking
            self.today_action.setText("&Vandaag")
            return
        self._show_today_count(self.caseload.today_counts().count)

    def _show_today_count(self, count: int) -> None:
        self.today_action.setText(f"&Vandaag ({count})" if count else "&Vandaag")

    def open_today(self):
        if not (self.caseload and self.workspace):
            return None
        from brugdesk.ui.dialogs.today_dialog import TodayDialog

        dialog = TodayDialog(self.caseload, self, tasks=self.tasks)
        dialog.open_client.connect(lambda cid: self.workspace and self.workspace.select_client(cid))
        self.workspace._show(dialog)
        return dialog

    def open_privacy(self):
        if not (self.caseload and self.workspace):
            return None
        from brugdesk.ui.dialogs.privacy_dialog import PrivacyDialog

        dialog = PrivacyDialog(self.caseload, self, tasks=self.tasks)
        self.workspace._show(dialog)
        return dialog

    def open_partners(self):
        if not (self.caseload and self.workspace):
            return None
        from brugdesk.ui.dialogs.partners_dialog import PartnersDialog

        dialog = PartnersDialog(self.caseload, self)
        self.workspace._show(dialog)
        return dialog

    def open_referrers(self):
        if not (self.caseload and self.workspace):
            return None
        from brugdesk.ui.dialogs.referrers_dialog import ReferrersDialog

        dialog = ReferrersDialog(self.caseload, self)
        self.workspace._show(dialog)
        return dialog

    def open_report(self) -> ReportDialog | None:
        """Bestand → Resultaten…: the figures over a period, previewed and saved."""
        if not (self.caseload and self.workspace):
            return None
        from brugdesk.ui.dialogs.report_dialog import ReportDialog

        dialog = ReportDialog(self.caseload, self.tasks, self)
        dialog.message.connect(lambda text: self.statusBar().showMessage(text, 15000))
        self.workspace._show(dialog)
        return dialog

    def open_log(self):
        """Bestand → Logboek: shown only while unlocked (a lock closes it, names and all)."""
        if not (self.caseload and self.workspace):
            return None
        from brugdesk.ui.dialogs.log_dialog import LogDialog

        dialog = LogDialog(self.caseload, self.tasks, self)
        self.workspace._show(dialog)
        return dialog

    def start_conversation(self) -> None:
        if self.workspace:
            self.workspace.start_conversation()

    def focus_search(self) -> None:
        if self.workspace:
            self.workspace.focus_search()

    def open_settings(self) -> SettingsDialog | None:
        if not (self.caseload and self.workspace):
            return None
        from brugdesk.ui.dialogs.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.caseload, self.tasks, self)
        dialog.settings_changed.connect(self._settings_changed)
        self.workspace._show(dialog)
        return dialog

    def _settings_changed(self, settings) -> None:
        self.guard.set_idle_minutes(settings.idle_lock_minutes)
        self.status_label.setText(settings.worker_name)

    def import_clients(self) -> ImportDialog | None:
        if not (self.caseload and self.workspace):
            return None
        from brugdesk.ui.dialogs.import_dialog import ImportDialog

        dialog = ImportDialog(self.caseload, self.tasks, self)
        dialog.imported.connect(self._imported)
        self.workspace._show(dialog)
        return dialog

    def _imported(self, count: int) -> None:
        self.statusBar().showMessage(f"{count} cliënt(en) geïmporteerd.", 8000)

    def make_backup(self) -> None:
        if not self.caseload:
            return
        path, _ = QFileDialog.getSaveFileName(
            self,
            "Back-up opslaan",
            str(Path.home() / f"brugdesk-back-up-{date.today():%Y-%m-%d}.brugdesk"),
            "brugdesk-back-ups (*.brugdesk)",
        )
        if path:
            self.backup_to(Path(path))

    def backup_to(self, path: Path) -> None:
        caseload = self.caseload
        assert caseload is not None

        def done(_result: object) -> None:
            self.statusBar().showMessage(f"Back-up gemaakt en gecontroleerd: {path}")

        def failed(exc: BaseException) -> None:
            self.statusBar().showMessage(user_message(exc))

        if self.tasks.run("backup", lambda: caseload.write_backup(path), done, failed):
            self.statusBar().showMessage("Back-up wordt gemaakt…")

    # --- restore a backup (also from the unlock screen) ---------------------------------

    def restore_backup(self) -> None:
        if self.unlock_page.restoring or (self.wizard and not self.wizard.can_restore()):
            self.statusBar().showMessage(
                "Terugzetten kan nu niet: er wordt al een back-up teruggezet of een nieuwe "
                "kluis aangemaakt."
            )
            return
        path, _ = QFileDialog.getOpenFileName(
            self, "Back-up terugzetten", str(Path.home()), "brugdesk-back-ups (*.brugdesk)"
        )
        if path:
            self.open_restore_dialog(Path(path))

    def open_restore_dialog(self, source: Path):
        from brugdesk.app.vault_jobs import plan_restore
        from brugdesk.errors import BrugdeskError
        from brugdesk.ui.dialogs.restore_dialog import RestoreDialog

        try:
            plan = plan_restore(self.data_dir, source)
        except BrugdeskError as exc:
            self._restore_message(f"{user_message(exc)} Er is niets vervangen.")
            return None
        dialog = RestoreDialog(plan, self.tasks, self)
        dialog.confirmed.connect(self.start_restore)
        if self.workspace is not None:
            self.workspace._show(dialog)  # a lock closes it, like every dialog
        else:
            dialog.open()
        return dialog

    def start_restore(self, source: Path, passphrase: str, aside_name: str) -> None:
        """Lock (drafts saved), wait until the key is gone, then restore in the background."""
        if self.caseload is not None:
            self.lock("restore")
        self.unlock_page.set_restoring(True)
        if self.wizard is not None:  # first run: the backup becomes this laptop's vault
            self.wizard.welcome.set_restoring(True)
        self._when_key_gone(lambda: self._run_restore(source, passphrase, aside_name or None))

    def _when_key_gone(self, then: Callable[[], None]) -> None:
        if self.locking is None:
            then()
        elif self.tasks.busy:
            self.tasks.when_idle(lambda: self._when_key_gone(then))
        else:
            from PySide6.QtCore import QTimer

            QTimer.singleShot(50, lambda: self._when_key_gone(then))

    def _run_restore(self, source: Path, passphrase: str, aside_name: str | None) -> None:
        from brugdesk.app import vault_jobs

        data_dir = self.data_dir

        def work() -> Path | None:
            return vault_jobs.restore(
                data_dir, source, passphrase, force=True, aside_name=aside_name
            )

        def done(aside: Path | None) -> None:
            self.unlock_page.set_restoring(False)
            if self.wizard is not None:
                # A new laptop: the worker unlocks here with the backup's passphrase, as on
                # every later day; it is not kept in memory after the restore.
                self._close_wizard()
                self.show_unlock()
            # The restored vault has its own clients; the typing kept at the lock is in
            # the put-aside vault, so no dialog of the replaced vault opens again.
            self.resume, self.reopen = {}, []
            where = (
                f" Uw vorige kluis is niet verwijderd: die staat nu in de map {aside}."
                if aside
                else ""
            )
            self._restore_message(
                f"De back-up '{source.name}' is teruggezet.{where} Ontgrendel met het "
                "wachtwoord dat de kluis had toen de back-up werd gemaakt.",
                error=False,
            )

        def failed(exc: BaseException) -> None:
            self.unlock_page.set_restoring(False)
            if self.wizard is not None and not vault_present(data_dir):
                self.wizard.welcome.set_restoring(False)
                self._restore_message(
                    f"Het terugzetten is niet gelukt. {user_message(exc)} Er is niets op deze "
                    "laptop gezet: kies een andere back-up, of klik op Volgende om een nieuwe "
                    "kluis aan te maken."
                )
                return
            if self.wizard is not None:  # the backup is back, only its audit row is missing
                self._close_wizard()
                self.show_unlock()
            if isinstance(exc, vault_jobs.RestoredNotNoted):
                self._restore_message(exc.message)
                return
            self._restore_message(
                f"Het terugzetten is niet gelukt. {user_message(exc)} Er is niets vervangen: "
                "uw huidige kluis is nog zoals hij was en opent met uw eigen wachtwoord."
            )

        self.tasks.run("restore", work, done, failed, owner=self)

    def _restore_message(self, text: str, *, error: bool = True) -> None:
        """On the first-run page or the unlock screen when locked (plain text), else in the
        status bar."""
        if self.wizard is not None:
            self.wizard.welcome.error.show_message(text if error else "")
        elif self.workspace is None:
            if error:
                self.unlock_page.error.show_message(text)
            else:
                self.unlock_page.show_notice(text)
        self.statusBar().showMessage(text)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.lock("quit")
        event.accept()


def _client_form_open(workspace: Workspace, client_id: int | None) -> bool:
    """Is the client form of *client_id* (None: a new client) open already?"""
    from brugdesk.ui.dialogs.client_dialog import ClientDialog

    return any(
        isinstance(d, ClientDialog) and (d.client.id if d.client else None) == client_id
        for d in workspace.dialogs
    )
