"""The ``/rooms`` Socket.IO namespace: transport only, the rules live in the services.

Every event is checked against the database as it is now (the person, the room, their
membership); every refusal answers the sender with an ``error`` event and a failed ack, and
so does an event the namespace does not know.
"""
import functools
import threading
import time

from flask import current_app, request
from flask_babel import gettext as _
from flask_login import current_user
from flask_socketio import disconnect, emit, join_room, leave_room
from sqlalchemy import select

from lab.accounts.auth import SignIn
from lab.accounts.models import User
from lab.core.errors import Conflict, DomainError, NotFound, NotPermitted, SignedOut
from lab.core.text import text_problem
from lab.extensions import db, socketio
from lab.rooms import messages, services
from lab.rooms.control import ensure_background, registry
from lab.rooms.events import NAMESPACE, room_channel, user_channel
from lab.rooms.messages import RateLimited
from lab.rooms.presence import presence
from lab.rooms.serialize import message_json

REPLAY_LIMIT = 200
TYPING_INTERVAL = 2.0
PRESENCE_DELAY = 0.3  # joins and leaves within this time make one presence update
INT_MAX = 2**31 - 1


# --- what clients send ------------------------------------------------------------------------

class BadPayload(DomainError):
    """The event's data is not what the event expects."""


def read(data, required: dict[str, type], optional: dict[str, type] | None = None) -> dict:
    """Return the payload's fields after checking names and types; refuse anything else."""
    optional = optional or {}
    if not isinstance(data, dict):
        raise BadPayload(_("Dati non validi: era atteso un oggetto."))
    unexpected = set(data) - set(required) - set(optional)
    if unexpected:
        raise BadPayload(_("Dati non validi: campo non previsto «%(name)s».", name=sorted(unexpected)[0]))
    values = {}
    for name, kind in {**required, **optional}.items():
        if name not in data:
            if name in required:
                raise BadPayload(_("Dati non validi: manca il campo «%(name)s».", name=name))
            continue
        values[name] = _check(name, data[name], kind)
    return values


def _check(name: str, value, kind: type):
    if kind is int:
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= INT_MAX:
            raise BadPayload(_("Dati non validi: «%(name)s» deve essere un numero.", name=name))
    elif not isinstance(value, kind):
        raise BadPayload(_("Dati non validi: «%(name)s» deve essere un testo.", name=name))
    elif kind is str and (problem := text_problem(value)):
        raise BadPayload(problem)
    return value


# --- refusals -----------------------------------------------------------------------------------

def error_code(error: Exception) -> str:
    """Name a refusal for clients, which react to the code and show the message."""
    for kind, code in ((SignedOut, "unauthorized"), (RateLimited, "rate_limited"),
                       (BadPayload, "bad_payload"), (NotFound, "not_found"),
                       (NotPermitted, "forbidden"), (Conflict, "conflict")):
        if isinstance(error, kind):
            return code
    return "invalid"


def _refusal(error: DomainError, data) -> dict:
    body = {"code": error_code(error), "message": error.message, "event": request.event["message"]}
    if isinstance(error, RateLimited):
        body["wait"] = round(error.wait, 1)
    if isinstance(data, dict):
        body.update({k: data[k] for k in ("room", "key", "id") if isinstance(data.get(k), (int, str))})
    return body


def event(name: str):
    """Register a handler for an event of ``/rooms`` whose refusals and failures are answered
    with an ``error`` event and ``{"ok": false}``."""

    def decorator(handler):
        @functools.wraps(handler)
        def guarded(data=None):
            try:
                return handler(data)
            except DomainError as error:
                db.session.rollback()
                body = _refusal(error, data)
                emit("error", body)
                if isinstance(error, SignedOut):
                    disconnect()
                return {"ok": False, **body}
            except Exception:  # noqa: BLE001 - the client gets an answer, the log the details
                db.session.rollback()
                current_app.logger.exception("Rooms event %s failed", request.event["message"])
                body = {"code": "server_error", "message": _("Errore del server: riprova tra poco.")}
                emit("error", body)
                return {"ok": False, **body}

        socketio.on(name, namespace=NAMESPACE)(guarded)
        return handler

    return decorator


def _user() -> User:
    if not current_user.is_authenticated:
        raise SignedOut(_("Accedi per usare le stanze."))
    return current_user._get_current_object()


# --- connecting -------------------------------------------------------------------------------

@socketio.on("connect", namespace=NAMESPACE)
def on_connect(auth=None):
    """Let signed-in people connect; refuse everyone else."""
    if not current_user.is_authenticated:
        raise ConnectionRefusedError(_("Accedi per usare le stanze."), {"code": "unauthorized"})
    registry.add(SignIn(current_user.id, current_user.session_id), request.sid)
    join_room(user_channel(current_user.id))
    ensure_background(current_app._get_current_object())


@socketio.on("disconnect", namespace=NAMESPACE)
def on_disconnect(reason=None):
    """Forget the connection and tell its rooms who is still there."""
    registry.forget(request.sid)
    _typing.forget(request.sid)
    for room_id in presence().rooms_of(request.sid):
        presence().leave(room_id, request.sid)
        _announce(room_id)


@socketio.on("*", namespace=NAMESPACE)
def on_unknown(name, data=None):
    """Answer an event this namespace does not know (those it knows have their own handler)."""
    body = {"code": "unknown_event", "event": str(name)[:40], "message": _("Evento sconosciuto.")}
    emit("error", body)
    return {"ok": False, **body}


# --- the events -------------------------------------------------------------------------------

@event("join")
def on_join(data):
    """Enter a room and receive what was written after the last message the client has."""
    values = read(data, {"room": int}, {"after": int})
    user = _user()
    room = services.room_for(user, values["room"])
    join_room(room_channel(room.id))
    presence().enter(room.id, request.sid, user.id)
    reply = {"ok": True, "room": room.id, "title": room.title(), "last_id": room.last_seq,
             "last_read": services.last_read(user, room),
             "moderator": services.can_moderate(user, room)}
    if "after" in values:
        found, more = services.messages_after(room, values["after"], REPLAY_LIMIT)
        reply.update(messages=[message_json(m) for m in found], reload=more)
    else:
        found, more = services.messages_before(room, None)
        reply.update(messages=[message_json(m) for m in found], older=more)
    reply["present"] = _announce(room.id)
    return reply


@event("leave")
def on_leave(data):
    """Leave a room."""
    room_id = read(data, {"room": int})["room"]
    leave_room(room_channel(room_id))
    presence().leave(room_id, request.sid)
    _announce(room_id)
    return {"ok": True, "room": room_id}


@event("send")
def on_send(data):
    """Post a message; the ack carries the id it was stored with."""
    values = read(data, {"room": int, "body": str, "key": str})
    posted = messages.post_message(_user(), values["room"], values["body"], values["key"])
    return {"ok": True, "room": values["room"], "id": posted.payload["id"],
            "key": values["key"], "message": posted.payload, "duplicate": not posted.created}


@event("edit")
def on_edit(data):
    """Change one's own recent message."""
    values = read(data, {"room": int, "id": int, "body": str})
    room = services.room_by_id(values["room"])  # edit_message checks access
    return {"ok": True, "message": messages.edit_message(_user(), room, values["id"], values["body"])}


@event("delete")
def on_delete(data):
    """Delete a message (one's own, or any as a moderator)."""
    values = read(data, {"room": int, "id": int})
    room = services.room_by_id(values["room"])  # delete_message checks access
    return {"ok": True, "message": messages.delete_message(_user(), room, values["id"])}


@event("read")
def on_read(data):
    """Remember how far the person has read in a room."""
    values = read(data, {"room": int, "id": int})
    user = _user()
    room = services.room_for(user, values["room"])
    return {"ok": True, "room": room.id, "last_read": services.mark_read(user, room, values["id"])}


@event("typing")
def on_typing(data):
    """Tell the room the person is typing (at most once every two seconds, never stored)."""
    room_id = read(data, {"room": int})["room"]
    if not _typing.due(request.sid, room_id):
        return {"ok": True, "throttled": True}
    user = _user()
    room = services.room_for(user, room_id)
    socketio.emit("typing", {"room": room.id, "user": {"id": user.id, "name": user.full_name}},
                  to=room_channel(room.id), skip_sid=request.sid, namespace=NAMESPACE)
    return {"ok": True}


# --- typing and presence, told to the room at most so often ------------------------------------

class _Throttle:
    """When each connection last told a room it was typing."""

    def __init__(self):
        self._last: dict[tuple[str, int], float] = {}
        self._lock = threading.Lock()

    def due(self, sid: str, room_id: int) -> bool:
        now = time.monotonic()
        with self._lock:
            if now - self._last.get((sid, room_id), 0.0) < TYPING_INTERVAL:
                return False
            self._last[(sid, room_id)] = now
            return True

    def forget(self, sid: str) -> None:
        with self._lock:
            for key in [key for key in self._last if key[0] == sid]:
                del self._last[key]


_typing = _Throttle()
_announcing: set[int] = set()
_announcing_lock = threading.Lock()


def _announce(room_id: int) -> list[dict]:
    """Return who is present now, and tell the room shortly (one update per burst of joins)."""
    with _announcing_lock:
        first = room_id not in _announcing
        _announcing.add(room_id)
    if first:
        socketio.start_background_task(_broadcast_presence, current_app._get_current_object(),
                                       room_id)
    return _present(room_id)


def _broadcast_presence(app, room_id: int) -> None:
    socketio.sleep(PRESENCE_DELAY)
    with _announcing_lock:
        _announcing.discard(room_id)
    with app.app_context():
        socketio.emit("presence", {"room": room_id, "people": _present(room_id)},
                      to=room_channel(room_id), namespace=NAMESPACE)


def _present(room_id: int) -> list[dict]:
    ids = presence().who(room_id)
    return [{"id": user_id, "name": name} for user_id, name in db.session.execute(
        select(User.id, User.full_name).where(User.id.in_(ids)).order_by(User.full_name))]
