"""The window fits a 1366×768 laptop, and no text in it is cut off."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QLineEdit,
    QStyle,
    QStyleOptionFrame,
    QWidget,
)

from brugdesk.ui.kit.widgets import WINDOW_SIZE, initial_size
from brugdesk.ui.main_window import MainWindow
from brugdesk.ui.wizards.referral_pages import ConsentPage
from brugdesk.ui.wizards.referral_wizard import ReferralWizard
from tests.ui.conftest import unlock

LAPTOP = QRect(0, 0, 1366, 728)  # 1366×768 less a 40-pixel taskbar


def shown_text(label: QLabel) -> str:
    text = label.text()
    if label.buddy() is not None or "&" in text:
        text = text.replace("&&", "\0").replace("&", "").replace("\0", "&")
    return text


def drawn_width(metrics: QFontMetrics, text: str) -> int:
    """How wide *text* is on screen. A mnemonic ("&T") is underlined as a separate
    run, so the kerning across it is lost: the pieces are measured apart."""
    pieces = [text]
    at = text.find("&")
    if 0 <= at < len(text) - 1 and text[at + 1] != "&":
        pieces = [text[:at], text[at + 1], text[at + 2 :]]
    width = sum(metrics.horizontalAdvance(p) for p in pieces if p)
    last = text[-1:]
    overhang = -min(0, metrics.rightBearing(last)) if last else 0
    return width + overhang


def clipped(label: QLabel) -> str | None:
    """Why *label*'s text does not fit the room it got on screen, or None when it does."""
    room = label.contentsRect()
    if label.margin():
        room = room.adjusted(label.margin(), label.margin(), -label.margin(), -label.margin())
    if label.alignment() & Qt.AlignmentFlag.AlignLeft:  # the text may run into the margin
        room.setRight(label.rect().right())
    text = shown_text(label)
    if not text:
        return None
    if label.wordWrap():
        needed = label.heightForWidth(label.width())
        if needed > label.height():
            return f"{text!r}: needs {needed} px height, has {label.height()}"
        return None
    metrics = QFontMetrics(label.font())
    ink = drawn_width(metrics, label.text() if label.buddy() is not None else text)
    if ink > room.width() or metrics.height() > room.height() + 1:
        return f"{text!r}: needs {ink}×{metrics.height()} px, has {room.width()}×{room.height()}"
    return None


def clipped_labels(top: QWidget) -> list[str]:
    QApplication.processEvents()
    return [
        reason
        for label in top.findChildren(QLabel)
        if label.isVisible() and (reason := clipped(label)) is not None
    ]


def placeholder_clipped(edit: QLineEdit) -> bool:
    """Is the placeholder wider than the room the line edit draws it in?"""
    option = QStyleOptionFrame()
    edit.initStyleOption(option)
    contents = edit.style().subElementRect(QStyle.SubElement.SE_LineEditContents, option, edit)
    margins = edit.textMargins()
    room = contents.width() - margins.left() - margins.right() - 2 * 2  # Qt's side margin
    text = edit.placeholderText()
    return bool(text) and QFontMetrics(edit.font()).horizontalAdvance(text) > room


# --- the window's size ------------------------------------------------------------------


def test_initial_size_fits_a_laptop_with_a_taskbar() -> None:
    size = initial_size(LAPTOP)
    assert size.width() <= 1366 - 16 and size.height() <= 728 - 40
    assert size.width() >= 1200 and size.height() >= 640  # and still roomy
    assert initial_size(QRect(0, 0, 2560, 1400)) == WINDOW_SIZE  # never larger than that
    small = initial_size(QRect(0, 0, 1024, 600))
    assert small.width() <= 1024 and small.height() <= 600


def test_window_opens_within_the_screen_and_is_resizable(qtbot, window: MainWindow) -> None:
    available = window.screen().availableGeometry()
    assert window.width() <= available.width() and window.height() <= available.height()
    assert window.size() == initial_size(available)
    unlock(qtbot, window)
    cid = window.caseload.clients.create(given_name="Jan", family_name="Jansen")
    window.workspace.select_client(cid)
    # With a dossier open the window can still be as small as a laptop allows.
    laptop = initial_size(LAPTOP)
    assert window.minimumSizeHint().width() <= laptop.width()
    assert window.minimumSizeHint().height() <= laptop.height()
    assert window.maximumSize() == QSize(16777215, 16777215)
    window.resize(laptop)
    qtbot.waitUntil(lambda: window.size() == laptop)
    window.resize(laptop.width() - 200, laptop.height() - 100)
    qtbot.waitUntil(lambda: window.width() == laptop.width() - 200)


# --- no clipped text --------------------------------------------------------------------


def _dossier(qtbot, window: MainWindow, given: str = "Jan", family: str = "Jansen") -> int:
    unlock(qtbot, window)
    window.resize(initial_size(LAPTOP))
    cl = window.caseload
    cid = cl.clients.create(given_name=given, family_name=family)
    cl.actions.add(cid, description="Bellen met de woningcorporatie", due_on=date.today())
    cl.contacts.add(cid, occurred_at=datetime.now(), note="Eerste gesprek")
    window.workspace.select_client(cid)
    return cid


def test_dossier_tabs_show_every_label_and_placeholder_whole(qtbot, window: MainWindow) -> None:
    _dossier(qtbot, window)
    dossier = window.workspace.dossier
    for index in range(dossier.tabs.count()):
        dossier.tabs.setCurrentIndex(index)
        assert clipped_labels(window) == [], dossier.tabs.tabText(index)
    dossier.tabs.setCurrentIndex(2)
    QApplication.processEvents()
    plan = dossier.plan
    for edit in (plan.description, plan.who, plan.due):
        assert edit.isVisible() and not placeholder_clipped(edit), edit.placeholderText()


def test_client_form_labels_are_whole(qtbot, window: MainWindow) -> None:
    _dossier(qtbot, window)
    dialog = window.workspace.new_client()
    qtbot.waitExposed(dialog)
    telefoon = next(x for x in dialog.findChildren(QLabel) if x.text() == "&Telefoon")
    assert dialog.edits["phone"] in telefoon.buddy().findChildren(QLineEdit)
    assert clipped(telefoon) is None
    assert telefoon.sizeHint().width() <= telefoon.width()
    assert clipped_labels(dialog) == []
    dialog.edits["date_of_birth"].setText("31-02-1961")  # messages under fields wrap whole
    dialog.validate()
    assert clipped_labels(dialog) == []


def test_a_long_passphrase_message_in_settings_is_whole(qtbot, window: MainWindow) -> None:
    _dossier(qtbot, window)
    settings = window.open_settings()
    qtbot.waitExposed(settings)
    screen = settings.screen().availableGeometry()
    assert settings.height() <= min(screen.height(), LAPTOP.height()) - 40
    settings.tabs.setCurrentIndex(1)
    settings.new_pw.setText("kort")
    settings.repeat_pw.setText("kort")
    settings.change_button.click()
    message = settings.pw_status
    assert message.isVisible() and "te kort" in message.text()
    assert message.wordWrap()
    assert clipped(message) is None
    assert message.visibleRegion().boundingRect().height() >= message.heightForWidth(
        message.width()
    )  # all of it on screen, not scrolled away
    assert clipped_labels(settings) == []


def test_vandaag_group_headers_span_the_whole_row(qtbot, window: MainWindow) -> None:
    cid = _dossier(qtbot, window)
    cl = window.caseload
    pid = cl.partners.add(organisation="Schuldhulpverlening")
    cl.consents.record(
        cid, recipient="Schuld", purpose="verwijzing", how="mondeling", partner_id=pid
    )
    late = (date.today() - timedelta(days=30)).isoformat()
    rid = cl.referrals.create(cid, pid, feedback_due=late)
    cl.referrals.mark_sent(rid, feedback_due=late)
    dialog = window.open_today()
    qtbot.waitExposed(dialog)
    tree = dialog.tree
    metrics = QFontMetrics(tree.font())
    for i in range(tree.topLevelItemCount()):
        top = tree.topLevelItem(i)
        assert top.isFirstColumnSpanned()
        rect = tree.visualItemRect(top)
        assert metrics.horizontalAdvance(top.text(0)) < rect.width() - tree.indentation()
    assert "te laat (1)" in tree.topLevelItem(0).text(0)


def test_long_name_in_the_dossier_header_is_elided_with_the_whole_name_in_a_tooltip(
    qtbot, window: MainWindow
) -> None:
    long_family = "van den Berg-Schimmelpenninck van der Oye tot Hoevelaken en Nederhorst"
    _dossier(qtbot, window, "Maria Johanna Wilhelmina", long_family)
    full = f"Maria Johanna Wilhelmina {long_family}"
    title = window.workspace.dossier.title
    QApplication.processEvents()
    assert title.full_text == full
    assert title.textFormat() == Qt.TextFormat.PlainText
    assert title.text() != full and title.text().endswith("…")
    assert QFontMetrics(title.font()).horizontalAdvance(title.text()) <= title.width()
    assert title.toolTip() == full
    # More room: re-elided, and when it fits whole there is no tooltip.
    before = title.text()
    window.resize(LAPTOP.width() * 2, LAPTOP.height())
    qtbot.waitUntil(lambda: title.text() != before)
    assert len(title.text()) > len(before)
    window.workspace.dossier.title.setText("Jan Jansen")
    assert title.text() == "Jan Jansen" and title.toolTip() == ""
    # The header never makes the window wider than the laptop.
    window.workspace.dossier.title.setText(full)
    assert window.minimumSizeHint().width() <= initial_size(LAPTOP).width()


def test_status_bar_is_empty_after_an_idle_lock_and_unlock(qtbot, window: MainWindow) -> None:
    unlock(qtbot, window)
    for reason in ("idle", "sleep"):
        window.lock(reason)
        assert window.statusBar().currentMessage().startswith("Vergrendeld")
        unlock(qtbot, window)
        assert window.statusBar().currentMessage() == ""


def test_consent_page_has_no_label_without_its_field(qtbot, window: MainWindow) -> None:
    cid = _dossier(qtbot, window)
    cl = window.caseload
    pid = cl.partners.add(organisation="Schuldhulpverlening")

    def consent_page() -> tuple[ReferralWizard, ConsentPage]:
        wizard = ReferralWizard(cl, cid, window.tasks, window)
        qtbot.addWidget(wizard)
        wizard.show()
        wizard.next()
        wizard.share.reason.setPlainText("Huurachterstand")
        wizard.share.request.setPlainText("Graag een intake")
        wizard.next()
        assert wizard.currentPage() is wizard.consent
        QApplication.processEvents()
        return wizard, wizard.consent

    def orphans(page: ConsentPage) -> list[str]:
        """Visible labels that name a field ("…:") whose field is not there."""
        out = []
        for label in page.findChildren(QLabel):
            if not label.isVisible() or not label.text().rstrip().endswith(":"):
                continue
            buddy = label.buddy()
            if buddy is None or not buddy.isVisible():
                out.append(label.text())
        return out

    wizard, page = consent_page()
    assert "Hoe:" not in [x.text() for x in page.findChildren(QLabel)]
    assert page.how_label.buddy() is page.how and page.how_label.isVisible()
    assert orphans(page) == []
    assert clipped_labels(page) == []
    wizard.reject()
    # With consent already recorded, the choice is hidden: so is its label.
    cl.consents.record(
        cid, recipient="Schuldhulpverlening", purpose="verwijzing", how="mondeling", partner_id=pid
    )
    wizard, page = consent_page()
    assert page.has_consent and not page.how.isVisible()
    assert not page.how_label.isVisible() and orphans(page) == []
    assert "toestemming vastgelegd" in page.status.text()
    wizard.reject()
