"""Fixtures for the rooms: a group room with a coordinator, a member and an outsider, and
signed-in Socket.IO clients on the ``/rooms`` namespace."""
import contextvars
import uuid

import pytest

from lab.extensions import db, socketio
from lab.groups import services as groups
from lab.rooms import services
from tests.conftest import sign_in
from tests.factories import make_person


@pytest.fixture
def coordinator():
    return make_person("coordina@example.org", "Cora Coordina", "delegate", "toscana")


@pytest.fixture
def outsider():
    return make_person("puglia@example.org", "Paola Puglia", "delegate", "puglia")


@pytest.fixture
def group(admin, coordinator, delegate):
    group = groups.create_group(admin, groups.GroupDraft("Dati aperti regionali", "Open regional data"))
    groups.appoint_coordinator(admin, group, coordinator)
    groups.accept_request(coordinator, groups.ask_to_join(delegate, group))
    return group


@pytest.fixture
def room(group):
    return services.group_room(group)


def key() -> str:
    return uuid.uuid4().hex


class SocketUser:
    """A signed-in person's connection to ``/rooms``, as the browser would hold it."""

    def __init__(self, app, user):
        self.user = user
        self.http = app.test_client()
        sign_in(self.http, user)
        self.sio = self._outside(socketio.test_client, app, namespace="/rooms",
                                 flask_test_client=self.http)

    @staticmethod
    def _outside(call, *args, **kwargs):
        """Run a socket call as the server would: in a context of its own, not the test's.

        The test's own session first ends its transaction, so it holds no lock while the
        server writes, and then sees what the server wrote.
        """
        db.session.rollback()
        return contextvars.Context().run(call, *args, **kwargs)

    def emit(self, event, data=None):
        return self._outside(self.sio.emit, event, data, namespace="/rooms", callback=True)

    def disconnect(self):
        self._outside(self.sio.disconnect, "/rooms")

    def received(self, name=None) -> list:
        events = self.sio.get_received("/rooms")
        return [e["args"][0] if e["args"] else None for e in events if name is None or e["name"] == name]

    @property
    def connected(self) -> bool:
        return self.sio.is_connected("/rooms")

    def send(self, room, body, message_key=None):
        return self.emit("send", {"room": room.id, "body": body, "key": message_key or key()})


@pytest.fixture
def connect(app):
    """Connect people to ``/rooms``; every connection is closed after the test."""
    opened = []

    def _connect(user) -> SocketUser:
        socket_user = SocketUser(app, user)
        opened.append(socket_user)
        return socket_user

    yield _connect
    for socket_user in opened:
        if socket_user.connected:
            socket_user.disconnect()
