"""The unlock screen, and unlocking with the recovery key."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from brugdesk.errors import VaultDamaged, VaultMissing
from brugdesk.ui.kit.widgets import (
    BusyBar,
    ErrorLabel,
    PassphraseField,
    centered,
    heading,
    hint,
    user_message,
)
from brugdesk.ui.tasks import Tasks

LOCKING_NOTE = "Even geduld, het vergrendelen wordt afgerond…"
RESTORING_NOTE = "De back-up wordt teruggezet. Even geduld…"


class UnlockPage(QWidget):
    """Passphrase in, Caseload out (the derivation runs off the GUI thread)."""

    unlocked = Signal(object)  # Caseload
    restore_requested = Signal()

    def __init__(self, data_dir: Path, tasks: Tasks, demo_passphrase: str = "") -> None:
        super().__init__()
        self.data_dir = data_dir
        self.tasks = tasks
        self.setObjectName("unlockPage")

        self.passphrase = PassphraseField()
        self.passphrase.setPlaceholderText("Uw wachtwoord")
        self.passphrase.setAccessibleName("Wachtwoord")
        self.passphrase.returnPressed.connect(self.try_unlock)
        self.unlock_button = QPushButton("Ontgrendelen")
        self.unlock_button.setDefault(True)
        self.unlock_button.clicked.connect(self.try_unlock)
        self.recovery_button = QPushButton("Herstelsleutel gebruiken…")
        self.recovery_button.setFlat(True)
        self.recovery_button.clicked.connect(self.use_recovery_key)
        self.restore_button = QPushButton("Back-up terugzetten…")
        self.restore_button.setFlat(True)
        self.restore_button.clicked.connect(self.restore_requested.emit)
        self.restoring = False
        self.restoring_note = hint(RESTORING_NOTE)
        self.restoring_note.hide()
        self.notice = QLabel()  # what a finished restore did; plain text (it names folders)
        self.notice.setTextFormat(Qt.TextFormat.PlainText)
        self.notice.setWordWrap(True)
        self.notice.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notice.hide()
        self.error = ErrorLabel()
        self.error.setTextFormat(Qt.TextFormat.PlainText)  # a restore message names files
        self.busy = BusyBar()
        self.locking = False
        self.locking_note = hint(LOCKING_NOTE)
        self.locking_note.hide()

        row = QHBoxLayout()
        row.addWidget(self.passphrase, 1)
        row.addWidget(self.unlock_button)
        form = QVBoxLayout()
        form.addWidget(heading("brugdesk is vergrendeld", 20))
        form.addWidget(hint("Voer uw wachtwoord in om de caseload te openen."))
        form.addSpacing(12)
        form.addLayout(row)
        form.addWidget(self.busy)
        form.addWidget(self.locking_note)
        form.addWidget(self.restoring_note)
        form.addWidget(self.notice)
        form.addWidget(self.error)
        if demo_passphrase:
            demo = hint(f"Demomodus — het wachtwoord is: {demo_passphrase}")
            demo.setObjectName("demoHint")
            demo.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            form.addWidget(demo)
        form.addSpacing(8)
        links = QHBoxLayout()
        links.addWidget(self.recovery_button)
        links.addWidget(self.restore_button)
        links.addStretch(1)
        form.addLayout(links)

        box = QWidget()
        box.setLayout(form)
        outer = QVBoxLayout(self)
        outer.addStretch(2)
        outer.addWidget(centered(box, 560))
        outer.addStretch(3)

    def reset(self) -> None:
        self.passphrase.clear()
        self.error.show_message("")
        self._set_busy(self.locking)
        self.passphrase.setFocus()

    def set_locking(self, locking: bool) -> None:
        """While a job still uses the old vault, no new unlock is started."""
        self.locking = locking
        self.locking_note.setVisible(locking)
        self._set_busy(locking)
        if not locking:
            self.passphrase.setFocus()

    def set_restoring(self, restoring: bool) -> None:
        """While a backup is put back, nothing else opens the vault."""
        self.restoring = restoring
        self.restoring_note.setVisible(restoring)
        if restoring:
            self.show_notice("")
            self.error.show_message("")
        self._set_busy(restoring or self.locking)
        if not restoring:
            self.passphrase.setFocus()

    def show_notice(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    def _set_busy(self, busy: bool) -> None:
        busy = busy or self.restoring
        self.busy.setVisible(busy)
        self.unlock_button.setEnabled(not busy)
        self.passphrase.setEnabled(not busy)
        self.recovery_button.setEnabled(not busy)
        self.restore_button.setEnabled(not busy)

    def try_unlock(self) -> None:
        if self.locking or self.restoring:
            self.error.show_message(RESTORING_NOTE if self.restoring else LOCKING_NOTE)
            return
        secret = self.passphrase.text()
        if not secret:
            self.error.show_message("Vul uw wachtwoord in.")
            return
        self.error.show_message("")
        data_dir = self.data_dir

        def work():
            from brugdesk.app.caseload import Caseload  # imported off the GUI thread

            return Caseload.open(data_dir, secret)

        if self.tasks.run("unlock", work, self._done, self._failed):
            self._set_busy(True)

    def _done(self, caseload) -> None:
        self._set_busy(self.locking)
        self.passphrase.clear()
        self.show_notice("")
        self.unlocked.emit(caseload)

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        message = user_message(exc)
        if isinstance(exc, VaultMissing | VaultDamaged):
            message += " " + f"Gegevensmap: {self.data_dir}"
        self.error.show_message(message)
        self.passphrase.selectAll()
        self.passphrase.setFocus()

    def use_recovery_key(self) -> None:
        dialog = RecoveryDialog(self.data_dir, self.tasks, self)
        dialog.recovered.connect(self.unlocked.emit)
        dialog.open()


class RecoveryDialog(QDialog):
    """Recovery key + a new passphrase (forced), then unlock."""

    recovered = Signal(object)

    def __init__(self, data_dir: Path, tasks: Tasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Openen met de herstelsleutel")
        self.data_dir = data_dir
        self.tasks = tasks
        self.key = QLineEdit()
        self.key.setPlaceholderText("123456-123456-123456-123456-123456-123456-123456-123456")
        self.key.setMinimumWidth(440)
        self.new = PassphraseField()
        self.repeat = PassphraseField()
        self.error = ErrorLabel()
        self.busy = BusyBar()
        form = QFormLayout()
        form.addRow("&Herstelsleutel:", self.key)
        form.addRow("&Nieuw wachtwoord:", self.new)
        form.addRow("Nieuw wachtwoord he&rhalen:", self.repeat)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Openen")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Annuleren")
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(
            hint(
                "Typ de herstelsleutel van uw herstelblad (8 groepjes van 6 cijfers). "
                "Daarna kiest u meteen een nieuw wachtwoord."
            )
        )
        layout.addLayout(form)
        layout.addWidget(self.busy)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def submit(self) -> None:
        key, new = self.key.text(), self.new.text()
        if new != self.repeat.text():
            self.error.show_message("De twee nieuwe wachtwoorden zijn niet gelijk.")
            return
        from brugdesk.app import passphrase_policy as pp

        problem = pp.problem(new)
        if problem:
            self.error.show_message(problem)
            return
        data_dir = self.data_dir

        def work():
            from brugdesk.app.caseload import Caseload, verify_recovery_key

            verify_recovery_key(data_dir, key)
            return Caseload.open_with_recovery(data_dir, key, new)

        if self.tasks.run("recover", work, self._done, self._failed):
            self.busy.show()
            self.buttons.setEnabled(False)

    def _done(self, caseload) -> None:
        self.busy.hide()
        self.accept()
        self.recovered.emit(caseload)

    def _failed(self, exc: BaseException) -> None:
        self.busy.hide()
        self.buttons.setEnabled(True)
        self.error.show_message(user_message(exc))
