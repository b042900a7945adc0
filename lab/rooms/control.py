"""Closing access at once: signing out disconnects, leaving a group leaves its rooms.

The HTTP request that signs a person out or removes them may run on another process than
their sockets, so with Redis the order is published to every process; each acts on its own
connections. Every socket event also checks access from the database, so this only makes
the closing immediate.
"""
import json
import threading
from collections import defaultdict

from flask import current_app
from flask_babel import gettext as _
from flask_login import user_logged_out

from lab.accounts.auth import SignIn
from lab.accounts.models import User
from lab.extensions import db, socketio
from lab.groups.signals import participation_ended
from lab.rooms.events import NAMESPACE, room_channel
from lab.rooms.live import redis_client, redis_prefix
from lab.rooms.models import Room
from lab.rooms.presence import REFRESH, presence
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

    def sign_in(self, sid: str) -> SignIn | None:
        with self._lock:
            return self._sign_ins.get(sid)

    def sids(self, user_id: int) -> list[str]:
        with self._lock:
            return list(self._sids.get(user_id, ()))


registry = Registry()


def disconnect_user(user_id: int) -> None:
    """Disconnect every socket of a person, on every process."""
    _dispatch("disconnect", user_id)


def recheck_user(user_id: int) -> None:
    """Make a person's sockets leave the rooms they may no longer use, on every process."""
    _dispatch("recheck", user_id)


def _dispatch(op: str, user_id: int) -> None:
    app = current_app._get_current_object()
    client = redis_client(app)
    if client is None:
        apply(app, op, user_id)
    else:
        client.publish(redis_prefix(app) + "control", json.dumps({"op": op, "user": user_id}))


def apply(app, op: str, user_id: int) -> None:
    """Act on this process's sockets of a person."""
    server = socketio.server
    for sid in registry.sids(user_id):
        if op == "disconnect":
            server.emit("signed_out", {"message": _signed_out_message(app)}, to=sid, namespace=NAMESPACE)
            server.disconnect(sid, namespace=NAMESPACE)
        elif op == "recheck":
            _recheck(app, user_id, sid)


def _signed_out_message(app) -> str:
    with app.app_context():
        return _("Sei uscito dalla piattaforma: accedi di nuovo per usare le stanze.")


def _recheck(app, user_id: int, sid: str) -> None:
    with app.app_context():
        user = db.session.get(User, user_id)
        for room_id in presence().rooms_of(sid):
            room = db.session.get(Room, room_id)
            if user is None or room is None or not can_read(user, room):
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
            order = json.loads(item["data"])
            apply(app, order["op"], int(order["user"]))
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

@user_logged_out.connect
def _on_sign_out(_app, user=None, **_extra) -> None:
    if user is not None and getattr(user, "id", None) is not None:
        disconnect_user(user.id)


@participation_ended.connect
def _on_participation_ended(_group, user=None, **_extra) -> None:
    if user is not None:
        recheck_user(user.id)
