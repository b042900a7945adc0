"""Mentions by email: at once for those not connected, or in a daily digest.

``send_digests`` is run daily by ``flask --app wsgi lab send-digests``; the words and the
choices of each person are the notifications' (``tell``, ``settings_of``).
"""
from collections import defaultdict
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import select, update

from lab.accounts.models import User
from lab.core.links import external_url
from lab.core.timeutil import utcnow
from lab.extensions import db
from lab.notifications.mails import tell
from lab.notifications.models import NotificationSettings
from lab.notifications.services import settings_of
from lab.rooms.events import mentioned
from lab.rooms.models import Mention, Message, Room
from lab.rooms.services import can_read

EXCERPT = 300  # characters of a message quoted in a mail
DIGEST_PERIOD = timedelta(days=1)


def _message_link(message: Message) -> str:
    return external_url("rooms.show", room_id=message.room_id) + f"#m-{message.seq}"


def _excerpt(message: Message) -> str:
    text = " ".join(message.body_source.split())
    return text if len(text) <= EXCERPT else text[:EXCERPT - 1] + "…"


@mentioned.connect
def _on_mentioned(room_id: int, seq=None, user_ids=(), connected=(), **_extra) -> None:
    """Mail at once those not connected who want each mention; the digest takes the rest."""
    message = db.session.scalar(select(Message).where(Message.room_id == room_id,
                                                      Message.seq == seq))
    told = set(connected)
    for person in db.session.scalars(select(User).where(User.id.in_(set(user_ids) - told))):
        if settings_of(person).mention_digest:
            continue

        def compose(language):
            return (_("%(name)s ti ha citato in «%(room)s»", name=message.author.full_name,
                      room=message.room.title()),
                    f"{_excerpt(message)}\n\n{_message_link(message)}\n")

        if tell(person, "mentions", compose):
            told.add(person.id)
    _mark_told(message.id, told)


def _mark_told(message_id: int, user_ids) -> None:
    if user_ids:
        db.session.execute(update(Mention).where(
            Mention.message_id == message_id, Mention.user_id.in_(list(user_ids)),
            Mention.notified_at.is_(None)).values(notified_at=utcnow()))
        db.session.commit()


def send_digests(now=None) -> int:
    """Mail each person who chose the digest the mentions of the last day not yet told or seen.

    Idempotent: a mention, once in a digest, is marked as told and never sent again.
    """
    now = now or utcnow()
    rows = db.session.execute(
        select(Mention, Message).join(Message, Message.id == Mention.message_id)
        .join(NotificationSettings, NotificationSettings.user_id == Mention.user_id)
        .where(Mention.notified_at.is_(None), Mention.seen_at.is_(None),
               Message.deleted_at.is_(None), Message.created_at >= now - DIGEST_PERIOD,
               NotificationSettings.mentions, NotificationSettings.mention_digest)
        .order_by(Mention.user_id, Message.created_at))
    by_person: dict[int, list[tuple[Mention, Message]]] = defaultdict(list)
    for mention, message in rows:
        by_person[mention.user_id].append((mention, message))
    sent = 0
    for user_id, items in by_person.items():
        person = db.session.get(User, user_id)
        readable = [(m, message) for m, message in items
                    if can_read(person, db.session.get(Room, message.room_id))]
        if readable and tell(person, "mentions", lambda language: _digest(readable)):
            sent += 1
        for mention, _message in items:
            mention.notified_at = now
        db.session.commit()
    return sent


def _digest(items) -> tuple[str, str]:
    lines = []
    for _mention, message in items:
        lines.append(_("%(name)s in «%(room)s»:", name=message.author.full_name,
                       room=message.room.title()))
        lines.append(f"  {_excerpt(message)}\n  {_message_link(message)}\n")
    return (_("Le menzioni nelle stanze del Laboratorio (ultime 24 ore)"), "\n".join(lines))
