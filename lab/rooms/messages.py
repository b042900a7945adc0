"""Writing in a room: post, edit and delete messages, with mentions, mutes and the flood limit."""
import math
import re
from dataclasses import dataclass
from datetime import timedelta

from flask_babel import format_datetime, gettext as _
from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from lab.accounts.audit import record
from lab.accounts.models import Role, RoleAssignment, User
from lab.core.errors import DomainError, NotFound, NotPermitted
from lab.core.markup import render_markdown
from lab.core.timeutil import utcnow
from lab.extensions import db
from lab.groups.queries import may_take_part, participant_ids, participation
from lab.rooms import events
from lab.rooms.flood import flood_wait
from lab.rooms.models import BODY_MAX, Mention, Message, MessageEdit, Room, RoomKind
from lab.rooms.moderation import mute_end
from lab.rooms.serialize import message_json, new_message_json
from lab.rooms.services import can_moderate, can_read

EDIT_WINDOW = timedelta(minutes=15)
KEY_PATTERN = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class RateLimited(DomainError):
    """Too many messages in a short time; ``wait`` says how many seconds until the next may go."""

    status = 429

    def __init__(self, message: str, wait: float):
        super().__init__(message)
        self.wait = wait


@dataclass
class Posted:
    payload: dict
    created: bool


def clean_body(body) -> str:
    """Return a message text fit to store, or refuse it."""
    if not isinstance(body, str):
        raise DomainError(_("Il messaggio deve essere un testo."))
    # Control characters have no place in a message, and PostgreSQL refuses NUL outright.
    body = CONTROL_CHARACTERS.sub("", body).strip()
    if not body:
        raise DomainError(_("Il messaggio è vuoto."))
    if len(body) > BODY_MAX:
        raise DomainError(_("Il messaggio supera i %(max)d caratteri consentiti.", max=BODY_MAX))
    return body


# The statements of the posting path, built once: each message runs them, and a statement
# built anew costs more Python time than its round trip to the database.
_rooms, _messages, _mentions = Room.__table__, Message.__table__, Mention.__table__
_USER, _GROUP, _ROOM, _NOW = (bindparam(name) for name in ("user_id", "group_id", "room_id", "now"))
_GROUP_POSTING = select(participation(_USER, _GROUP), mute_end(_USER, _ROOM, _NOW))
_MUTED = select(mute_end(_USER, _ROOM, _NOW))
_NEXT_SEQ = (update(_rooms).where(_rooms.c.id == _ROOM).values(last_seq=_rooms.c.last_seq + 1)
             .returning(_rooms.c.last_seq))
_INSERT = insert(_messages).returning(_messages.c.id)


def check_can_post(author: User, room: Room) -> None:
    """Refuse a person who may not read the room or is muted in it (one query for both)."""
    params = {"user_id": author.id, "room_id": room.id, "group_id": room.group_id, "now": utcnow()}
    if room.kind == RoomKind.LABORATORY:
        may_read = author.is_delegate or author.is_platform_admin
        muted_until = db.session.execute(_MUTED, params).scalar()
    elif may_take_part(author):
        may_read, muted_until = db.session.execute(_GROUP_POSTING, params).one()
    else:
        may_read, muted_until = False, None
    if not may_read:
        raise NotPermitted(_("Non fai parte di questa stanza."))
    if muted_until is not None:
        raise NotPermitted(_("Un coordinatore ti ha silenziato in questa stanza fino al %(time)s.",
                             time=format_datetime(muted_until, "short")))


def post_message(author: User, room: Room, body, client_key) -> Posted:
    """Store a message, then send it to the room; a retried key returns the stored message."""
    body = clean_body(body)
    if not isinstance(client_key, str) or not KEY_PATTERN.match(client_key):
        raise DomainError(_("Il messaggio non ha una chiave valida."))
    check_can_post(author, room)
    html, mentioned = render_markdown(body), [p.id for p in mentioned_people(room, body, author)]
    row = {"room_id": room.id, "author_id": author.id, "author_region_id": author.region_id,
           "client_key": client_key, "body_source": body, "body_html": html,
           "created_at": utcnow()}
    try:
        _insert(row, mentioned)
    except IntegrityError:  # a retry: this key is stored already, and is not counted as flood
        db.session.rollback()
        existing = _by_key(author, room, client_key)
        if existing is None:
            raise
        return Posted(message_json(existing), created=False)
    wait = flood_wait(author.id)
    if wait:
        db.session.rollback()
        raise RateLimited(_("Stai scrivendo troppo in fretta: attendi %(seconds)d secondi.",
                            seconds=math.ceil(wait)), wait)
    payload = new_message_json(row, author)
    db.session.commit()
    events.message_posted(payload, mentioned, author.full_name)
    return Posted(payload, created=True)


def _insert(row: dict, mentioned: list[int]) -> None:
    """Number the message and store it; ``row`` gets its seq."""
    # Taking the next seq locks the room's row until the commit, so seqs follow commit order;
    # everything slow (Markdown, mentions, checks) is done before, to keep that lock short.
    row["seq"] = db.session.execute(_NEXT_SEQ, {"room_id": row["room_id"]}).scalar_one()
    message_id = db.session.execute(_INSERT, row).scalar_one()
    if mentioned:
        db.session.execute(insert(_mentions), [{"message_id": message_id, "user_id": user_id}
                                               for user_id in mentioned])


def _by_key(author: User, room: Room, client_key: str) -> Message | None:
    return db.session.scalar(
        select(Message).where(Message.room_id == room.id, Message.author_id == author.id,
                              Message.client_key == client_key)
        .options(selectinload(Message.author), selectinload(Message.author_region)))


def mentioned_people(room: Room, body: str, author: User) -> list[User]:
    """Return the room's people named in a text as @Full Name (longest names first)."""
    if "@" not in body:
        return []
    if room.kind == RoomKind.LABORATORY:
        ids = select(RoleAssignment.user_id).where(RoleAssignment.role == Role.DELEGATE.value,
                                                   RoleAssignment.ended_at.is_(None))
    else:
        ids = list(participant_ids(room.group_id))
    people = db.session.scalars(select(User).where(User.id.in_(ids), User.id != author.id))
    lowered = body.casefold()
    found = []
    for person in sorted(people, key=lambda p: -len(p.full_name)):
        pattern = re.compile(r"@" + re.escape(person.full_name.casefold()) + r"(?!\w)")
        if pattern.search(lowered):
            found.append(person)
    return found


def message_in(room: Room, seq) -> Message:
    if not isinstance(seq, int) or isinstance(seq, bool):
        raise DomainError(_("Indica il messaggio con il suo numero."))
    message = db.session.scalar(select(Message).where(Message.room_id == room.id, Message.seq == seq))
    if message is None:
        raise NotFound(_("Messaggio non trovato."))
    return message


def edit_message(actor: User, room: Room, seq, body) -> dict:
    """Change one's own message within 15 minutes, keeping the previous text."""
    check_can_post(actor, room)
    message = message_in(room, seq)
    if message.author_id != actor.id:
        raise NotPermitted(_("Puoi modificare solo i tuoi messaggi."))
    if message.deleted_at is not None:
        raise DomainError(_("Il messaggio è stato eliminato."))
    if utcnow() - message.created_at > EDIT_WINDOW:
        raise DomainError(_("Un messaggio si può modificare solo nei primi 15 minuti."))
    body = clean_body(body)
    if body == message.body_source:
        return message_json(message)
    db.session.add(MessageEdit(message_id=message.id, previous_source=message.body_source,
                               previous_html=message.body_html))
    message.body_source, message.body_html = body, render_markdown(body)
    message.edited_at = utcnow()
    payload = message_json(message)
    db.session.commit()
    events.message_changed(payload)
    return payload


def delete_message(actor: User, room: Room, seq) -> dict:
    """Delete one's own message, or any message as a moderator; a placeholder stays."""
    if not can_read(actor, room):
        raise NotPermitted(_("Non fai parte di questa stanza."))
    message = message_in(room, seq)
    moderating = message.author_id != actor.id
    if moderating and not can_moderate(actor, room):
        raise NotPermitted(_("Puoi eliminare solo i tuoi messaggi."))
    if message.deleted_at is not None:
        raise DomainError(_("Il messaggio è già stato eliminato."))
    message.deleted_at, message.deleted_by_id = utcnow(), actor.id
    record("room.message_removed" if moderating else "room.message_deleted", actor=actor,
           subject=message.author, region_id=message.author_region_id, room=room.id,
           message=message.seq)
    payload = message_json(message)
    db.session.commit()
    events.message_changed(payload)
    return payload


def edit_history(room: Room, seq) -> tuple[Message, list[MessageEdit]]:
    """Return a message and its earlier versions, oldest first (none once it is deleted)."""
    message = message_in(room, seq)
    if message.deleted_at is not None:
        return message, []
    edits = db.session.scalars(select(MessageEdit).where(MessageEdit.message_id == message.id)
                               .order_by(MessageEdit.edited_at, MessageEdit.id))
    return message, list(edits)
