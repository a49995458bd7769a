"""Inzage as PDF: everything brugdesk holds about a client, in plain Dutch (B1).

Drawn from the dictionary of :func:`brugdesk.documents.inzage_json.build`, so
the PDF and the JSON hold the same data. Fonts, escaping of typed text and
"pagina X van Y" come from :mod:`brugdesk.documents.letter_pdf`: a note with
``<b>`` in it prints as ``<b>``.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer

from brugdesk.documents import letter_pdf
from brugdesk.documents.letter_pdf import text
from brugdesk.domain.client_rules import GP_SOURCES

FOOTER = "Vertrouwelijk — afschrift voor de cliënt zelf. Bewaar het op een veilige plek."
NOTHING = "Hierover is niets vastgelegd."

#: Part headings and their short explanations, in B1 Dutch.
INTRO = {
    "client": (
        "Uw gegevens",
        "Dit zijn uw persoonsgegevens en de gegevens over uw aanmelding.",
    ),
    "contacts": (
        "Contactmomenten",
        "Elke keer dat wij contact hadden, schreef uw brugfunctionaris dit op. "
        "Soms staat er een korte notitie bij.",
    ),
    "conversations": (
        "Gesprekken",
        "In een gesprek bespraken we hoe het gaat op verschillende leefgebieden, "
        "of we gebruikten een vragenlijst. U ziet de scores, de signalen, uw wensen "
        "en de notities.",
    ),
    "plan": (
        "Plan",
        "Dit zijn de afspraken over wat er gaat gebeuren, wie dat doet en wanneer.",
    ),
    "referrals": (
        "Verwijzingen: wat is gedeeld, met wie en wanneer",
        "Als wij u doorverwezen naar een andere organisatie, staat hier welke "
        "gegevens wij met die organisatie deelden, wanneer de brief ging en hoe het "
        "daarna verliep.",
    ),
    "consents": (
        "Toestemmingen",
        "Hier staat waarvoor u toestemming gaf om gegevens te delen, en of u die "
        "toestemming later weer introk.",
    ),
    "exports": (
        "Wat er over u is verstuurd of afgedrukt",
        "Elke keer dat er een bestand of brief over u is gemaakt, wordt dat "
        "bijgehouden. Hier ziet u wat het was, wanneer, en aan wie als dat bekend is. "
        "Tijden staan in UTC (in Nederland is het dan één of twee uur later).",
    ),
    "meldcode": (
        "Meldcode huiselijk geweld en kindermishandeling",
        "Uw brugfunctionaris heeft stappen van de meldcode vastgelegd. Per stap staat "
        "wat er feitelijk is gezien of gehoord, apart van hoe dat is uitgelegd.",
    ),
}


def _day(value: str | None) -> str:
    return date.fromisoformat(value).strftime("%d-%m-%Y") if value else ""


def _moment(value: str | None) -> str:
    return datetime.fromisoformat(value).strftime("%d-%m-%Y %H:%M") if value else ""


class _Writer:
    def __init__(self) -> None:
        base = letter_pdf._styles()  # the letters' styles: the same look
        self.st = base
        self.title = ParagraphStyle(
            "title",
            parent=base["subject"],
            fontSize=16,
            leading=20,
            spaceAfter=6,
        )
        self.part_style = ParagraphStyle(
            "part", parent=base["subject"], fontSize=13, leading=17, spaceBefore=14
        )
        self.entry_style = ParagraphStyle("entry", parent=base["heading"], spaceBefore=6)
        self.indent = ParagraphStyle("indent", parent=base["body"], leftIndent=5 * mm)
        self.story: list = []

    def para(self, value: str, style: ParagraphStyle | None = None) -> None:
        self.story.append(Paragraph(value, style or self.st["body"]))

    def part(self, key: str, empty: bool) -> None:
        heading, explanation = INTRO[key]
        head = [
            Paragraph(text(heading), self.part_style),
            Paragraph(text(explanation), self.st["small"]),
        ]
        if empty:
            head.append(Paragraph(text(NOTHING), self.st["body"]))
        self.story.append(KeepTogether(head))

    def entry(self, heading: str, lines: list[tuple[str, str]]) -> None:
        """A bold heading, then ``label: value`` lines (typed values escaped, kept whole)."""
        flow = [Paragraph(text(heading), self.entry_style)]
        for label, value in lines:
            if value in ("", None):
                continue
            body = text(str(value))
            flow.append(Paragraph(f"<b>{text(label)}:</b> {body}" if label else body, self.indent))
        self.story.append(KeepTogether(flow[:2]))
        self.story.extend(flow[2:])


def _yes_no(value: bool) -> str:
    return "ja" if value else "nee"


def render(data: dict[str, Any]) -> bytes:
    """The PDF bytes for an inzage dictionary (nothing written to disk)."""
    letter_pdf._register_fonts()
    w = _Writer()
    c = data["client"]
    kept = data["kept_by"]
    w.para(text("Wat brugdesk over u bewaart"), w.title)
    who = ", ".join(x for x in (kept["worker"], kept["role"], kept["organisation"]) if x)
    w.para(text(f"Voor: {c['given_name']} {c['family_name']}. Gemaakt op {_day(data['made_on'])}."))
    w.para(
        text(
            "U heeft het recht om te zien welke gegevens wij over u bewaren (AVG artikel 15) "
            "en om die gegevens mee te nemen (artikel 20). Hieronder staat alles wat uw "
            "brugfunctionaris over u heeft vastgelegd in het programma brugdesk. Het "
            "programma bewaart de gegevens versleuteld op de laptop van uw brugfunctionaris."
        )
    )
    w.para(
        text(
            "Klopt er iets niet, of wilt u dat wij iets verwijderen? Zeg het tegen uw "
            "brugfunctionaris. U mag daar altijd om vragen."
        )
    )
    if who or kept["phone"] or kept["email"]:
        contact = ", ".join(x for x in (kept["phone"], kept["email"]) if x)
        w.para(text(f"Uw brugfunctionaris: {who}" + (f" ({contact})" if contact else "")))

    w.part("client", False)
    w.entry(
        f"{c['given_name']} {c['family_name']}",
        [
            ("Voornaam", c["given_name"]),
            ("Achternaam", c["family_name"]),
            ("Geboortedatum", _day(c["date_of_birth"])),
            ("Adres", c["address"]),
            ("Postcode", c["postal_code"]),
            ("Woonplaats", c["city"]),
            ("Telefoon", c["phone"]),
            ("E-mail", c["email"]),
            ("Voorkeurstaal", c["preferred_language"]),
            ("Verwezen door", c["referred_by"]),
            ("Verwezen op", _day(c["referred_on"])),
            ("Onderwerpen van uw hulpvraag", ", ".join(c["themes"])),
            ("Reden van aanmelding", c["reason"]),
            ("Status van uw dossier", c["status"]),
            ("Begonnen op", _day(c["started_on"])),
            ("Afgesloten op", _day(c["closed_on"])),
            ("Reden van afsluiten", c["closure"]),
            ("Bezoeken aan de huisarts in het jaar vóór de verwijzing", c["gp_visits_before"]),
            ("Bezoeken aan de huisarts daarna", c["gp_visits_after"]),
            ("Aantallen gemeld", GP_SOURCES.get(c["gp_visits_source"] or "", "")),
            ("Ingeschreven op", _moment(c["registered_at"])),
            ("Laatst gewijzigd op", _moment(c["changed_at"])),
        ],
    )

    w.part("contacts", not data["contacts"])
    for ct in data["contacts"]:
        duration = f"{ct['duration_minutes']} minuten" if ct["duration_minutes"] else ""
        travel = ""
        if ct["travel_minutes"] or ct["travel_km"]:
            travel = ", ".join(
                x
                for x in (
                    f"{ct['travel_minutes']} minuten" if ct["travel_minutes"] else "",
                    f"{ct['travel_km']} km".replace(".", ",") if ct["travel_km"] else "",
                )
                if x
            )
        w.entry(
            f"{_moment(ct['occurred_at'])} · {ct['kind']}",
            [
                ("Duur", duration),
                ("Leefgebieden", ", ".join(d["domain_name"] for d in ct["domains"])),
                ("Reistijd en afstand", travel),
                ("Notitie", ct["note"]),
            ],
        )

    w.part("conversations", not data["conversations"])
    for conv in data["conversations"]:
        lines: list[tuple[str, str]] = [("Notitie bij het gesprek", conv["note"])]
        if conv["result"] is not None:
            lines.insert(0, ("Uitkomst", conv["result"]["in_words"]))
        w.entry(
            f"{_day(conv['held_on'])} · {conv['instrument_title']} "
            f"(versie {conv['instrument_version']})",
            lines,
        )
        for item in conv["items"]:
            score = ""
            if item["score"] is not None:
                score = f"{item['score']}" + (
                    f" ({item['score_label']})" if item["score_label"] else ""
                )
                if conv["result"] is not None:
                    score = item["score_label"] or score
            w.entry(
                item["part_name"] + (" (voorrang)" if item["priority"] else ""),
                [
                    ("Antwoord" if conv["result"] is not None else "Score", score),
                    ("Signalen", ", ".join(s["label"] for s in item["signals"])),
                    ("Uw wens", item["wish"]),
                    ("Notitie", item["note"]),
                ],
            )

    w.part("plan", not data["plan"])
    for a in data["plan"]:
        w.entry(
            a["description"],
            [
                ("Leefgebied", a["domain_name"]),
                ("Wie", a["who"]),
                ("Klaar op", _day(a["due_on"])),
                ("Status", a["status"]),
                ("Gedaan op", _day(a["done_on"])),
            ],
        )

    w.part("referrals", not data["referrals"])
    for r in data["referrals"]:
        basis = {
            "toestemming": "met uw toestemming",
            "zonder toestemming": "zonder uw toestemming, om deze reden: "
            + r["without_consent_reason"],
        }.get(r["consent_basis"] or "", "")
        w.entry(
            f"Naar {r['partner'] or 'een partner'} · status: {r['status']}",
            [
                ("Brief verstuurd op", _moment(r["letter_sent_at"]) or "nog niet verstuurd"),
                ("Gedeelde gegevens", ", ".join(f["label"] for f in r["shared_fields"])),
                (
                    "Gedeelde leefgebieden",
                    ", ".join(d["domain_name"] for d in r["shared_domains"]),
                ),
                ("Reden", r["reason"]),
                ("Vraag aan de partner", r["request"]),
                ("Gedeeld", basis),
                ("Terugkoppeling verwacht uiterlijk", _day(r["feedback_due"])),
            ],
        )
        for ev in r["history"]:
            w.para(
                text(
                    f"{_moment(ev['at'])} · {ev['status']}"
                    + (f" — {ev['note']}" if ev["note"] else "")
                ),
                w.indent,
            )

    w.part("consents", not data["consents"])
    for cs in data["consents"]:
        w.entry(
            f"Aan {cs['recipient']} · {cs['purpose']}",
            [
                ("Gegeven op", _moment(cs["given_at"])),
                ("Hoe", cs["how"]),
                ("Vastgelegd door", cs["recorded_by"]),
                (
                    "Ingetrokken op",
                    _moment(cs["withdrawn_at"]) if cs["withdrawn_at"] else "niet ingetrokken",
                ),
            ],
        )

    w.part("exports", not data["exports"])
    for e in data["exports"]:
        action = "afgedrukt" if e["action"] == "print" else "opgeslagen als bestand"
        w.entry(
            f"{_moment(e['at_utc'])} UTC · {e['what']}",
            [("Wat er gebeurde", action), ("Aan", e["to"] or ""), ("Bestand", e["file"] or "")],
        )

    if "meldcode" in data:
        w.part("meldcode", not data["meldcode"])
        for m in data["meldcode"]:
            w.entry(
                f"{_day(m['held_on'])} · stap {m['step']}"
                + (f": {m['step_name']}" if m["step_name"] else ""),
                [
                    ("Overlegd met", m["consulted"]),
                    ("Feiten", m["facts"]),
                    ("Uitleg en afweging", m["interpretations"]),
                ],
            )

    w.story.append(Spacer(1, 6 * mm))
    w.para(text("Einde van het overzicht."), w.st["small"])

    buffer = io.BytesIO()
    footer_top = 12 * mm + (len(letter_pdf.footer_lines(FOOTER)) - 1) * letter_pdf.FOOTER_LEADING
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=max(22 * mm, footer_top + 10),
        title="Inzage: wat brugdesk over u bewaart",
        author=kept["organisation"] or "brugdesk",
        subject="Inzage en afschrift",
        creator="brugdesk",
    )

    class Canvas(letter_pdf._NumberedCanvas):
        footer_text = FOOTER

    doc.build(w.story, canvasmaker=Canvas)
    return buffer.getvalue()
