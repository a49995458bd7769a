"""SQLAlchemy 2 models for every entity brugdesk stores.

Schema changes go through Alembic revisions in ``migrations/versions``;
these classes describe the *current* schema for the ORM.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dict[str, Any]: JSON, list[str]: JSON}  # noqa: RUF012


def row_version() -> Mapped[int]:
    """The ``version`` column of a record edited in a form (see revision 0003)."""
    return mapped_column(Integer, nullable=False, default=1, server_default=text("1"))


class VaultMeta(Base):
    """Facts about the vault itself, e.g. the vault id that must match the header."""

    __tablename__ = "vault_meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Client(Base):
    __tablename__ = "client"
    id: Mapped[int] = mapped_column(primary_key=True)
    given_name: Mapped[str] = mapped_column(Text)
    family_name: Mapped[str] = mapped_column(Text)
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    address: Mapped[str] = mapped_column(Text, default="")
    postal_code: Mapped[str] = mapped_column(String(16), default="")
    city: Mapped[str] = mapped_column(Text, default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(Text, default="")
    preferred_language: Mapped[str] = mapped_column(Text, default="")
    #: An entry of the referrer list (no database FK: see revision 0005).
    referrer_id: Mapped[int | None] = mapped_column(Integer, index=True)
    referred_on: Mapped[date | None] = mapped_column(Date)
    #: Help-question theme codes (resources/lists/themes).
    themes: Mapped[list[str]] = mapped_column(default=list, server_default="[]")
    reason: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="aangemeld", index=True)
    started_on: Mapped[date | None] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    closure_reason: Mapped[str] = mapped_column(Text, default="")
    #: The closure reason from the list; '' for a closure before revision 0005.
    closure_code: Mapped[str] = mapped_column(String(40), default="", server_default="")
    #: GP consultations reported for the 12 months before the referral and for
    #: ``gp_after_months`` months after it; ``gp_source`` says who reported them.
    gp_before: Mapped[int | None] = mapped_column(Integer)
    gp_after: Mapped[int | None] = mapped_column(Integer)
    gp_after_months: Mapped[int | None] = mapped_column(Integer)
    gp_source: Mapped[str] = mapped_column(String(20), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    version: Mapped[int] = row_version()
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    contacts: Mapped[list[Contact]] = relationship(
        back_populates="client", cascade="all, delete-orphan", passive_deletes=True
    )


class Contact(Base):
    __tablename__ = "contact"
    __table_args__ = (Index("ix_contact_client_when", "client_id", "occurred_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id", ondelete="CASCADE"))
    occurred_at: Mapped[datetime] = mapped_column(DateTime)
    kind: Mapped[str] = mapped_column(String(40))
    duration_min: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")
    domains: Mapped[list[str]] = mapped_column(default=list)
    #: Home-visit travel, optional.
    travel_minutes: Mapped[int | None] = mapped_column(Integer)
    travel_km: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    version: Mapped[int] = row_version()
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    client: Mapped[Client] = relationship(back_populates="contacts")


class Draft(Base):
    """Unsaved typing (a note, a form) kept so that a lock or crash never loses it."""

    __tablename__ = "draft"
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    client_id: Mapped[int | None] = mapped_column(
        ForeignKey("client.id", ondelete="CASCADE"), index=True
    )
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class Assessment(Base):
    __tablename__ = "assessment"
    __table_args__ = (
        Index("ix_assessment_instrument_client", "instrument_id", "client_id", "held_on"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id", ondelete="CASCADE"), index=True)
    instrument_id: Mapped[str] = mapped_column(String(80))
    instrument_version: Mapped[str] = mapped_column(String(20))
    held_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)

    items: Mapped[list[AssessmentItem]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="AssessmentItem.id"
    )


class AssessmentItem(Base):
    """One discussed domain (or scale item). Undiscussed domains have no row."""

    __tablename__ = "assessment_item"
    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessment.id", ondelete="CASCADE"), index=True
    )
    domain: Mapped[str] = mapped_column(String(80))
    score: Mapped[int | None] = mapped_column(Integer)
    signals: Mapped[list[str]] = mapped_column(default=list)
    wish: Mapped[str] = mapped_column(Text, default="")
    priority: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(Text, default="")


class Action(Base):
    __tablename__ = "action"
    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id", ondelete="CASCADE"), index=True)
    domain: Mapped[str] = mapped_column(String(80), default="")
    description: Mapped[str] = mapped_column(Text)
    who: Mapped[str] = mapped_column(Text, default="")
    due_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="open")
    done_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    version: Mapped[int] = row_version()
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class Partner(Base):
    """An organisation in the sociale kaart."""

    __tablename__ = "partner"
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation: Mapped[str] = mapped_column(Text)
    team: Mapped[str] = mapped_column(Text, default="")
    contact_person: Mapped[str] = mapped_column(Text, default="")
    domains: Mapped[list[str]] = mapped_column(default=list)
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(Text, default="")
    address: Mapped[str] = mapped_column(Text, default="")
    how_to_refer: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    verified_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    version: Mapped[int] = row_version()
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class Referrer(Base):
    """Who refers clients: a GP practice (with its secure channel), POH, wijkteam, ..."""

    __tablename__ = "referrer"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(20), default="huisarts", server_default="huisarts")
    address: Mapped[str] = mapped_column(Text, default="", server_default="")
    channel: Mapped[str] = mapped_column(String(40), default="", server_default="")
    agb_code: Mapped[str] = mapped_column(String(8), default="", server_default="")
    phone: Mapped[str] = mapped_column(String(40), default="", server_default="")
    notes: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    version: Mapped[int] = row_version()
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class Consent(Base):
    __tablename__ = "consent"
    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id", ondelete="CASCADE"), index=True)
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("partner.id", ondelete="SET NULL"))
    recipient: Mapped[str] = mapped_column(Text)
    purpose: Mapped[str] = mapped_column(Text)
    given_at: Mapped[datetime] = mapped_column(DateTime)
    how: Mapped[str] = mapped_column(String(20))
    recorded_by: Mapped[str] = mapped_column(Text, default="")
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime)


class Referral(Base):
    __tablename__ = "referral"
    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id", ondelete="CASCADE"), index=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partner.id", ondelete="RESTRICT"))
    reason: Mapped[str] = mapped_column(Text, default="")
    request: Mapped[str] = mapped_column(Text, default="")
    shared_fields: Mapped[list[str]] = mapped_column(default=list)
    shared_domains: Mapped[list[str]] = mapped_column(default=list)
    consent_id: Mapped[int | None] = mapped_column(ForeignKey("consent.id", ondelete="SET NULL"))
    consent_override_reason: Mapped[str] = mapped_column(Text, default="")
    letter_sha256: Mapped[str] = mapped_column(String(64), default="")
    status: Mapped[str] = mapped_column(String(20), default="concept")
    feedback_due: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    version: Mapped[int] = row_version()
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    events: Mapped[list[ReferralEvent]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="ReferralEvent.id"
    )


class ReferralEvent(Base):
    __tablename__ = "referral_event"
    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(
        ForeignKey("referral.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(DateTime)
    note: Mapped[str] = mapped_column(Text, default="")


class AuditEntry(Base):
    """Append-only (triggers refuse UPDATE and DELETE). No FK: entries outlive clients."""

    __tablename__ = "audit"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    action: Mapped[str] = mapped_column(String(20))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    client_id: Mapped[int | None] = mapped_column(Integer, index=True)
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Setting(Base):
    __tablename__ = "setting"
    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)


class MeldcodeEntry(Base):
    """One step of the meldcode huiselijk geweld en kindermishandeling (revision 0006).

    Facts and interpretations are two columns: the meldcode asks to keep them
    apart. Never indexed for search, never part of a letter or report.
    """

    __tablename__ = "meldcode_entry"
    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("client.id", ondelete="CASCADE"), index=True)
    step: Mapped[int] = mapped_column(Integer)
    held_on: Mapped[date] = mapped_column(Date)
    consulted: Mapped[str] = mapped_column(Text, default="", server_default="")
    facts: Mapped[str] = mapped_column(Text)
    interpretations: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    version: Mapped[int] = row_version()
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012
