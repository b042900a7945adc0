"""Writing in a room: post, edit and delete messages, with mentions, mutes and the flood limit."""
import math
import re
from dataclasses import dataclass
from datetime import timedelta
from typing import NamedTuple

from flask_babel import format_datetime, gettext as _
from sqlalchemy import bindparam, exists, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from lab.accounts.audit import record
from lab.accounts.models import Role, RoleAssignment, User
from lab.accounts.auth import SignIn
from lab.core.errors import DomainError, NotFound, NotPermitted, SignedOut
from lab.core.markup import render_markdown
from lab.core.timeutil import utcnow
from lab.extensions import db
from lab.groups.queries import participant_ids, participation
from lab.rooms import events
from lab.rooms.batching import GroupCommit
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


class Posting(NamedTuple):
    """A room someone may write in now, and what a message there records of its author."""

    id: int
    kind: str
    group_id: int | None
    author_id: int
    author_region_id: int | None
    author_name: str


# The statements of the posting path, built once: each message runs them, and a statement
# built anew costs more Python time than its round trip to the database.
_users, _rooms, _messages, _mentions = User.__table__, Room.__table__, Message.__table__, Mention.__table__
_USER, _ROOM, _NOW = (bindparam(name) for name in ("user_id", "room_id", "now"))


def _holds(role: Role):
    roles = RoleAssignment.__table__.c
    return exists(select(roles.id).where(
        roles.user_id == _users.c.id, roles.role == role.value, roles.started_at <= _NOW,
        or_(roles.ended_at.is_(None), roles.ended_at > _NOW)))


# The author as the database has them now (their sign-in, roles and region), the room, whether
# they take part in its group and until when they are muted in it.
_POSTING_RIGHTS = (
    select(_users.c.active, _users.c.session_version, _users.c.region_id, _users.c.full_name,
           _holds(Role.DELEGATE), _holds(Role.PLATFORM_ADMIN), _rooms.c.kind, _rooms.c.group_id,
           participation(_USER, _rooms.c.group_id), mute_end(_USER, _rooms.c.id, _NOW))
    .select_from(_users.outerjoin(_rooms, _rooms.c.id == _ROOM)).where(_users.c.id == _USER))
_NEXT_SEQS = (update(_rooms).where(_rooms.c.id == _ROOM)
              .values(last_seq=_rooms.c.last_seq + bindparam("count")).returning(_rooms.c.last_seq))
_INSERT = insert(_messages).returning(_messages.c.id, sort_by_parameter_order=True)
# Retried keys, found through the (room, author, key) unique index.
_STORED = (select(Message).where(Message.room_id == _ROOM,
                                 Message.author_id.in_(bindparam("authors", expanding=True)),
                                 Message.client_key.in_(bindparam("keys", expanding=True)))
           .options(selectinload(Message.author), selectinload(Message.author_region)))


def room_for_posting(author: User | SignIn, room_id: int) -> Posting:
    """Return the room if the person may write in it now; refuse a non-member or a muted one.

    ``author`` is a signed-in ``User``, or the ``SignIn`` a socket connection was opened with;
    either way the sign-in is checked again. One query answers for the person, the room, the
    membership and the mutes: it runs for every message.
    """
    row = db.session.execute(_POSTING_RIGHTS, {"user_id": author.id, "room_id": room_id,
                                               "now": utcnow()}).one_or_none()
    if row is None or not row.active or row.session_version != author.session_version:
        raise SignedOut(_("Accedi per usare le stanze."))
    (_active, _version, region_id, name, delegate, platform_admin, kind, group_id, takes_part,
     muted_until) = row
    if kind is None:
        raise NotFound(_("Stanza non trovata."))
    may_write = (delegate or platform_admin) if kind == RoomKind.LABORATORY else (delegate and takes_part)
    if not may_write:
        raise NotPermitted(_("Non fai parte di questa stanza."))
    if muted_until is not None:
        raise NotPermitted(_("Un coordinatore ti ha silenziato in questa stanza fino al %(time)s.",
                             time=format_datetime(muted_until, "short")))
    return Posting(room_id, kind, group_id, author.id, region_id, name)


@dataclass
class _Draft:
    """A checked message waiting for its batch: its columns (``seq`` comes when it is stored)."""

    row: dict
    mentioned: list[int]
    author_name: str


@dataclass(frozen=True)
class _Flooded:
    wait: float


def _draft(author: User | SignIn, room_id: int, body, client_key) -> _Draft:
    """Check a message and prepare what will be stored: everything but its seq."""
    body = clean_body(body)
    if not isinstance(client_key, str) or not KEY_PATTERN.match(client_key):
        raise DomainError(_("Il messaggio non ha una chiave valida."))
    posting = room_for_posting(author, room_id)
    mentioned = [person.id for person in mentioned_people(posting, body, author)]
    return _Draft({"room_id": room_id, "author_id": author.id,
                   "author_region_id": posting.author_region_id, "client_key": client_key,
                   "body_source": body, "body_html": render_markdown(body), "created_at": utcnow()},
                  mentioned, posting.author_name)


def post_message(author: User | SignIn, room_id: int, body, client_key) -> Posted:
    """Store a message, then send it to the room; a retried key returns the stored message."""
    draft = _draft(author, room_id, body, client_key)
    # End the checks' read-only transaction: its connection goes back to the pool instead of
    # idling while the message waits for its batch.
    db.session.rollback()
    outcome = _batches.submit(room_id, draft)
    if isinstance(outcome, _Flooded):  # worded here, in the author's language
        raise RateLimited(_("Stai scrivendo troppo in fretta: attendi %(seconds)d secondi.",
                            seconds=math.ceil(outcome.wait)), outcome.wait)
    return outcome


def _write_batch(room_id: int, drafts: list[_Draft]) -> list:
    """Store the messages waiting for a room in one transaction, then send them to the room.

    Returns, per draft: a ``Posted`` (``created=False`` for a retried key, which is not counted
    as flood), or ``_Flooded``.
    """
    outcomes: list = [None] * len(drafts)
    stored = _stored_payloads(room_id, drafts)
    first_of: dict[tuple[int, str], int] = {}
    fresh: list[int] = []
    for n, draft in enumerate(drafts):
        key = (draft.row["author_id"], draft.row["client_key"])
        if key in stored:
            outcomes[n] = Posted(stored[key], created=False)
        elif key not in first_of:
            first_of[key] = n
            wait = flood_wait(draft.row["author_id"])
            if wait:
                outcomes[n] = _Flooded(wait)
            else:
                fresh.append(n)
    created = _store(room_id, [drafts[n] for n in fresh], fresh)
    for n in created:
        draft = drafts[n]
        outcomes[n] = Posted(new_message_json(draft.row, draft.author_name), created=True)
        events.message_posted(outcomes[n].payload, draft.mentioned, draft.author_name)
    raced = [n for n in fresh if n not in created]
    if raced:  # stored meanwhile through another process
        stored = _stored_payloads(room_id, [drafts[n] for n in raced])
        for n in raced:
            outcomes[n] = Posted(stored[(drafts[n].row["author_id"], drafts[n].row["client_key"])],
                                 created=False)
    for n, draft in enumerate(drafts):  # the same key twice in one batch: a retry of the first
        if outcomes[n] is None:
            first = outcomes[first_of[(draft.row["author_id"], draft.row["client_key"])]]
            outcomes[n] = first if isinstance(first, _Flooded) else Posted(first.payload, created=False)
    return outcomes


def _store(room_id: int, drafts: list[_Draft], positions: list[int]) -> list[int]:
    """Number and commit the drafts; return the positions of those this call stored.

    All in one transaction; if a key turns out to be stored already (a retry that reached
    another process at the same moment), again one at a time, leaving that one out.
    """
    if not drafts:
        return []
    try:
        _insert(room_id, drafts)
        db.session.commit()
        return positions
    except IntegrityError:
        db.session.rollback()
        if len(drafts) == 1:
            return []
    return [stored for draft, position in zip(drafts, positions)
            for stored in _store(room_id, [draft], [position])]


def _insert(room_id: int, drafts: list[_Draft]) -> None:
    """Give the drafts the room's next seqs and insert them with their mentions."""
    # Taking the seqs locks the room's row until the commit, so seqs follow commit order;
    # everything slow (Markdown, mentions, checks) is done before, to keep that lock short.
    last = db.session.execute(_NEXT_SEQS, {"room_id": room_id, "count": len(drafts)}).scalar_one()
    for n, draft in enumerate(drafts):
        draft.row["seq"] = last - len(drafts) + 1 + n
    ids = db.session.execute(_INSERT, [draft.row for draft in drafts]).scalars().all()
    mentions = [{"message_id": message_id, "user_id": user_id}
                for message_id, draft in zip(ids, drafts) for user_id in draft.mentioned]
    if mentions:
        db.session.execute(insert(_mentions), mentions)


def _stored_payloads(room_id: int, drafts: list[_Draft]) -> dict[tuple[int, str], dict]:
    """Return the messages already stored under the drafts' keys, by (author id, key)."""
    wanted = {(draft.row["author_id"], draft.row["client_key"]) for draft in drafts}
    found = db.session.scalars(_STORED, {
        "room_id": room_id, "authors": sorted({author for author, _key in wanted}),
        "keys": sorted({key for _author, key in wanted})})
    return {(m.author_id, m.client_key): message_json(m) for m in found
            if (m.author_id, m.client_key) in wanted}


_batches = GroupCommit(_write_batch)


def mentioned_people(room: Room | Posting, body: str, author: User | SignIn) -> list[User]:
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
    room_for_posting(actor, room.id)
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
