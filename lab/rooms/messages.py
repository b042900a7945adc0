"""Writing in a room: post, edit and delete messages, with mentions, mutes and the flood limit."""
import math
import re
from dataclasses import dataclass
from datetime import timedelta
from typing import NamedTuple

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import Row, bindparam, exists, insert, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from lab.accounts.audit import record
from lab.accounts.models import RoleAssignment, User
from lab.accounts.auth import SignIn
from lab.core.errors import DomainError, NotFound, NotPermitted, SignedOut
from lab.core.markup import RENDERER_VERSION, render_markdown
from lab.core.text import check_text
from lab.core.timeutil import format_moment, utcnow
from lab.extensions import db
from lab.groups.queries import participant_ids, participation
from lab.rooms import events
from lab.rooms.batching import GroupCommit
from lab.rooms.flood import flood_wait
from lab.rooms.models import BODY_MAX, Mention, Message, MessageEdit, Room, RoomKind
from lab.rooms.moderation import mute_end
from lab.rooms.presence import presence
from lab.rooms.serialize import message_json, new_message_json
from lab.rooms.services import (
    LABORATORY_ROLES, can_moderate, can_read, laboratory_people, may_use, room_titles,
)
from lab.rooms.signals import mentioned

EDIT_WINDOW = timedelta(minutes=15)
KEY_PATTERN = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


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
    # The edges refuse such text already; checked here too because one message that cannot be
    # encoded would fail the whole batch it is written with.
    body = check_text(body).strip()
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


# The statements of the posting path, built once: each batch runs them, and a statement
# built anew costs more Python time than its round trip to the database.
_users, _rooms = User.__table__, Room.__table__
_messages, _mentions = Message.__table__, Mention.__table__
_ROOM, _NOW = bindparam("room_id"), bindparam("now")


# Some people as the database has them now (active or not, roles and region), the room, whether
# they take part in its group, until when they are muted in it, and whether any of the keys
# being sent is already stored as theirs there (a retry: rare, so only then are they looked up).
_POSTING_RIGHTS = (
    select(_users.c.id, _users.c.active, _users.c.region_id,
           _users.c.full_name, _rooms.c.kind, _rooms.c.group_id,
           *(RoleAssignment.held(_users.c.id, role, _NOW).label(role.value)
             for role in sorted(LABORATORY_ROLES)),
           participation(_users.c.id, _rooms.c.group_id).label("takes_part"),
           mute_end(_users.c.id, _rooms.c.id, _NOW).label("muted_until"),
           exists(select(_messages.c.id).where(
               _messages.c.room_id == _ROOM, _messages.c.author_id == _users.c.id,
               _messages.c.client_key.in_(bindparam("keys", expanding=True)))).label("retried"))
    .select_from(_users.outerjoin(_rooms, _rooms.c.id == _ROOM))
    .where(_users.c.id.in_(bindparam("user_ids", expanding=True))))
_NEXT_SEQS = (update(_rooms).where(_rooms.c.id == _ROOM)
              .values(last_seq=_rooms.c.last_seq + bindparam("count")).returning(_rooms.c.last_seq))
_INSERT = insert(_messages).returning(_messages.c.id, sort_by_parameter_order=True)
# Retried keys, found through the (room, author, key) unique index: nearly always none, so the
# messages themselves are loaded only for the keys found.
_STORED_KEYS = select(_messages.c.id, _messages.c.author_id, _messages.c.client_key).where(
    _messages.c.room_id == _ROOM, _messages.c.author_id.in_(bindparam("authors", expanding=True)),
    _messages.c.client_key.in_(bindparam("keys", expanding=True)))


def _posting_rights(room_id: int, user_ids, keys=()) -> dict[int, Row]:
    """Return, by person, what ``_posting`` needs to decide whether they may write in the room."""
    rows = db.session.execute(_POSTING_RIGHTS, {"user_ids": sorted(user_ids), "room_id": room_id,
                                                "now": utcnow(), "keys": sorted(keys)})
    return {row.id: row for row in rows}


def _posting(rights: Row | None, author: User | SignIn, room_id: int) -> Posting:
    """Return the room if these rights let the person write in it now; refuse them otherwise."""
    if rights is None or not rights.active:
        raise SignedOut(_("Accedi per usare le stanze."))
    if rights.kind is None:
        raise NotFound(_("Stanza non trovata."))
    roles = [role for role in LABORATORY_ROLES if getattr(rights, role.value)]
    if not may_use(rights.kind, roles, lambda: rights.takes_part):
        raise NotPermitted(_("Non fai parte di questa stanza."))
    if rights.muted_until is not None:
        raise NotPermitted(_("Un coordinatore ti ha silenziato in questa stanza fino al %(time)s.",
                             time=format_moment(rights.muted_until)))
    return Posting(room_id, rights.kind, rights.group_id, author.id, rights.region_id,
                   rights.full_name)


def room_for_posting(author: User | SignIn, room_id: int) -> Posting:
    """Return the room if the person may write in it now; refuse a non-member or a muted one.

    ``author`` is a signed-in ``User``, or the ``SignIn`` a socket connection was opened with;
    either way the account must still be active. (A socket whose session ends is closed by
    lab.rooms.control at once.)
    """
    return _posting(_posting_rights(room_id, [author.id]).get(author.id), author, room_id)


@dataclass
class _Draft:
    """A message waiting for its batch, checked for its form only: the batch checks its author."""

    author: SignIn
    client_key: str
    body: str
    html: str


@dataclass
class _Accepted:
    """A draft whose author may write: its columns (``seq`` comes when it is stored)."""

    row: dict
    author_name: str
    mentioned: list[int]


class _Refused(NamedTuple):
    """The author may not write there: the caller words why, in the author's language."""

    rights: Row | None


class _Flooded(NamedTuple):
    wait: float


def _draft(author: User | SignIn, body, client_key) -> _Draft:
    """Check a message's form and render it."""
    body = clean_body(body)
    if not isinstance(client_key, str) or not KEY_PATTERN.match(client_key):
        raise DomainError(_("Il messaggio non ha una chiave valida."))
    return _Draft(SignIn(author.id, author.session_id), client_key, body,
                  render_markdown(body))


def post_message(author: User | SignIn, room_id: int, body, client_key) -> Posted:
    """Store a message, then send it to the room; a retried key returns the stored message.

    The message waits for its room's next batch (``_write_batch``), which checks its author's
    rights with everyone else's in it: a busy room costs the database a few statements per
    batch, not per message.
    """
    draft = _draft(author, body, client_key)
    if db.session.registry.has():  # (a socket event has no session: creating one costs)
        db.session.rollback()  # the caller's connection goes back to the pool while it waits
    outcome = _batches.submit(room_id, draft, current_app._get_current_object().app_context)
    if isinstance(outcome, _Refused):  # the same check as the batch's, so it raises the same
        _posting(outcome.rights, draft.author, room_id)
    if isinstance(outcome, _Flooded):
        raise RateLimited(_("Stai scrivendo troppo in fretta: attendi %(seconds)d secondi.",
                            seconds=math.ceil(outcome.wait)), outcome.wait)
    return outcome


def _write_batch(room_id: int, drafts: list[_Draft]) -> list:
    """Check and store the messages waiting for a room, all at once, then send them.

    Returns, per draft: a ``Posted`` (``created=False`` for a retried key, which is not counted
    as flood), ``_Refused`` or ``_Flooded``.
    """
    db.session.rollback()  # the writer's previous batch may have ended on a read
    if _on_postgresql() and not any("@" in draft.body for draft in drafts):
        # Without mentions, PostgreSQL stores the batch with one statement, atomic by itself, and
        # the checks read committed data either way: no transaction is needed around them, and
        # its BEGIN and COMMIT would be two more waits for a busy process's event loop.
        db.session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
    outcomes: list = [None] * len(drafts)
    rights = _posting_rights(room_id, {draft.author.id for draft in drafts},
                             {draft.client_key for draft in drafts})
    accepted: dict[int, _Accepted] = {}
    first_of: dict[tuple[int, str], int] = {}  # each key's first accepted draft
    people: list[User] | None = None  # who may be mentioned in the room, loaded if needed
    for n, draft in enumerate(drafts):
        try:
            posting = _posting(rights.get(draft.author.id), draft.author, room_id)
        except DomainError:
            outcomes[n] = _Refused(rights.get(draft.author.id))
            continue
        first_of.setdefault(_key(draft), n)
        if "@" in draft.body and people is None:
            people = _mentionable(posting)
        accepted[n] = _Accepted(
            {"room_id": room_id, "author_id": posting.author_id,
             "author_region_id": posting.author_region_id, "client_key": draft.client_key,
             "body_source": draft.body, "body_html": draft.html,
             "html_version": RENDERER_VERSION, "created_at": utcnow()},
            posting.author_name, _named_in(draft.body, people or [], posting.author_id))
    stored = _stored_payloads(room_id, [drafts[n] for n in accepted
                                        if rights[drafts[n].author.id].retried])
    fresh: list[int] = []
    for n in accepted:
        if _key(drafts[n]) in stored:
            outcomes[n] = Posted(stored[_key(drafts[n])], created=False)
        elif first_of[_key(drafts[n])] == n:
            wait = flood_wait(drafts[n].author.id)
            if wait:
                outcomes[n] = _Flooded(wait)
            else:
                fresh.append(n)
    created = set(_store(room_id, [accepted[n] for n in fresh], fresh))
    for n in fresh:
        if n in created:
            message = accepted[n]
            outcomes[n] = Posted(new_message_json(message.row, message.author_name), created=True)
            events.message_posted(outcomes[n].payload, message.mentioned, message.author_name,
                                  room_titles(room_id) if message.mentioned else None)
            if message.mentioned:
                _tell_mentioned(room_id, message)
    raced = [n for n in fresh if n not in created]
    if raced:  # stored meanwhile through another process, or refused by the database
        stored = _stored_payloads(room_id, [drafts[n] for n in raced])
        for n in raced:
            key = _key(drafts[n])
            outcomes[n] = (Posted(stored[key], created=False) if key in stored
                           else RuntimeError("the database refused the message"))
    for n in accepted:  # the same key twice in one batch: a retry of the first
        if outcomes[n] is None:
            earlier = outcomes[first_of[_key(drafts[n])]]
            outcomes[n] = (Posted(earlier.payload, created=False) if isinstance(earlier, Posted)
                           else earlier)
    return outcomes


def _tell_mentioned(room_id: int, message: _Accepted) -> None:
    """Let other domains react to a mention; the message is stored whatever they do."""
    try:
        mentioned.send(room_id, seq=message.row["seq"], user_ids=message.mentioned,
                       connected=presence().connected(message.mentioned))
    except Exception:  # noqa: BLE001 - a failed notice must not fail the batch that stored it
        db.session.rollback()
        current_app.logger.exception("Reacting to a mention in room %s failed", room_id)


def _key(draft: _Draft) -> tuple[int, str]:
    return draft.author.id, draft.client_key


def _on_postgresql() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def _store(room_id: int, messages: list[_Accepted], positions: list[int]) -> list[int]:
    """Number and commit the messages; return the positions of those this call stored.

    All at once; if a key turns out to be stored already (a retry that reached another process
    at the same moment), again one at a time, leaving that one out.
    """
    if not messages:
        return []
    try:
        _insert(room_id, messages)
        db.session.commit()
        return positions
    except IntegrityError:
        db.session.rollback()
        if len(messages) == 1:
            return []
    return [stored for message, position in zip(messages, positions)
            for stored in _store(room_id, [message], [position])]


def _insert(room_id: int, messages: list[_Accepted]) -> None:
    """Give the messages the room's next seqs and insert them with their mentions."""
    # Taking the seqs locks the room's row until the commit, so seqs follow commit order;
    # everything slow (Markdown, checks) is done before, to keep that lock short.
    if _on_postgresql():
        ids = _number_and_insert_in_one_statement(room_id, messages)
    else:
        last = db.session.execute(_NEXT_SEQS, {"room_id": room_id,
                                               "count": len(messages)}).scalar_one()
        for n, message in enumerate(messages):
            message.row["seq"] = last - len(messages) + 1 + n
        ids = db.session.execute(_INSERT, [message.row for message in messages]).scalars().all()
    mentions = [{"message_id": message_id, "user_id": user_id}
                for message_id, message in zip(ids, messages) for user_id in message.mentioned]
    if mentions:
        db.session.execute(insert(_mentions), mentions)


# PostgreSQL numbers and inserts a batch in one statement whose text is the same whatever the
# batch's size, so psycopg and the server parse it once: the general multi-row INSERT cost the
# writer of a busy room more time than anything else it did, and one round trip more.
_NUMBER_AND_INSERT = text("""
    WITH numbered AS (
        UPDATE rooms SET last_seq = last_seq + :count WHERE id = :room_id RETURNING last_seq)
    INSERT INTO room_messages (room_id, seq, author_id, author_region_id, client_key,
                               body_source, body_html, html_version, created_at)
    SELECT :room_id, numbered.last_seq - :count + batch.n, batch.author_id,
           batch.author_region_id, batch.client_key, batch.body_source, batch.body_html,
           :html_version, batch.created_at
    FROM numbered, unnest(CAST(:author_id AS integer[]), CAST(:author_region_id AS integer[]),
                          CAST(:client_key AS varchar[]), CAST(:body_source AS text[]),
                          CAST(:body_html AS text[]), CAST(:created_at AS timestamp[]))
         WITH ORDINALITY AS batch(author_id, author_region_id, client_key, body_source,
                                  body_html, created_at, n)
    RETURNING id, seq""")
_ARRAYS = ("author_id", "author_region_id", "client_key", "body_source", "body_html", "created_at")


def _number_and_insert_in_one_statement(room_id: int, messages: list[_Accepted]) -> list[int]:
    """Insert the messages with the room's next seqs (PostgreSQL); return their ids, in order."""
    arrays = {column: [message.row[column] for message in messages] for column in _ARRAYS}
    rows = db.session.execute(_NUMBER_AND_INSERT, {"room_id": room_id, "count": len(messages),
                                                   "html_version": RENDERER_VERSION, **arrays})
    ids_by_seq = {seq: message_id for message_id, seq in rows}
    seqs = sorted(ids_by_seq)  # the batch's seqs were given in the order of the arrays
    for message, seq in zip(messages, seqs):
        message.row["seq"] = seq
    return [ids_by_seq[seq] for seq in seqs]


def _stored_payloads(room_id: int, drafts: list[_Draft]) -> dict[tuple[int, str], dict]:
    """Return the messages already stored under the drafts' keys, by (author id, key)."""
    if not drafts:
        return {}
    wanted = {_key(draft) for draft in drafts}
    candidates = db.session.execute(_STORED_KEYS, {
        "room_id": room_id, "authors": sorted({author for author, _key in wanted}),
        "keys": sorted({key for _author, key in wanted})})
    found = [row.id for row in candidates if (row.author_id, row.client_key) in wanted]
    if not found:
        return {}
    messages = db.session.scalars(select(Message).where(Message.id.in_(found)).options(
        selectinload(Message.author), selectinload(Message.author_region)))
    return {(m.author_id, m.client_key): message_json(m) for m in messages}


_batches = GroupCommit(_write_batch)


def _mentionable(room: Posting) -> list[User]:
    """Return the people who may be mentioned in a room, longest names first."""
    if room.kind == RoomKind.LABORATORY:
        ids = laboratory_people()
    else:
        ids = list(participant_ids(room.group_id))
    people = db.session.scalars(select(User).where(User.id.in_(ids)))
    return sorted(people, key=lambda person: -len(person.full_name))


def _named_in(body: str, people: list[User], author_id: int) -> list[int]:
    """Return the ids of the people a text names as @Full Name, its author left out."""
    if "@" not in body:
        return []
    lowered = body.casefold()
    return [person.id for person in people if person.id != author_id and re.search(
        r"@" + re.escape(person.full_name.casefold()) + r"(?!\w)", lowered)]


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
    message.html_version = RENDERER_VERSION
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


def rerender_stale(batch: int = 500) -> int:
    """Render again, a batch per transaction, the messages an older renderer made; count them."""
    count = 0
    while stale := db.session.scalars(select(Message).where(
            Message.html_version != RENDERER_VERSION).order_by(Message.id).limit(batch)).all():
        for message in stale:
            message.rerender()
        db.session.commit()
        count += len(stale)
    return count


def edit_history(room: Room, seq) -> tuple[Message, list[MessageEdit]]:
    """Return a message and its earlier versions, oldest first (none once it is deleted)."""
    message = message_in(room, seq)
    if message.deleted_at is not None:
        return message, []
    edits = db.session.scalars(select(MessageEdit).where(MessageEdit.message_id == message.id)
                               .order_by(MessageEdit.edited_at, MessageEdit.id))
    return message, list(edits)
