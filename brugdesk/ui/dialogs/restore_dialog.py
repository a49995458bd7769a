"""Bestand → Back-up terugzetten…: what will be replaced, where it goes, then do it.

The dialog only collects the backup's passphrase and shows the plan
(:func:`brugdesk.app.vault_jobs.plan_restore`). "Controleren" checks the
backup with that passphrase in the background without replacing anything and
shows how many clients it holds; only then can "Terugzetten" be clicked. The
window does the restore itself (it must lock first), so this dialog ends by
emitting :attr:`RestoreDialog.confirmed`.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from brugdesk.app.vault_jobs import RestorePlan, plan_restore
from brugdesk.errors import WrongPassphrase
from brugdesk.ui.kit.colours import css, error_colour
from brugdesk.ui.kit.widgets import (
    BusyBar,
    ErrorLabel,
    PassphraseField,
    heading,
    hint,
    user_message,
)
from brugdesk.ui.tasks import Tasks

NOT_THIS_BACKUPS_KEY = (
    "Dit wachtwoord opent deze back-up niet. Gebruik het wachtwoord dat de kluis had toen "
    "de back-up werd gemaakt. Er is niets vervangen."
)


def when(moment: datetime | None) -> str:
    return f"{moment:%d-%m-%Y om %H:%M}" if moment else "onbekend"


def size_text(size: int) -> str:
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} kB"
    return f"{size / (1024 * 1024):.1f} MB".replace(".", ",")


def _plain(text: str) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class RestoreDialog(QDialog):
    """Passphrase of the backup, the plan, a warning; Controleren, Terugzetten, Annuleren."""

    #: source file, passphrase, name of the put-aside folder ("" when there is no vault)
    confirmed = Signal(object, str, str)

    def __init__(self, plan: RestorePlan, tasks: Tasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Back-up terugzetten")
        self.setMinimumWidth(560)
        self.plan = plan
        self.tasks = tasks
        self.checked: RestorePlan | None = None

        self.backup_label = _plain(
            f"{plan.source.name}\n{size_text(plan.size)}, gewijzigd op {when(plan.modified)}"
            + (f", gemaakt op {when(plan.made)}" if plan.made else "")
        )
        if plan.current_changed is not None and plan.aside is not None:
            replaced = (
                f"De huidige kluis in {plan.data_dir}, laatst gewijzigd op "
                f"{when(plan.current_changed)}."
            )
            aside = f"De huidige kluis wordt niet verwijderd, maar verplaatst naar:\n{plan.aside}"
            warning = (
                "Let op: wat u na het maken van deze back-up heeft ingevoerd, staat daarna "
                "niet meer in brugdesk, alleen nog in die map. brugdesk wordt eerst "
                "vergrendeld; daarna opent u de kluis met het wachtwoord van de back-up."
            )
        else:
            replaced = f"Niets: in {plan.data_dir} staat nog geen kluis."
            aside = "Er hoeft niets opzij te worden gezet."
            warning = "Daarna opent u de kluis met het wachtwoord van de back-up."
        self.replaced_label = _plain(replaced)
        self.aside_label = _plain(aside)
        self.warning = _plain(warning)
        self.warning.setStyleSheet(f"{css(error_colour)} font-weight: bold;")
        self.passphrase = PassphraseField()
        self.passphrase.setAccessibleName("Wachtwoord van de back-up")
        self.passphrase.textChanged.connect(self._passphrase_changed)
        self.contents = _plain("")
        self.contents.hide()
        self.error = ErrorLabel()
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.busy = BusyBar()

        self.buttons = QDialogButtonBox()
        self.check_button = QPushButton("Controleren")
        self.restore_button = QPushButton("Terugzetten")
        self.cancel_button = QPushButton("Annuleren")
        self.buttons.addButton(self.check_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.restore_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.restore_button.setAutoDefault(False)
        self.restore_button.setEnabled(False)
        self.check_button.setDefault(True)  # Enter checks; it never replaces anything
        self.check_button.clicked.connect(self.check)
        self.restore_button.clicked.connect(self.confirm)
        self.cancel_button.clicked.connect(self.reject)

        form = QFormLayout()
        form.addRow("Back-up:", self.backup_label)
        form.addRow("Wordt vervangen:", self.replaced_label)
        form.addRow("Opzij gezet in:", self.aside_label)
        form.addRow("&Wachtwoord van de back-up:", self.passphrase)
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Back-up terugzetten", 14))
        layout.addLayout(form)
        layout.addWidget(
            hint(
                "Vul het wachtwoord in dat de kluis had toen de back-up werd gemaakt en klik "
                "op Controleren. Er wordt dan nog niets vervangen."
            )
        )
        layout.addWidget(self.contents)
        layout.addWidget(self.warning)
        layout.addWidget(self.busy)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.passphrase.setFocus()

    def _passphrase_changed(self) -> None:
        """A restore uses the passphrase that was checked, so a change asks for a new check."""
        self.checked = None
        self.restore_button.setEnabled(False)
        self.check_button.setDefault(True)
        self.contents.hide()

    def check(self) -> None:
        secret = self.passphrase.text()
        if not secret:
            self.error.show_message("Vul het wachtwoord van de back-up in.")
            return
        self.error.show_message("")
        plan = self.plan

        def work() -> RestorePlan:
            return plan_restore(plan.data_dir, plan.source, secret, aside_name=plan.aside_name)

        if self.tasks.run("restore-check", work, self._checked, self._failed, owner=self):
            self._set_busy(True)

    def _set_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        self.check_button.setEnabled(not busy)
        self.passphrase.setEnabled(not busy)

    def _checked(self, plan: RestorePlan) -> None:
        self._set_busy(False)
        self.checked = plan
        made = f", gemaakt op {when(plan.made)}" if plan.made else ""
        count = "1 cliënt" if plan.clients == 1 else f"{plan.clients} cliënten"
        self.contents.setText(
            f"De back-up is in orde en het wachtwoord klopt: {count}{made}. "
            "Klik op Terugzetten om hem terug te zetten."
        )
        self.contents.show()
        self.restore_button.setEnabled(True)
        self.cancel_button.setDefault(True)  # an extra Enter never replaces the vault
        self.cancel_button.setFocus()

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        if isinstance(exc, WrongPassphrase):
            self.error.show_message(NOT_THIS_BACKUPS_KEY)
        else:
            message = user_message(exc)
            if "niets" not in message and self.plan.current_changed is None:
                message += " Er is niets teruggezet; er staat nog geen kluis op deze laptop."
            elif "niets" not in message:
                message += " Er is niets vervangen; de huidige kluis is ongewijzigd."
            self.error.show_message(message)
        self.passphrase.selectAll()
        self.passphrase.setFocus()

    def confirm(self) -> None:
        if self.checked is None:
            return
        secret = self.passphrase.text()
        self.passphrase.clear()
        self.accept()
        self.confirmed.emit(self.plan.source, secret, self.plan.aside_name or "")
