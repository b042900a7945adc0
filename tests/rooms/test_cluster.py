"""Two real processes on PostgreSQL and Redis share the rooms."""
import os
import threading
import time
import uuid

import pytest
import requests

from tests.factories import PASSWORD
from tests.rooms.cluster import (
    Server, post_form, prepare, rooms_client, scratch_database, server_env, session_cookie,
)
from tests.smtp import free_port

DATABASE = os.environ.get("TEST_DATABASE_URL", "")
REDIS = os.environ.get("TEST_REDIS_URL", "")
pytestmark = pytest.mark.skipif(
    not (DATABASE.startswith("postgres") and REDIS),
    reason="TEST_DATABASE_URL (PostgreSQL) and TEST_REDIS_URL are not set")


class Inbox:
    """Collect one event's payloads and wait for one that matches."""

    def __init__(self):
        self.items, self.arrived = [], threading.Condition()

    def __call__(self, data=None):
        with self.arrived:
            self.items.append(data)
            self.arrived.notify_all()

    def wait_for(self, match, timeout=5.0):
        deadline = time.monotonic() + timeout
        with self.arrived:
            while not any(match(item) for item in self.items):
                left = deadline - time.monotonic()
                assert left > 0, f"nothing matching arrived in {timeout}s: {self.items}"
                self.arrived.wait(left)


def assert_closed_within_a_second(client, signed_out: Inbox) -> None:
    """The server told the client it was signed out, then closed the connection."""
    signed_out.wait_for(lambda _: True, timeout=1.0)
    deadline = time.monotonic() + 1.0
    while client.connected and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not client.connected


@pytest.fixture
def cluster(tmp_path):
    with scratch_database(DATABASE) as database:
        setup = prepare(database, members=1, instance=tmp_path)
        setup["database"] = database
        prefix = f"lab-test-{uuid.uuid4().hex[:8]}:"
        servers = [Server(server_env(database, REDIS, free_port(), tmp_path, prefix),
                          tmp_path / f"server{n}.log") for n in range(2)]
        try:
            for server in servers:
                server.start()
            yield servers, setup
        finally:
            for server in servers:
                server.stop()


def test_only_the_site_address_may_open_a_socket(cluster):
    (first, _), _ = cluster
    handshake = first.url + "/socket.io/?EIO=4&transport=polling"
    assert requests.get(handshake, headers={"Origin": first.url}, timeout=5).status_code == 200
    assert requests.get(handshake, headers={"Origin": "https://evil.example"},
                        timeout=5).status_code == 400


def test_message_sent_through_one_process_reaches_a_member_on_the_other(cluster):
    (first, second), setup = cluster
    room = setup["room"]
    lead_cookie = session_cookie(first.url, setup["emails"][0], PASSWORD)
    member_cookie = session_cookie(second.url, setup["emails"][1], PASSWORD)
    on_first, on_second = Inbox(), Inbox()
    lead = rooms_client(first.url, lead_cookie, message_posted=on_first)
    member_closed = Inbox()
    member = rooms_client(second.url, member_cookie, message_posted=on_second,
                          signed_out=member_closed)
    try:
        assert lead.call("join", {"room": room}, namespace="/rooms")["ok"]
        assert member.call("join", {"room": room}, namespace="/rooms")["ok"]
        ack = lead.call("send", {"room": room, "body": "Da un processo all'altro",
                                 "key": uuid.uuid4().hex}, namespace="/rooms")
        assert ack["ok"] and ack["id"] == 1
        on_second.wait_for(lambda m: m["id"] == 1 and m["html"] == "<p>Da un processo all'altro</p>")
        reply = member.call("send", {"room": room, "body": "Ricevuto", "key": uuid.uuid4().hex},
                            namespace="/rooms")
        on_first.wait_for(lambda m: m["id"] == reply["id"] == 2)

        # Signing out through the first process disconnects the socket held by the second.
        assert post_form(first.url, member_cookie, "/sign-out") == 302
        assert_closed_within_a_second(member, member_closed)
    finally:
        for client in (lead, member):
            client.disconnect()


def _ids(database: str, email: str) -> tuple[int, int]:
    """The person's id and the id of their delegate role, read from the database."""
    from sqlalchemy import create_engine, text

    from config import database_url

    engine = create_engine(database_url(database))
    with engine.connect() as connection:
        row = connection.execute(text(
            "SELECT u.id, r.id FROM users u JOIN role_assignments r ON r.user_id = u.id "
            "WHERE u.email = :email AND r.role = 'delegate'"), {"email": email}).one()
    engine.dispose()
    return row[0], row[1]


def test_an_admin_s_change_through_one_process_reaches_the_socket_on_the_other(cluster):
    (first, second), setup = cluster
    member_email = setup["emails"][1]
    person_id, role_id = _ids(setup["database"], member_email)
    admin_cookie = session_cookie(first.url, setup["admin"], PASSWORD)
    closed, signed_out = Inbox(), Inbox()
    member = rooms_client(second.url, session_cookie(second.url, member_email, PASSWORD),
                          room_closed=closed, signed_out=signed_out)
    try:
        assert member.call("join", {"room": setup["laboratory"]}, namespace="/rooms")["ok"]

        # Ending the delegate role through the first process closes the Laboratory room at once.
        assert post_form(first.url, admin_cookie, f"/admin/roles/{role_id}/end") == 302
        closed.wait_for(lambda item: item["room"] == setup["laboratory"], timeout=1.0)
        assert member.connected

        # Deactivating the person through the first process disconnects them at once.
        assert post_form(first.url, admin_cookie, f"/admin/people/{person_id}/deactivate",
                         confirm="y") == 302
        assert_closed_within_a_second(member, signed_out)
    finally:
        member.disconnect()


def test_two_deployments_sharing_one_redis_do_not_hear_each_other(tmp_path):
    """Each deployment's Socket.IO channel starts with its own ``ROOMS_REDIS_PREFIX``."""
    with scratch_database(DATABASE) as database:
        setup = prepare(database, members=1, instance=tmp_path)
        servers = [Server(server_env(database, REDIS, free_port(), tmp_path,
                                     f"lab-test-{uuid.uuid4().hex[:8]}:"),
                          tmp_path / f"deployment{n}.log") for n in range(2)]
        clients = []
        try:
            for server in servers:
                server.start()
            ours, theirs = servers
            heard = Inbox()
            listener = rooms_client(theirs.url, session_cookie(theirs.url, setup["emails"][1], PASSWORD),
                                    message_posted=heard)
            sender = rooms_client(ours.url, session_cookie(ours.url, setup["emails"][0], PASSWORD))
            clients += [listener, sender]
            assert listener.call("join", {"room": setup["room"]}, namespace="/rooms")["ok"]
            assert sender.call("join", {"room": setup["room"]}, namespace="/rooms")["ok"]
            assert sender.call("send", {"room": setup["room"], "body": "Solo per noi",
                                        "key": uuid.uuid4().hex}, namespace="/rooms")["ok"]
            time.sleep(1.0)
            assert heard.items == []
        finally:
            for client in clients:
                client.disconnect()
            for server in servers:
                server.stop()
