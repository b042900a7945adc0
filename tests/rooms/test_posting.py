"""post_message: one transaction per message, ids in commit order, a retried key stored once,
the one rule of who may write, and the room told only after the commit."""
import threading
import uuid
from types import SimpleNamespace

import pytest
from sqlalchemy import event, func, insert, select, update

from lab.accounts.models import User
from lab.core.errors import NotPermitted
from lab.extensions import db
from lab.rooms import messages, moderation
from lab.rooms.models import Message, Room
from tests.rooms.conftest import key


def stored(room) -> list[tuple[int, str]]:
    db.session.rollback()
    return list(db.session.execute(select(Message.seq, Message.body_source)
                                   .where(Message.room_id == room.id).order_by(Message.seq)))


def test_concurrent_senders_get_every_id_once_in_commit_order(app, room, delegate, coordinator):
    room_id, people = room.id, [delegate.id, coordinator.id]
    db.session.rollback()
    acks, failures = [], []

    def send(person_id: int, n: int) -> None:
        with app.app_context():
            try:
                author = db.session.get(User, person_id)
                acks.append(messages.post_message(author, room_id, f"n. {n}", key()).payload["id"])
            except Exception as error:  # noqa: BLE001 - reported by the assertion below
                failures.append(error)

    threads = [threading.Thread(target=send, args=(people[n % 2], n)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == [] and sorted(acks) == list(range(1, 9))
    assert [seq for seq, _text in stored(room)] == list(range(1, 9))
    assert db.session.get(Room, room_id).last_seq == 8


def test_a_key_stored_meanwhile_by_another_process_returns_that_message(monkeypatch, room,
                                                                        delegate):
    """The retry passed the look-up before the first send committed elsewhere: the unique
    index refuses the second row, and the retry answers with the first."""
    room_id, retried = room.id, key()

    def first_send_commits_elsewhere(user_id):
        with db.engine.begin() as other_process:
            seq = other_process.execute(update(Room).where(Room.id == room_id).values(
                last_seq=Room.last_seq + 1).returning(Room.last_seq)).scalar_one()
            other_process.execute(insert(Message).values(
                room_id=room_id, seq=seq, author_id=user_id, author_region_id=delegate.region_id,
                client_key=retried, body_source="Primo invio", body_html="<p>Primo invio</p>"))
        return 0.0

    db.session.rollback()
    monkeypatch.setattr(messages, "flood_wait", first_send_commits_elsewhere)
    posted = messages.post_message(delegate, room_id, "Primo invio", retried)
    assert not posted.created and posted.payload["id"] == 1
    assert posted.payload["source"] == "Primo invio"
    assert stored(room) == [(1, "Primo invio")]
    assert db.session.get(Room, room_id).last_seq == 1


def test_the_room_hears_of_a_message_only_once_it_is_committed(monkeypatch, room, delegate):
    seen_by_the_room = []

    def broadcast(payload, *_args):
        with db.engine.connect() as elsewhere:  # what another process would read now
            seen_by_the_room.append(elsewhere.scalar(select(func.count()).select_from(Message)
                                                     .where(Message.seq == payload["id"])))

    monkeypatch.setattr(messages.events, "message_posted", broadcast)
    messages.post_message(delegate, room.id, "Ciao", key())
    assert seen_by_the_room == [1]


def test_a_message_the_database_refuses_fails_alone_and_leaves_no_gap(monkeypatch, room,
                                                                       delegate, coordinator):
    messages.post_message(delegate, room.id, "Uno", key())
    nobody = SimpleNamespace(id=999_999, full_name="Nessuno")  # a mention the foreign key refuses
    monkeypatch.setattr(messages, "room_people", lambda _room: [nobody])
    with pytest.raises(RuntimeError, match="refused"):
        messages.post_message(delegate, room.id, "Ciao @Nessuno", key())
    monkeypatch.undo()
    db.session.rollback()
    assert messages.post_message(coordinator, room.id, "Due", key()).payload["id"] == 2
    assert stored(room) == [(1, "Uno"), (2, "Due")]


def test_the_same_key_sent_twice_at_once_is_stored_once(app, room, delegate):
    room_id, person_id, retried = room.id, delegate.id, key()
    db.session.rollback()
    acks = []

    def send() -> None:
        with app.app_context():
            posted = messages.post_message(db.session.get(User, person_id), room_id, "Una volta",
                                           retried)
            acks.append((posted.payload["id"], posted.created))

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(acks) == [(1, False), (1, False), (1, False), (1, True)]
    assert stored(room) == [(1, "Una volta")]


def test_the_posting_rule_holds_for_edits_too(room, delegate, coordinator):
    seq = messages.post_message(delegate, room.id, "Prima", key()).payload["id"]
    moderation.mute_member(coordinator, room, delegate, 30)
    with pytest.raises(NotPermitted, match="silenziato"):
        messages.post_message(delegate, room.id, "Ancora", key())
    with pytest.raises(NotPermitted, match="silenziato"):
        messages.edit_message(delegate, room, seq, "Dopo")


def test_an_outsider_is_refused_and_nothing_is_stored(room, outsider):
    with pytest.raises(NotPermitted, match="Non fai parte"):
        messages.post_message(outsider, room.id, "Posso entrare?", uuid.uuid4().hex)
    assert stored(room) == []


def test_a_send_waiting_for_the_rooms_writer_holds_no_database_connection(monkeypatch, room,
                                                                           delegate):
    """Hundreds of sends wait for a busy room's writer: holding a connection each, they took
    the whole pool and the writer waited for one in vain."""
    sender_session, held_while_waiting = db.session(), []
    real_broadcast = messages.events.message_posted

    def broadcast(*args):  # run by the writer while the sender waits
        held_while_waiting.append(sender_session.in_transaction())
        real_broadcast(*args)

    monkeypatch.setattr(messages.events, "message_posted", broadcast)
    messages.post_message(delegate, room.id, "Ciao", key())
    assert held_while_waiting == [False]


def test_concurrent_sends_run_no_statement_the_rooms_writer_could_run(app, room, delegate,
                                                                      coordinator):
    """Under saturation each waiting send read the posting rule itself, and those reads took
    the pool's connections from the room's writer (0.5 messages a second): the writer reads
    the rule once per author of its batch, and a send runs no statement of its own."""
    room_id, people = room.id, [delegate.id, coordinator.id]
    db.session.rollback()
    senders, statements, acks = set(), [], []
    start = threading.Barrier(8)

    def count_statement(*_args):
        statements.append(threading.get_ident() in senders)

    def send(person_id: int, n: int) -> None:
        with app.app_context():
            author = db.session.get(User, person_id)  # as the socket's sign-in loads it
            start.wait()
            senders.add(threading.get_ident())
            acks.append(messages.post_message(author, room_id, f"n. {n}", key()).payload["id"])
            senders.discard(threading.get_ident())  # a later writer thread may get its ident

    event.listen(db.engine, "before_cursor_execute", count_statement)
    try:
        threads = [threading.Thread(target=send, args=(people[n % 2], n)) for n in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        event.remove(db.engine, "before_cursor_execute", count_statement)
    assert sorted(acks) == list(range(1, 9))
    assert statements and not any(statements)  # the writer's, none of the senders'


def test_the_rooms_writer_reads_the_posting_rule_for_its_whole_batch_in_one_statement(
        room, delegate, coordinator, outsider):
    """Each statement of the writer waits for a busy event loop: the room, each author, their
    roles, membership and mute were five round trips before the numbering, now one."""
    moderation.mute_member(coordinator, room, delegate, 30)
    room_id, muted, allowed, refused = room.id, delegate.id, coordinator.id, outsider.id
    db.session.rollback()
    statements = []

    def count_statement(*_args):
        statements.append(1)

    event.listen(db.engine, "before_cursor_execute", count_statement)
    try:
        refusals = messages.posting_refusals(room_id, {muted, allowed, refused})
    finally:
        event.remove(db.engine, "before_cursor_execute", count_statement)
    assert len(statements) == 1
    assert sorted(refusals) == sorted([muted, refused])
    assert "silenziato" in refusals[muted].message
    assert "Non fai parte" in refusals[refused].message
