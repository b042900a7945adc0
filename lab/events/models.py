"""Events, their organisers, regional seat quotas and registrations.

Registrations are never deleted, only cancelled, so an event keeps the order in which people
arrived; ``id`` is that order (seats are taken under a lock on the event's row).
"""
import enum
from datetime import datetime

from sqlalchemy import JSON, Boolean, CheckConstraint, Column, ForeignKey, Index, String, Table, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lab.accounts.models import Region, User
from lab.core.timeutil import to_rome_date, utcnow
from lab.extensions import db
from lab.groups.models import Group
from lab.pact.models import LedgerEntry


class Kind(enum.StrEnum):
    FORUM = "forum"
    WORKING_GROUP = "working_group"
    TRAINING = "training"
    WEBINAR = "webinar"


class Format(enum.StrEnum):
    IN_PERSON = "in_person"
    ONLINE = "online"
    HYBRID = "hybrid"


class State(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    CANCELLED = "cancelled"


class Status(enum.StrEnum):
    REGISTERED = "registered"
    WAITING = "waiting"
    CANCELLED = "cancelled"


class Pool(enum.StrEnum):
    REGION = "region"  # one of the seats reserved for the person's region
    GENERAL = "general"


def _values(kind) -> str:
    return ", ".join(f"'{member.value}'" for member in kind)


ACTIVE_STATUSES = (Status.REGISTERED.value, Status.WAITING.value)
_ACTIVE = ", ".join(f"'{status}'" for status in ACTIVE_STATUSES)

event_groups = Table(
    "event_groups", db.metadata,
    Column("event_id", ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    Column("group_id", ForeignKey("groups.id"), primary_key=True),
)


class Event(db.Model):
    """A forum, working-group meeting, training or webinar."""

    __tablename__ = "events"
    __table_args__ = (
        CheckConstraint(f"kind IN ({_values(Kind)})", name="kind"),
        CheckConstraint(f"format IN ({_values(Format)})", name="format"),
        CheckConstraint(f"state IN ({_values(State)})", name="state"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("state <> 'cancelled' OR cancel_reason <> ''", name="cancelled_has_reason"),
        CheckConstraint("capacity IS NULL OR capacity >= 0", name="capacity_not_negative"),
        CheckConstraint("registration_closes_at IS NULL OR registration_opens_at IS NULL "
                        "OR registration_closes_at > registration_opens_at",
                        name="registration_closes_after_opening"),
        CheckConstraint("sequence >= 0", name="sequence_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(Text, default="")
    format: Mapped[str] = mapped_column(String(12))
    venue: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(String(300), default="")
    # Shown only to registered people and organisers.
    online_url: Mapped[str] = mapped_column(String(500), default="")
    starts_at: Mapped[datetime] = mapped_column(index=True)
    ends_at: Mapped[datetime] = mapped_column(index=True)
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"), index=True)
    state: Mapped[str] = mapped_column(String(12), default=State.DRAFT.value, index=True)
    cancel_reason: Mapped[str] = mapped_column(Text, default="")
    # No capacity: registration is not limited.
    capacity: Mapped[int | None]
    registration_opens_at: Mapped[datetime | None]
    registration_closes_at: Mapped[datetime | None]
    # The iCalendar SEQUENCE: calendars replace their copy when it grows.
    sequence: Mapped[int] = mapped_column(default=0)
    demo: Mapped[bool] = mapped_column(Boolean, default=False)
    # Regions may sign the Pact here: its signing form offers the event while it runs.
    signing_occasion: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    region: Mapped[Region | None] = relationship()
    groups: Mapped[list[Group]] = relationship(secondary=event_groups, order_by=Group.position)
    organisers: Mapped[list["Organiser"]] = relationship(back_populates="event",
                                                         order_by="Organiser.added_at")
    quotas: Mapped[list["Quota"]] = relationship(back_populates="event",
                                                 cascade="all, delete-orphan")
    sessions: Mapped[list["Session"]] = relationship(back_populates="event",
                                                     cascade="all, delete-orphan",
                                                     order_by="(Session.starts_at, Session.id)")

    @property
    def is_past(self) -> bool:
        return self.ends_at <= utcnow()

    @property
    def ends_same_day(self) -> bool:
        """Whether it ends on the day it starts, in Rome (then the end shows only its time)."""
        return to_rome_date(self.starts_at) == to_rome_date(self.ends_at)

    @property
    def is_public(self) -> bool:
        return self.state != State.DRAFT

    @property
    def is_cancelled(self) -> bool:
        return self.state == State.CANCELLED

    @property
    def has_place(self) -> bool:
        return self.format in (Format.IN_PERSON, Format.HYBRID)

    @property
    def is_online(self) -> bool:
        return self.format in (Format.ONLINE, Format.HYBRID)

    def __repr__(self) -> str:
        return f"<Event {self.id} {self.state} {self.title[:30]!r}>"


class Organiser(db.Model):
    """A forum organiser in charge of an event."""

    __tablename__ = "event_organisers"

    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"),
                                          primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True, index=True)
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    added_at: Mapped[datetime] = mapped_column(default=utcnow)

    event: Mapped[Event] = relationship(back_populates="organisers")
    user: Mapped[User] = relationship(foreign_keys=[user_id])

    def __repr__(self) -> str:
        return f"<Organiser event={self.event_id} user={self.user_id}>"


class Quota(db.Model):
    """Seats of an event reserved for the people of one member region."""

    __tablename__ = "event_quotas"
    __table_args__ = (CheckConstraint("seats >= 0", name="seats_not_negative"),)

    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"),
                                          primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), primary_key=True)
    seats: Mapped[int]

    event: Mapped[Event] = relationship(back_populates="quotas")
    region: Mapped[Region] = relationship()

    def __repr__(self) -> str:
        return f"<Quota event={self.event_id} region={self.region_id} {self.seats}>"


class Registration(db.Model):
    """A person's seat at an event, their place on its waiting list, or a cancelled one."""

    __tablename__ = "event_registrations"
    __table_args__ = (
        CheckConstraint(f"status IN ({_values(Status)})", name="status"),
        CheckConstraint(f"pool IS NULL OR pool IN ({_values(Pool)})", name="pool"),
        CheckConstraint("(status = 'registered') = (pool IS NOT NULL)", name="seat_has_pool"),
        CheckConstraint("pool <> 'region' OR region_id IS NOT NULL", name="region_seat_has_region"),
        # One seat or waiting place per person and event; cancelled ones stay as history.
        Index("ix_event_registrations_active", "event_id", "user_id", unique=True,
              sqlite_where=text(f"status IN ({_ACTIVE})"),
              postgresql_where=text(f"status IN ({_ACTIVE})")),
        # The same for people without an account, by their address (members' is NULL here).
        Index("ix_event_registrations_active_guest", "event_id", "guest_email", unique=True,
              sqlite_where=text(f"status IN ({_ACTIVE})"),
              postgresql_where=text(f"status IN ({_ACTIVE})")),
        CheckConstraint("user_id IS NULL OR guest_email IS NULL", name="member_or_guest"),
        CheckConstraint("user_id IS NOT NULL OR guest_email IS NOT NULL "
                        "OR personal_data_erased_at IS NOT NULL", name="someone"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    # NULL for people without an account, who are known by ``guest_name`` and ``guest_email``.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    guest_name: Mapped[str | None] = mapped_column(String(200))
    guest_email: Mapped[str | None] = mapped_column(String(254))
    guest_organisation: Mapped[str | None] = mapped_column(String(200))
    # A hash of the token in the cancel link of the newest mail to a person without an account.
    cancel_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    # The region the person represented when they registered.
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"))
    status: Mapped[str] = mapped_column(String(12))
    pool: Mapped[str | None] = mapped_column(String(8))
    registered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    seated_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    reminded_at: Mapped[datetime | None]
    # Personal answers, erased with the guest's name and address once kept long enough.
    accessibility_needs: Mapped[str] = mapped_column(Text, default="")
    dietary_needs: Mapped[str] = mapped_column(Text, default="")
    listed_publicly: Mapped[bool] = mapped_column(Boolean, default=False)
    personal_data_erased_at: Mapped[datetime | None]

    event: Mapped[Event] = relationship()
    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
    registered_by: Mapped[User | None] = relationship(foreign_keys=[registered_by_id])
    region: Mapped[Region | None] = relationship()

    @property
    def is_registered(self) -> bool:
        return self.status == Status.REGISTERED

    @property
    def is_waiting(self) -> bool:
        return self.status == Status.WAITING

    @property
    def is_guest(self) -> bool:
        return self.user_id is None

    @property
    def name(self) -> str | None:
        """The person's name; None once a guest's personal data is erased."""
        return self.user.full_name if self.user is not None else self.guest_name

    @property
    def email(self) -> str | None:
        """The address to write to; None once a guest's personal data is erased."""
        return self.user.email if self.user is not None else self.guest_email

    @property
    def locale(self) -> str:
        return (self.user.locale if self.user is not None else None) or "it"

    def __repr__(self) -> str:
        return f"<Registration {self.id} event={self.event_id} user={self.user_id} {self.status}>"


class Signup(db.Model):
    """A request to register from someone without an account, until its mailed link is opened.

    It holds no seat: the registration is made when the link is opened, so the arrival order
    is the order of confirmation.
    """

    __tablename__ = "event_signups"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254))
    # Only a hash of the link's token is stored, so a database leak confirms nobody.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The form's answers until confirmation: {"answers": {question id: text}, "accessibility": ...}.
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    confirmed_at: Mapped[datetime | None]
    registration_id: Mapped[int | None] = mapped_column(
        ForeignKey("event_registrations.id", ondelete="SET NULL"))

    event: Mapped[Event] = relationship()

    def __repr__(self) -> str:
        return f"<Signup {self.id} event={self.event_id} confirmed={self.confirmed_at}>"


class QuestionKind(enum.StrEnum):
    TEXT = "text"
    CHOICE = "choice"
    YES_NO = "yes_no"


class Question(db.Model):
    """A question an organiser asks everyone registering for the event."""

    __tablename__ = "event_questions"
    __table_args__ = (
        CheckConstraint(f"kind IN ({_values(QuestionKind)})", name="kind"),
        CheckConstraint("kind <> 'choice' OR options <> ''", name="choice_has_options"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(8))
    # The choices of a ``choice`` question, one per line.
    options: Mapped[str] = mapped_column(Text, default="")
    required: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(default=0)

    @property
    def choices(self) -> list[str]:
        return [line for line in self.options.splitlines() if line.strip()]

    def __repr__(self) -> str:
        return f"<Question {self.id} event={self.event_id} {self.kind} {self.label[:30]!r}>"


class Answer(db.Model):
    """A registered person's answer to one of the event's questions."""

    __tablename__ = "event_answers"

    registration_id: Mapped[int] = mapped_column(
        ForeignKey("event_registrations.id", ondelete="CASCADE"), primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("event_questions.id", ondelete="CASCADE"),
                                             primary_key=True, index=True)
    value: Mapped[str] = mapped_column(Text)

    registration: Mapped[Registration] = relationship()
    question: Mapped[Question] = relationship()

    def __repr__(self) -> str:
        return f"<Answer registration={self.registration_id} question={self.question_id}>"


class Session(db.Model):
    """A part of an event's agenda: a talk, a panel, a round table or a break."""

    __tablename__ = "event_sessions"
    __table_args__ = (CheckConstraint("ends_at > starts_at", name="ends_after_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    place: Mapped[str] = mapped_column(String(200), default="")  # a room of the venue
    # Chairs and speakers as written by the organiser: names and affiliations.
    speakers: Mapped[str] = mapped_column(String(500), default="")
    is_break: Mapped[bool] = mapped_column(Boolean, default=False)
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]

    event: Mapped[Event] = relationship(back_populates="sessions")

    def __repr__(self) -> str:
        return f"<Session {self.id} event={self.event_id} {self.title[:30]!r}>"


class Adhesion(db.Model):
    """A region's adhesion to the Pact signed at the event.

    The register's entries are hashed and append-only, so the event is linked beside the entry,
    written in the transaction that appends it (lab/events/occasions.py).
    """

    __tablename__ = "event_adhesions"

    entry_seq: Mapped[int] = mapped_column(ForeignKey("pact_ledger.seq"), primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), index=True)
    linked_at: Mapped[datetime] = mapped_column(default=utcnow)

    event: Mapped[Event] = relationship()
    entry: Mapped[LedgerEntry] = relationship()

    def __repr__(self) -> str:
        return f"<Adhesion entry={self.entry_seq} event={self.event_id}>"
