"""Access ends at once: a removed member leaves the room, an ended session is disconnected,
an ended role leaves the rooms it opened, a deactivated person loses every socket."""
import contextvars
import time

from lab.accounts import offboarding, services as accounts, sessions
from lab.extensions import db, socketio
from lab.groups import queries, services as groups
from lab.rooms.services import laboratory_room
from tests.factories import PASSWORD

NEW = "Una nuova password piuttosto lunga"


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


def test_signing_out_leaves_the_same_person_s_other_browsers_connected(app, connect, room,
                                                                      delegate):
    signed_out, elsewhere = connect(delegate), connect(delegate)
    assert signed_out.http.post("/sign-out").status_code == 302
    assert not signed_out.connected and elsewhere.connected
    assert elsewhere.send(room, "Ancora qui")["ok"]


def test_a_password_change_elsewhere_closes_the_connection_at_once(connect, room, delegate):
    member = connect(delegate)
    member.emit("join", {"room": room.id})
    member.received()
    changing = connect(delegate)
    assert changing.http.post("/account/password", data={
        "current": PASSWORD, "password": NEW, "confirm": NEW}).status_code == 302
    assert not member.connected
    assert changing.connected  # the session that changed the password stays


def test_ending_the_delegate_role_leaves_the_laboratory_room_at_once(connect, delegate, admin):
    room = laboratory_room()
    member = connect(delegate)
    assert member.emit("join", {"room": room.id})["ok"]
    member.received()
    accounts.end_role(admin, delegate.role_assignments[0])
    assert member.received("room_closed")[0]["room"] == room.id
    assert connect(admin).send(room, "Solo per i delegati")["ok"]
    assert member.received("message_posted") == []
    assert member.emit("join", {"room": room.id})["code"] == "forbidden"


def test_deactivation_disconnects_every_socket_at_once(connect, room, delegate, admin):
    sockets = [connect(delegate), connect(delegate)]
    sockets[0].emit("join", {"room": room.id})
    offboarding.deactivate(admin, delegate)
    assert [s.connected for s in sockets] == [False, False]


def test_an_admin_s_sign_out_everywhere_disconnects_at_once(connect, room, delegate, admin):
    member = connect(delegate)
    member.emit("join", {"room": room.id})
    sessions.sign_out_everywhere(admin, delegate)
    assert not member.connected


def test_a_connection_opened_with_an_ended_session_is_refused(app, connect, delegate):
    member = connect(delegate)
    copied = member.http.get_cookie("session").value
    member.http.post("/sign-out")
    thief = app.test_client()
    thief.set_cookie("session", copied, domain="localhost")
    db.session.rollback()
    sio = contextvars.Context().run(socketio.test_client, app, namespace="/rooms",
                                    flask_test_client=thief)
    assert not sio.is_connected("/rooms")
