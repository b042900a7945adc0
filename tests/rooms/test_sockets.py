"""The ``/rooms`` namespace: who may connect and join, acks, idempotency, replay, bad input."""
import time

import pytest
from sqlalchemy import func, select

from lab.extensions import db, socketio
from lab.rooms import sockets
from lab.rooms.models import Message
from tests.rooms.conftest import key


def stored(room) -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(Message).where(Message.room_id == room.id))


def test_anonymous_connections_are_refused(app):
    client = socketio.test_client(app, namespace="/rooms")
    assert not client.is_connected("/rooms")


def test_member_joins_and_gets_the_latest_messages(connect, room, delegate):
    member = connect(delegate)
    assert member.connected
    ack = member.emit("join", {"room": room.id})
    assert ack["ok"] and ack["messages"] == [] and ack["room"] == room.id
    assert [p["name"] for p in ack["present"]] == ["Dario Delegato"]


def test_outsider_and_unknown_room_get_clear_errors(connect, room, outsider):
    stranger = connect(outsider)
    ack = stranger.emit("join", {"room": room.id})
    assert ack == {"ok": False, "code": "forbidden", "message": "Non fai parte di questa stanza.",
                   "event": "join", "room": room.id}
    assert stranger.received("error")[-1]["code"] == "forbidden"
    assert stranger.emit("join", {"room": 999999})["code"] == "not_found"
    assert stranger.send(room, "Posso entrare?")["code"] == "forbidden"
    assert stored(room) == 0


def test_message_is_stored_then_acknowledged_and_broadcast(connect, room, delegate, coordinator):
    sender, reader = connect(delegate), connect(coordinator)
    sender.emit("join", {"room": room.id})
    reader.emit("join", {"room": room.id})
    reader.received()
    ack = sender.send(room, "Buongiorno a **tutti**")
    assert ack["ok"] and ack["id"] == 1 and not ack["duplicate"]
    message = db.session.scalar(select(Message).where(Message.room_id == room.id))
    assert (message.seq, message.author_id, message.author_region.slug) == (1, delegate.id, "piemonte")
    assert message.body_html == "<p>Buongiorno a <strong>tutti</strong></p>"
    [broadcast] = reader.received("message_posted")
    assert broadcast["id"] == 1 and broadcast["author"] == {
        "id": delegate.id, "name": "Dario Delegato", "region_it": "Piemonte", "region_en": "Piedmont"}
    assert broadcast == ack["message"]


def test_a_retried_send_is_stored_once(connect, room, delegate):
    sender = connect(delegate)
    message_key = key()
    first = sender.send(room, "Una volta sola", message_key)
    again = sender.send(room, "Una volta sola", message_key)
    assert first["id"] == again["id"] == 1 and again["duplicate"]
    assert stored(room) == 1


def test_ids_increase_per_room(connect, room, delegate, coordinator):
    ids = [connect(person).send(room, f"n. {n}")["id"]
           for n, person in enumerate([delegate, coordinator, delegate])]
    assert ids == [1, 2, 3]


def test_rejoining_replays_what_was_missed(connect, room, delegate, coordinator):
    writer = connect(coordinator)
    for n in range(1, 5):
        writer.send(room, f"messaggio {n}")
    ack = connect(delegate).emit("join", {"room": room.id, "after": 2})
    assert [m["id"] for m in ack["messages"]] == [3, 4] and ack["reload"] is False


def test_replay_past_the_cap_asks_the_client_to_reload(connect, room, delegate, coordinator,
                                                      monkeypatch):
    monkeypatch.setattr(sockets, "REPLAY_LIMIT", 2)
    writer = connect(coordinator)
    for n in range(5):
        writer.send(room, f"messaggio {n}")
    ack = connect(delegate).emit("join", {"room": room.id, "after": 0})
    assert [m["id"] for m in ack["messages"]] == [1, 2] and ack["reload"] is True


ROOM = object()  # stands for the room's id in the payloads below

BAD_MESSAGES = [
    ("testo", "bad_payload"),
    (["room", 1], "bad_payload"),
    ({"room": "1", "body": "x", "key": "abcdefgh12"}, "bad_payload"),
    ({"room": True, "body": "x", "key": "abcdefgh12"}, "bad_payload"),
    ({"room": -1, "body": "x", "key": "abcdefgh12"}, "bad_payload"),
    ({"room": 2**40, "body": "x", "key": "abcdefgh12"}, "bad_payload"),
    ({"body": "x", "key": "abcdefgh12"}, "bad_payload"),
    ({"room": ROOM, "body": ["x"], "key": "abcdefgh12"}, "bad_payload"),
    ({"room": ROOM, "body": {"html": "x"}, "key": "abcdefgh12"}, "bad_payload"),
    ({"room": ROOM, "body": "x"}, "bad_payload"),
    ({"room": ROOM, "body": "", "key": "abcdefgh12"}, "invalid"),
    ({"room": ROOM, "body": "   \n ", "key": "abcdefgh12"}, "invalid"),
    ({"room": ROOM, "body": "x" * 5001, "key": "abcdefgh12"}, "invalid"),
    ({"room": ROOM, "body": "x", "key": "corta"}, "invalid"),
    ({"room": ROOM, "body": "x", "key": "<script>alert(1)</script>"}, "invalid"),
    ({"room": 999999, "body": "x", "key": "abcdefgh12"}, "not_found"),
]


@pytest.mark.parametrize("payload, code", BAD_MESSAGES)
def test_bad_messages_get_an_error_and_nothing_is_stored(connect, room, delegate, coordinator,
                                                         payload, code):
    sender, reader = connect(delegate), connect(coordinator)
    reader.emit("join", {"room": room.id})
    reader.received()
    if isinstance(payload, dict):
        payload = {name: room.id if value is ROOM else value for name, value in payload.items()}
    ack = sender.emit("send", payload)
    assert ack["ok"] is False and ack["code"] == code and ack["message"]
    assert sender.received("error")[-1]["code"] == code
    assert stored(room) == 0 and reader.received("message_posted") == []


def test_a_forged_author_is_refused(connect, room, delegate, coordinator):
    ack = connect(delegate).emit("send", {"room": room.id, "body": "firmato da altri",
                                          "key": key(), "author": coordinator.id})
    assert ack["code"] == "bad_payload" and "author" in ack["message"]
    assert stored(room) == 0


def test_five_thousand_characters_are_accepted(connect, room, delegate):
    assert connect(delegate).send(room, "y" * 5000)["ok"]


def test_unknown_events_get_an_error(connect, delegate):
    member = connect(delegate)
    ack = member.emit("shout", {"x": 1})
    assert ack["ok"] is False and ack["code"] == "unknown_event"
    error = member.received("error")[-1]
    assert (error["code"], error["event"], error["message"]) == (
        "unknown_event", "shout", "Evento sconosciuto.")


def test_the_unknown_event_error_is_in_the_persons_language(connect, delegate):
    delegate.locale = "en"
    db.session.commit()
    member = connect(delegate)
    member.emit("shout")
    assert member.received("error")[-1]["message"] == "Unknown event."


def test_known_events_are_not_taken_for_unknown_ones(connect, room, delegate):
    member = connect(delegate)
    assert member.emit("join", {"room": room.id})["ok"]
    assert member.send(room, "Ciao")["ok"]
    assert member.received("error") == []


def test_a_flood_is_refused_with_the_wait_and_nothing_stored(connect, room, delegate, coordinator):
    sender, reader = connect(delegate), connect(coordinator)
    reader.emit("join", {"room": room.id})
    acks = [sender.send(room, f"raffica {n}") for n in range(11)]
    assert all(ack["ok"] for ack in acks[:10])
    assert acks[10]["code"] == "rate_limited" and 0 < acks[10]["wait"] <= 10
    error = sender.received("error")[-1]
    assert error["code"] == "rate_limited" and "attendi" in error["message"]
    assert stored(room) == 10
    assert len(reader.received("message_posted")) == 10


def test_a_retry_of_a_stored_message_is_not_counted_as_flood(connect, room, delegate):
    sender = connect(delegate)
    message_key = key()
    for _ in range(12):
        assert sender.send(room, "ritento", message_key)["ok"]


def test_typing_reaches_others_throttled_and_is_never_stored(connect, room, delegate, coordinator):
    typist, reader = connect(delegate), connect(coordinator)
    typist.emit("join", {"room": room.id})
    reader.emit("join", {"room": room.id})
    reader.received()
    assert typist.emit("typing", {"room": room.id}) == {"ok": True}
    assert typist.emit("typing", {"room": room.id})["throttled"]
    assert reader.received("typing") == [{"room": room.id, "user": {"id": delegate.id,
                                                                     "name": "Dario Delegato"}}]
    assert typist.received("typing") == [] and stored(room) == 0


def test_presence_follows_joins_and_disconnects(connect, room, delegate, coordinator):
    first, second = connect(delegate), connect(coordinator)
    first.emit("join", {"room": room.id})
    ack = second.emit("join", {"room": room.id})
    assert [p["name"] for p in ack["present"]] == ["Cora Coordina", "Dario Delegato"]
    second.disconnect()
    deadline = time.monotonic() + 3
    people = None
    while people != ["Dario Delegato"] and time.monotonic() < deadline:
        time.sleep(0.1)
        updates = first.received("presence")
        people = [p["name"] for p in updates[-1]["people"]] if updates else people
    assert people == ["Dario Delegato"]


def test_laboratory_room_is_for_delegates_and_organisers(connect, delegate, organiser, region_admin):
    from lab.rooms.services import laboratory_room

    room = laboratory_room()
    assert connect(delegate).emit("join", {"room": room.id})["ok"]
    organiser_socket = connect(organiser)
    assert organiser_socket.emit("join", {"room": room.id})["ok"]
    assert organiser_socket.send(room, "Il prossimo forum sarà a Bari.")["ok"]
    assert connect(region_admin).emit("join", {"room": room.id})["code"] == "forbidden"
