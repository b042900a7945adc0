"""Rooms: who may enter, which rooms a person has, unread counts, history and search."""
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from flask import current_app
from flask_babel import force_locale, gettext as _
from sqlalchemy import bindparam, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from lab.accounts.audit import record
from lab.accounts.models import Role, RoleAssignment, User
from lab.accounts.signals import personal_data_requested
from lab.core.errors import DomainError, NotFound, NotPermitted
from lab.core.timeutil import utcnow
from lab.extensions import db
from lab.groups.models import Group
from lab.groups.queries import groups_of, is_coordinator, is_participant, participant_ids
from lab.rooms.models import Mention, Message, ReadState, Room, RoomKind

PAGE_SIZE = 50
LABORATORY_KEY = "laboratory"
# Who uses the Laboratory-wide room; until events exist it is where forum organisers meet
# the delegates.
LABORATORY_ROLES = frozenset({Role.DELEGATE, Role.ORGANISER, Role.PLATFORM_ADMIN})


@dataclass
class RoomEntry:
    room: Room
    unread: int = 0
    mentions: int = 0


# --- access -----------------------------------------------------------------------------------

def may_use(kind: str, roles: Iterable[Role], takes_part: Callable[[], bool]) -> bool:
    """The rule of who reads and writes in a room, for a person and for a row of the database.

    ``roles`` are the roles the person holds now; ``takes_part`` tells (when asked) whether they
    are a current member or coordinator of the room's group.
    """
    roles = set(roles)
    if kind == RoomKind.LABORATORY:
        return bool(roles & LABORATORY_ROLES)
    return Role.DELEGATE in roles and takes_part()


def held_roles(user: User) -> set[Role]:
    return {Role(assignment.role) for assignment in user.active_roles()}


def can_read(user: User, room: Room, takes_part: bool | None = None) -> bool:
    """Tell whether a person may read and write in a room, from the database as it is now.

    ``takes_part`` is whether they are a current member or coordinator of the room's group, if
    already read with them (the room's writer reads it for a batch's authors in one statement).
    """
    if not (user.is_authenticated and user.active):
        return False
    return may_use(room.kind, held_roles(user), lambda: (
        is_participant(user, room.group_id) if takes_part is None else takes_part))


def can_moderate(user: User, room: Room) -> bool:
    """Group coordinators moderate their group's rooms; platform admins the Laboratory's."""
    if room.kind == RoomKind.LABORATORY:
        return user.is_platform_admin
    return is_coordinator(user, room.group_id)


def room_by_id(room_id: int) -> Room:
    """Return a room whatever the person; the service called next checks their access."""
    room = db.session.get(Room, room_id)
    if room is None:
        raise NotFound(_("Stanza non trovata."))
    return room


def room_titles(room_id: int) -> dict[str, str]:
    """Return a room's title in each language of the platform."""
    room = db.session.get(Room, room_id)
    titles = {}
    for language in current_app.config["LANGUAGES"]:
        with force_locale(language):
            titles[language] = room.title()
    return titles


def room_for(user: User, room_id: int) -> Room:
    """Return a room the person may use, or refuse."""
    return _readable(user, room_by_id(room_id))


def _readable(user: User, room: Room) -> Room:
    if not can_read(user, room):
        raise NotPermitted(_("Non fai parte di questa stanza."))
    return room


# The room and the person's read marker in one statement, built once: 0.31 ms of CPU against
# 0.64 ms for the two lookups (alternating, 5 x 300 in one process, load 7-9).
_ROOM_AND_READ = (select(Room, ReadState.last_read_seq)
                  .outerjoin(ReadState, (ReadState.room_id == Room.id)
                             & (ReadState.user_id == bindparam("user_id")))
                  .where(Room.id == bindparam("room_id")))


def room_and_last_read(user: User, room_id: int) -> tuple[Room, int]:
    """Return a room the person may use and the last message id they read there, or refuse."""
    found = db.session.execute(_ROOM_AND_READ, {"room_id": room_id, "user_id": user.id}).first()
    if found is None:
        raise NotFound(_("Stanza non trovata."))
    return _readable(user, found[0]), found[1] or 0


# --- the rooms that exist once ----------------------------------------------------------------

def laboratory_room() -> Room:
    """Return the Laboratory-wide room, creating it on first use."""
    return _main_room(LABORATORY_KEY, kind=RoomKind.LABORATORY.value)


def group_room(group: Group) -> Room:
    """Return the group's own room, creating it on first use."""
    return _main_room(f"group-{group.id}", kind=RoomKind.GROUP.value, group_id=group.id)


def _main_room(key: str, **fields) -> Room:
    room = db.session.scalar(select(Room).where(Room.main_key == key))
    if room is not None:
        return room
    try:
        with db.session.begin_nested():
            room = Room(main_key=key, **fields)
            db.session.add(room)
        db.session.commit()
    except IntegrityError:  # another process created it first
        db.session.rollback()
        room = db.session.scalar(select(Room).where(Room.main_key == key))
    return room


def open_room(actor: User, group: Group, name: str) -> Room:
    """Open another room in a group the actor coordinates."""
    if not is_coordinator(actor, group):
        raise NotPermitted(_("Solo i coordinatori del gruppo possono aprire nuove stanze."))
    name = (name or "").strip()
    if not name or len(name) > 120:
        raise DomainError(_("Dai alla stanza un nome di al massimo 120 caratteri."))
    room = Room(kind=RoomKind.EXTRA.value, group_id=group.id, name=name, created_by_id=actor.id)
    db.session.add(room)
    record("room.opened", actor=actor, region_id=actor.region_id, group=group.slug, room=name)
    db.session.commit()
    return room


def _rooms_with_counts():
    """The Laboratory's room and the rooms of some groups (``group_ids``), each with the
    person's (``user_id``) unread messages (others', not deleted, after their last-read id) and
    unseen mentions."""
    person = bindparam("user_id")
    last_read = (select(ReadState.last_read_seq)
                 .where(ReadState.room_id == Message.room_id, ReadState.user_id == person)
                 .scalar_subquery())
    unread = (select(func.count()).select_from(Message)
              .where(Message.room_id == Room.id, Message.author_id != person,
                     Message.deleted_at.is_(None), Message.seq > func.coalesce(last_read, 0))
              .scalar_subquery())
    mentions = (select(func.count()).select_from(Mention)
                .join(Message, Message.id == Mention.message_id)
                .where(Message.room_id == Room.id, Mention.user_id == person,
                       Mention.seen_at.is_(None), Message.deleted_at.is_(None))
                .scalar_subquery())
    return (select(Room, unread, mentions).options(joinedload(Room.group))
            .where(or_(Room.main_key == LABORATORY_KEY,
                       Room.group_id.in_(bindparam("group_ids", expanding=True))))
            .order_by(Room.id))


# Built once, since every visit to /rooms runs it: built on each call it cost 2.80 ms of CPU,
# built once 0.69 ms (the same process, alternating 5 x 200 calls, load average 7.5).
_ROOMS_WITH_COUNTS = _rooms_with_counts()


def rooms_for(user: User) -> list[RoomEntry]:
    """List the rooms a person may use, each with unread messages and unseen mentions.

    The Laboratory's room comes first, then each group's own room and its extra rooms, in the
    groups' order; a room that exists once is created on first use.
    """
    groups = groups_of(user)
    found: dict[int | None, list[RoomEntry]] = {}  # by group, the Laboratory's under None
    for room, unread, mentions in db.session.execute(
            _ROOMS_WITH_COUNTS, {"user_id": user.id, "group_ids": [g.id for g in groups]}):
        found.setdefault(room.group_id, []).append(RoomEntry(room, unread, mentions))
    rooms = []
    if may_use(RoomKind.LABORATORY, held_roles(user), lambda: False):
        rooms.extend(found.get(None) or [RoomEntry(laboratory_room())])
    for group in groups:
        own = found.get(group.id, [])
        if not any(entry.room.kind == RoomKind.GROUP for entry in own):
            own.insert(0, RoomEntry(group_room(group)))
        rooms.extend(sorted(own, key=lambda entry: entry.room.kind != RoomKind.GROUP))
    return rooms


# --- history ------------------------------------------------------------------------------------

def _page_of(*conditions, newest_first: bool):
    """Up to ``limit`` messages of a room (``room_id``), with their authors' names."""
    return (select(Message).where(Message.room_id == bindparam("room_id"), *conditions)
            .order_by(Message.seq.desc() if newest_first else Message.seq)
            .limit(bindparam("limit"))
            .options(joinedload(Message.author).load_only(User.full_name)))


# Built once, since a room's page and every client that joins or reconnects read them: the latest
# 50 messages cost 7.35 ms of CPU read in three statements built on each call (the messages,
# then their authors and regions), 2.94 ms in one built once with the authors and regions
# (alternating, 5 x 40 reads, load 6); regions' names are reference data (``region_names``).
_AFTER = _page_of(Message.seq > bindparam("seq"), newest_first=False)
_BEFORE = _page_of(Message.seq < bindparam("seq"), newest_first=True)
_LATEST = _page_of(newest_first=True)
_FOUND = _page_of(Message.deleted_at.is_(None),
                  Message.body_source.ilike(bindparam("pattern"), escape="\\"), newest_first=True)


def _page(statement, room: Room, limit: int, **params) -> tuple[list[Message], bool]:
    rows = list(db.session.scalars(statement, {"room_id": room.id, "limit": limit + 1, **params}))
    return rows[:limit], len(rows) > limit


def messages_after(room: Room, after: int, limit: int = PAGE_SIZE) -> tuple[list[Message], bool]:
    """Return the messages after a room id, oldest first, and whether more follow."""
    return _page(_AFTER, room, limit, seq=after)


def messages_before(room: Room, before: int | None, limit: int = PAGE_SIZE) -> tuple[list[Message], bool]:
    """Return the page of messages before a room id (the latest without one), oldest first."""
    if before is None:
        rows, more = _page(_LATEST, room, limit)
    else:
        rows, more = _page(_BEFORE, room, limit, seq=before)
    return rows[::-1], more


def search(room: Room, text: str, limit: int = PAGE_SIZE) -> list[Message]:
    """Find the room's messages containing a text, newest first."""
    text = (text or "").strip()[:200]
    if not text:
        return []
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return _page(_FOUND, room, limit, pattern=f"%{escaped}%")[0]


def mark_read(user: User, room: Room, seq: int) -> int:
    """Move the person's read marker forward to a message id; return the marker."""
    seq = max(0, min(seq, room.last_seq))
    state = db.session.get(ReadState, (room.id, user.id))
    if state is None:
        state = ReadState(room_id=room.id, user_id=user.id, last_read_seq=0)
        db.session.add(state)
    if seq > state.last_read_seq:
        state.last_read_seq = seq
        _see_mentions(user, room, seq)
    try:
        db.session.commit()
    except IntegrityError:  # the same person marked it from another tab at the same moment
        db.session.rollback()
        return mark_read(user, room, seq)
    return state.last_read_seq


def last_read(user: User, room: Room) -> int:
    state = db.session.get(ReadState, (room.id, user.id))
    return state.last_read_seq if state else 0


def _see_mentions(user: User, room: Room, seq: int) -> None:
    mentions = db.session.scalars(
        select(Mention).join(Message, Message.id == Mention.message_id)
        .where(Mention.user_id == user.id, Mention.seen_at.is_(None),
               Message.room_id == room.id, Message.seq <= seq))
    now = utcnow()
    for mention in mentions:
        mention.seen_at = now


def room_people(room: Room) -> list[User]:
    """Return everyone who may use a room now, by name."""
    if room.kind == RoomKind.LABORATORY:
        ids = laboratory_people()
    else:
        ids = list(participant_ids(room.group_id))
    return list(db.session.scalars(select(User).where(User.id.in_(ids), User.active)
                                   .order_by(User.full_name)))


def laboratory_people():
    """Return (as a subquery) the ids of everyone who may use the Laboratory-wide room now."""
    now = utcnow()
    return select(RoleAssignment.user_id).where(
        RoleAssignment.role.in_([role.value for role in LABORATORY_ROLES]),
        RoleAssignment.started_at <= now,
        RoleAssignment.ended_at.is_(None) | (RoleAssignment.ended_at > now))


@personal_data_requested.connect
def _messages_written(person, **_extra) -> dict:
    """The rooms' part of a person's data export: the messages they wrote."""
    messages = db.session.scalars(
        select(Message).where(Message.author_id == person.id).order_by(Message.id))
    return {"messages": [
        {"room": m.room_id, "id": m.seq, "text": m.body_source,
         "created_at": m.created_at.isoformat(),
         "edited_at": m.edited_at.isoformat() if m.edited_at else None,
         "deleted_at": m.deleted_at.isoformat() if m.deleted_at else None}
        for m in messages]}
