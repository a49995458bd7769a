"""What goes into a referral letter or a GP feedback letter — only what was chosen.

Pure functions from records to a ``Letter``: no vault access, no files. The
jobs in ``app.referral_letter`` and ``app.gp_letter`` gather the records once
and call these; ``letter_pdf.render`` turns the result into PDF bytes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from brugdesk.documents.letter_pdf import Block, Letter
from brugdesk.domain import instruments
from brugdesk.domain.assessments import wheel_pair
from brugdesk.domain.life_domains import DEFAULT_INSTRUMENT
from brugdesk.domain.records import (
    ActionRecord,
    AssessmentRecord,
    ClientRecord,
    PartnerRecord,
    ReferralRecord,
    WorkerSettings,
)
from brugdesk.domain.referral_rules import SHAREABLE_FIELDS

MONTHS = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)


def long_date(d: date) -> str:
    """e.g. ``22 november 2026``."""
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def client_lines(client: ClientRecord, fields: Iterable[str]) -> tuple[str, ...]:
    """Only the chosen fields; nothing else about the client leaves the vault."""
    chosen = set(fields)
    values = {
        "naam": client.full_name,
        "geboortedatum": client.date_of_birth.strftime("%d-%m-%Y") if client.date_of_birth else "",
        "adres": ", ".join(
            x for x in (client.address, f"{client.postal_code} {client.city}".strip()) if x
        ),
        "telefoon": client.phone,
        "email": client.email,
        "verwijzer": client.referrer_name,
    }
    return tuple(
        f"{SHAREABLE_FIELDS[f]}: {values[f]}"
        for f in SHAREABLE_FIELDS
        if f in chosen and values.get(f)
    )


def domain_lines(assessments: list[AssessmentRecord], domains: Iterable[str]) -> tuple[str, ...]:
    """The chosen domains in plain words, with the latest score and signals where known."""
    first, latest = wheel_pair(assessments, DEFAULT_INSTRUMENT)
    source = latest or first
    inst = (
        instruments.get(source.instrument_id, source.instrument_version)
        if source
        else instruments.get(DEFAULT_INSTRUMENT)
    )
    items = {i.domain: i for i in source.items} if source else {}
    lines = []
    for domain_id in domains:
        item = items.get(domain_id)
        parts = [inst.part_name(domain_id)]
        level = inst.level(item.score) if item is not None and item.score is not None else None
        if item is not None and level is not None:
            parts.append(f"zelfredzaamheid {item.score} van 5 ({level.label.lower()})")
        if item is not None and item.signals:
            domain = inst.domain(domain_id)
            labels = [domain.signal_label(s).lower() if domain else s for s in item.signals]
            parts.append("signalen: " + ", ".join(labels))
        lines.append(" — ".join(parts))
    return tuple(lines)


@dataclass(frozen=True)
class Sender:
    """What every letter says about its writer, from the worker's settings."""

    lines: tuple[str, ...]
    closing: tuple[str, ...]
    reach: str
    footer: str
    logo: str
    author: str
    place: str

    @classmethod
    def from_settings(cls, s: WorkerSettings) -> Sender:
        who = ", ".join(x for x in (s.worker_name, s.worker_role) if x)
        reach = " of ".join(
            x
            for x in (
                f"telefoon {s.phone}" if s.phone else "",
                f"e-mail {s.email}" if s.email else "",
            )
            if x
        )
        return cls(
            lines=tuple(x for x in (s.organisation, who, s.phone, s.email) if x),
            closing=("Met vriendelijke groet,", "", s.worker_name, s.worker_role, s.organisation),
            reach=reach,
            footer=s.letter_footer,
            logo=s.logo_path,
            author=s.worker_name or "brugdesk",
            place=s.place,
        )

    def letter(
        self,
        *,
        title: str,
        subject: str,
        addressee: tuple[str, ...],
        blocks: list[Block],
        today: date,
    ) -> Letter:
        return Letter(
            title=title,
            author=self.author,
            sender=self.lines,
            # The worker's place, never the client's city: that may not be shared.
            place_date=", ".join(x for x in (self.place, long_date(today)) if x),
            addressee=addressee,
            subject=subject,
            salutation="Geachte collega,",
            blocks=tuple(blocks),
            closing=self.closing,
            footer=self.footer,
            logo_path=self.logo,
        )


def consent_sentence(
    has_consent: bool,
    override_reason: str = "",
    *,
    given_on: date | None = None,
    how: str = "",
    recorded_by: str = "",
) -> str:
    """What the letter says about consent — the truth as it will be recorded.

    With consent, the basis is named: who gave it (the client), how and when,
    and who recorded it, where known.
    """
    if has_consent:
        basis = [
            x
            for x in (
                how,
                f"op {long_date(given_on)}" if given_on else "",
                f"vastgelegd door {recorded_by}" if recorded_by else "",
            )
            if x
        ]
        return "De cliënt heeft toestemming gegeven om deze gegevens met u te delen" + (
            ": " + ", ".join(basis) + "." if basis else "."
        )
    if override_reason.strip():
        return (
            "Deze gegevens worden gedeeld zonder vastgelegde toestemming van de cliënt, om deze "
            "reden: " + override_reason.strip()
        )
    return "Er is (nog) geen toestemming van de cliënt vastgelegd."


def referral_letter(
    *,
    sender: Sender,
    client: ClientRecord,
    partner: PartnerRecord,
    assessments: list[AssessmentRecord],
    shared_fields: Iterable[str],
    shared_domains: Iterable[str],
    reason: str,
    request: str,
    feedback_due: date,
    consent: str,
    today: date,
) -> Letter:
    """The referral letter; *consent* is the sentence from ``consent_sentence``."""
    blocks = [Block("Over de cliënt", client_lines(client, shared_fields))]
    if reason.strip():
        blocks.append(Block("Reden van verwijzing", (reason,)))
    if request.strip():
        blocks.append(Block("Hulpvraag en verzoek", (request,)))
    domains = tuple(shared_domains)
    if domains:
        blocks.append(Block("Leefgebieden die spelen", domain_lines(assessments, domains)))
    follow = (
        f"Wij spreken af dat u uiterlijk {long_date(feedback_due)} laat weten of de cliënt "
        "bij u is gestart."
    )
    if sender.reach:
        follow += f" U bereikt mij via {sender.reach}."
    blocks.append(Block("Terugkoppeling", (follow,)))
    blocks.append(Block("Toestemming", (consent,)))
    addressee = tuple(
        x
        for x in (
            partner.organisation,
            partner.team,
            f"t.a.v. {partner.contact_person}" if partner.contact_person else "",
            partner.address,
        )
        if x
    )
    return sender.letter(
        title="Verwijzing", subject="Verwijzing", addressee=addressee, blocks=blocks, today=today
    )


def gp_feedback_letter(
    *,
    sender: Sender,
    client: ClientRecord,
    assessments: list[AssessmentRecord],
    referrals: list[ReferralRecord],
    partner_names: dict[int, str],
    open_actions: list[ActionRecord],
    fields: Iterable[str],
    next_steps: str,
    today: date,
    consent: str = "",
) -> Letter:
    """Terugkoppeling aan de huisarts: what was found, what was arranged, what comes next.

    Only referrals that were actually sent are listed, never concepts;
    *consent* is the sentence from ``consent_sentence``.
    """
    first, latest = wheel_pair(assessments, DEFAULT_INSTRUMENT)
    source = latest or first
    found = domain_lines(assessments, [i.domain for i in source.items]) if source else ()
    arranged = tuple(
        f"{partner_names.get(r.partner_id, 'partner')}: {r.status}"
        + (f" (sinds {r.events[-1].at:%d-%m-%Y})" if r.events else "")
        for r in referrals
        if r.status != "concept"
    )
    actions = tuple(
        a.description + (f" (uiterlijk {a.due_on:%d-%m-%Y})" if a.due_on else "")
        for a in open_actions
    )
    blocks = [
        Block("Over de cliënt", client_lines(client, fields)),
        Block("Wat wij hebben besproken", found or ("Nog geen leefgebieden vastgelegd.",)),
        Block("Wat is geregeld", arranged or ("Nog geen verwijzingen.",)),
        Block(
            "Vervolg",
            ((next_steps,) if next_steps.strip() else ()) + actions or ("Geen open afspraken.",),
        ),
    ]
    if sender.reach:
        blocks.append(Block("Contact", (f"Voor vragen bereikt u mij via {sender.reach}.",)))
    if consent:
        blocks.append(Block("Toestemming", (consent,)))
    return sender.letter(
        title="Terugkoppeling aan de huisarts",
        subject="Terugkoppeling verwijzing",
        addressee=(client.referrer_name or "Huisartsenpraktijk",),
        blocks=blocks,
        today=today,
    )


def default_file_name(kind: str, client: ClientRecord, today: date | None = None) -> str:
    """e.g. ``verwijzing-2026-11-22-JdV.pdf`` — initials, never the full name."""
    today = today or date.today()
    words = f"{client.given_name} {client.family_name}".split()
    initials = "".join(w[0] for w in words if w and w[0].isalpha())
    safe = "".join(ch for ch in initials if ch.isascii() and ch.isalnum()) or "client"
    return f"{kind}-{today.isoformat()}-{safe}.pdf"
