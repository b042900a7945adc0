"""From a group's room to the library: a member turns a message into a practice draft."""
from sqlalchemy import select

from lab.extensions import db
from lab.library.models import Practice
from lab.rooms import messages, services
from tests.library.test_routes import form_data, sign_in
from tests.rooms.conftest import key

BODY = "Centri diurni aperti la sera\n\nA Bari i centri diurni restano aperti fino alle 22."


def _propose_url(room, seq=1):
    return f"/rooms/{room.id}/messages/{seq}/propose"


def test_a_member_turns_a_message_into_a_prefilled_draft(app, room, group, coordinator):
    messages.post_message(coordinator, room.id, BODY, key())
    client = sign_in(app.test_client(), coordinator)
    room_page = client.get(f"/rooms/{room.id}").get_data(as_text=True)
    assert f'href="{_propose_url(room)}"' in room_page
    # The pattern rooms.js follows to add the link to the messages arriving live.
    assert f'data-propose-url="{_propose_url(room, 0)}"' in room_page
    form = client.get(_propose_url(room)).get_data(as_text=True)
    assert 'value="Centri diurni aperti la sera"' in form
    assert "fino alle 22." in form
    response = client.post(_propose_url(room), data=form_data(group))
    assert response.status_code == 302
    practice = db.session.scalar(select(Practice))
    assert practice.source_message.room_id == room.id and practice.source_message.seq == 1
    sheet = client.get(response.location).get_data(as_text=True)
    assert f"/rooms/{room.id}#m-1" in sheet


def test_a_message_one_may_not_read_is_refused(app, room, group, coordinator, outsider):
    messages.post_message(coordinator, room.id, BODY, key())
    client = sign_in(app.test_client(), outsider)  # a delegate, not a member of the group
    assert client.get(_propose_url(room)).status_code == 403
    assert client.post(_propose_url(room), data=form_data(group)).status_code == 403
    assert db.session.scalar(select(Practice)) is None


def test_the_laboratory_room_offers_no_proposal(app, group, coordinator):
    room = services.laboratory_room()
    messages.post_message(coordinator, room.id, BODY, key())
    client = sign_in(app.test_client(), coordinator)
    page = client.get(f"/rooms/{room.id}").get_data(as_text=True)
    assert "/propose" not in page and "data-propose-url" not in page
    assert client.get(_propose_url(room)).status_code == 403


def test_a_missing_or_deleted_message_is_not_found(app, room, coordinator):
    messages.post_message(coordinator, room.id, BODY, key())
    messages.delete_message(coordinator, room, 1)
    client = sign_in(app.test_client(), coordinator)
    for seq in (1, 2, 10**12):
        assert client.get(_propose_url(room, seq)).status_code == 404, seq
