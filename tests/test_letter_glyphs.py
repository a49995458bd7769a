"""Letters never drop a character silently: what the font cannot draw, and Arabic or
Hebrew that reportlab prints unshaped, is named (characters and part) before saving."""

from __future__ import annotations

from brugdesk.app.caseload import Caseload
from brugdesk.app.gp_letter import GpLetterDraft
from brugdesk.app.referral_letter import ReferralLetterDraft
from brugdesk.documents import letter_pdf
from brugdesk.documents.letter_pdf import Block, Letter


def _draft(cl: Caseload, given: str, family: str, **choices) -> ReferralLetterDraft:
    cid = cl.clients.create(given_name=given, family_name=family, date_of_birth="12-03-1961")
    pid = cl.partners.add(organisation="Schuldhulpverlening")
    draft = ReferralLetterDraft(cl, cid)
    draft.choose(
        partner_id=pid,
        reason="Huurachterstand",
        request="Graag een intake",
        shared_fields=("naam",),
        **choices,
    )
    return draft


def test_a_chinese_name_is_named_with_its_part(caseload: Caseload) -> None:
    draft = _draft(caseload, "小明", "王")
    warnings = draft.warnings()
    assert warnings, "a Chinese name must be warned about"
    joined = " ".join(warnings)
    for ch in "王小明":
        assert ch in joined
    assert "lege vakjes" in joined and "Latijnse letters" in joined
    problems = letter_pdf.glyph_problems(draft.letter())
    assert {p.field for p in problems} >= {"Over de cliënt"}
    assert all(set(p.missing) <= set("王小明") for p in problems)


def test_an_emoji_and_devanagari_in_typed_text_are_named(caseload: Caseload) -> None:
    draft = _draft(caseload, "Priya", "Sharma")
    draft.choose(reason="Zij schreef: प्रिया 🥰")
    problems = letter_pdf.glyph_problems(draft.letter())
    assert [p.field for p in problems] == ["Reden van verwijzing"]
    assert "🥰" in problems[0].missing and "प" in problems[0].missing
    assert " " not in problems[0].missing
    assert "'Reden van verwijzing'" in draft.warnings()[0]


def test_turkish_and_polish_letters_print_without_a_warning(caseload: Caseload) -> None:
    draft = _draft(caseload, "Şükrü", "Yılmaz")
    draft.choose(request="Met dank aan Łukasz Wójcik en Zoë Ørsted.\nTweede regel.")
    assert draft.warnings() == []


def test_arabic_and_hebrew_are_warned_about(caseload: Caseload) -> None:
    draft = _draft(caseload, "محمد", "Haddad")
    draft.choose(request="שלום")
    problems = {p.field: p for p in letter_pdf.glyph_problems(draft.letter())}
    assert "م" in problems["Over de cliënt"].right_to_left
    assert not problems["Over de cliënt"].missing  # DejaVu has the glyphs, not the shaping
    assert "ש" in problems["Hulpvraag en verzoek"].right_to_left
    assert any("Arabisch of Hebreeuws" in w for w in draft.warnings())


def test_the_gp_letter_warns_too(caseload: Caseload) -> None:
    cid = caseload.clients.create(given_name="明", family_name="王")
    draft = GpLetterDraft(caseload, cid)
    assert draft.warnings() == draft.warnings()  # stable, no state
    draft.choose(next_steps="Samen naar het loket 🫶")
    joined = " ".join(draft.warnings())
    assert "王" in joined and "🫶" in joined


def test_every_part_of_a_letter_is_checked() -> None:
    letter = Letter(
        title="t",
        author="a",
        sender=("Afz 王",),
        place_date="Utrecht",
        addressee=("Aan 🥰",),
        subject="Onderwerp",
        salutation="Beste",
        blocks=(Block("Kop", ("regel",)),),
        closing=("Groet",),
        footer="voet 王",
    )
    fields = [p.field for p in letter_pdf.glyph_problems(letter)]
    assert fields == ["Afzender", "Geadresseerde", "Voettekst"]
