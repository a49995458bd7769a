"""The privacy statement for clients, in plain Dutch (B1), written once.

The window (Help → Privacyverklaring) and the PDF show the same sections from
:func:`privacy_statement`; the organisation, the contact details and the retention
period come from the worker's settings. Pure: no database, no Qt.
"""

from __future__ import annotations

from dataclasses import dataclass

from brugdesk.domain.records import WorkerSettings

TITLE = "Privacyverklaring"


@dataclass(frozen=True)
class Section:
    heading: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class Statement:
    title: str
    intro: str
    sections: tuple[Section, ...]

    def as_text(self) -> str:
        """The whole statement as plain text (what the window shows)."""
        parts = [self.title, "", self.intro]
        for section in self.sections:
            parts += ["", section.heading, *section.paragraphs]
        return "\n".join(parts)


def _months(n: int) -> str:
    if n % 12 == 0:
        years = n // 12
        return f"{n} maanden ({'1 jaar' if years == 1 else f'{years} jaar'})"
    return "1 maand" if n == 1 else f"{n} maanden"


def privacy_statement(settings: WorkerSettings) -> Statement:
    organisation = settings.organisation.strip() or "onze organisatie"
    worker = settings.worker_name.strip()
    who = f"{worker}, uw welzijnscoach" if worker else "uw welzijnscoach"
    contact = [
        c
        for c in (
            f"telefoon {settings.phone.strip()}" if settings.phone.strip() else "",
            f"e-mail {settings.email.strip()}" if settings.email.strip() else "",
        )
        if c
    ]
    reach = (
        f"U kunt {organisation} bereiken via {' of '.join(contact)}."
        if contact
        else f"Vraag {who} hoe u {organisation} kunt bereiken."
    )
    subject = f"{worker}, uw welzijnscoach," if worker else "Uw welzijnscoach"
    months = _months(settings.retention_months)
    return Statement(
        TITLE,
        f"{organisation} helpt u met vragen over geld, wonen, werk, gezondheid en "
        f"meedoen. {subject} houdt daarvoor een dossier bij in het programma "
        "brugdesk. Hier leest u wat er in dat dossier staat, waar het staat, hoe lang, "
        "wie het kan zien en wat uw rechten zijn.",
        (
            Section(
                "Wat staat er in uw dossier?",
                (
                    "Uw naam, adres, geboortedatum en hoe wij u kunnen bereiken. Wie u naar "
                    "ons heeft verwezen en wie uw huisarts is.",
                    "Verslagen van onze gesprekken en afspraken. De vragenlijsten die u "
                    "samen met ons invult. Het plan dat wij samen maken, en naar welke "
                    "organisaties wij u doorverwijzen.",
                    "Welke toestemming u ons gaf om gegevens te delen, en wanneer.",
                ),
            ),
            Section(
                "Waar staat uw dossier?",
                (
                    f"Alleen op de laptop van {who}. Niet in de cloud en niet op internet. "
                    "Het dossier is versleuteld: zonder het wachtwoord kan niemand het "
                    "lezen, ook niet als de laptop gestolen wordt.",
                ),
            ),
            Section(
                "Hoe lang bewaren wij uw dossier?",
                (
                    "Zolang wij u helpen. Daarna sluiten wij uw dossier af. Een afgesloten "
                    f"dossier bewaren wij nog {months}. Daarna verwijderen wij het helemaal.",
                ),
            ),
            Section(
                "Wie kan uw dossier zien?",
                (
                    f"Alleen {who}. Collega's, de gemeente of andere organisaties kunnen "
                    "uw dossier niet zien.",
                    "Het programma houdt een logboek bij: wie wanneer iets heeft bekeken, "
                    "veranderd of doorgestuurd.",
                ),
            ),
            Section(
                "Wat delen wij met anderen?",
                (
                    "Soms is het goed dat een andere organisatie u helpt, zoals "
                    "schuldhulp, een woningcorporatie of uw huisarts. Wij sturen die "
                    "organisatie of uw huisarts alleen gegevens als u daar toestemming "
                    "voor geeft. Wij vertellen u vooraf wat wij sturen, en aan wie.",
                    # brugdesk lets a referral go without consent, with a reason on
                    # record (e.g. the meldcode): the statement may not promise otherwise.
                    "Alleen als iemands veiligheid in gevaar is, bijvoorbeeld bij huiselijk "
                    "geweld of kindermishandeling, kan het zonder uw toestemming. Dan "
                    "schrijven wij op waarom.",
                    "U mag uw toestemming altijd weer intrekken. Daarna sturen wij niets meer.",
                ),
            ),
            Section(
                "Uw rechten",
                (
                    "Inzage: u mag altijd zien wat er over u in het dossier staat. U "
                    "krijgt dan een kopie.",
                    "Verbetering: staat er iets niet goed in? Dan passen wij het aan.",
                    "Verwijdering: u mag vragen om uw dossier te verwijderen. Wij "
                    "verwijderen dan alles over u. In het logboek blijft alleen staan dat "
                    "een dossier is verwijderd, zonder uw naam.",
                    f"Vraag het aan {who}, of neem contact op met {organisation}. {reach}",
                    "Bent u het niet eens met hoe wij met uw gegevens omgaan? Dan kunt u "
                    "een klacht indienen bij de Autoriteit Persoonsgegevens.",
                ),
            ),
        ),
    )
