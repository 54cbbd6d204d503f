"""SQLAlchemy 2 models. Every schema change goes through an Alembic migration."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
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
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


# Timestamps are stored as naive UTC everywhere (SQLite has no time zones); see storage.clock.
# Paths compare byte by byte ("C" collation on PostgreSQL, whatever the database's default), so
# that a subtree is the index range `path >= "/1/5/" AND path < "/1/50"` (storage.reports).
PATH_TYPE = String(1024).with_variant(String(1024, collation="C"), "postgresql")


class OrgUnit(Base):
    """A unit of the party organisation tree. `path` is the materialised path of ids
    ("/1/5/23/"), so a subtree is one indexed range query on SQLite and PostgreSQL alike.
    `name_key` is domain.text.fold(name), for finding a unit by part of its name typed
    without diacritics."""

    __tablename__ = "org_units"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"), index=True)
    name: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(16))  # province | district | grassroots | cell
    members: Mapped[int] = mapped_column(Integer, default=0)
    path: Mapped[str] = mapped_column(PATH_TYPE, index=True)
    depth: Mapped[int] = mapped_column(Integer, default=0)
    name_key: Mapped[str] = mapped_column(String(255), default="", server_default="")

    parent: Mapped[OrgUnit | None] = relationship(remote_side=[id])


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))  # secretary | staff | admin
    org_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    # The app ("telegram" | "zalo") reminders and broadcasts go to when the user has linked
    # both (/lienket); None: whichever identity is not blocked (usecases.linking).
    preferred_channel: Mapped[str | None] = mapped_column(String(16))

    org: Mapped[OrgUnit] = relationship(lazy="joined")
    identities: Mapped[list[ChatIdentity]] = relationship(back_populates="user")


class ChatIdentity(Base):
    """One chat account (a Telegram or Zalo user, or a console name) linked to a user."""

    __tablename__ = "chat_identities"
    __table_args__ = (UniqueConstraint("channel", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(64))
    # The private chat to send scheduled messages to (equals external_id on Telegram/Zalo).
    chat_id: Mapped[str] = mapped_column(String(64))
    blocked: Mapped[bool] = mapped_column(Boolean, default=False)
    linked_at: Mapped[datetime] = mapped_column(DateTime)

    user: Mapped[User] = relationship(back_populates="identities")


class Invite(Base):
    __tablename__ = "invites"

    id: Mapped[int] = mapped_column(primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    max_uses: Mapped[int] = mapped_column(Integer, default=1)
    used: Mapped[int] = mapped_column(Integer, default=0)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime)


class FailedCodeAttempt(Base):
    """A wrong invite code typed by a chat account; used for the brute-force limit."""

    __tablename__ = "failed_code_attempts"
    __table_args__ = (Index("ix_failed_code_attempts_who", "channel", "external_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(DateTime)


class LinkCode(Base):
    """A one-time code (/lienket) that links another chat account to the same user: stored
    hashed, valid 10 minutes, used once."""

    __tablename__ = "link_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    channel: Mapped[str] = mapped_column(String(16))  # where it was asked for
    created_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    used_at: Mapped[datetime | None] = mapped_column(DateTime)


class SharedFile(Base):
    """A file reachable by a signed, expiring link (bot/files.py): what Zalo shows instead of an
    upload. Kept in the database, so a link works after a restart and on any worker; `id` is
    the SHA-256 of the name and content (sending the same file again reuses the row)."""

    __tablename__ = "shared_files"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    filename: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(16))  # document | photo
    content: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime] = mapped_column(DateTime, index=True)


class DialogState(Base):
    __tablename__ = "dialog_states"
    __table_args__ = (UniqueConstraint("channel", "chat_id", "user_external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    chat_id: Mapped[str] = mapped_column(String(64))
    user_external_id: Mapped[str] = mapped_column(String(64))
    flow: Mapped[str] = mapped_column(String(32))
    step: Mapped[str] = mapped_column(String(32))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class InboxUpdate(Base):
    """A platform update, stored before the platform is told it was received (the durable
    inbox). `handled_at` is set in the transaction that handles it, together with the changes
    it made and the outbox rows of its replies; unhandled rows are handled on start. The unique
    (channel, update_id) refuses a redelivered update, so it is handled once."""

    __tablename__ = "inbox"
    __table_args__ = (
        UniqueConstraint("channel", "update_id"),
        Index("ix_inbox_chat_pending", "channel", "chat_id", "handled_at", "id"),
        Index("ix_inbox_pending", "handled_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    update_id: Mapped[str] = mapped_column(String(64))
    chat_id: Mapped[str] = mapped_column(String(64))
    # The Incoming fields (handlers.types.Incoming) plus what the adapter needs to finish the
    # update (e.g. a Telegram callback query id to answer).
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    received_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    handled_at: Mapped[datetime | None] = mapped_column(DateTime)


class OutboxMessage(Base):
    """One message to send: a reply, a reminder or a broadcast. Written in the transaction of
    the change that caused it; the sender delivers it and records the outcome. `dedup_key`
    (unique when set) makes level-triggered jobs enqueue a message once however often they run."""

    __tablename__ = "outbox"
    __table_args__ = (
        UniqueConstraint("dedup_key"),
        Index("ix_outbox_due", "status", "send_after", "id"),
        Index("ix_outbox_chat", "channel", "chat_id", "status", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    chat_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(32), default="reply")  # reply | reminder | broadcast | …
    # The Reply: {"text": …, "choices": [[label, value, url], …], "file": {"filename", "kind"}}
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    file_content: Mapped[bytes | None] = mapped_column(LargeBinary)
    dedup_key: Mapped[str | None] = mapped_column(String(255))
    # pending | sent | failed | blocked
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)  # delivery rounds made
    parts_sent: Mapped[int] = mapped_column(Integer, default=0)  # platform messages of it already sent
    send_after: Mapped[datetime] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime)
    error: Mapped[str | None] = mapped_column(String(255))  # the last failure, never a token
    inbox_id: Mapped[int | None] = mapped_column(Integer)  # the update it answers
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    org_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id", ondelete="SET NULL"))


class AuditLog(Base):
    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_user_at", "user_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor: Mapped[str] = mapped_column(String(128))  # "user:12", "cli", "system"
    action: Mapped[str] = mapped_column(String(64))
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[str | None] = mapped_column(String(64))
    org_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id"))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    undone: Mapped[bool] = mapped_column(Boolean, default=False)


class Source(Base):
    """A person in the development pipeline (quần chúng ưu tú) of one cell."""

    __tablename__ = "sources"
    __table_args__ = (
        Index("ix_sources_org_stage", "org_id", "stage"),
        # the reports' time-dependent figures: probation deadlines and the projection's window
        Index("ix_sources_stage_deadline", "stage", "recognition_deadline", "org_id"),
        Index("ix_sources_stage_awareness", "stage", "awareness_date", "org_id"),
        # The same person (cell, folded name, birth date) is in the pool at most once, whatever
        # the concurrency: a second insert fails in the database, not only in a check.
        Index(
            "uq_sources_active_person", "org_id", "name_key", "birth_date", unique=True,
            sqlite_where=text("stage != 'removed'"), postgresql_where=text("stage != 'removed'"),
        ),
        # A person's code ("N" + id) is never given twice, even after an undo deleted the row:
        # SQLite's AUTOINCREMENT (PostgreSQL's sequence never reuses a value).
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"))
    full_name: Mapped[str] = mapped_column(String(255))
    name_key: Mapped[str] = mapped_column(String(255), index=True)  # domain.text.fold(full_name)
    birth_date: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    # source | awareness | probationary | full | removed
    stage: Mapped[str] = mapped_column(String(16), default="source")
    awareness_date: Mapped[date | None] = mapped_column(Date)
    certificate_no: Mapped[str | None] = mapped_column(String(64))
    admission_date: Mapped[date | None] = mapped_column(Date, index=True)
    decision_no: Mapped[str | None] = mapped_column(String(64))
    # Over 60 on the admission day: the decision that allowed it and the committee that made it.
    over60_decision_no: Mapped[str | None] = mapped_column(String(64))
    over60_authority: Mapped[str | None] = mapped_column(String(255))
    recognition_deadline: Mapped[date | None] = mapped_column(Date)
    recognition_date: Mapped[date | None] = mapped_column(Date)
    recognition_decision_no: Mapped[str | None] = mapped_column(String(64))
    removed_reason: Mapped[str | None] = mapped_column(Text)
    removed_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime)

    categories: Mapped[list[SourceCategory]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="SourceCategory.category"
    )

    @property
    def code(self) -> str:
        return f"N{self.id}"


class SourceCategory(Base):
    __tablename__ = "source_categories"

    source_id: Mapped[int] = mapped_column(
        ForeignKey("sources.id", ondelete="CASCADE"), primary_key=True
    )
    category: Mapped[str] = mapped_column(String(32), primary_key=True, index=True)


class QuarterlyEvaluation(Base):
    __tablename__ = "evaluations"
    __table_args__ = (UniqueConstraint("source_id", "year", "quarter"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    quarter: Mapped[int] = mapped_column(Integer)
    level: Mapped[str] = mapped_column(String(16))  # tot | kha | trung_binh | chua_dat
    comment: Mapped[str] = mapped_column(Text, default="")
    evaluated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    evaluated_at: Mapped[datetime] = mapped_column(DateTime)


class ReportCount(Base):
    """Precomputed report figures (storage.rollups): the count `n` of `name` (for `year` and
    `quarter` where the figure has them, else 0) over the whole subtree of `org_id`, kept in
    the same transaction as every change to people, evaluations and the tree."""

    __tablename__ = "report_counts"

    org_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), primary_key=True)
    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    quarter: Mapped[int] = mapped_column(Integer, primary_key=True)
    n: Mapped[int] = mapped_column(Integer)


class AdmissionTarget(Base):
    __tablename__ = "admission_targets"

    org_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    target: Mapped[int] = mapped_column(Integer)


# --- training classes and broadcasts (scheduler capability) -----------------------------------
class TrainingClass(Base):
    """A training class (lớp bồi dưỡng): `kind` awareness (nhận thức về Đảng) or new_member
    (đảng viên mới), at `starts_at` (naive UTC), at `place` (an address or an online link), for
    the secretaries of the subtree of `org_id`. When people are listed (ClassInvitee), only the
    cells of those people are addressed."""

    __tablename__ = "training_classes"
    __table_args__ = (Index("ix_training_classes_starts_at", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # awareness | new_member
    title: Mapped[str] = mapped_column(String(255))
    starts_at: Mapped[datetime] = mapped_column(DateTime)
    place: Mapped[str] = mapped_column(String(500))
    org_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"), index=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime)

    org: Mapped[OrgUnit] = relationship(lazy="joined")


class ClassInvitee(Base):
    """A person the class is meant for (optional list)."""

    __tablename__ = "class_invitees"

    class_id: Mapped[int] = mapped_column(ForeignKey("training_classes.id", ondelete="CASCADE"), primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"), primary_key=True)


class ClassAttendance(Base):
    """A person who attended the class, as recorded by the cell's secretary."""

    __tablename__ = "class_attendance"

    class_id: Mapped[int] = mapped_column(ForeignKey("training_classes.id", ondelete="CASCADE"), primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"), primary_key=True,
                                           index=True)
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime)


class Broadcast(Base):
    """A message from staff (or the CLI) to the secretaries of a subtree. Its outbox rows carry
    the dedup key `bc:{id}:{user_id}`; the delivery report is computed from their outcomes plus
    the recipients counted at the start as not linked or blocked."""

    __tablename__ = "broadcasts"

    id: Mapped[int] = mapped_column(primary_key=True)
    sender_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("org_units.id"))
    audience: Mapped[str] = mapped_column(String(16))  # subtree | late | unit
    text: Mapped[str] = mapped_column(Text)
    recipients: Mapped[int] = mapped_column(Integer, default=0)  # secretaries addressed
    not_linked: Mapped[int] = mapped_column(Integer, default=0)
    blocked: Mapped[int] = mapped_column(Integer, default=0)  # blocked when it was queued
    created_at: Mapped[datetime] = mapped_column(DateTime)
    reported_at: Mapped[datetime | None] = mapped_column(DateTime)  # the report was queued

    org: Mapped[OrgUnit] = relationship(lazy="joined")
