"""Regions, people, their roles and signatory mandates, and invitations.

Roles and mandates are never deleted, only ended, so every past date has an answer.
"""
import enum
from datetime import date, datetime

from flask_login import UserMixin
from sqlalchemy import (
    CheckConstraint, Date, ForeignKey, String, UniqueConstraint, exists, or_, select,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lab.core.timeutil import rome_today, to_rome_date, utcnow
from lab.extensions import db


class Role(enum.StrEnum):
    PLATFORM_ADMIN = "platform_admin"
    REGION_ADMIN = "region_admin"
    DELEGATE = "delegate"
    ORGANISER = "organiser"
    EDITORIAL_BOARD = "editorial_board"  # publishes the library's approved practices


REGIONAL_ROLES = frozenset({Role.REGION_ADMIN, Role.DELEGATE})
_ROLE_VALUES = ", ".join(f"'{role.value}'" for role in Role)
_REGIONAL_VALUES = ", ".join(f"'{role.value}'" for role in sorted(REGIONAL_ROLES))


class Region(db.Model):
    """A member of the Conference of Regions: a region or an autonomous province."""

    __tablename__ = "regions"
    __table_args__ = (CheckConstraint("kind IN ('region', 'autonomous_province')", name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    istat_code: Mapped[str] = mapped_column(String(3), unique=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name_it: Mapped[str] = mapped_column(String(80))
    name_en: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(20))

    def name(self, locale: str = "it") -> str:
        return self.name_en if locale == "en" else self.name_it

    def __repr__(self) -> str:
        return f"<Region {self.istat_code} {self.slug}>"


class User(UserMixin, db.Model):
    """A person with an account; belongs to at most one region."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    full_name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"), index=True)
    locale: Mapped[str | None] = mapped_column(String(5))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_sign_in_at: Mapped[datetime | None]
    # Set when the person's data was replaced by a pseudonym (lab.accounts.offboarding.erase).
    erased_at: Mapped[datetime | None]

    region: Mapped[Region | None] = relationship()
    role_assignments: Mapped[list["RoleAssignment"]] = relationship(
        back_populates="user", foreign_keys="RoleAssignment.user_id",
        order_by="RoleAssignment.started_at",
    )
    mandates: Mapped[list["Mandate"]] = relationship(
        back_populates="user", foreign_keys="Mandate.user_id", order_by="Mandate.starts_on"
    )
    two_factor: Mapped["TwoFactor | None"] = relationship()

    # The sign-in session this object was loaded through (lab.accounts.sessions): its secret
    # token goes into the session and remember-me cookies, its id marks the person's sockets.
    session_token = None  # str
    session_id = None  # int

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        if self.session_token is None:
            raise RuntimeError("sign in through lab.accounts.sessions.start_session")
        return self.session_token

    def __eq__(self, other):
        # UserMixin compares get_id(), now a session's token: the same person is the same user.
        return self.id == other.id if isinstance(other, User) else NotImplemented

    __hash__ = UserMixin.__hash__

    def active_roles(self) -> list["RoleAssignment"]:
        return [assignment for assignment in self.role_assignments if assignment.is_active]

    def has_role(self, role: Role, region_id: int | None = None) -> bool:
        return any(
            a.role == role and (region_id is None or a.region_id == region_id)
            for a in self.active_roles()
        )

    @property
    def is_platform_admin(self) -> bool:
        return self.has_role(Role.PLATFORM_ADMIN)

    @property
    def is_region_admin(self) -> bool:
        return self.has_role(Role.REGION_ADMIN)

    @property
    def is_delegate(self) -> bool:
        return self.has_role(Role.DELEGATE)

    @property
    def is_organiser(self) -> bool:
        return self.has_role(Role.ORGANISER)

    @property
    def is_editorial_board(self) -> bool:
        return self.has_role(Role.EDITORIAL_BOARD)

    def administered_region_ids(self) -> set[int]:
        return {a.region_id for a in self.active_roles() if a.role == Role.REGION_ADMIN}

    def current_mandate(self, on: date | None = None) -> "Mandate | None":
        """Return the signatory mandate in force on a day (today by default), if any."""
        day = on or rome_today()
        current = [m for m in self.mandates if m.in_force_on(day)]
        return current[-1] if current else None

    @property
    def has_signatory_authority(self) -> bool:
        if not self.is_delegate:  # the roles come with the person; the mandates cost a query
            return False
        mandate = self.current_mandate()
        return mandate is not None and self.has_role(Role.DELEGATE, mandate.region_id)

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"


class UserSession(db.Model):
    """One sign-in on one browser, live until sign-out, a password change or an admin ends it."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    # Only a hash of the cookie's token is stored, so a database leak opens no session.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    user_agent: Mapped[str | None] = mapped_column(String(200))
    address: Mapped[str | None] = mapped_column(String(45))
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()

    def __repr__(self) -> str:
        return f"<UserSession {self.id} user={self.user_id}>"


class RoleAssignment(db.Model):
    """A role held from ``started_at`` until ``ended_at`` (open while ``ended_at`` is empty)."""

    __tablename__ = "role_assignments"
    __table_args__ = (
        CheckConstraint(f"role IN ({_ROLE_VALUES})", name="role"),
        CheckConstraint(
            f"(role IN ({_REGIONAL_VALUES})) = (region_id IS NOT NULL)", name="regional_role_region"
        ),
        CheckConstraint("ended_at IS NULL OR ended_at >= started_at", name="ends_after_start"),
        CheckConstraint("granted_by_id IS NULL OR granted_by_id <> user_id",
                        name="not_self_granted"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"), index=True)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    ended_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    user: Mapped[User] = relationship(back_populates="role_assignments", foreign_keys=[user_id])
    region: Mapped[Region | None] = relationship()
    granted_by: Mapped[User | None] = relationship(foreign_keys=[granted_by_id])

    @property
    def is_active(self) -> bool:
        now = utcnow()
        return self.started_at <= now and (self.ended_at is None or self.ended_at > now)

    @classmethod
    def held(cls, user_id, role: Role, at):
        """SQL: the person holds the role at that time (``is_active``, asked of the database)."""
        return exists(select(cls.id).where(
            cls.user_id == user_id, cls.role == role.value, cls.started_at <= at,
            or_(cls.ended_at.is_(None), cls.ended_at > at)))

    def __repr__(self) -> str:
        return f"<RoleAssignment {self.role} user={self.user_id} region={self.region_id}>"


class Mandate(db.Model):
    """Signatory authority for a region, conferred by a named act, from one day to another.

    It is in force only once a second person confirmed it (``confirmed_at``): a region admin's
    grant waits for a platform admin or another admin of the region; a platform admin's grant,
    or one made by a set-up command, is confirmed when it is made.
    """

    __tablename__ = "mandates"
    __table_args__ = (
        # The act's own end follows its start; ending it early (``ended_at``) may come before
        # the start, and then the mandate never takes effect.
        CheckConstraint("ends_on IS NULL OR ends_on >= starts_on OR ended_at IS NOT NULL",
                        name="ends_after_start"),
        CheckConstraint("granted_by_id IS NULL OR granted_by_id <> user_id",
                        name="not_self_granted"),
        CheckConstraint("confirmed_by_id IS NULL OR (confirmed_by_id <> user_id "
                        "AND confirmed_at IS NOT NULL)", name="not_self_confirmed"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), index=True)
    act: Mapped[str] = mapped_column(String(300))
    act_pdf: Mapped[str | None] = mapped_column(String(80))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    granted_at: Mapped[datetime] = mapped_column(default=utcnow)
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    confirmed_at: Mapped[datetime | None]
    ended_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # When someone ended the mandate: from that day on it is no longer in force, even though
    # ``ends_on`` (the last day of the act's validity) may be that same day.
    ended_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(back_populates="mandates", foreign_keys=[user_id])
    region: Mapped[Region] = relationship()
    granted_by: Mapped[User | None] = relationship(foreign_keys=[granted_by_id])
    confirmed_by: Mapped[User | None] = relationship(foreign_keys=[confirmed_by_id])

    @property
    def is_pending(self) -> bool:
        """Granted, not yet confirmed by a second person, and not withdrawn meanwhile."""
        return self.confirmed_at is None and self.ended_at is None

    def in_force_on(self, day: date) -> bool:
        if self.confirmed_at is None:
            return False
        if self.ended_at is not None and to_rome_date(self.ended_at) <= day:
            return False
        return self.starts_on <= day and (self.ends_on is None or self.ends_on >= day)

    def open_on(self, day: date | None = None) -> bool:
        """Nobody ended it, and its act's validity reaches beyond ``day`` (today by default)."""
        day = day or rome_today()
        return self.ended_at is None and (self.ends_on is None or self.ends_on > day)

    def confirmable_by(self, person: User) -> bool:
        """The second person: a platform admin or an admin of the region, not the grantor."""
        admin_here = (person.is_platform_admin
                      or self.region_id in person.administered_region_ids())
        return (self.is_pending and admin_here
                and person.id not in (self.user_id, self.granted_by_id))

    def __repr__(self) -> str:
        return f"<Mandate user={self.user_id} region={self.region_id} {self.starts_on}>"


class Invitation(db.Model):
    """A single-use, expiring invitation bound to one address, with region and role preset."""

    __tablename__ = "invitations"
    __table_args__ = (
        CheckConstraint(f"role IN ({_ROLE_VALUES})", name="role"),
        CheckConstraint(
            f"(role IN ({_REGIONAL_VALUES})) = (region_id IS NOT NULL)", name="regional_role_region"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    role: Mapped[str] = mapped_column(String(20))
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"), index=True)
    # Only a hash of the link's token is stored, so a database leak opens no account.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    send_count: Mapped[int] = mapped_column(default=0)
    last_sent_at: Mapped[datetime | None]
    accepted_at: Mapped[datetime | None]
    accepted_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    revoked_at: Mapped[datetime | None]
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    region: Mapped[Region | None] = relationship()
    invited_by: Mapped[User] = relationship(foreign_keys=[invited_by_id])

    @property
    def status(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= utcnow():
            return "expired"
        return "pending"

    def __repr__(self) -> str:
        return f"<Invitation {self.id} {self.email} {self.role}>"



class TwoFactor(db.Model):
    """A person's authenticator app (TOTP) and since when two-factor sign-in is required of them.

    ``secret`` holds the base32 secret encrypted (see ``lab.accounts.twofactor``): a copy of the
    database alone cannot produce codes. It is set while enrolment waits for a first code and
    kept once ``enabled_at`` says the code came.
    """

    __tablename__ = "two_factor_settings"
    __table_args__ = (
        CheckConstraint("enabled_at IS NULL OR secret IS NOT NULL", name="enabled_has_secret"),
    )

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    secret: Mapped[str | None] = mapped_column(String(255))
    enabled_at: Mapped[datetime | None]
    # The newest 30-second step whose code was accepted: no code is ever taken twice.
    last_step: Mapped[int | None]
    # When two-factor sign-in first became required of the person: the grace period runs from here.
    required_since: Mapped[datetime | None]

    def __repr__(self) -> str:
        return f"<TwoFactor user={self.user_id} enabled={self.enabled_at is not None}>"


class RecoveryCode(db.Model):
    """A single-use code that stands in for the authenticator; only its SHA-256 is stored."""

    __tablename__ = "recovery_codes"
    __table_args__ = (UniqueConstraint("user_id", "code_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    used_at: Mapped[datetime | None]

    def __repr__(self) -> str:
        return f"<RecoveryCode {self.id} user={self.user_id}>"
