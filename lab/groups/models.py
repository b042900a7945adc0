"""Thematic working groups, their coordinators and their members.

Coordination and membership are never deleted, only ended, so every group keeps its history.
"""
import enum
from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lab.accounts.models import Region, User
from lab.core.timeutil import utcnow
from lab.extensions import db


class MembershipStatus(enum.StrEnum):
    REQUESTED = "requested"
    ACTIVE = "active"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"
    LEFT = "left"
    REMOVED = "removed"


OPEN_STATUSES = (MembershipStatus.REQUESTED.value, MembershipStatus.ACTIVE.value)
_STATUS_VALUES = ", ".join(f"'{status.value}'" for status in MembershipStatus)
_OPEN_VALUES = ", ".join(f"'{status}'" for status in OPEN_STATUSES)


class Group(db.Model):
    """A thematic working group of the Laboratory."""

    __tablename__ = "groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name_it: Mapped[str] = mapped_column(String(160))
    name_en: Mapped[str] = mapped_column(String(160))
    description_it: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    # Open groups take delegates in without a coordinator's decision.
    is_open: Mapped[bool] = mapped_column(Boolean, default=False)
    # One of the eight themes named by section 5 of the Pact, present in every install.
    is_theme: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(default=100)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    def name(self, locale: str = "it") -> str:
        return self.name_en if locale == "en" else self.name_it

    def description(self, locale: str = "it") -> str:
        return self.description_en if locale == "en" else self.description_it

    def __repr__(self) -> str:
        return f"<Group {self.id} {self.slug}>"


class Coordination(db.Model):
    """A person coordinating a group from ``started_at`` until ``ended_at``."""

    __tablename__ = "group_coordinators"
    __table_args__ = (
        CheckConstraint("ended_at IS NULL OR ended_at >= started_at", name="ends_after_start"),
        Index("ix_group_coordinators_current", "group_id", "user_id", unique=True,
              sqlite_where=text("ended_at IS NULL"), postgresql_where=text("ended_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]
    appointed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    ended_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    group: Mapped[Group] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])

    @property
    def is_current(self) -> bool:
        return self.ended_at is None

    def __repr__(self) -> str:
        return f"<Coordination group={self.group_id} user={self.user_id}>"


class Membership(db.Model):
    """A delegate's request to join a group and, once accepted, their membership."""

    __tablename__ = "group_memberships"
    __table_args__ = (
        CheckConstraint(f"status IN ({_STATUS_VALUES})", name="status"),
        CheckConstraint("ended_at IS NULL OR started_at IS NULL OR ended_at >= started_at",
                        name="ends_after_start"),
        CheckConstraint("status <> 'active' OR (started_at IS NOT NULL AND ended_at IS NULL)",
                        name="active_has_dates"),
        # At most one request or membership in progress per person and group.
        Index("ix_group_memberships_open", "group_id", "user_id", unique=True,
              sqlite_where=text(f"status IN ({_OPEN_VALUES})"),
              postgresql_where=text(f"status IN ({_OPEN_VALUES})")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    # The region the person represented when they asked to join.
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"), index=True)
    status: Mapped[str] = mapped_column(String(12))
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    started_at: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]
    ended_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The reason a coordinator gave for declining the request, shown to the requester.
    decision_note: Mapped[str | None] = mapped_column(String(500))

    group: Mapped[Group] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    region: Mapped[Region | None] = relationship()

    @property
    def is_active(self) -> bool:
        return self.status == MembershipStatus.ACTIVE

    @property
    def is_pending(self) -> bool:
        return self.status == MembershipStatus.REQUESTED

    def __repr__(self) -> str:
        return f"<Membership group={self.group_id} user={self.user_id} {self.status}>"
