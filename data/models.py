"""The domain in tables: plan, projects and money, meetings and tasks, people, users and history."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    Time,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# Alembic on SQLite rebuilds tables in batch mode and needs every constraint to have a stable name.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

PROJECT_STATUSES = ("planerad", "pågår", "avslutad", "pausad")
ACTIVITY_STATUSES = ("planerad", "pågår", "klar", "struken")
TASK_STATUSES = ("öppen", "pågår", "klar", "struken")
OPEN_TASK_STATUSES = ("öppen", "pågår")
FUNDER_KINDS = ("kommunerna", "EU", "stat", "region/landsting", "universitet", "privat", "övrigt")
PERIODS = ("år", "totalt")
MEETING_KINDS = ("kommunchefsmöte", "regionråd", "annat")
PARTY_KINDS = ("person", "grupp")
PARTICIPANT_ROLES = ("beslutande", "deltagare", "sekreterare", "organisatör", "föredragande", "frånvarande")
ROLES = ("läsare", "redigerare", "admin")


def _in(column: str, values: tuple[str, ...]) -> str:
    quoted = ", ".join("'" + v.replace("'", "''") + "'" for v in values)
    return f"{column} IN ({quoted})"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dict[str, Any]: JSON, list[str]: JSON}


class TimestampMixin:
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )


class Municipality(Base):
    __tablename__ = "municipality"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    official_name: Mapped[str] = mapped_column(String(100), unique=True)
    aliases: Mapped[list[str]] = mapped_column(default=list)


project_municipality = Table(
    "project_municipality",
    Base.metadata,
    Column("project_id", ForeignKey("project.id", ondelete="CASCADE"), primary_key=True),
    Column("municipality_id", ForeignKey("municipality.id", ondelete="RESTRICT"), primary_key=True, index=True),
)

task_owner = Table(
    "task_owner",
    Base.metadata,
    Column("task_id", ForeignKey("task.id", ondelete="CASCADE"), primary_key=True),
    Column("party_id", ForeignKey("party.id", ondelete="RESTRICT"), primary_key=True, index=True),
)


class Plan(TimestampMixin, Base):
    __tablename__ = "plan"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(unique=True)
    title: Mapped[str] = mapped_column(String(200))
    adopted_on: Mapped[dt.date | None] = mapped_column(Date)
    adopted_by: Mapped[str | None] = mapped_column(String(200))

    focus_areas: Mapped[list[FocusArea]] = relationship(
        back_populates="plan", order_by="FocusArea.position", cascade="all, delete-orphan"
    )


class FocusArea(TimestampMixin, Base):
    __tablename__ = "focus_area"
    __table_args__ = (UniqueConstraint("plan_id", "name", name="plan_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(default=0)

    plan: Mapped[Plan] = relationship(back_populates="focus_areas")
    activities: Mapped[list[Activity]] = relationship(
        back_populates="focus_area", order_by="Activity.position", cascade="all, delete-orphan"
    )
    projects: Mapped[list[Project]] = relationship(back_populates="focus_area")


class Activity(TimestampMixin, Base):
    __tablename__ = "activity"
    __table_args__ = (
        UniqueConstraint("focus_area_id", "title", name="focus_area_title"),
        CheckConstraint(_in("status", ACTIVITY_STATUSES), name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    focus_area_id: Mapped[int] = mapped_column(ForeignKey("focus_area.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    responsible: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20), default="planerad", index=True)
    due_text: Mapped[str | None] = mapped_column(String(200))
    due_date: Mapped[dt.date | None] = mapped_column(Date)
    position: Mapped[int] = mapped_column(default=0)
    uncertain: Mapped[list[str]] = mapped_column(default=list)

    focus_area: Mapped[FocusArea] = relationship(back_populates="activities")


class Project(TimestampMixin, Base):
    __tablename__ = "project"
    __table_args__ = (
        CheckConstraint("end_date IS NULL OR start_date IS NULL OR end_date >= start_date", name="end_after_start"),
        CheckConstraint("budget_amount IS NULL OR budget_amount >= 0", name="budget_not_negative"),
        CheckConstraint(_in("status", PROJECT_STATUSES), name="status"),
        CheckConstraint("budget_period IS NULL OR " + _in("budget_period", PERIODS), name="budget_period"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    focus_area_id: Mapped[int | None] = mapped_column(ForeignKey("focus_area.id", ondelete="SET NULL"), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    owner_organisation: Mapped[str | None] = mapped_column(String(200))
    contact_name: Mapped[str | None] = mapped_column(String(200))
    contact_role: Mapped[str | None] = mapped_column(String(200))
    start_date: Mapped[dt.date | None] = mapped_column(Date, index=True)
    end_date: Mapped[dt.date | None] = mapped_column(Date, index=True)
    time_frame_text: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20), default="planerad", index=True)
    budget_amount: Mapped[int | None] = mapped_column(BigInteger)
    budget_period: Mapped[str | None] = mapped_column(String(10))
    budget_text: Mapped[str | None] = mapped_column(String(200))
    uncertain: Mapped[list[str]] = mapped_column(default=list)

    focus_area: Mapped[FocusArea | None] = relationship(back_populates="projects")
    municipalities: Mapped[list[Municipality]] = relationship(
        secondary=project_municipality, order_by="Municipality.name"
    )
    phases: Mapped[list[Phase]] = relationship(
        back_populates="project", order_by="Phase.start_date", cascade="all, delete-orphan"
    )
    funding_lines: Mapped[list[FundingLine]] = relationship(
        back_populates="project", order_by="FundingLine.id", cascade="all, delete-orphan"
    )
    budget_parts: Mapped[list[BudgetPart]] = relationship(
        back_populates="project", order_by="BudgetPart.id", cascade="all, delete-orphan"
    )


class Phase(Base):
    __tablename__ = "phase"
    __table_args__ = (
        UniqueConstraint("project_id", "name", name="project_name"),
        CheckConstraint("end_date >= start_date", name="end_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date] = mapped_column(Date)

    project: Mapped[Project] = relationship(back_populates="phases")


class FundingLine(Base):
    __tablename__ = "funding_line"
    __table_args__ = (
        CheckConstraint("amount IS NULL OR amount >= 0", name="amount_not_negative"),
        CheckConstraint(_in("kind", FUNDER_KINDS), name="kind"),
        CheckConstraint("period IS NULL OR " + _in("period", PERIODS), name="period"),
        UniqueConstraint("project_id", "funder", name="project_funder"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    funder: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(30), index=True)
    amount: Mapped[int | None] = mapped_column(BigInteger)
    period: Mapped[str | None] = mapped_column(String(10))

    project: Mapped[Project] = relationship(back_populates="funding_lines")


class BudgetPart(Base):
    """A stated split of a project's budget (e.g. 10,1 milj till kust), not a funder."""

    __tablename__ = "budget_part"
    __table_args__ = (CheckConstraint("amount >= 0", name="amount_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(200))
    amount: Mapped[int] = mapped_column(BigInteger)

    project: Mapped[Project] = relationship(back_populates="budget_parts")


class Party(Base):
    """A person or a group that takes part in meetings and owns tasks."""

    __tablename__ = "party"
    __table_args__ = (CheckConstraint(_in("kind", PARTY_KINDS), name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(10))
    municipality_id: Mapped[int | None] = mapped_column(ForeignKey("municipality.id", ondelete="SET NULL"), index=True)
    organisation: Mapped[str | None] = mapped_column(String(200))
    aliases: Mapped[list[str]] = mapped_column(default=list)
    uncertain: Mapped[list[str]] = mapped_column(default=list)

    municipality: Mapped[Municipality | None] = relationship()


class Meeting(TimestampMixin, Base):
    __tablename__ = "meeting"
    __table_args__ = (
        UniqueConstraint("kind", "date", name="kind_date"),
        CheckConstraint(_in("kind", MEETING_KINDS), name="kind"),
        CheckConstraint("end_time IS NULL OR start_time IS NULL OR end_time >= start_time", name="end_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    date: Mapped[dt.date] = mapped_column(Date, index=True)
    start_time: Mapped[dt.time | None] = mapped_column(Time)
    end_time: Mapped[dt.time | None] = mapped_column(Time)
    title: Mapped[str | None] = mapped_column(String(300))
    place: Mapped[str | None] = mapped_column(String(300))
    secretary: Mapped[str | None] = mapped_column(String(200))
    next_meeting_date: Mapped[dt.date | None] = mapped_column(Date)
    uncertain: Mapped[list[str]] = mapped_column(default=list)

    participants: Mapped[list[MeetingParticipant]] = relationship(
        back_populates="meeting", order_by="MeetingParticipant.id", cascade="all, delete-orphan"
    )
    agenda_items: Mapped[list[AgendaItem]] = relationship(
        back_populates="meeting", order_by="AgendaItem.number", cascade="all, delete-orphan"
    )


class MeetingParticipant(Base):
    __tablename__ = "meeting_participant"
    __table_args__ = (UniqueConstraint("meeting_id", "party_id", name="meeting_party"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("party.id", ondelete="RESTRICT"), index=True)
    roles: Mapped[list[str]] = mapped_column(default=list)
    note: Mapped[str | None] = mapped_column(String(200))

    meeting: Mapped[Meeting] = relationship(back_populates="participants")
    party: Mapped[Party] = relationship()


class AgendaItem(Base):
    __tablename__ = "agenda_item"
    __table_args__ = (
        UniqueConstraint("meeting_id", "number", name="meeting_number"),
        CheckConstraint("number >= 0", name="number_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    presenter: Mapped[str | None] = mapped_column(String(200))
    notes: Mapped[str | None] = mapped_column(Text)

    meeting: Mapped[Meeting] = relationship(back_populates="agenda_items")
    decisions: Mapped[list[Decision]] = relationship(
        back_populates="agenda_item", order_by="Decision.id", cascade="all, delete-orphan"
    )
    tasks: Mapped[list[Task]] = relationship(back_populates="agenda_item", order_by="Task.id")


class Decision(Base):
    __tablename__ = "decision"

    id: Mapped[int] = mapped_column(primary_key=True)
    agenda_item_id: Mapped[int] = mapped_column(ForeignKey("agenda_item.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)

    agenda_item: Mapped[AgendaItem] = relationship(back_populates="decisions")


class Task(TimestampMixin, Base):
    __tablename__ = "task"
    __table_args__ = (CheckConstraint(_in("status", TASK_STATUSES), name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    agenda_item_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_item.id", ondelete="SET NULL"), index=True)
    text: Mapped[str] = mapped_column(Text)
    municipality_id: Mapped[int | None] = mapped_column(ForeignKey("municipality.id", ondelete="SET NULL"), index=True)
    due_date: Mapped[dt.date | None] = mapped_column(Date, index=True)
    due_text: Mapped[str | None] = mapped_column(String(200))
    due_rule: Mapped[str | None] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(20), default="öppen", index=True)
    uncertain: Mapped[list[str]] = mapped_column(default=list)

    meeting: Mapped[Meeting | None] = relationship()
    agenda_item: Mapped[AgendaItem | None] = relationship(back_populates="tasks")
    municipality: Mapped[Municipality | None] = relationship()
    owners: Mapped[list[Party]] = relationship(secondary=task_owner, order_by="Party.name")
    notes: Mapped[list[TaskNote]] = relationship(
        back_populates="task", order_by="TaskNote.at", cascade="all, delete-orphan"
    )


class TaskNote(Base):
    """A follow-up note on a task: what was said or done, by whom and when."""

    __tablename__ = "task_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    username: Mapped[str] = mapped_column(String(80))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))

    task: Mapped[Task] = relationship(back_populates="notes")


class User(TimestampMixin, Base):
    __tablename__ = "app_user"
    __table_args__ = (CheckConstraint(_in("role", ROLES), name="role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(20), default="läsare")
    municipality_id: Mapped[int | None] = mapped_column(ForeignKey("municipality.id", ondelete="RESTRICT"))
    # Rotated at every login and logout, so that a session cookie from before no longer works.
    session_token: Mapped[str] = mapped_column(String(64))

    municipality: Mapped[Municipality | None] = relationship()


class LoginFailure(Base):
    """One failed login; counted per account and per address to slow down guessing."""

    __tablename__ = "login_failure"
    __table_args__ = (
        Index("ix_login_failure_username_at", "username", "at"),
        Index("ix_login_failure_address_at", "address", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(64))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class ImportBatch(Base):
    __tablename__ = "import_batch"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    source: Mapped[str] = mapped_column(String(300))
    sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    username: Mapped[str] = mapped_column(String(80))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    counts: Mapped[dict[str, Any]] = mapped_column(default=dict)
    undone_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class PendingUpload(Base):
    """An uploaded file waiting for its uploader to confirm the preview; kept in the database so any worker can
    confirm it."""

    __tablename__ = "pending_upload"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    username: Mapped[str] = mapped_column(String(80), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    filename: Mapped[str] = mapped_column(String(300))
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    remove_missing: Mapped[bool] = mapped_column(default=False)
    fingerprint: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)


class ChangeRecord(Base):
    """One change to one entity: who, when, from what source, the values before and after."""

    __tablename__ = "change_record"
    __table_args__ = (Index("ix_change_record_entity", "entity", "entity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    username: Mapped[str] = mapped_column(String(80))
    source: Mapped[str] = mapped_column(String(300))
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id", ondelete="SET NULL"), index=True)
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int | None] = mapped_column()
    action: Mapped[str] = mapped_column(String(10))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
