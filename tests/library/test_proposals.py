"""From a group's room to the library: a member turns a message into a practice draft."""
import uuid

from sqlalchemy import select

from lab.extensions import db
from lab.library.models import Practice
from lab.rooms import messages, services as rooms
from lab.rooms.models import Message
from tests.library.test_routes import form_data, sign_in

BODY = "Centri diurni aperti la sera\n\nA Bari i centri diurni restano aperti fino alle 22."


def _message(author, group) -> Message:
    room = rooms.group_room(group)
    messages.post_message(author, room.id, BODY, uuid.uuid4().hex)
    return db.session.scalar(select(Message).where(Message.room_id == room.id))


def test_a_member_turns_a_message_into_a_prefilled_draft(app, theme, coordinator):
    message = _message(coordinator, theme)
    client = sign_in(app.test_client(), coordinator)
    room_page = client.get(f"/rooms/{message.room_id}").get_data(as_text=True)
    assert f"/library/new?from_message={message.id}" in room_page
    form = client.get(f"/library/new?from_message={message.id}").get_data(as_text=True)
    assert 'value="Centri diurni aperti la sera"' in form
    assert "fino alle 22." in form
    response = client.post(f"/library/new?from_message={message.id}", data=form_data(theme))
    assert response.status_code == 302
    practice = db.session.scalar(select(Practice))
    assert practice.source_message_id == message.id
    sheet = client.get(response.location).get_data(as_text=True)
    assert f"/rooms/{message.room_id}#m-{message.seq}" in sheet


def test_a_message_one_may_not_read_is_not_found(app, theme, coordinator, author):
    message = _message(coordinator, theme)
    client = sign_in(app.test_client(), author)  # a delegate, not a member of the group
    assert client.get(f"/library/new?from_message={message.id}").status_code == 404
    response = client.post(f"/library/new?from_message={message.id}", data=form_data(theme))
    assert response.status_code == 404
    assert db.session.scalar(select(Practice)) is None
