"""Settings: worker profile, when to re-measure (Vandaag), idle lock, changing the
passphrase, and how long a closed file is kept (Privacy)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from brugdesk.app import passphrase_policy as pp
from brugdesk.app.caseload import Caseload
from brugdesk.app.letters import footer_problem, logo_problem
from brugdesk.domain.draft_keys import settings_draft_key
from brugdesk.domain.retention_rules import (
    DEFAULT_RETENTION_MONTHS,
    RETENTION_MONTHS_MAX,
    RETENTION_MONTHS_MIN,
)
from brugdesk.domain.today_rules import REMEASURE_WEEKS_MAX, REMEASURE_WEEKS_MIN
from brugdesk.errors import ValidationError
from brugdesk.ui.kit.colours import css, error_colour, ok_colour
from brugdesk.ui.kit.drafting import Drafting
from brugdesk.ui.kit.error_boundary import guard
from brugdesk.ui.kit.widgets import (
    BusyBar,
    ErrorLabel,
    PassphraseField,
    ProgressSignal,
    button_box,
    hint,
    plain_text,
    scrolled,
    show_fraction,
    user_message,
)
from brugdesk.ui.tasks import Tasks
from brugdesk.ui.wizards.first_run import ROLES


class SettingsDialog(Drafting, QDialog):
    settings_changed = Signal(object)  # WorkerSettings

    def __init__(self, caseload: Caseload, tasks: Tasks, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.caseload = caseload
        self.tasks = tasks
        self.setWindowTitle("Instellingen")
        self.setMinimumWidth(620)
        current = caseload.settings.get()

        self.name = QLineEdit(current.worker_name)
        self.role = QComboBox()
        self.role.setEditable(True)
        self.role.addItems([r for r in ROLES])
        self.role.setCurrentText(current.worker_role)
        self.organisation = QLineEdit(current.organisation)
        self.place = QLineEdit(current.place)
        self.place.setPlaceholderText("Plaats boven uw brieven, bijvoorbeeld Zwolle")
        self.phone = QLineEdit(current.phone)
        self.email = QLineEdit(current.email)
        self.logo = QLineEdit(current.logo_path)
        self.logo.setPlaceholderText("Optioneel: afbeelding (PNG of JPG) voor briefhoofden")
        logo_button = QPushButton("Kiezen…")
        logo_button.clicked.connect(guard(self._choose_logo, "Logo kiezen"))
        self.logo_error = ErrorLabel()  # a bad logo is refused here, not in a letter later
        self.logo.textEdited.connect(lambda _t: self.logo_error.show_message(""))
        logo_row = QWidget()
        logo_column = QVBoxLayout(logo_row)
        logo_column.setContentsMargins(0, 0, 0, 0)
        logo_layout = QHBoxLayout()
        logo_layout.addWidget(self.logo, 1)
        logo_layout.addWidget(logo_button)
        logo_column.addLayout(logo_layout)
        logo_column.addWidget(self.logo_error)
        self.footer = QPlainTextEdit(current.letter_footer)
        self.footer.setMaximumHeight(80)
        self.footer.setTabChangesFocus(True)
        self.footer_error = ErrorLabel()  # a footer that would be cut is refused here
        footer_box = QWidget()
        footer_column = QVBoxLayout(footer_box)
        footer_column.setContentsMargins(0, 0, 0, 0)
        footer_column.addWidget(self.footer)
        footer_column.addWidget(self.footer_error)
        footer_box.setFocusProxy(self.footer)
        profile = QWidget()
        form = QFormLayout(profile)
        form.addRow("&Naam:", self.name)
        form.addRow("&Functie:", self.role)
        form.addRow("&Organisatie:", self.organisation)
        form.addRow("&Plaats:", self.place)
        form.addRow("&Telefoon:", self.phone)
        form.addRow("&E-mail:", self.email)
        form.addRow("&Logo:", logo_row)
        form.addRow("&Voettekst brieven:", footer_box)

        # Vandaag: when a first WHO-5 or DJG-6 is due to be measured again. The box takes
        # any number, so a number out of range is refused with a message, not clamped.
        self.remeasure = QSpinBox()
        self.remeasure.setRange(1, 999)
        self.remeasure.setSuffix(" weken")
        self.remeasure.setValue(current.remeasure_weeks)
        self.remeasure.setAccessibleName("Hermeting na aantal weken")
        self.remeasure_error = ErrorLabel()
        self.remeasure.valueChanged.connect(lambda _v: self.remeasure_error.show_message(""))
        remeasure_box = QWidget()
        remeasure_column = QVBoxLayout(remeasure_box)
        remeasure_column.setContentsMargins(0, 0, 0, 0)
        remeasure_column.addWidget(self.remeasure)
        remeasure_column.addWidget(self.remeasure_error)
        remeasure_box.setFocusProxy(self.remeasure)
        today_group = QGroupBox("Vandaag")
        today_form = QFormLayout(today_group)
        today_form.addRow("&Hermeting na:", remeasure_box)
        today_form.addRow(
            hint(
                "Wie de WHO-5 of de DJG-6 één keer heeft ingevuld, staat zoveel weken na "
                f"die eerste meting in Vandaag ({REMEASURE_WEEKS_MIN} tot en met "
                f"{REMEASURE_WEEKS_MAX} weken)."
            )
        )
        form.addRow(today_group)

        self.idle = QSpinBox()
        self.idle.setRange(1, 240)
        self.idle.setSuffix(" minuten")
        self.idle.setValue(current.idle_lock_minutes)
        self.current_pw = PassphraseField()
        self.new_pw = PassphraseField()
        self.repeat_pw = PassphraseField()
        self.change_button = QPushButton("Wachtwoord wijzigen")
        self.change_button.clicked.connect(guard(self.change_passphrase, "Wachtwoord wijzigen"))
        self.pw_busy = BusyBar()
        self.progress_seen: list[float] = []  # what the re-encryption reported
        self.pw_status = ErrorLabel()
        security = QWidget()
        sec = QVBoxLayout(security)
        lock_form = QFormLayout()
        lock_form.addRow("&Vergrendelen na:", self.idle)
        sec.addLayout(lock_form)
        sec.addWidget(
            hint(
                "brugdesk vergrendelt ook direct als de laptop uit de slaapstand "
                "komt, en met Ctrl+L."
            )
        )
        group = QGroupBox("Wachtwoord wijzigen")
        pw_form = QFormLayout(group)
        pw_form.addRow(
            hint(
                "Bij een nieuw wachtwoord versleutelt brugdesk de hele kluis opnieuw (een paar "
                "seconden): het oude wachtwoord opent daarna niets meer. Een back-up van vóór "
                "de wijziging opent nog wel met het wachtwoord dat toen gold."
            )
        )
        pw_form.addRow("&Huidig wachtwoord:", self.current_pw)
        pw_form.addRow("&Nieuw wachtwoord:", self.new_pw)
        pw_form.addRow("Nieuw wachtwoord he&rhalen:", self.repeat_pw)
        pw_form.addRow(self.change_button)
        pw_form.addRow(self.pw_busy)
        pw_form.addRow(self.pw_status)
        sec.addWidget(group)
        recovery_group = QGroupBox("Herstelsleutel")
        self.recovery_pw = PassphraseField()
        self.recovery_button = QPushButton("Nieuwe herstelsleutel maken…")
        self.recovery_button.clicked.connect(
            guard(self.new_recovery_key, "Nieuwe herstelsleutel maken")
        )
        self.recovery_status = ErrorLabel()
        rec_form = QFormLayout(recovery_group)
        rec_form.addRow(
            hint(
                "Herstelblad kwijt, of de sleutel nooit opgeschreven? Maak een "
                "nieuwe; de kluis wordt opnieuw versleuteld en de oude sleutel opent "
                "daarna niets meer. Een back-up van vóór de wijziging opent nog wel met "
                "de sleutel die toen gold."
            )
        )
        rec_form.addRow("Huidig &wachtwoord:", self.recovery_pw)
        rec_form.addRow(self.recovery_button)
        rec_form.addRow(self.recovery_status)
        sec.addWidget(recovery_group)
        sec.addStretch()

        # Privacy: how long a closed file is kept. Like the weeks above, a number out of
        # range is refused with a message next to the field, not clamped.
        self.retention = QSpinBox()
        self.retention.setRange(0, 999)
        self.retention.setSuffix(" maanden")
        self.retention.setValue(current.retention_months)
        self.retention.setAccessibleName("Bewaartermijn na afsluiten in maanden")
        self.retention_error = ErrorLabel()
        self.retention.valueChanged.connect(lambda _v: self.retention_error.show_message(""))
        privacy = QWidget()
        privacy_column = QVBoxLayout(privacy)
        privacy_form = QFormLayout()
        privacy_form.addRow("&Bewaartermijn na afsluiten:", self.retention)
        privacy_form.addRow("", self.retention_error)
        privacy_column.addLayout(privacy_form)
        privacy_column.addWidget(
            hint(
                "Zo lang bewaart brugdesk een afgesloten dossier "
                f"({RETENTION_MONTHS_MIN} tot en met {RETENTION_MONTHS_MAX} maanden; "
                f"standaard {DEFAULT_RETENTION_MONTHS}). Daarna staat het dossier in Vandaag "
                "onder 'Bewaartermijn verlopen'; het wordt pas verwijderd als u dat bevestigt. "
                "De termijn staat ook in de privacyverklaring (Help → Privacyverklaring)."
            )
        )
        privacy_column.addStretch()

        self.tabs = QTabWidget()
        self.tabs.addTab(profile, "Profiel")
        self.tabs.addTab(scrolled(security), "Beveiliging")  # wrapped messages never cut off
        self.privacy_tab = privacy
        self.tabs.addTab(privacy, "Privacy")
        self.error = ErrorLabel()
        buttons = button_box("Opslaan", self.submit, self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(620, 600)  # the Beveiliging tab and a message fit without scrolling
        self.draft_key, self.reopen_kind = settings_draft_key(), "settings"
        self.start_drafting()

    def draft_values(self) -> dict[str, Any]:
        """The profile and the idle time; never a passphrase."""
        return self.values()

    def restore_draft(self, values: dict[str, Any]) -> None:
        for key, edit in (
            ("worker_name", self.name),
            ("organisation", self.organisation),
            ("place", self.place),
            ("phone", self.phone),
            ("email", self.email),
            ("logo_path", self.logo),
        ):
            edit.setText(values[key])
        self.role.setCurrentText(values["worker_role"])
        self.footer.setPlainText(values["letter_footer"])
        self.idle.setValue(int(values["idle_lock_minutes"]))
        weeks = values.get("remeasure_weeks")  # a draft from before this setting has none
        if isinstance(weeks, int) and not isinstance(weeks, bool):
            self.remeasure.setValue(weeks)
        months = values.get("retention_months")  # a draft from before this tab has none
        if isinstance(months, int) and not isinstance(months, bool):
            self.retention.setValue(months)

    def values(self) -> dict[str, object]:
        return {
            "worker_name": self.name.text(),
            "worker_role": self.role.currentText(),
            "organisation": self.organisation.text(),
            "place": self.place.text(),
            "phone": self.phone.text(),
            "email": self.email.text(),
            "letter_footer": plain_text(self.footer),
            "logo_path": self.logo.text(),
            "idle_lock_minutes": self.idle.value(),
            "remeasure_weeks": self.remeasure.value(),
            "retention_months": self.retention.value(),
        }

    def new_recovery_key(self) -> None:
        from brugdesk.ui.dialogs.recovery_key_dialog import RecoveryKeyDialog

        caseload, current = self.caseload, self.recovery_pw.text()

        def done(key: str) -> None:
            self.recovery_button.setEnabled(True)
            self.recovery_pw.clear()
            self.recovery_status.show_message("")
            self.key_dialog = RecoveryKeyDialog(key, caseload.vault_id, self)
            self.key_dialog.open()

        def failed(exc: BaseException) -> None:
            self.recovery_button.setEnabled(True)
            self.recovery_status.show_message(user_message(exc))

        if self.tasks.run(
            "recovery-key", lambda: caseload.replace_recovery_key(current), done, failed
        ):
            self.recovery_button.setEnabled(False)

    def _choose_logo(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getOpenFileName(
            self, "Logo kiezen", self.logo.text(), "Afbeeldingen (*.png *.jpg *.jpeg)"
        )
        if not path:
            return
        if self._logo_refused(path):
            return
        self.logo.setText(path)

    def _logo_refused(self, path: str) -> bool:
        """Say next to the field why a logo cannot be used; False when it can."""
        problem = logo_problem(path)
        if problem is None:
            self.logo_error.show_message("")
            return False
        self.logo_error.show_message(
            problem
            + " "
            + "Kies een ander bestand, of laat het veld leeg voor brieven zonder logo."
        )
        self.tabs.setCurrentIndex(0)
        self.logo.setFocus()
        return True

    def submit(self) -> None:
        self.logo.setText(self.logo.text().strip())
        if self._logo_refused(self.logo.text()):
            return
        problem = footer_problem(plain_text(self.footer))
        self.footer_error.show_message(problem or "")
        if problem:
            self.tabs.setCurrentIndex(0)
            self.footer.setFocus()
            return
        try:
            updated = self.caseload.settings.update(**self.values())
        except ValidationError as exc:
            errors = dict(exc.errors)
            weeks_problem = errors.pop("remeasure_weeks", "")
            if weeks_problem:  # said next to the field, with what to do
                self.remeasure_error.show_message(
                    f"{weeks_problem} Kies een aantal weken tussen {REMEASURE_WEEKS_MIN} "
                    f"en {REMEASURE_WEEKS_MAX}; standaard is 12."
                )
                self.tabs.setCurrentIndex(0)
                self.remeasure.setFocus()
            months_problem = errors.pop("retention_months", "")
            if months_problem:
                self.retention_error.show_message(
                    f"{months_problem} Kies een aantal maanden tussen {RETENTION_MONTHS_MIN} "
                    f"en {RETENTION_MONTHS_MAX}; standaard is {DEFAULT_RETENTION_MONTHS}."
                )
                self.tabs.setCurrentWidget(self.privacy_tab)
                self.retention.setFocus()
            self.error.show_message(" ".join(errors.values()))
            return
        self.accept()
        self.settings_changed.emit(updated)

    def _passphrase_progress(self, fraction: float) -> None:
        self.progress_seen.append(fraction)
        show_fraction(self.pw_busy, fraction)

    def change_passphrase(self) -> None:
        current, new = self.current_pw.text(), self.new_pw.text()
        if new != self.repeat_pw.text():
            self.pw_status.show_message("De twee nieuwe wachtwoorden zijn niet gelijk.")
            return
        # The worker's own name and organisation are the first things an attacker tries.
        problem = pp.problem(new, (self.name.text(), self.organisation.text()))
        if problem:
            self.pw_status.show_message(problem)
            return
        caseload = self.caseload

        def done(_result: object) -> None:
            self.pw_busy.hide()
            self.change_button.setEnabled(True)
            for field in (self.current_pw, self.new_pw, self.repeat_pw):
                field.clear()
            self.pw_status.setStyleSheet(css(ok_colour))
            self.pw_status.show_message("Wachtwoord gewijzigd. Gebruik vanaf nu het nieuwe.")

        def failed(exc: BaseException) -> None:
            self.pw_busy.hide()
            self.change_button.setEnabled(True)
            self.pw_status.setStyleSheet(css(error_colour))
            self.pw_status.show_message(user_message(exc))

        # Argon2 first (no measure of progress), then the re-encryption reports fractions.
        progress = ProgressSignal(self)
        progress.moved.connect(self._passphrase_progress)
        self.pw_busy.setRange(0, 0)
        self.progress_seen.clear()
        if self.tasks.run(
            "passphrase",
            lambda: caseload.change_passphrase(current, new, progress.report),
            done,
            failed,
        ):
            self.pw_busy.show()
            self.change_button.setEnabled(False)
