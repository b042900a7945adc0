"""Closing access at once: an ended session disconnects, an ended role or membership leaves rooms.

The HTTP request that ends a session, a role or a membership may run on another process than
the person's sockets, so with Redis the order is published to every process; each acts on its
own connections. Every socket event also checks access from the database, so this only makes
the closing immediate.
"""
import json
import threading
from collections import defaultdict

from flask import current_app
from flask_babel import gettext as _

from lab.accounts.auth import SignIn
from lab.accounts.models import User
from lab.accounts.signals import access_changed
from lab.extensions import db, socketio
from lab.groups.signals import participation_ended
from lab.rooms.events import NAMESPACE, room_channel
from lab.rooms.models import Room
from lab.rooms.presence import REFRESH, presence, redis_client, redis_prefix
from lab.rooms.services import can_read


class Registry:
    """The connections on this process, and the sign-in each was opened with."""

    def __init__(self):
        self._sids: dict[int, set[str]] = defaultdict(set)
        self._sign_ins: dict[str, SignIn] = {}
        self._lock = threading.Lock()

    def add(self, sign_in: SignIn, sid: str) -> None:
        with self._lock:
            self._sids[sign_in.id].add(sid)
            self._sign_ins[sid] = sign_in

    def forget(self, sid: str) -> None:
        """Drop a connection."""
        with self._lock:
            sign_in = self._sign_ins.pop(sid, None)
            if sign_in is not None:
                self._sids[sign_in.id].discard(sid)
                if not self._sids[sign_in.id]:
                    del self._sids[sign_in.id]

    def connections(self, user_id: int) -> list[tuple[str, SignIn]]:
        """Return a person's connections on this process, each with its sign-in."""
        with self._lock:
            return [(sid, self._sign_ins[sid]) for sid in self._sids.get(user_id, ())]


registry = Registry()


def close_access(user_id: int, ended_sessions=()) -> None:
    """On every process, disconnect a person's sockets of ended sessions (all of them if the
    account is no longer active) and make the others leave the rooms they may no longer read."""
    app = current_app._get_current_object()
    order = {"user": user_id, "sessions": list(ended_sessions)}
    client = redis_client(app)
    if client is None:
        apply(app, order)
    else:
        client.publish(redis_prefix(app) + "control", json.dumps(order))


def apply(app, order: dict) -> None:
    """Act on this process's sockets of a person."""
    connections = registry.connections(int(order["user"]))
    if not connections:
        return
    ended = set(order["sessions"])
    with app.app_context():
        user = db.session.get(User, int(order["user"]))
        for sid, sign_in in connections:
            if user is None or not user.active or sign_in.session_id in ended:
                _disconnect(sid)
            else:
                _recheck(user, sid)


def _disconnect(sid: str) -> None:
    socketio.server.emit("signed_out", {
        "message": _("Sei uscito dalla piattaforma: accedi di nuovo per usare le stanze."),
    }, to=sid, namespace=NAMESPACE)
    socketio.server.disconnect(sid, namespace=NAMESPACE)


def _recheck(user: User, sid: str) -> None:
    for room_id in presence().rooms_of(sid):
        room = db.session.get(Room, room_id)
        if room is None or not can_read(user, room):
            socketio.server.leave_room(sid, room_channel(room_id), namespace=NAMESPACE)
            presence().leave(room_id, sid)
            socketio.server.emit("room_closed", {
                "room": room_id, "message": _("Non fai più parte di questa stanza."),
            }, to=sid, namespace=NAMESPACE)


# --- background work on each process --------------------------------------------------------

_started: set[int] = set()
_start_lock = threading.Lock()


def ensure_background(app) -> None:
    """Start, once per process, the listener for published orders and the presence renewal."""
    with _start_lock:
        if id(app) in _started:
            return
        _started.add(id(app))
    client = redis_client(app)
    if client is not None:
        socketio.start_background_task(_listen, app, client)
        socketio.start_background_task(_renew_presence, app)


def _listen(app, client) -> None:
    pubsub = client.pubsub(ignore_subscribe_messages=True)
    pubsub.subscribe(redis_prefix(app) + "control")
    for item in pubsub.listen():
        try:
            apply(app, json.loads(item["data"]))
        except Exception:  # noqa: BLE001 - one bad order must not stop the listener
            app.logger.exception("Could not apply a rooms control order")


def _renew_presence(app) -> None:
    while True:
        socketio.sleep(REFRESH)
        try:
            with app.app_context():
                presence().refresh()
        except Exception:  # noqa: BLE001 - Redis may be briefly away; try again next round
            app.logger.warning("Could not renew presence entries", exc_info=True)


# --- reacting to other domains ----------------------------------------------------------------

@access_changed.connect
def _on_access_changed(user, ended_sessions=(), **_extra) -> None:
    close_access(user.id, ended_sessions)


@participation_ended.connect
def _on_participation_ended(_group, user=None, **_extra) -> None:
    if user is not None:
        close_access(user.id)
