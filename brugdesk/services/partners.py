"""The sociale kaart: partner organisations to refer clients to."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from brugdesk.domain import scorecard
from brugdesk.domain.partner_rules import clean_partner
from brugdesk.domain.records import PartnerRecord, PartnerScore, from_orm
from brugdesk.errors import InvalidTransition
from brugdesk.services.audit import record
from brugdesk.services.base import Service, apply_changes, check_version, get_or_404
from brugdesk.storage.models import Partner, Referral, ReferralEvent


class PartnerService(Service):
    def add(self, **fields: Any) -> int:
        data = clean_partner(fields)
        with self._tx() as s:
            partner = Partner(**data, created_at=datetime.now())
            s.add(partner)
            s.flush()
            record(s, "create", "partner", partner.id)
            return partner.id

    def get(self, partner_id: int) -> PartnerRecord:
        with self._tx() as s:
            return from_orm(PartnerRecord, get_or_404(s, Partner, partner_id, "Deze partner"))

    def update(
        self, partner_id: int, *, expected_version: int | None = None, **fields: Any
    ) -> PartnerRecord:
        """Change a partner; with *expected_version*, refuse (StaleRecord) if it changed since."""
        data = clean_partner(fields, partial=True)
        with self._tx() as s:
            partner = get_or_404(s, Partner, partner_id, "Deze partner")
            check_version(partner, expected_version)
            changed = apply_changes(partner, data)
            if changed:
                record(s, "change", "partner", partner.id, fields=changed)
            s.flush()  # the returned record carries the raised version
            return from_orm(PartnerRecord, partner)

    def delete(self, partner_id: int) -> None:
        with self._tx() as s:
            partner = get_or_404(s, Partner, partner_id, "Deze partner")
            used = s.scalar(
                select(func.count(Referral.id)).where(Referral.partner_id == partner_id)
            )
            if used:
                raise InvalidTransition(
                    f"{partner.organisation} heeft {used} verwijzing(en) in dossiers en blijft "
                    "daarom in de sociale kaart. Pas zo nodig de gegevens aan."
                )
            s.delete(partner)
            record(s, "delete", "partner", partner_id)

    def fetch(self, *, query: str = "", domain: str = "") -> list[PartnerRecord]:
        """Partners by name (organisation, team, contact) and/or a domain they serve."""
        needle = query.strip().casefold()
        with self._tx() as s:
            partners = s.scalars(select(Partner).order_by(Partner.organisation, Partner.team))
            out = []
            for p in partners:
                hay = f"{p.organisation} {p.team} {p.contact_person}".casefold()
                if needle and needle not in hay:
                    continue
                if domain and domain not in (p.domains or []):
                    continue
                out.append(from_orm(PartnerRecord, p))
            return out

    def scorecard(self) -> dict[int, PartnerScore]:
        """How referrals went, per partner id (partners without referrals are absent).

        One query over all referral events. Definitions, per partner:

        - sent: referrals that reached "verstuurd";
        - accepted share: of the sent referrals that got an answer ("geaccepteerd"
          or "afgewezen"), the share accepted;
        - days to response: calendar days from the first "verstuurd" event to the
          first "geaccepteerd"/"afgewezen" event, as a median;
        - completed share: of the accepted referrals, the share that reached "afgerond".

        A correction event ("Correctie: …") undoes the steps it corrects. Each
        share and the median is None when there is nothing to compute it from.
        """
        histories: dict[int, dict[int, list[scorecard.Event]]] = {}
        with self._tx() as s:
            rows = s.execute(
                select(
                    Referral.partner_id,
                    ReferralEvent.referral_id,
                    ReferralEvent.status,
                    ReferralEvent.at,
                    ReferralEvent.note,
                )
                .join(Referral, Referral.id == ReferralEvent.referral_id)
                .order_by(ReferralEvent.referral_id, ReferralEvent.id)
            )
            for partner_id, referral_id, status, at, note in rows:
                referrals = histories.setdefault(partner_id, {})
                referrals.setdefault(referral_id, []).append((status, at, note or ""))
        return {
            partner_id: scorecard.score(referrals.values())
            for partner_id, referrals in histories.items()
        }
