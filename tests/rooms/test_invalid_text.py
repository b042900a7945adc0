"""Text that cannot be stored is refused where it enters and never fails others' messages."""
import pytest
from sqlalchemy import func, select

from lab.core.errors import DomainError
from lab.extensions import db
from lab.rooms import messages
from lab.rooms.models import Message
from tests.rooms.conftest import key

INVALID = ["x\ud800", "\udfff", "ciao\x00", "a\x1bb", "fine\x7f"]


def stored(room) -> list[tuple[int, str]]:
    db.session.rollback()
    return list(db.session.execute(select(Message.seq, Message.body_source)
                                   .where(Message.room_id == room.id).order_by(Message.seq)))


def count(room) -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(Message).where(
        Message.room_id == room.id))


@pytest.mark.parametrize("body", INVALID)
def test_a_send_with_invalid_text_gets_a_clear_error(connect, room, delegate, body):
    sender = connect(delegate)
    ack = sender.send(room, body)
    assert ack["ok"] is False and ack["code"] == "bad_payload"
    error = sender.received("error")[-1]
    assert error["code"] == "bad_payload" and "non" in error["message"]
    assert count(room) == 0


def test_the_lone_surrogate_is_named_in_the_message(connect, room, delegate):
    ack = connect(delegate).send(room, "x\ud800")
    assert "carattere non valido" in ack["message"]


def test_the_senders_next_message_and_everyone_elses_are_stored(connect, room, delegate,
                                                               coordinator):
    sender, other = connect(delegate), connect(coordinator)
    assert not sender.send(room, "x\ud800")["ok"]
    assert other.send(room, "Buongiorno")["ok"] and sender.send(room, "Scusate")["ok"]
    assert stored(room) == [(1, "Buongiorno"), (2, "Scusate")]


def test_invalid_text_is_refused_by_the_service_too(room, delegate):
    with pytest.raises(DomainError, match="carattere non valido"):
        messages.post_message(delegate, room.id, "x\ud800", key())
    assert stored(room) == []


def test_an_edit_with_invalid_text_is_refused(connect, room, delegate):
    sender = connect(delegate)
    posted = sender.send(room, "Testo giusto")
    ack = sender.emit("edit", {"room": room.id, "id": posted["id"], "body": "x\ud800"})
    assert ack["ok"] is False and ack["code"] == "bad_payload"
    assert stored(room) == [(1, "Testo giusto")]


def test_a_room_id_sent_as_invalid_text_is_refused_as_a_payload(connect, room, delegate):
    ack = connect(delegate).emit("send", {"room": room.id, "body": "ok", "key": "k\ud800" * 4})
    assert ack["ok"] is False and ack["code"] == "bad_payload"
