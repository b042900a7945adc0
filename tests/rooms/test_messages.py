"""Edits with history, deletions with placeholders, mutes, mentions, unread counts, search."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from lab.accounts.audit import AuditEntry
from lab.core.errors import NotPermitted
from lab.extensions import db
from lab.rooms import services
from lab.rooms.models import Mention, Message, MessageEdit
from tests.conftest import statements_run
from tests.rooms.conftest import key


def audit_actions() -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def test_author_edits_within_fifteen_minutes_and_the_history_is_kept(connect, room, delegate,
                                                                      coordinator):
    author, reader = connect(delegate), connect(coordinator)
    reader.emit("join", {"room": room.id})
    first = author.send(room, "Prima versione")
    ack = author.emit("edit", {"room": room.id, "id": first["id"], "body": "Seconda *versione*"})
    assert ack["ok"] and ack["message"]["edited_at"] and "<em>versione</em>" in ack["message"]["html"]
    assert reader.received("message_updated")[-1]["id"] == first["id"]
    [edit] = db.session.scalars(select(MessageEdit)).all()
    assert edit.previous_source == "Prima versione"
    assert reader.emit("edit", {"room": room.id, "id": first["id"], "body": "mio"})["code"] == "forbidden"


def test_editing_after_fifteen_minutes_is_refused(connect, room, delegate):
    author = connect(delegate)
    sent = author.send(room, "Vecchio messaggio")
    message = db.session.scalar(select(Message).where(Message.room_id == room.id))
    message.created_at -= timedelta(minutes=16)
    db.session.commit()
    ack = author.emit("edit", {"room": room.id, "id": sent["id"], "body": "Troppo tardi"})
    assert ack["code"] == "invalid" and "15 minuti" in ack["message"]


def test_deleting_leaves_a_placeholder(connect, room, delegate, coordinator):
    author, reader = connect(delegate), connect(coordinator)
    reader.emit("join", {"room": room.id})
    sent = author.send(room, "Da cancellare")
    ack = author.emit("delete", {"room": room.id, "id": sent["id"]})
    assert ack["ok"] and ack["message"]["deleted"] and ack["message"]["html"] == ""
    assert reader.received("message_updated")[-1]["deleted"]
    replay = reader.emit("join", {"room": room.id, "after": 0})["messages"]
    assert [(m["id"], m["deleted"], m["source"]) for m in replay] == [(1, True, "")]
    assert "room.message_deleted" in audit_actions()


def test_members_delete_only_their_own_and_coordinators_any(connect, room, delegate, coordinator):
    member, lead = connect(delegate), connect(coordinator)
    by_lead = lead.send(room, "Messaggio della coordinatrice")
    by_member = member.send(room, "Messaggio fuori tema")
    assert member.emit("delete", {"room": room.id, "id": by_lead["id"]})["code"] == "forbidden"
    assert lead.emit("delete", {"room": room.id, "id": by_member["id"]})["ok"]
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "room.message_removed"))
    assert entry.actor_id == coordinator.id and entry.subject_id == delegate.id


def test_a_muted_member_cannot_write_until_the_mute_ends(connect, room, delegate, coordinator):
    from lab.rooms import moderation

    member = connect(delegate)
    mute = moderation.mute_member(coordinator, room, delegate, 30)
    assert member.received("muted")[-1]["room"] == room.id
    ack = member.send(room, "Posso parlare?")
    assert ack["code"] == "forbidden" and "silenziato" in ack["message"]
    assert db.session.scalar(select(Message.id)) is None
    moderation.lift_mute(coordinator, room, mute.id)
    assert member.send(room, "Grazie")["ok"]
    assert {"room.member_muted", "room.mute_lifted"} <= set(audit_actions())


def test_mentions_notify_the_person_and_count_until_read(connect, room, delegate, coordinator):
    mentioned, author = connect(delegate), connect(coordinator)
    sent = author.send(room, "Ne parliamo con @Dario Delegato domani?")
    assert mentioned.received("mention") == [{
        "room": room.id, "id": sent["id"], "by": "Cora Coordina",
        "title": {"it": "Dati aperti regionali", "en": "Open regional data"}}]
    assert db.session.scalar(select(Mention.user_id)) == delegate.id
    [entry] = [e for e in services.rooms_for(delegate) if e.room.id == room.id]
    assert (entry.unread, entry.mentions) == (1, 1)
    assert mentioned.emit("read", {"room": room.id, "id": sent["id"]})["last_read"] == sent["id"]
    db.session.expire_all()
    [entry] = [e for e in services.rooms_for(delegate) if e.room.id == room.id]
    assert (entry.unread, entry.mentions) == (0, 0)


def test_unread_counts_skip_ones_own_and_deleted_messages(connect, room, delegate, coordinator):
    reader, writer = connect(delegate), connect(coordinator)
    reader.send(room, "mio")
    for n in range(3):
        writer.send(room, f"altro {n}")
    writer.emit("delete", {"room": room.id, "id": 4})
    [entry] = [e for e in services.rooms_for(delegate) if e.room.id == room.id]
    assert entry.unread == 2
    reader.emit("read", {"room": room.id, "id": 2})
    reader.emit("read", {"room": room.id, "id": 1})  # never moves back
    assert services.last_read(delegate, room) == 2


def test_history_pages_by_fifty_with_a_keyset(room, delegate):
    for n in range(120):
        message = Message(room_id=room.id, seq=n + 1, author_id=delegate.id, client_key=key(),
                          body_source=f"n{n + 1}", body_html=f"<p>n{n + 1}</p>")
        db.session.add(message)
    room.last_seq = 120
    db.session.commit()
    latest, older = services.messages_before(room, None)
    assert [m.seq for m in latest] == list(range(71, 121)) and older
    page, older = services.messages_before(room, 71)
    assert [m.seq for m in page] == list(range(21, 71)) and older
    page, older = services.messages_before(room, 21)
    assert [m.seq for m in page] == list(range(1, 21)) and not older
    after, more = services.messages_after(room, 100)
    assert [m.seq for m in after] == list(range(101, 121)) and not more


def test_search_finds_text_in_the_room_only(connect, room, delegate):
    member = connect(delegate)
    member.send(room, "Il bilancio sociale 2019")
    member.send(room, "Altro argomento")
    member.send(room, "Cento per cento_ 100%")
    assert [m.seq for m in services.search(room, "BILANCIO")] == [1]
    assert [m.seq for m in services.search(room, "%")] == [3]
    assert services.search(room, "  ") == []


def test_extra_rooms_opened_by_coordinators(group, coordinator, delegate):
    with pytest.raises(NotPermitted):
        services.open_room(delegate, group, "Sottogruppo")
    extra = services.open_room(coordinator, group, "Preparazione del Forum")
    titles = [e.room.title() for e in services.rooms_for(delegate)]
    assert titles == ["Tutto il Laboratorio", "Dati aperti regionali", "Preparazione del Forum"]
    assert services.can_read(delegate, extra)


def test_a_page_of_messages_comes_with_its_authors_in_one_statement(connect, room, delegate,
                                                                   coordinator):
    connect(delegate).send(room, "uno")
    connect(coordinator).send(room, "due")
    room_id = room.id
    db.session.remove()
    with statements_run() as statements:
        page, _ = services.messages_before(services.room_by_id(room_id), None)
        shown = [(m.author.full_name, m.body_source) for m in page]
    assert shown == [("Dario Delegato", "uno"), ("Cora Coordina", "due")]
    assert len(statements) == 2  # the room, then its messages with their authors
