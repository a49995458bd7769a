"""What goes into a referral letter or a GP feedback letter — only what was chosen.

The content is assembled here (Qt-free) from the vault; ``letters.render``
turns it into PDF bytes; ``export_*`` checks consent, writes the chosen file
and records the export with a SHA-256 fingerprint.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from brugdesk.documents import letter_pdf as letters
from brugdesk.documents.letter_pdf import Block, Letter
from brugdesk.domain import instruments
from brugdesk.domain.assessments import wheel_pair
from brugdesk.domain.life_domains import DEFAULT_INSTRUMENT
from brugdesk.domain.records import AssessmentRecord, ClientRecord
from brugdesk.errors import ValidationError
from brugdesk.services.referrals import NO_CONSENT
from brugdesk.storage.atomic import atomic_write_bytes

if TYPE_CHECKING:
    from brugdesk.app.caseload import Caseload

#: Client fields a worker may choose to share, in letter order.
SHAREABLE_FIELDS = {
    "naam": "Naam",
    "geboortedatum": "Geboortedatum",
    "adres": "Adres",
    "telefoon": "Telefoon",
    "email": "E-mail",
    "verwijzer": "Verwezen door",
}
DEFAULT_FIELDS = ("naam", "geboortedatum")
GP_PURPOSE = "terugkoppeling aan de huisarts"


@dataclass(frozen=True)
class ExportResult:
    path: Path
    sha256: str
    password_protected: bool


def _months(d: date) -> str:
    names = [
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
    ]
    return f"{d.day} {names[d.month - 1]} {d.year}"


def client_lines(client: ClientRecord, fields: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """Only the chosen fields; nothing else about the client leaves the vault."""
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
        if f in fields and values.get(f)
    )


def domain_lines(
    assessments: list[AssessmentRecord], domains: list[str] | tuple[str, ...]
) -> tuple[str, ...]:
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
        name = inst.part_name(domain_id)
        item = items.get(domain_id)
        parts = [name]
        if item is not None and item.score is not None and inst.level(item.score):
            level = inst.level(item.score)
            parts.append(f"zelfredzaamheid {item.score} van 5 ({level.label.lower()})")
        if item is not None and item.signals:
            domain = inst.domain(domain_id)
            labels = [domain.signal_label(s).lower() if domain else s for s in item.signals]
            parts.append("signalen: " + ", ".join(labels))
        lines.append(" — ".join(parts))
    return tuple(lines)


@dataclass(frozen=True)
class _Sender:
    """What every letter says about its writer, from the worker's settings."""

    lines: tuple[str, ...]
    closing: tuple[str, ...]
    reach: str
    footer: str
    logo: str
    author: str
    place: str

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
            place_date=", ".join(x for x in (self.place, _months(today)) if x),
            addressee=addressee,
            subject=subject,
            salutation="Geachte collega,",
            blocks=tuple(blocks),
            closing=self.closing,
            footer=self.footer,
            logo_path=self.logo,
        )


def _sender(caseload: Caseload) -> _Sender:
    s = caseload.settings.get()
    who = ", ".join(x for x in (s.worker_name, s.worker_role) if x)
    reach = " of ".join(
        x
        for x in (f"telefoon {s.phone}" if s.phone else "", f"e-mail {s.email}" if s.email else "")
        if x
    )
    return _Sender(
        lines=tuple(x for x in (s.organisation, who, s.phone, s.email) if x),
        closing=("Met vriendelijke groet,", "", s.worker_name, s.worker_role, s.organisation),
        reach=reach,
        footer=s.letter_footer,
        logo=s.logo_path,
        author=s.worker_name or "brugdesk",
        place=s.place,
    )


def consent_sentence(caseload: Caseload, ref, override_reason: str = "") -> str:
    """What the letter says about consent — always the truth as recorded now."""
    if caseload.consents.active_for(ref.client_id, ref.partner_id) is not None:
        return "De cliënt heeft toestemming gegeven om deze gegevens met u te delen."
    reason = (override_reason or ref.consent_override_reason).strip()
    if reason:
        return (
            "Deze gegevens worden gedeeld zonder vastgelegde toestemming van de cliënt, om deze "
            "reden: " + reason
        )
    return "Er is (nog) geen toestemming van de cliënt vastgelegd."


def referral_letter(
    caseload: Caseload, referral_id: int, today: date | None = None, override_reason: str = ""
) -> Letter:
    today = today or date.today()
    ref = caseload.referrals.get(referral_id)
    client = caseload.clients.get(ref.client_id)
    partner = caseload.partners.get(ref.partner_id)
    sender = _sender(caseload)
    blocks = [Block("Over de cliënt", client_lines(client, ref.shared_fields))]
    if ref.reason.strip():
        blocks.append(Block("Reden van verwijzing", (ref.reason,)))
    if ref.request.strip():
        blocks.append(Block("Hulpvraag en verzoek", (ref.request,)))
    if ref.shared_domains:
        assessments = caseload.assessments.list(client.id)
        blocks.append(
            Block("Leefgebieden die spelen", domain_lines(assessments, ref.shared_domains))
        )
    due = ref.feedback_due or today + timedelta(days=14)
    follow = (
        f"Wij spreken af dat u uiterlijk {_months(due)} laat weten of de cliënt bij u is gestart."
    )
    if sender.reach:
        follow += f" U bereikt mij via {sender.reach}."
    blocks.append(Block("Terugkoppeling", (follow,)))
    blocks.append(Block("Toestemming", (consent_sentence(caseload, ref, override_reason),)))
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
    caseload: Caseload,
    client_id: int,
    fields: tuple[str, ...] = DEFAULT_FIELDS,
    next_steps: str = "",
    today: date | None = None,
) -> Letter:
    """Terugkoppeling aan de huisarts: what was found, what was arranged, what comes next."""
    today = today or date.today()
    client = caseload.clients.get(client_id)
    sender = _sender(caseload)
    assessments = caseload.assessments.list(client_id)
    _first, latest = wheel_pair(assessments, DEFAULT_INSTRUMENT)
    source = latest or _first
    found = domain_lines(assessments, [i.domain for i in source.items]) if source else ()
    partners = {p.id: p.organisation for p in caseload.partners.list()}
    arranged = tuple(
        f"{partners.get(r.partner_id, 'partner')}: {r.status}"
        + (f" (sinds {r.events[-1].at:%d-%m-%Y})" if r.events else "")
        for r in caseload.referrals.list(client_id)
    )
    actions = tuple(
        a.description + (f" (uiterlijk {a.due_on:%d-%m-%Y})" if a.due_on else "")
        for a in caseload.actions.list(client_id, open_only=True)
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
    addressee = (client.referrer_name or "Huisartsenpraktijk",)
    return sender.letter(
        title="Terugkoppeling aan de huisarts",
        subject="Terugkoppeling verwijzing",
        addressee=addressee,
        blocks=blocks,
        today=today,
    )


def domains_at_issue(caseload: Caseload, client_id: int) -> list[str]:
    """Priority or low-scoring domains from the latest conversation, most urgent first."""
    first, latest = wheel_pair(caseload.assessments.list(client_id), DEFAULT_INSTRUMENT)
    source = latest or first
    if source is None:
        return []
    items = sorted(source.items, key=lambda i: (not i.priority, i.score or 9))
    return [i.domain for i in items if i.priority or (i.score is not None and i.score <= 3)]


def suggested_partners(caseload: Caseload, client_id: int) -> list[tuple[object, int]]:
    """All partners with how many of the client's domains at issue they serve, best first."""
    at_issue = set(domains_at_issue(caseload, client_id))
    scored = [(p, len(at_issue & set(p.domains))) for p in caseload.partners.list()]
    return sorted(scored, key=lambda pair: (-pair[1], pair[0].organisation.casefold()))


def default_file_name(kind: str, client: ClientRecord, today: date | None = None) -> str:
    """e.g. ``verwijzing-2026-11-22-JdV.pdf`` — initials, never the full name."""
    today = today or date.today()
    words = f"{client.given_name} {client.family_name}".split()
    initials = "".join(w[0] for w in words if w and w[0].isalpha())
    safe = "".join(ch for ch in initials if ch.isascii() and ch.isalnum()) or "client"
    return f"{kind}-{today.isoformat()}-{safe}.pdf"


def _write(dest: Path, pdf: bytes, password: str | None) -> ExportResult:
    if password:
        pdf = letters.protect(pdf, password)
    atomic_write_bytes(Path(dest), pdf)
    return ExportResult(Path(dest), hashlib.sha256(pdf).hexdigest(), bool(password))


def check_referral_consent(caseload: Caseload, referral_id: int, override_reason: str = "") -> None:
    ref = caseload.referrals.get(referral_id)
    if (
        caseload.consents.active_for(ref.client_id, ref.partner_id) is None
        and not override_reason.strip()
    ):
        raise ValidationError({"consent": NO_CONSENT})


def export_referral(
    caseload: Caseload,
    referral_id: int,
    dest: Path,
    *,
    password: str | None = None,
    override_reason: str = "",
    feedback_due: date | None = None,
) -> ExportResult:
    """Consent first, then the file the user chose, then status and audit (with SHA-256)."""
    check_referral_consent(caseload, referral_id, override_reason)
    ref = caseload.referrals.get(referral_id)
    pdf = letters.render(referral_letter(caseload, referral_id, override_reason=override_reason))
    result = _write(dest, pdf, password)
    if ref.status == "concept":
        caseload.referrals.mark_sent(
            referral_id,
            letter_sha256=result.sha256,
            feedback_due=feedback_due,
            override_reason=override_reason,
        )
    else:  # a copy of a letter sent before: audited as an export, status unchanged
        caseload.audit.log(
            "export",
            "referral",
            referral_id,
            client_id=ref.client_id,
            sha256=result.sha256,
            copy=True,
        )
    return result


def gp_consent(caseload: Caseload, client_id: int):
    return next(
        (
            c
            for c in caseload.consents.list(client_id)
            if c.active and c.partner_id is None and c.purpose == GP_PURPOSE
        ),
        None,
    )


def export_gp_feedback(
    caseload: Caseload,
    client_id: int,
    dest: Path,
    *,
    password: str | None = None,
    override_reason: str = "",
    fields: tuple[str, ...] = DEFAULT_FIELDS,
    next_steps: str = "",
) -> ExportResult:
    """Same consent rule as referrals: on record for the GP, or an audited override."""
    if gp_consent(caseload, client_id) is None and not override_reason.strip():
        raise ValidationError(
            {
                "consent": "Er is geen toestemming vastgelegd om de huisarts terug te "
                "koppelen. Leg die eerst vast, of geef een reden."
            }
        )
    pdf = letters.render(gp_feedback_letter(caseload, client_id, fields, next_steps))
    result = _write(dest, pdf, password)
    caseload.audit.log("export", "gp_feedback", None, client_id=client_id, sha256=result.sha256)
    if gp_consent(caseload, client_id) is None:
        caseload.audit.log("consent_override", "gp_feedback", None, client_id=client_id)
    return result
