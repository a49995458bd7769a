"""First run: what brugdesk protects → passphrase → recovery key → worker profile.

On a new laptop the worker can instead put a backup back from the first page
(the window does the restore, as for Bestand → Back-up terugzetten…, and then
shows the unlock screen).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from brugdesk.app import passphrase_policy as pp
from brugdesk.app.caseload import Caseload
from brugdesk.domain.settings_rules import clean_settings
from brugdesk.errors import ValidationError
from brugdesk.ui.kit.recovery_key import KeyLabel, ask_sheet_path, digits, save_sheet, typed_back
from brugdesk.ui.kit.widgets import BusyBar, ErrorLabel, PassphraseField, hint, user_message
from brugdesk.ui.tasks import Tasks

ROLES = (
    "welzijnscoach",
    "praktijkondersteuner sociaal (PO-Sociaal)",
    "sociaal makelaar",
    "wijkcoördinator",
)


RESTORE_HINT = (
    "Heeft u al een back-up van brugdesk, bijvoorbeeld van uw vorige laptop? Zet die dan "
    "terug in plaats van een nieuwe kluis aan te maken. U heeft het wachtwoord nodig dat de "
    "kluis had toen de back-up werd gemaakt."
)
RESTORING_NOTE = "De back-up wordt teruggezet. Even geduld…"


class WelcomePage(QWizardPage):
    """What brugdesk protects; or put a backup back instead (a new laptop)."""

    restore_requested = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.restoring = False
        self.setTitle("Welkom bij brugdesk")
        self.setSubTitle("Uw caseload, veilig op deze laptop.")
        layout = QVBoxLayout(self)
        for text in (
            (
                "brugdesk bewaart uw cliënten, contactmomenten, plannen en verwijzingen "
                "versleuteld op deze laptop. Ook zonder internet werkt alles."
            ),
            (
                "Zonder uw wachtwoord is er niets te lezen — ook niet als de laptop wordt "
                "gestolen. Uw wachtwoord wordt nergens bewaard; daarom krijgt u zo meteen ook "
                "een herstelsleutel voor als u het wachtwoord vergeet."
            ),
            (
                "Na een paar minuten zonder gebruik, en als de laptop uit de slaapstand komt, "
                "vergrendelt brugdesk zichzelf. Wat u aan het typen was, blijft bewaard."
            ),
        ):
            label = QLabel(text)
            label.setWordWrap(True)
            layout.addWidget(label)
        layout.addSpacing(12)
        layout.addWidget(hint(RESTORE_HINT))
        self.restore_button = QPushButton("Back-up terugzetten…")
        self.restore_button.clicked.connect(self.restore_requested.emit)
        layout.addWidget(self.restore_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.restoring_note = hint(RESTORING_NOTE)
        self.restoring_note.hide()
        self.busy = BusyBar()
        self.error = ErrorLabel()
        self.error.setTextFormat(Qt.TextFormat.PlainText)  # a restore message names files
        layout.addWidget(self.restoring_note)
        layout.addWidget(self.busy)
        layout.addWidget(self.error)
        layout.addStretch()

    def set_restoring(self, restoring: bool) -> None:
        """While a backup is put back, no new vault is made and no second restore starts."""
        self.restoring = restoring
        self.restoring_note.setVisible(restoring)
        self.busy.setVisible(restoring)
        self.restore_button.setEnabled(not restoring)
        if restoring:
            self.error.show_message("")
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return not self.restoring


class PassphrasePage(QWizardPage):
    def __init__(self, wizard: FirstRunWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle("Kies een wachtwoord")
        self.setSubTitle("Minstens 12 tekens. Een korte zin die u kunt onthouden is het sterkst.")
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, "Kluis aanmaken")
        self.first = PassphraseField()
        self.first.setAccessibleName("Wachtwoord")
        self.second = PassphraseField()
        self.second.setAccessibleName("Wachtwoord herhalen")
        self.meter = QProgressBar()
        self.meter.setRange(0, 4)
        self.meter.setTextVisible(True)
        self.feedback = QLabel()
        self.feedback.setWordWrap(True)
        self.feedback.setTextFormat(Qt.TextFormat.PlainText)
        self._verdict: tuple[str, pp.Strength] | None = None  # estimated once per text
        self.mismatch = ErrorLabel()
        self.busy = BusyBar()
        self.busy_label = hint(
            "De kluis wordt aangemaakt en de beveiliging wordt afgesteld "
            "op deze laptop. Dit duurt een paar seconden…"
        )
        self.busy_label.hide()
        self.error = ErrorLabel()
        form = QFormLayout()
        form.addRow("&Wachtwoord:", self.first)
        form.addRow("&Herhalen:", self.second)
        form.addRow("Sterkte:", self.meter)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.feedback)
        layout.addWidget(self.mismatch)
        layout.addWidget(self.busy_label)
        layout.addWidget(self.busy)
        layout.addWidget(self.error)
        layout.addStretch()
        self.first.textChanged.connect(self._update)
        self.second.textChanged.connect(self._update)
        self._update()

    def strength(self) -> pp.Strength:
        text = self.first.text()
        if self._verdict is None or self._verdict[0] != text:
            self._verdict = (text, pp.strength(text))
        return self._verdict[1]

    def _update(self) -> None:
        s = self.strength()
        self.meter.setValue(s.score)
        self.meter.setFormat(s.label)
        self.feedback.setText(s.hint if self.first.text() else "")
        mismatch = bool(self.second.text()) and self.second.text() != self.first.text()
        self.mismatch.show_message("De twee wachtwoorden zijn niet gelijk." if mismatch else "")
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        s = self.strength()
        return s.acceptable and self.first.text() == self.second.text() and not self.wiz.tasks.busy

    def validatePage(self) -> bool:
        if self.wiz.caseload is not None:
            return True
        secret = self.first.text()
        data_dir = self.wiz.data_dir
        started = self.wiz.tasks.run(
            "create", lambda: Caseload.create(data_dir, secret), self._created, self._failed
        )
        if started:
            self._set_busy(True)
        return False

    def _set_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        self.busy_label.setVisible(busy)
        self.first.setEnabled(not busy)
        self.second.setEnabled(not busy)
        self.completeChanged.emit()

    def _created(self, result: tuple[Caseload, str]) -> None:
        self._set_busy(False)
        self.first.clear()
        self.second.clear()
        self.wiz.caseload, self.wiz.recovery_key = result
        self.wiz.next()

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        self.error.show_message(user_message(exc))


class RecoveryPage(QWizardPage):
    def __init__(self, wizard: FirstRunWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle("Uw herstelsleutel")
        self.setSubTitle(
            "Vergeet u uw wachtwoord, dan opent alleen deze sleutel de kluis nog. "
            "Hij wordt maar één keer getoond."
        )
        self.key_label = KeyLabel()
        self.save_button = QPushButton("Herstelblad opslaan als PDF…")
        self.save_button.clicked.connect(self.ask_save_sheet)
        self.saved = hint("")
        self.confirm = QLineEdit()
        self.confirm.setPlaceholderText("Typ de herstelsleutel over")
        self.confirm.setAccessibleName("Herstelsleutel overtypen")
        self.confirm.textChanged.connect(self._check)
        self.status = ErrorLabel()
        layout = QVBoxLayout(self)
        layout.addWidget(self.key_label)
        layout.addWidget(
            hint(
                "Schrijf de sleutel op of sla het herstelblad op en print het. "
                "Bewaar het blad veilig en niet bij de laptop."
            )
        )
        layout.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.saved)
        layout.addSpacing(10)
        layout.addWidget(QLabel("Typ ter controle de sleutel over (streepjes mogen weg):"))
        layout.addWidget(self.confirm)
        layout.addWidget(self.status)
        layout.addStretch()

    def initializePage(self) -> None:
        self.key_label.show_key(self.wiz.recovery_key or "")

    def _check(self) -> None:
        typed = self.confirm.text()
        wrong = len(digits(typed)) >= 48 and not typed_back(typed, self.wiz.recovery_key or "")
        self.status.show_message("Dit klopt nog niet met de sleutel hierboven." if wrong else "")
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return typed_back(self.confirm.text(), self.wiz.recovery_key or "")

    def ask_save_sheet(self) -> None:
        path = ask_sheet_path(self)
        if path:
            self.save_sheet(path)

    def save_sheet(self, path: Path) -> None:
        assert self.wiz.caseload is not None and self.wiz.recovery_key
        self.saved.setText(save_sheet(path, self.wiz.recovery_key, self.wiz.caseload.vault_id))


class ProfilePage(QWizardPage):
    def __init__(self, wizard: FirstRunWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle("Over u")
        self.setSubTitle(
            "Deze gegevens komen later op uw brieven. U kunt ze altijd wijzigen bij Instellingen."
        )
        self.name = QLineEdit()
        self.role = QComboBox()
        self.role.setEditable(True)
        self.role.addItems([r for r in ROLES])
        self.organisation = QLineEdit()
        self.phone = QLineEdit()
        self.email = QLineEdit()
        self.error = ErrorLabel()
        form = QFormLayout(self)
        form.addRow("&Naam:", self.name)
        form.addRow("&Functie:", self.role)
        form.addRow("&Organisatie:", self.organisation)
        form.addRow("&Telefoon:", self.phone)
        form.addRow("&E-mail:", self.email)
        form.addRow(self.error)

    def values(self) -> dict[str, str]:
        return {
            "worker_name": self.name.text(),
            "worker_role": self.role.currentText(),
            "organisation": self.organisation.text(),
            "phone": self.phone.text(),
            "email": self.email.text(),
        }

    def validatePage(self) -> bool:
        try:
            clean_settings(self.values())
            assert self.wiz.caseload is not None
            self.wiz.caseload.settings.update(**self.values())
        except ValidationError as exc:
            self.error.show_message(" ".join(exc.errors.values()))
            return False
        return True


class FirstRunWizard(QWizard):
    finished_with = Signal(object)  # Caseload
    #: the worker asked to put a backup back instead of making a new vault
    restore_requested = Signal()

    def __init__(self, data_dir: Path, tasks: Tasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data_dir = data_dir
        self.tasks = tasks
        self.caseload: Caseload | None = None
        self.recovery_key: str | None = None
        self.setWindowTitle("brugdesk instellen")
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoCancelButton, True)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setButtonText(QWizard.WizardButton.NextButton, "Volgende >")
        self.setButtonText(QWizard.WizardButton.BackButton, "< Vorige")
        self.setButtonText(QWizard.WizardButton.FinishButton, "Klaar")
        self.welcome = WelcomePage()
        self.passphrase_page = PassphrasePage(self)
        self.recovery_page = RecoveryPage(self)
        self.profile_page = ProfilePage(self)
        for page in (self.welcome, self.passphrase_page, self.recovery_page, self.profile_page):
            self.addPage(page)
        # A method of this wizard (not a lambda): Qt disconnects it when the wizard is gone.
        self.tasks.busy_changed.connect(self._busy_changed)
        self.welcome.restore_requested.connect(self.restore_requested.emit)
        self.accepted.connect(self._finish)

    def _busy_changed(self, _busy: bool) -> None:
        self.passphrase_page.completeChanged.emit()

    def can_restore(self) -> bool:
        """A backup can be put back only before this wizard made a vault (on the welcome page)."""
        return (
            self.caseload is None
            and self.currentPage() is self.welcome
            and not self.welcome.restoring
        )

    def _finish(self) -> None:
        self.recovery_key = None  # shown once; do not keep it around
        if self.caseload is not None:
            self.finished_with.emit(self.caseload)
