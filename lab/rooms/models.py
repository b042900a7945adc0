"""Discussion rooms and their messages: stored before anyone is told, numbered per room.

A message's ``seq`` is its id within the room: 1, 2, 3... in commit order, the id that clients
acknowledge, replay after and de-duplicate by, over Socket.IO and HTTP alike.
"""
import enum
from datetime import datetime

from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lab.accounts.models import Region, User
from lab.core.i18n import shown_name
from lab.core.markup import RENDERER_VERSION, render_markdown
from lab.core.timeutil import utcnow
from lab.extensions import db
from lab.groups.models import Group

BODY_MAX = 5000
KEY_MAX = 64


class RoomKind(enum.StrEnum):
    LABORATORY = "laboratory"  # every delegate, forum organiser and platform admin
    GROUP = "group"  # the group's own room, one per group
    EXTRA = "extra"  # more rooms a group's coordinators open


_KIND_VALUES = ", ".join(f"'{kind.value}'" for kind in RoomKind)


class Room(db.Model):
    __tablename__ = "rooms"
    __table_args__ = (
        CheckConstraint(f"kind IN ({_KIND_VALUES})", name="kind"),
        CheckConstraint("(kind = 'laboratory') = (group_id IS NULL)", name="group_room_has_group"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(12))
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id"), index=True)
    # Empty for the Laboratory's and the groups' own rooms, named after the group.
    name: Mapped[str | None] = mapped_column(String(120))
    # "laboratory" or "group-<id>" for the rooms that exist once; empty for extra rooms.
    main_key: Mapped[str | None] = mapped_column(String(40), unique=True)
    # The last ``seq`` given out; incremented under the row's lock, so seqs follow commit order.
    last_seq: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    group: Mapped[Group | None] = relationship()

    def title(self) -> str:
        """Return the room's name in the current language."""
        if self.kind == RoomKind.LABORATORY:
            return _("Tutto il Laboratorio")
        return self.name or shown_name(self.group)

    def __repr__(self) -> str:
        return f"<Room {self.id} {self.kind} group={self.group_id}>"


def html_to_show(source: str, html: str, html_version: int) -> str:
    """Return a message's stored HTML, or its text rendered afresh if an older renderer made it."""
    return html if html_version == RENDERER_VERSION else render_markdown(source)


class Message(db.Model):
    __tablename__ = "room_messages"
    __table_args__ = (
        UniqueConstraint("room_id", "seq", name="uq_room_messages_room_seq"),
        # A retried send carries the same key and is stored once.
        UniqueConstraint("room_id", "author_id", "client_key", name="uq_room_messages_client_key"),
        CheckConstraint(f"length(body_source) <= {BODY_MAX}", name="body_length"),
        CheckConstraint("seq > 0", name="seq_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("rooms.id"))
    seq: Mapped[int]
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    # The region the author represented when writing, kept even if they later move.
    author_region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"))
    client_key: Mapped[str] = mapped_column(String(KEY_MAX))
    body_source: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    # The renderer (``markup.RENDERER_VERSION``) that made ``body_html``; 1 for rows older than
    # the column, or written without it.
    html_version: Mapped[int] = mapped_column(default=RENDERER_VERSION, server_default=text("1"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    edited_at: Mapped[datetime | None]
    deleted_at: Mapped[datetime | None]
    deleted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    room: Mapped[Room] = relationship()
    author: Mapped[User] = relationship(foreign_keys=[author_id])
    author_region: Mapped[Region | None] = relationship()

    def current_html(self) -> str:
        """Return the stored HTML, or the text rendered afresh if an older renderer made it.

        Stale rows cost a rendering on each read until ``flask lab rerender`` rewrites them.
        """
        return html_to_show(self.body_source, self.body_html, self.html_version)

    def shown_html(self) -> Markup:
        """Return ``current_html`` for a page: HTML that ``render_markdown`` made and sanitized.

        Rendering each message again as the page was drawn cost the room page 62 of its 106 ms
        of CPU with 50 messages (``bench/pages.py --profile … --sample``).
        """
        return Markup(self.current_html())

    def rerender(self) -> bool:
        """Render the stored HTML again if an older renderer made it; say whether it changed."""
        if self.html_version == RENDERER_VERSION:
            return False
        self.body_html, self.html_version = render_markdown(self.body_source), RENDERER_VERSION
        return True

    def __repr__(self) -> str:
        return f"<Message room={self.room_id} seq={self.seq}>"


class MessageEdit(db.Model):
    """A message's text before an edit: the history behind "modificato"."""

    __tablename__ = "room_message_edits"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("room_messages.id"), index=True)
    previous_source: Mapped[str] = mapped_column(Text)
    previous_html: Mapped[str] = mapped_column(Text)
    edited_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<MessageEdit message={self.message_id} {self.edited_at}>"


class ReadState(db.Model):
    """How far a person has read in a room; unread counts start after ``last_read_seq``."""

    __tablename__ = "room_read_states"

    room_id: Mapped[int] = mapped_column(ForeignKey("rooms.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True, index=True)
    last_read_seq: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    def __repr__(self) -> str:
        return f"<ReadState room={self.room_id} user={self.user_id} {self.last_read_seq}>"


class Mute(db.Model):
    """A member kept from writing in a room until ``until`` (or until lifted)."""

    __tablename__ = "room_mutes"
    __table_args__ = (CheckConstraint("until > created_at", name="until_after_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("rooms.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    muted_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    until: Mapped[datetime]
    lifted_at: Mapped[datetime | None]
    lifted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])

    def __repr__(self) -> str:
        return f"<Mute room={self.room_id} user={self.user_id} until={self.until}>"


class Mention(db.Model):
    """A person named with @ in a message; unseen mentions are shown to them."""

    __tablename__ = "room_mentions"
    __table_args__ = (
        UniqueConstraint("message_id", "user_id", name="uq_room_mentions_message_user"),
        Index("ix_room_mentions_user_unseen", "user_id", "seen_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("room_messages.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    seen_at: Mapped[datetime | None]
    # When the person was told: live in a room, or by email (at once or in the daily digest).
    notified_at: Mapped[datetime | None]

    message: Mapped[Message] = relationship()

    def __repr__(self) -> str:
        return f"<Mention message={self.message_id} user={self.user_id}>"
