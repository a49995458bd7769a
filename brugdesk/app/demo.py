"""A realistic, synthetic caseload for demos, screenshots and the benchmark.

Everything here is invented: names mix Dutch and migrant names with their
diacritics, notes are Dutch sentences built from fragments per life domain.
The same seed always gives the same caseload.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, insert

from brugdesk.domain import instruments, pick_lists
from brugdesk.domain.life_domains import DOMAINS
from brugdesk.domain.referral_rules import TRANSITIONS
from brugdesk.storage.models import (
    Action,
    Assessment,
    AssessmentItem,
    AuditEntry,
    Client,
    Consent,
    Contact,
    Partner,
    Referral,
    ReferralEvent,
    Referrer,
)
from brugdesk.storage.search_index import rebuild_search_index

GIVEN = [
    "Jan", "Annelies", "Kees", "Marieke", "Sanne", "Henk", "Fenna", "Joost", "Wilma",
    "Gerrit", "Ineke", "Bram", "Chloë", "Zoë", "Renée", "Anaïs", "José", "Şükrü", "Ayşe",
    "Fatma", "Mehmet", "Mohamed", "Fatima", "Khadija", "Youssef", "Łukasz", "Agnieszka",
    "Małgorzata", "Thị Minh", "Văn Hùng", "Priya", "Oksana", "Dmytro", "Gülşen", "Noëlle",
    "Jürgen", "Björn", "Siân", "Tomáš", "Ingrid",
]  # fmt: skip
FAMILY = [
    "de Vries", "Jansen", "van den Berg", "Bakker", "Visser", "Smit", "Meijer", "de Boer",
    "Mulder", "Yılmaz", "Kaya", "Öztürk", "El Amrani", "Bouzid", "Wójcik", "Kowalski",
    "Nguyễn", "Trần", "Kumar", "Shevchenko", "Hoekstra", "van Dijk", "Brouwer", "Çelik",
    "Doğan", "Dvořák", "Müller", "Ó Briain", "Ağaoğlu", "Rahmani",
]  # fmt: skip
STREETS = [
    "Dorpsstraat", "Kerkstraat", "Molenweg", "Lindelaan", "Schoolstraat", "Julianalaan",
    "Beukenlaan", "Havenkade", "Sluisweg", "Populierenstraat", "Vondelstraat",
]  # fmt: skip
CITIES = ["Zwolle", "Deventer", "Amersfoort", "Tilburg", "Enschede", "Leeuwarden", "Almere"]
PRACTICES = [
    "Huisartsenpraktijk De Linde", "Gezondheidscentrum Noord", "Huisartsen Molenhoek",
    "Praktijk Van Dam & El Idrissi", "Huisartsenpraktijk 't Veld",
]  # fmt: skip
#: The referrer list: the practices above, and one of every other kind.
REFERRERS = [
    *((p, "huisarts", c) for p, c in zip(
        PRACTICES, ["zorgdomein", "zorgmail", "siilo", "zorgdomein", "viplive"], strict=True
    )),
    ("POH-GGZ Gezondheidscentrum Noord", "poh", "zorgmail"),
    ("Wijkteam Centrum", "wijkteam", ""),
    ("Cliënt zelf", "zelf", ""),
]  # fmt: skip
REFERRER_WEIGHTS = [20, 18, 14, 12, 10, 10, 8, 8]
LANGUAGES = ["Nederlands", "Nederlands", "Nederlands", "Turks", "Arabisch", "Pools", "Engels"]

FRAGMENTS = {
    "financien": [
        "Er ligt een stapel ongeopende post; samen de aanmaningen gesorteerd.",
        "Huurachterstand van drie maanden, verhuurder dreigt met ontruiming.",
        "Energierekening is fors gestegen, moeite om rond te komen.",
        "Deurwaarder is langs geweest voor de zorgverzekering.",
        "Budgetplan besproken; cliënt wil leren zelf overzicht te houden.",
    ],
    "werk": [
        "Sinds de reorganisatie zonder werk en de dagen zijn leeg.",
        "Tijdelijk contract loopt af, veel onzekerheid over inkomen.",
        "Zou graag vrijwilligerswerk doen in de buurt, bijvoorbeeld bij de moestuin.",
    ],
    "wonen": [
        "Woning is vochtig en schimmelig; klachten aan de luchtwegen.",
        "Trap wordt een probleem, wil graag gelijkvloers wonen.",
    ],
    "netwerk": [
        "Voelt zich eenzaam sinds het overlijden van de partner.",
        "Weinig contacten, mist iemand om op terug te vallen.",
        "Buurvrouw komt af en toe langs voor koffie; dat doet goed.",
        "Wil graag mee met de wandelgroep op dinsdagochtend.",
    ],
    "gezin": [
        "Spanningen thuis met de volwassen zoon die weer inwoont.",
        "Contact met de dochter is verbroken; cliënt vindt dat verdrietig.",
    ],
    "lichaam": [
        "Rugpijn blijft terugkomen; huisarts vermoedt dat stress meespeelt.",
        "Slaapt slecht en is overdag moe.",
    ],
    "psyche": [
        "Piekert veel 's nachts, vooral over geld.",
        "Somber, maar ziet lichtpuntjes als de kleinkinderen komen.",
    ],
    "zingeving": ["Zoekt naar iets zinvols om de week mee te vullen."],
    "middelen": ["Drinkt 's avonds meer dan vroeger, wil daar zelf iets aan doen."],
    "zelfzorg": ["Huishouden loopt achter; boodschappen doen kost veel energie."],
    "administratie": [
        "Begrijpt de brieven van de Belastingdienst niet goed.",
        "DigiD werkt niet meer; samen naar het Digicafé in de bibliotheek.",
        "Taalvaardigheid is beperkt, dochter vertaalt meestal.",
    ],
    "veiligheid": ["Voelt zich niet veilig in de portiek na een inbraak."],
    "mantelzorg": ["Zorgt dagelijks voor de zieke partner en is overbelast."],
}
OPENERS = [
    "Huisbezoek afgelegd.",
    "Telefonisch contact gehad.",
    "Gesprek op het spreekuur in de praktijk.",
    "Overleg met de partnerorganisatie.",
    "Korte check-in.",
]
FOLLOW_UPS = [
    "Afgesproken over twee weken terug te komen.",
    "Cliënt neemt zelf contact op met de schuldhulpverlening.",
    "Ik bel volgende week na hoe het gaat.",
    "Samen een lijstje gemaakt van wat er eerst moet gebeuren.",
    "Cliënt was opgelucht dat er iemand meedenkt.",
]
KINDS = ["huisbezoek", "telefonisch", "spreekuur", "overleg met partner"]

PARTNERS = [
    ("Schuldhulpverlening gemeente", "Team Geldzaken", ["financien", "administratie"]),
    ("Humanitas", "Thuisadministratie", ["financien", "administratie"]),
    ("Wijkteam", "Noord", ["gezin", "wonen", "zelfzorg"]),
    ("Welzijn in de Wijk", "Buurtcirkel", ["netwerk", "zingeving"]),
    ("Vrijwilligerscentrale", "", ["werk", "zingeving"]),
    ("Bibliotheek", "Taalhuis en Digicafé", ["administratie"]),
    ("GGZ", "Wijk-GGZ", ["psyche", "middelen"]),
    ("Het Juridisch Loket", "", ["veiligheid", "financien"]),
    ("Steunpunt Mantelzorg", "", ["mantelzorg"]),
    ("Voedselbank", "", ["financien"]),
    ("Sportloket", "Beweegcoach", ["lichaam", "netwerk"]),
    ("Woningcorporatie", "Sociaal beheer", ["wonen"]),
]  # fmt: skip


@dataclass
class DemoData:
    """Rows for every table, as dicts ready for bulk insert."""

    tables: dict[Any, list[dict[str, Any]]] = field(default_factory=dict)

    def rows(self, model: Any) -> list[dict[str, Any]]:
        return self.tables.setdefault(model, [])


def _gp_contacts(facts: random.Random) -> dict[str, Any]:
    """GP consultations as a practice reports them: before, and for some 6 months after."""
    if facts.random() >= 0.4:
        return {"gp_before": None, "gp_after": None, "gp_after_months": None, "gp_source": ""}
    before = facts.randint(2, 14)
    after = max(0, before // 2 - facts.randint(-2, 3)) if facts.random() < 0.6 else None
    return {
        "gp_before": before,
        "gp_after": after,
        "gp_after_months": 6 if after is not None else None,
        "gp_source": "praktijk",
    }


def _travel(facts: random.Random, kind: str) -> dict[str, Any]:
    """Travel on a home visit; every row has the keys (one bulk insert statement)."""
    if kind != "huisbezoek":
        return {"travel_minutes": None, "travel_km": None}
    km = round(facts.uniform(1.0, 18.0), 1)
    return {"travel_minutes": int(km * 2.5) + 5, "travel_km": km}


def _first_contact_soon(
    rows: list[dict[str, Any]], started: date, now: datetime, facts: random.Random
) -> None:
    """Most first contacts come within two weeks of the registration, as in practice."""
    if not rows:
        return
    first = min(rows, key=lambda r: r["occurred_at"])
    soon = datetime.combine(started, datetime.min.time()) + timedelta(
        days=facts.choice([2, 4, 6, 8, 10, 13, 18, 25]), hours=facts.randint(9, 16)
    )
    if soon < now and soon < first["occurred_at"]:
        first["occurred_at"] = first["created_at"] = first["updated_at"] = soon


def _postcode(rng: random.Random) -> str:
    letters = "ABCDEGHJKLMNPRSTVWXZ"
    return f"{rng.randint(1000, 9999)} {rng.choice(letters)}{rng.choice(letters)}"


def _note(rng: random.Random, domains: list[str]) -> str:
    parts = [rng.choice(OPENERS)]
    for d in domains:
        parts.append(rng.choice(FRAGMENTS[d]))
    parts.append(rng.choice(FOLLOW_UPS))
    return " ".join(parts)


def generate(
    clients: int = 40,
    notes_per_client: int = 8,
    *,
    seed: int = 1,
    today: date | None = None,
    dossier_notes: int | None = None,
) -> DemoData:
    """Build the rows; ids are assigned here so related rows can point at each other.

    ``dossier_notes`` gives client 1 exactly that many notes (the benchmark's
    "dossier with 200 notes"); the total stays ``clients * notes_per_client``.
    """
    rng = random.Random(seed)
    # The wellbeing measurements draw from their own stream, so the rest of the
    # caseload is the same as before they were added.
    wellbeing = random.Random(seed * 1_000_003 + 5)
    who5 = _Who5()
    today = today or date.today()
    now = datetime.combine(today, datetime.min.time()).replace(hour=17)
    data = DemoData()
    for pid, (org, team, domains) in enumerate(PARTNERS, start=1):
        data.rows(Partner).append(
            dict(
                id=pid, organisation=org, team=team, domains=domains,
                contact_person=f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}",
                phone=f"0{rng.randint(10, 99)}-{rng.randint(1000000, 9999999)}",
                email=f"verwijzen@{org.split()[0].lower().strip(',')}.example.nl",
                address=f"{rng.choice(STREETS)} {rng.randint(1, 200)}, {rng.choice(CITIES)}",
                how_to_refer="Bel eerst even, stuur daarna de verwijsbrief per beveiligde mail.",
                notes="", verified_on=today - timedelta(days=rng.randint(10, 500)),
                created_at=now,
            )
        )  # fmt: skip
    # Results facts come from their own generator, so the rest of the demo stays as it was.
    facts = random.Random(seed + 7)
    for rid, (name, kind, channel) in enumerate(REFERRERS, start=1):
        data.rows(Referrer).append(
            dict(
                id=rid, name=name, kind=kind, channel=channel,
                agb_code=f"01{facts.randint(100000, 999999)}" if kind == "huisarts" else "",
                address=f"{facts.choice(STREETS)} {facts.randint(1, 200)}, {facts.choice(CITIES)}"
                if kind == "huisarts" else "",
                created_at=now,
            )
        )  # fmt: skip
    theme_ids = [t.id for t in pick_lists.themes()]
    closure_ids = [r.id for r in pick_lists.closure_reasons()]
    total_notes = clients * notes_per_client
    per_client = [notes_per_client] * clients
    if dossier_notes is not None and clients:
        per_client[0] = min(dossier_notes, total_notes)
        rest = total_notes - per_client[0]
        for i in range(1, clients):
            per_client[i] = rest // (clients - 1) + (1 if i - 1 < rest % (clients - 1) else 0)
    contact_id = action_id = assessment_id = referral_id = consent_id = 0
    for cid in range(1, clients + 1):
        status = rng.choices(["actief", "aangemeld", "afgesloten"], [70, 15, 15])[0]
        started = today - timedelta(days=rng.randint(20, 700))
        born = date(rng.randint(1935, 2004), rng.randint(1, 12), rng.randint(1, 28))
        focus = rng.sample(list(DOMAINS), k=rng.randint(1, 3))
        data.rows(Client).append(
            dict(
                id=cid, given_name=rng.choice(GIVEN), family_name=rng.choice(FAMILY),
                date_of_birth=born,
                address=f"{rng.choice(STREETS)} {rng.randint(1, 250)}",
                postal_code=_postcode(rng), city=rng.choice(CITIES),
                phone=f"06-{rng.randint(10000000, 99999999)}", email="",
                preferred_language=rng.choice(LANGUAGES),
                referrer_id=facts.choices(range(1, len(REFERRERS) + 1), REFERRER_WEIGHTS)[0],
                referred_on=started - timedelta(days=facts.randint(0, 30)),
                themes=facts.sample(theme_ids, k=facts.randint(1, 3)),
                **_gp_contacts(facts),
                reason=_note(rng, focus[:1]).split(". ", 1)[-1],
                status=status, started_on=started,
                closed_on=today - timedelta(days=rng.randint(1, 15))
                if status == "afgesloten" else None,
                closure_reason="Doelen bereikt, cliënt redt zich weer."
                if status == "afgesloten" else "",
                closure_code=facts.choice(closure_ids[:-1]) if status == "afgesloten" else "",
                created_at=now, updated_at=now,
            )
        )  # fmt: skip
        span = max((today - started).days, 1)
        own = len(data.rows(Contact))
        for _ in range(per_client[cid - 1]):
            contact_id += 1
            domains = rng.sample(focus, k=rng.randint(1, len(focus)))
            when = now - timedelta(days=rng.randint(0, span), minutes=rng.randint(0, 600))
            kind = rng.choice(KINDS)
            data.rows(Contact).append(
                dict(
                    id=contact_id, client_id=cid, occurred_at=when, kind=kind,
                    duration_min=rng.choice([15, 30, 45, 60, 90]), note=_note(rng, domains),
                    domains=domains, created_at=when, updated_at=when, **_travel(facts, kind),
                )
            )  # fmt: skip
        _first_contact_soon(data.rows(Contact)[own:], started, now, facts)
        for d in focus[: rng.randint(0, len(focus))]:
            action_id += 1
            data.rows(Action).append(
                dict(
                    id=action_id, client_id=cid, domain=d,
                    description=f"Vervolgstap {DOMAINS[d].lower()} bespreken",
                    who=rng.choice(["cliënt", "welzijnscoach", "partner"]),
                    due_on=today + timedelta(days=rng.randint(-10, 30)),
                    status=rng.choice(["open", "open", "bezig", "gedaan"]),
                    done_on=None, created_at=now,
                )
            )  # fmt: skip
        if rng.random() < 0.35:
            for round_ in range(rng.randint(1, 2)):
                assessment_id += 1
                data.rows(Assessment).append(
                    dict(
                        id=assessment_id, client_id=cid, instrument_id="leefgebieden",
                        instrument_version="1",
                        held_on=started + timedelta(days=round_ * 90 + 7), note="",
                        created_at=now,
                    )
                )  # fmt: skip
                for d in focus:
                    data.rows(AssessmentItem).append(
                        dict(
                            assessment_id=assessment_id, domain=d,
                            score=min(5, rng.randint(1, 3) + round_),
                            signals=[], wish="", priority=d == focus[0], note="",
                        )
                    )  # fmt: skip
        if status != "aangemeld" and wellbeing.random() < 0.45:
            for held, points in _who5_rounds(wellbeing, started, today):
                assessment_id += 1
                data.rows(Assessment).append(
                    dict(
                        id=assessment_id, client_id=cid, instrument_id=who5.id,
                        instrument_version=who5.version, held_on=held, note="",
                        created_at=now,
                    )
                )  # fmt: skip
                for item, p in zip(who5.items, points, strict=True):
                    data.rows(AssessmentItem).append(
                        dict(
                            assessment_id=assessment_id, domain=item, score=who5.position[p],
                            signals=[], wish="", priority=False, note="",
                        )
                    )  # fmt: skip
        if rng.random() < 0.5:
            partner = rng.choice(
                [p for p in data.rows(Partner) if set(p["domains"]) & set(focus)]
                or data.rows(Partner)
            )
            consent_id += 1
            referral_id += 1
            created = now - timedelta(days=rng.randint(1, 60))
            data.rows(Consent).append(
                dict(
                    id=consent_id, client_id=cid, partner_id=partner["id"],
                    recipient=partner["organisation"], purpose="verwijzing", how="mondeling",
                    given_at=created, recorded_by="demo", withdrawn_at=None,
                )
            )  # fmt: skip
            path = ["concept"]
            for _ in range(rng.randint(0, 4)):
                options = TRANSITIONS[path[-1]]
                if not options:
                    break
                path.append(rng.choice(options))
            data.rows(Referral).append(
                dict(
                    id=referral_id, client_id=cid, partner_id=partner["id"],
                    reason="Zie hulpvraag.", request="Graag een intakegesprek.",
                    shared_fields=["naam", "geboortedatum"], shared_domains=focus,
                    consent_id=consent_id, consent_override_reason="", letter_sha256="",
                    status=path[-1],
                    feedback_due=(created + timedelta(days=14)).date()
                    if len(path) > 1 else None,
                    created_at=created,
                )
            )  # fmt: skip
            # Partners answer after a few days to a few weeks (own generator, see above).
            gaps = [0] + [facts.choice([1, 2, 3, 5, 8, 13, 21]) for _ in path[1:]]
            for step, status_ in enumerate(path):
                data.rows(ReferralEvent).append(
                    dict(
                        referral_id=referral_id, status=status_,
                        at=min(created + timedelta(days=sum(gaps[: step + 1])), now),
                        note="Geen plek binnen vier weken." if status_ == "afgewezen" else "",
                    )
                )  # fmt: skip
    return data


class _Who5:
    """The WHO-5 as the demo stores it: item ids, and answer position per points (5 … 0)."""

    def __init__(self) -> None:
        inst = instruments.get("welbevinden-who5")
        self.id, self.version = inst.id, inst.version
        self.items = [it.id for it in inst.items]
        first = inst.items[0].points
        self.position = {first[a.id]: i for i, a in enumerate(inst.answers)}


def _who5_rounds(rng: random.Random, started: date, today: date) -> list[tuple[date, list[int]]]:
    """A first WHO-5 a week after the start; for a bit more than half of those whose
    start is long enough ago, a second one 12–16 weeks later, mostly a little better.
    Points per item (0–5)."""
    first_on = started + timedelta(days=7)
    first = [rng.choice([1, 2, 2, 3, 3, 4]) for _ in range(5)]
    rounds = [(first_on, first)]
    again_on = first_on + timedelta(weeks=rng.randint(12, 16))
    if again_on <= today and rng.random() < 0.6:
        rounds.append((again_on, [min(5, max(0, p + rng.choice([-1, 0, 1, 1, 2]))) for p in first]))
    return rounds


INSERT_ORDER = [
    Partner, Referrer, Client, Contact, Action, Assessment, AssessmentItem, Consent, Referral,
    ReferralEvent,
]  # fmt: skip


def insert_rows(
    conn: Connection,
    data: DemoData,
    progress: Callable[[int, int], None] | None = None,
    chunk: int = 5000,
) -> None:
    """Bulk-insert *data* on an open transaction (no audit row: the caller writes it)."""
    total = sum(len(data.rows(m)) for m in INSERT_ORDER)
    done = 0
    for model in INSERT_ORDER:
        rows = data.rows(model)
        for start in range(0, len(rows), chunk):
            part = rows[start : start + chunk]
            conn.execute(insert(model), part)
            done += len(part)
            if progress:
                progress(done, total)
    rebuild_search_index(conn)


def write(
    conn: Connection,
    data: DemoData,
    progress: Callable[[int, int], None] | None = None,
    chunk: int = 5000,
) -> None:
    """Bulk-insert *data* with one audit entry, on a bare connection (tools/ benchmarks).

    The app and the CLI use :func:`brugdesk.app.vault_jobs.fill_with_demo` instead.
    """
    insert_rows(conn, data, progress, chunk)
    conn.execute(
        insert(AuditEntry),
        [
            dict(
                at=datetime.now(), action="import", entity="demo", entity_id=None,
                client_id=None, details={"clients": len(data.rows(Client))},
            )
        ],
    )  # fmt: skip
