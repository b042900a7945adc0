"""Stored message HTML carries its renderer's version; HTML of an older one is never served."""
from sqlalchemy import select, update

from lab.core.markup import RENDERER_VERSION
from lab.extensions import db
from lab.rooms import messages
from lab.rooms.models import Message
from tests.conftest import sign_in
from tests.rooms.conftest import key

# What a renderer with a sanitiser bug might have let through.
OLD_HTML = '<p>Ciao <img src="x" onerror="alert(1)"></p>'


def posted(room, author, text="Ciao **a tutti**") -> int:
    return messages.post_message(author, room.id, text, key()).payload["id"]


def stored_row(room, seq) -> Message:
    db.session.rollback()
    return db.session.scalar(select(Message).where(Message.room_id == room.id,
                                                   Message.seq == seq))


def set_row(room, seq, html, version) -> None:
    db.session.execute(update(Message).where(Message.room_id == room.id, Message.seq == seq)
                       .values(body_html=html, html_version=version))
    db.session.commit()


def test_a_new_message_records_the_renderer_version(room, delegate):
    seq = posted(room, delegate)
    assert stored_row(room, seq).html_version == RENDERER_VERSION


def test_stale_html_is_rendered_again_when_read(client, room, delegate, connect):
    seq = posted(room, delegate)
    set_row(room, seq, OLD_HTML, RENDERER_VERSION - 1)
    sign_in(client, delegate)
    [message] = client.get(f"/rooms/{room.id}/messages?after=0").get_json()["messages"]
    assert message["html"] == "<p>Ciao <strong>a tutti</strong></p>"
    joined = connect(delegate).emit("join", {"room": room.id, "after": 0})
    assert joined["messages"][0]["html"] == "<p>Ciao <strong>a tutti</strong></p>"


def test_current_html_is_served_as_stored(client, room, delegate):
    seq = posted(room, delegate)
    set_row(room, seq, "<p>as stored</p>", RENDERER_VERSION)  # no rendering on each read
    sign_in(client, delegate)
    [message] = client.get(f"/rooms/{room.id}/messages?after=0").get_json()["messages"]
    assert message["html"] == "<p>as stored</p>"


def test_the_rerender_command_rewrites_only_stale_rows(runner, room, delegate):
    stale, current = posted(room, delegate), posted(room, delegate, "Secondo")
    set_row(room, stale, OLD_HTML, RENDERER_VERSION - 1)
    set_row(room, current, "<p>Secondo</p>", RENDERER_VERSION)
    result = runner.invoke(args=["lab", "rerender"])
    assert result.exit_code == 0 and "1 messages rendered again" in result.output
    row = stored_row(room, stale)
    assert row.html_version == RENDERER_VERSION
    assert row.body_html == "<p>Ciao <strong>a tutti</strong></p>"
    assert "0 messages" in runner.invoke(args=["lab", "rerender"]).output


def test_an_edit_records_the_renderer_version(connect, room, delegate):
    sender = connect(delegate)
    seq = sender.send(room, "Prima")["id"]
    set_row(room, seq, OLD_HTML, RENDERER_VERSION - 1)
    assert sender.emit("edit", {"room": room.id, "id": seq, "body": "Dopo"})["ok"]
    row = stored_row(room, seq)
    assert (row.body_html, row.html_version) == ("<p>Dopo</p>", RENDERER_VERSION)


def test_the_room_page_shows_the_stored_html_without_rendering_it_again(client, room, delegate):
    seq = posted(room, delegate)
    set_row(room, seq, "<p>as stored</p>", RENDERER_VERSION)
    sign_in(client, delegate)
    page = client.get(f"/rooms/{room.id}").get_data(as_text=True)
    assert "<p>as stored</p>" in page and "<strong>a tutti</strong>" not in page


def test_the_room_page_renders_stale_html_again(client, room, delegate):
    seq = posted(room, delegate)
    set_row(room, seq, OLD_HTML, RENDERER_VERSION - 1)
    sign_in(client, delegate)
    page = client.get(f"/rooms/{room.id}").get_data(as_text=True)
    assert "<p>Ciao <strong>a tutti</strong></p>" in page and "onerror" not in page
