"""The ``/rooms`` Socket.IO namespace: transport only, the rules live in the services.

Every event is checked against the database as it is now (the person, the room, their
membership); every refusal answers the sender with an ``error`` event and a failed ack.
"""
import functools
import threading
import time

from flask import current_app, request
from flask_babel import gettext as _
from flask_login import current_user
from flask_socketio import Namespace, disconnect, emit, join_room, leave_room
from sqlalchemy import select

from lab.accounts.auth import SignIn
from lab.accounts.models import User
from lab.core.errors import DomainError, SignedOut
from lab.extensions import db, socketio
from lab.rooms import messages, services
from lab.rooms.control import ensure_background, registry
from lab.rooms.events import NAMESPACE, room_channel, user_channel
from lab.rooms.messages import RateLimited
from lab.rooms.payloads import error_code, read
from lab.rooms.presence import presence
from lab.rooms.serialize import message_json

REPLAY_LIMIT = 200
TYPING_INTERVAL = 2.0
PRESENCE_DELAY = 0.3  # joins and leaves within this time make one presence update


def _user() -> User:
    if not current_user.is_authenticated:
        raise SignedOut(_("Accedi per usare le stanze."))
    return current_user._get_current_object()


def _sign_in() -> SignIn:
    """Return the sign-in this connection was opened with; the service checks it still holds.

    Sending is the busiest event: this spares it loading the person through Flask-Login, since
    the posting service reads the person, their sign-in and the room in one query anyway.
    """
    sign_in = registry.sign_in(request.sid)
    if sign_in is None:
        raise SignedOut(_("Accedi per usare le stanze."))
    return sign_in


def _refusal(error: Exception, data) -> dict:
    body = {"code": "unauthorized" if isinstance(error, SignedOut) else error_code(error),
            "message": error.message, "event": request.event["message"]}
    if isinstance(error, RateLimited):
        body["wait"] = round(error.wait, 1)
    if isinstance(data, dict):
        body.update({k: data[k] for k in ("room", "key", "id") if isinstance(data.get(k), (int, str))})
    return body


def guarded(method):
    """Answer refusals and failures with an ``error`` event and ``{"ok": false}``."""

    @functools.wraps(method)
    def wrapper(self, data=None):
        try:
            return method(self, data)
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

    return wrapper


class RoomsNamespace(Namespace):
    """Joining rooms, sending, editing and deleting messages, read markers, typing, presence."""

    def __init__(self, namespace=NAMESPACE):
        super().__init__(namespace)
        self._typing: dict[tuple[str, int], float] = {}
        self._announcing: set[int] = set()
        self._typing_lock = threading.Lock()

    def trigger_event(self, event, *args):
        """Answer an event this namespace does not know with an ``error`` event."""
        if event not in ("connect", "disconnect") and not hasattr(self, f"on_{event}"):
            # _handle_event gives the refusal the request context its translation needs.
            return self.socketio._handle_event(self._unknown, event, self.namespace, *args[:1])
        return super().trigger_event(event, *args)

    def _unknown(self):
        emit("error", {"code": "unknown_event", "event": str(request.event["message"])[:40],
                       "message": _("Evento sconosciuto.")})

    def on_connect(self, auth=None):
        """Let signed-in people connect; refuse everyone else."""
        if not current_user.is_authenticated:
            raise ConnectionRefusedError(_("Accedi per usare le stanze."), {"code": "unauthorized"})
        registry.add(SignIn(current_user.id, current_user.session_id), request.sid)
        join_room(user_channel(current_user.id))
        ensure_background(current_app._get_current_object())

    def on_disconnect(self, reason=None):
        """Forget the connection and tell its rooms who is still there."""
        registry.forget(request.sid)
        with self._typing_lock:
            for key in [key for key in self._typing if key[0] == request.sid]:
                del self._typing[key]
        for room_id in presence().rooms_of(request.sid):
            presence().leave(room_id, request.sid)
            self._announce(room_id)

    @guarded
    def on_join(self, data):
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
        reply["present"] = self._announce(room.id)
        return reply

    @guarded
    def on_leave(self, data):
        """Leave a room."""
        room_id = read(data, {"room": int})["room"]
        leave_room(room_channel(room_id))
        presence().leave(room_id, request.sid)
        self._announce(room_id)
        return {"ok": True, "room": room_id}

    @guarded
    def on_send(self, data):
        """Post a message; the ack carries the id it was stored with."""
        values = read(data, {"room": int, "body": str, "key": str})
        posted = messages.post_message(_sign_in(), values["room"], values["body"], values["key"])
        return {"ok": True, "room": values["room"], "id": posted.payload["id"],
                "key": values["key"], "message": posted.payload, "duplicate": not posted.created}

    @guarded
    def on_edit(self, data):
        """Change one's own recent message."""
        values = read(data, {"room": int, "id": int, "body": str})
        user = _user()
        room = services.room_by_id(values["room"])  # edit_message checks access
        return {"ok": True, "message": messages.edit_message(user, room, values["id"], values["body"])}

    @guarded
    def on_delete(self, data):
        """Delete a message (one's own, or any as a moderator)."""
        values = read(data, {"room": int, "id": int})
        user = _user()
        room = services.room_by_id(values["room"])  # delete_message checks access
        return {"ok": True, "message": messages.delete_message(user, room, values["id"])}

    @guarded
    def on_read(self, data):
        """Remember how far the person has read in a room."""
        values = read(data, {"room": int, "id": int})
        user = _user()
        room = services.room_for(user, values["room"])
        return {"ok": True, "room": room.id, "last_read": services.mark_read(user, room, values["id"])}

    @guarded
    def on_typing(self, data):
        """Tell the room the person is typing (at most once every two seconds, never stored)."""
        room_id = read(data, {"room": int})["room"]
        key, now = (request.sid, room_id), time.monotonic()
        with self._typing_lock:
            if now - self._typing.get(key, 0.0) < TYPING_INTERVAL:
                return {"ok": True, "throttled": True}
            self._typing[key] = now
        user = _user()
        room = services.room_for(user, room_id)
        socketio.emit("typing", {"room": room.id, "user": {"id": user.id, "name": user.full_name}},
                      to=room_channel(room.id), skip_sid=request.sid, namespace=NAMESPACE)
        return {"ok": True}

    def _announce(self, room_id: int) -> list[dict]:
        """Return who is present now, and tell the room shortly (one update per burst of joins)."""
        with self._typing_lock:
            first = room_id not in self._announcing
            self._announcing.add(room_id)
        if first:
            socketio.start_background_task(self._broadcast_presence,
                                           current_app._get_current_object(), room_id)
        return _present(room_id)

    def _broadcast_presence(self, app, room_id: int) -> None:
        socketio.sleep(PRESENCE_DELAY)
        with self._typing_lock:
            self._announcing.discard(room_id)
        with app.app_context():
            socketio.emit("presence", {"room": room_id, "people": _present(room_id)},
                          to=room_channel(room_id), namespace=NAMESPACE)


def _present(room_id: int) -> list[dict]:
    ids = presence().who(room_id)
    return [{"id": user_id, "name": name} for user_id, name in db.session.execute(
        select(User.id, User.full_name).where(User.id.in_(ids)).order_by(User.full_name))]


socketio.on_namespace(RoomsNamespace(NAMESPACE))
