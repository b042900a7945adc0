"""Writing in a room: post, edit and delete messages, with mentions, mutes and the flood limit."""
import functools
import math
import re
import time
from dataclasses import dataclass, field
from datetime import timedelta
from typing import NamedTuple

from flask import current_app
from flask_babel import gettext as _
from limits import RateLimitItemPerSecond
from limits.strategies import MovingWindowRateLimiter
from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from lab.accounts.audit import record
from lab.accounts.models import User
from lab.core.errors import DomainError, NotFound, NotPermitted
from lab.core.markup import RENDERER_VERSION, render_markdown
from lab.core.text import check_text
from lab.core.timeutil import format_moment, utcnow
from lab.extensions import db, limiter
from lab.groups.queries import participation
from lab.rooms import events
from lab.rooms.batching import GroupCommit
from lab.rooms.models import BODY_MAX, Mention, Message, MessageEdit, Room
from lab.rooms.moderation import mute_end
from lab.rooms.presence import presence
from lab.rooms.serialize import message_json, new_message_json
from lab.rooms.services import (
    can_moderate, can_read, room_by_id, room_people, room_titles,
)

EDIT_WINDOW = timedelta(minutes=15)
KEY_PATTERN = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


class RateLimited(DomainError):
    """Too many messages in a short time; ``wait`` says how many seconds until the next may go."""

    status = 429

    def __init__(self, message: str, wait: float):
        super().__init__(message)
        self.wait = wait


class Posted(NamedTuple):
    payload: dict
    created: bool  # False for a retried key: the message stored the first time


def posting_refusals(room_id: int, author_ids: set[int]) -> dict[int, NotPermitted]:
    """The rule of who may write in a room now: whoever may read it, unless muted there.

    Returns the refusal of each person who may not; raises NotFound without the room. Read in
    one statement for everyone asked (the room, each person with their roles, whether they take
    part in its group, when their mute ends), as the room's writer reads it for its batch: each
    round trip of the writer waits for a busy event loop, and five of them were this reading
    (7 a batch now instead of 11; p95 0.55x and 0.75x the code before in a room of 200, same
    runs: bench/README.md, "Round trips in the writer").
    """
    rows = db.session.execute(
        select(Room, User, participation(User.id, Room.group_id), mute_end(User.id, Room.id))
        .select_from(Room).join(User, User.id.in_(author_ids)).where(Room.id == room_id)
        .options(joinedload(User.role_assignments))).unique().all()
    if not rows:
        room_by_id(room_id)  # the room is gone, or none of these people exists
    refusals = {author_id: NotPermitted(_("Non fai parte di questa stanza."))
                for author_id in author_ids}
    for room, person, takes_part, until in rows:
        if not can_read(person, room, takes_part):
            continue
        if until is not None:
            refusals[person.id] = NotPermitted(_(
                "Un coordinatore ti ha silenziato in questa stanza fino al %(time)s.",
                time=format_moment(until)))
        else:
            del refusals[person.id]
    return refusals


def check_may_post(person: User, room: Room) -> None:
    """Refuse if the person may not write in the room now (``posting_refusals``)."""
    refusal = posting_refusals(room.id, {person.id}).get(person.id)
    if refusal is not None:
        raise refusal


def clean_body(body) -> str:
    """Return a message text fit to store, or refuse it."""
    if not isinstance(body, str):
        raise DomainError(_("Il messaggio deve essere un testo."))
    body = check_text(body).strip()
    if not body:
        raise DomainError(_("Il messaggio è vuoto."))
    if len(body) > BODY_MAX:
        raise DomainError(_("Il messaggio supera i %(max)d caratteri consentiti.", max=BODY_MAX))
    return body


def post_message(author: User, room_id: int, body, client_key) -> Posted:
    """Store a message, then send it to the room; a retried key returns the stored message.

    The author's request checks only the text and the key; the room's writer then does the
    rest for everything that reached the room meanwhile (``_write``): the posting rule for its
    authors in one statement, the retried keys, the flood limit, the numbering, one commit, and
    the broadcast in order. A waiting send holds no connection, and takes none from the writer.
    """
    body = clean_body(body)
    if not isinstance(client_key, str) or not KEY_PATTERN.match(client_key):
        raise DomainError(_("Il messaggio non ha una chiave valida."))
    draft = _Draft(
        {"room_id": room_id, "author_id": author.id, "author_region_id": author.region_id,
         "client_key": client_key, "body_source": body, "body_html": render_markdown(body),
         "html_version": RENDERER_VERSION, "created_at": utcnow()},
        author.full_name)
    # The connection goes back to the pool while the writer works (nothing loaded may be read
    # until the writer answers: reading an expired attribute would take a connection again).
    db.session.rollback()
    try:
        outcome = _writers.submit(room_id, draft, current_app._get_current_object().app_context)
    except (NotFound, NotPermitted):  # the writer's reading, in the platform's language:
        check_may_post(author, room_by_id(room_id))  # the same rule read again, in the author's
        raise
    if isinstance(outcome, _Flooded):
        raise RateLimited(_("Stai scrivendo troppo in fretta: attendi %(seconds)d secondi.",
                            seconds=math.ceil(outcome.wait)), outcome.wait)
    if outcome is not None:
        return outcome
    stored = _stored(room_id, draft.row["author_id"], client_key)  # meanwhile, by another process
    if stored is None:
        raise RuntimeError("the database refused the message")
    return Posted(message_json(stored), created=False)


@dataclass
class _Draft:
    """A message ready to store: its columns but ``seq``, and (found by the writer) whom it names."""

    row: dict
    author_name: str
    mentioned: list[int] = field(default_factory=list)


class _Flooded(NamedTuple):
    wait: float


_NEW = object()  # the writer's mark for a draft to store


def _write(room_id: int, drafts: list[_Draft]) -> list:
    """Answer the messages waiting for a room; store the new ones and send them to the room.

    Group commit: the room's row is locked from the numbering to the commit, once for the
    batch rather than once for each message (the figures: bench/README.md, "The write path").
    Returns for each message its ``Posted``, a refusal (an exception or ``_Flooded``), or None
    if its key was stored meanwhile through another process.
    """
    db.session.rollback()  # the writer's previous batch may have ended on a read
    try:
        refusals = posting_refusals(room_id, {draft.row["author_id"] for draft in drafts})
    except NotFound as missing:
        return [missing] * len(drafts)
    outcomes = _screen(room_id, drafts, refusals)
    new = [draft for draft, outcome in zip(drafts, outcomes) if outcome is _NEW]
    if any("@" in draft.row["body_source"] for draft in new):
        people = room_people(room_by_id(room_id))
        for draft in new:
            draft.mentioned = _named_in(draft.row["body_source"], people, draft.row["author_id"])
    stored = iter(_store(room_id, new))
    return [next(stored) if outcome is _NEW else outcome for outcome in outcomes]


def _screen(room_id: int, drafts: list[_Draft], refusals: dict[int, NotPermitted]) -> list:
    """Answer what is not a new message its author may post now; mark the rest ``_NEW``.

    The authors the posting rule refuses are refused, then a retried key gets its stored
    message (not counted as flood), then each message counts towards its author's flood limit.
    """
    retried = {(message.author_id, message.client_key): message for message in db.session.scalars(
        select(Message).where(Message.room_id == room_id, Message.client_key.in_(
            [draft.row["client_key"] for draft in drafts])))}
    outcomes = []
    for draft in drafts:
        author_id = draft.row["author_id"]
        stored = retried.get((author_id, draft.row["client_key"]))
        if author_id in refusals:
            outcomes.append(refusals[author_id])
        elif stored is not None:
            outcomes.append(Posted(message_json(stored), created=False))
        elif wait := flood_wait(author_id):
            outcomes.append(_Flooded(wait))
        else:
            outcomes.append(_NEW)
    return outcomes


def _store(room_id: int, drafts: list[_Draft]) -> list[Posted | None]:
    """Number, insert and commit new messages, then send them to the room in order."""
    if not drafts:
        return []
    try:
        _insert(room_id, drafts)
        db.session.commit()
    except IntegrityError:  # a key stored meanwhile through another process: one at a time
        db.session.rollback()
        if len(drafts) == 1:
            return [None]
        return [posted for draft in drafts for posted in _store(room_id, [draft])]
    payloads = [new_message_json(draft.row, draft.author_name) for draft in drafts]
    for draft, payload in zip(drafts, payloads):
        events.message_posted(payload, draft.mentioned, draft.author_name,
                              room_titles(room_id) if draft.mentioned else None)
        if draft.mentioned:
            _tell_mentioned(room_id, payload["id"], draft.mentioned)
    return [Posted(payload, created=True) for payload in payloads]


def _insert(room_id: int, drafts: list[_Draft]) -> None:
    """Give the messages the room's next seqs, under its row's lock, and insert them."""
    last = db.session.execute(update(Room).where(Room.id == room_id)
                              .values(last_seq=Room.last_seq + len(drafts))
                              .returning(Room.last_seq)).scalar_one()
    for n, draft in enumerate(drafts):
        draft.row["seq"] = last - len(drafts) + 1 + n
    ids = db.session.scalars(insert(Message).returning(Message.id, sort_by_parameter_order=True),
                             [draft.row for draft in drafts]).all()
    mentions = [{"message_id": message_id, "user_id": user_id}
                for message_id, draft in zip(ids, drafts) for user_id in draft.mentioned]
    if mentions:
        db.session.execute(insert(Mention), mentions)


_writers = GroupCommit(_write)


def _stored(room_id: int, author_id: int, client_key: str) -> Message | None:
    return db.session.scalar(select(Message).where(
        Message.room_id == room_id, Message.author_id == author_id,
        Message.client_key == client_key))


def _named_in(body: str, people: list[User], author_id: int) -> list[int]:
    """Return the ids of the people a text names as @Full Name, its author left out."""
    if "@" not in body:
        return []
    lowered = body.casefold()
    people = sorted(people, key=lambda person: -len(person.full_name))
    return [person.id for person in people if person.id != author_id and re.search(
        r"@" + re.escape(person.full_name.casefold()) + r"(?!\w)", lowered)]


def _tell_mentioned(room_id: int, seq: int, user_ids: list[int]) -> None:
    """Let other domains react to a mention; the message is stored whatever they do."""
    try:
        events.mentioned.send(room_id, seq=seq, user_ids=user_ids,
                              connected=presence().connected(user_ids))
    except Exception:  # noqa: BLE001 - a failed notice must not fail the send that stored it
        db.session.rollback()
        current_app.logger.exception("Reacting to a mention in room %s failed", room_id)


# --- the flood limit ------------------------------------------------------------------------
# At most ROOMS_FLOOD_LIMIT messages in ROOMS_FLOOD_SECONDS per person, counted in
# Flask-Limiter's storage (a moving window): in memory on one process, shared by every process
# when ``RATELIMIT_STORAGE_URI`` points at Redis.

@functools.lru_cache(maxsize=8)
def _window(storage) -> MovingWindowRateLimiter:
    return MovingWindowRateLimiter(storage)


def flood_wait(user_id: int) -> float:
    """Count one message by a person; return the seconds they must wait, 0 when it may go."""
    item = RateLimitItemPerSecond(int(current_app.config.get("ROOMS_FLOOD_LIMIT", 10)),
                                  int(current_app.config.get("ROOMS_FLOOD_SECONDS", 10)))
    window = _window(limiter.storage)  # the app's storage, which the suite resets between tests
    if window.hit(item, "rooms-flood", str(user_id)):
        return 0.0
    reset_at = window.get_window_stats(item, "rooms-flood", str(user_id)).reset_time
    return max(0.1, reset_at - time.time())


# --- editing and deleting -------------------------------------------------------------------

def message_in(room: Room, seq) -> Message:
    if not isinstance(seq, int) or isinstance(seq, bool):
        raise DomainError(_("Indica il messaggio con il suo numero."))
    message = db.session.scalar(select(Message).where(Message.room_id == room.id, Message.seq == seq))
    if message is None:
        raise NotFound(_("Messaggio non trovato."))
    return message


def edit_message(actor: User, room: Room, seq, body) -> dict:
    """Change one's own message within 15 minutes, keeping the previous text."""
    check_may_post(actor, room)
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
