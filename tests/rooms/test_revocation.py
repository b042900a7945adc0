"""Access ends at once: a removed member leaves the room, a signed-out person is disconnected."""
import time

from lab.groups import queries, services as groups


def test_removed_member_leaves_the_room_within_a_second(connect, room, group, delegate, coordinator):
    member, lead = connect(delegate), connect(coordinator)
    member.emit("join", {"room": room.id})
    member.received()
    started = time.monotonic()
    groups.remove_member(coordinator, queries.open_membership(delegate, group))
    closed = member.received("room_closed")
    assert closed and closed[0]["room"] == room.id and time.monotonic() - started < 1
    lead.send(room, "Dopo l'uscita")
    assert member.received("message_posted") == []
    assert member.send(room, "Ci sono ancora?")["code"] == "forbidden"
    assert member.emit("join", {"room": room.id})["code"] == "forbidden"


def test_leaving_the_group_leaves_its_rooms(connect, room, group, delegate):
    member = connect(delegate)
    member.emit("join", {"room": room.id})
    groups.leave_group(delegate, group)
    assert member.received("room_closed")[0]["room"] == room.id


def test_signing_out_disconnects_the_sockets(connect, room, delegate):
    member = connect(delegate)
    member.emit("join", {"room": room.id})
    assert member.http.post("/sign-out").status_code == 302
    assert not member.connected


def test_a_password_change_elsewhere_ends_the_connection_at_its_next_send(connect, room, delegate):
    from sqlalchemy import select

    from lab.extensions import db
    from lab.rooms.models import Message

    member = connect(delegate)
    delegate.session_version += 1  # what a password change does to every other session
    db.session.commit()
    ack = member.send(room, "Scritto con una sessione ormai chiusa")
    assert ack["code"] == "unauthorized" and not member.connected
    assert db.session.scalar(select(Message.id)) is None
