"""What a batch of messages waiting for one room stores: each key once, in order, within the
flood limit, from authors who may write there."""
import warnings

import pytest
from sqlalchemy import select
from sqlalchemy.exc import SAWarning

from lab.core.errors import NotPermitted
from lab.extensions import db
from lab.rooms import messages
from lab.rooms.models import Message
from tests.rooms.conftest import key


def write(room, drafts) -> list:
    """Write a batch as the room's writer does: in a session with nothing begun."""
    room_id = room.id
    db.session.rollback()
    return messages._write_batch(room_id, drafts)


def stored(room) -> list[tuple[int, str]]:
    db.session.rollback()
    return list(db.session.execute(select(Message.seq, Message.body_source)
                                   .where(Message.room_id == room.id).order_by(Message.seq)))


def test_a_batch_is_stored_in_the_order_it_was_submitted(room, delegate, coordinator):
    drafts = [messages._draft(person, text, key())
              for person, text in [(delegate, "uno"), (coordinator, "due"), (delegate, "tre")]]
    outcomes = write(room, drafts)
    assert [(o.payload["id"], o.created) for o in outcomes] == [(1, True), (2, True), (3, True)]
    assert stored(room) == [(1, "uno"), (2, "due"), (3, "tre")]


def test_the_same_key_twice_in_a_batch_is_stored_once(room, delegate):
    retried = key()
    drafts = [messages._draft(delegate, "Invio ripetuto", retried),
              messages._draft(delegate, "Invio ripetuto", retried),
              messages._draft(delegate, "Altro", key())]
    first, again, other = write(room, drafts)
    assert (first.created, again.created, other.created) == (True, False, True)
    assert again.payload["id"] == first.payload["id"] == 1 and other.payload["id"] == 2
    assert stored(room) == [(1, "Invio ripetuto"), (2, "Altro")]


def test_a_key_stored_by_an_earlier_batch_returns_that_message_uncounted(app, monkeypatch, room,
                                                                         delegate):
    monkeypatch.setitem(app.config, "ROOMS_FLOOD_LIMIT", 1)
    retried = key()
    [first] = write(room, [messages._draft(delegate, "Primo", retried)])
    [again] = write(room, [messages._draft(delegate, "Primo", retried)])
    assert not again.created and again.payload["id"] == first.payload["id"]
    assert stored(room) == [(1, "Primo")]


def test_past_the_flood_limit_a_batch_stores_nothing_more_from_that_person(app, monkeypatch, room,
                                                                          delegate, coordinator):
    monkeypatch.setitem(app.config, "ROOMS_FLOOD_LIMIT", 2)
    drafts = [messages._draft(delegate, f"Messaggio {n}", key()) for n in range(3)]
    drafts.append(messages._draft(coordinator, "Io posso", key()))
    outcomes = write(room, drafts)
    assert [type(o).__name__ for o in outcomes] == ["Posted", "Posted", "_Flooded", "Posted"]
    assert 0 < outcomes[2].wait <= 10
    assert stored(room) == [(1, "Messaggio 0"), (2, "Messaggio 1"), (3, "Io posso")]


def test_each_author_in_a_batch_is_checked_and_only_the_refused_one_is_left_out(room, delegate,
                                                                              outsider):
    drafts = [messages._draft(outsider, "Posso entrare?", key()),
              messages._draft(delegate, "Buongiorno", key())]
    refused, posted = write(room, drafts)
    assert isinstance(refused, messages._Refused) and posted.created
    assert stored(room) == [(1, "Buongiorno")]
    with pytest.raises(NotPermitted, match="Non fai parte"):  # what the outsider is told
        messages.post_message(outsider, room.id, "Posso entrare?", key())


def test_a_message_the_database_refuses_fails_alone(monkeypatch, room, delegate, coordinator):
    real_posting = messages._posting

    def with_unknown_region(rights, author, room_id):  # a row the foreign key refuses
        posting = real_posting(rights, author, room_id)
        return posting._replace(author_region_id=999_999) if author.id == delegate.id else posting

    monkeypatch.setattr(messages, "_posting", with_unknown_region)
    refused_key = key()
    drafts = [messages._draft(delegate, "Rifiutato", refused_key),
              messages._draft(coordinator, "Accettato", key()),
              messages._draft(delegate, "Rifiutato", refused_key)]  # and its retry
    refused, posted, retry = write(room, drafts)
    assert isinstance(refused, RuntimeError) and retry is refused
    assert posted.created and posted.payload["id"] == 1
    assert stored(room) == [(1, "Accettato")]


def test_a_batch_after_one_that_stored_nothing_starts_afresh(room, delegate, outsider):
    """The writer's next batch must not inherit the previous one's connection settings."""
    room_id = room.id
    [refused] = write(room, [messages._draft(outsider, "Fuori", key())])
    with warnings.catch_warnings():
        warnings.simplefilter("error", SAWarning)  # "connection already established"
        [posted] = messages._write_batch(room_id, [messages._draft(delegate, "Dentro", key())])
    assert isinstance(refused, messages._Refused) and posted.created
    assert stored(room) == [(1, "Dentro")]
