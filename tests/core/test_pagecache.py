"""Public pages kept whole for visitors: served until the public data's version moves, never
personal, each visitor with their own CSRF token."""
import re
import uuid
from datetime import timedelta

import flask
import pytest
from flask import template_rendered
from flask_wtf.csrf import validate_csrf
from sqlalchemy import create_engine, update
from sqlalchemy.orm import Session

from lab.core import pagecache
from lab.core.changes import MOVE_VERSION, public_version
from lab.core.timeutil import utcnow
from lab.events import queries as event_queries
from lab.extensions import db
from lab.groups import services as groups
from lab.groups.models import Group
from lab.rooms import messages
from lab.rooms import services as rooms
from tests.conftest import sign_in
from tests.events.conftest import publish
from tests.factories import make_person


def rendered(app, client, path: str) -> tuple[str, bool]:
    """The page at ``path`` and whether a template was rendered for it (else: a kept page)."""
    names = []

    def record(sender, template, context, **extra):
        names.append(template.name)

    with template_rendered.connected_to(record, app):
        response = client.get(path)
    assert response.status_code == 200
    return response.get_data(as_text=True), bool(names)


def csrf_token(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


@pytest.fixture
def group(admin):
    return groups.create_group(admin, groups.GroupDraft(
        "Politiche di prossimità", "Proximity policies", "Le *politiche* di prossimità.",
        "Proximity policies."))


def test_a_visitor_gets_the_kept_page_until_a_change_shows_on_the_next_request(app, client,
                                                                             admin, group):
    assert rendered(app, client, "/groups")[1]
    page, rendering = rendered(app, client, "/groups")
    assert not rendering and "Politiche di prossimità" in page
    groups.create_group(admin, groups.GroupDraft("Abitare", "Housing", "Casa.", "Housing."))
    page, rendering = rendered(app, client, "/groups")
    assert rendering and "Abitare" in page


def test_a_change_committed_by_another_process_shows_on_the_next_request(app, client, group):
    assert "Politiche di prossimità" in rendered(app, client, f"/groups/{group.slug}")[0]
    other = create_engine(db.engine.url)  # another process's connection, session and listeners
    with Session(other) as session:
        session.execute(update(Group).where(Group.id == group.id)
                        .values(name_it="Politiche di vicinato"))
        session.commit()
    other.dispose()
    assert "Politiche di vicinato" in rendered(app, client, f"/groups/{group.slug}")[0]


def test_a_version_moved_outside_any_session_empties_the_kept_pages(app, client, group):
    rendered(app, client, "/groups")
    assert not rendered(app, client, "/groups")[1]
    with db.engine.begin() as connection:
        connection.execute(MOVE_VERSION)
    assert rendered(app, client, "/groups")[1]


def test_a_new_member_shows_on_the_group_page(app, client, group, delegate):
    assert "Dario Delegato" not in rendered(app, client, f"/groups/{group.slug}")[0]
    groups.set_open(make_person("root@example.org", "Root", "platform_admin"), group, True)
    groups.ask_to_join(delegate, group)
    assert "Dario Delegato" in rendered(app, client, f"/groups/{group.slug}")[0]


def test_a_message_in_a_room_leaves_the_kept_pages(app, client, group, delegate):
    """Numbering a room's messages writes the room's row: no public page shows it, and a chat
    moving the version would also queue every room's commits on its row."""
    groups.set_open(make_person("root@example.org", "Root", "platform_admin"), group, True)
    groups.ask_to_join(delegate, group)
    rendered(app, client, "/groups")
    version = public_version()
    messages.post_message(delegate, rooms.group_room(group).id, "Buongiorno a tutti", uuid.uuid4().hex)
    assert public_version() == version
    assert not rendered(app, client, "/groups")[1]


def test_a_sign_in_leaves_the_kept_pages_and_a_new_name_empties_them(app, client, delegate):
    """A sign-in writes ``users.last_sign_in_at``, which no page shows."""
    rendered(app, client, "/groups")
    version = public_version()
    sign_in(app.test_client(), delegate)
    assert public_version() == version
    assert not rendered(app, client, "/groups")[1]
    delegate.full_name = "Dario Delegato Rossi"
    db.session.commit()
    assert public_version() == version + 1


def test_a_new_representative_shows_on_the_region_page(app, client):
    assert "Nuova Delegata" not in rendered(app, client, "/regions/piemonte")[0]
    make_person("nuova@example.org", "Nuova Delegata", "delegate", "piemonte")
    assert "Nuova Delegata" in rendered(app, client, "/regions/piemonte")[0]


def test_a_published_event_shows_on_the_home_page_and_the_list(app, client, organiser):
    for path in ("/", "/events"):
        assert "Forum dell&#39;innovazione sociale" not in rendered(app, client, path)[0]
    publish(organiser)
    for path in ("/", "/events"):
        assert "Forum dell&#39;innovazione sociale" in rendered(app, client, path)[0]


def test_an_event_leaves_the_kept_lists_when_it_ends(app, client, organiser, monkeypatch):
    event = publish(organiser)
    assert "Forum dell&#39;innovazione sociale" in rendered(app, client, "/events")[0]
    assert not rendered(app, client, "/events")[1]
    later = event.ends_at + timedelta(minutes=1)
    for module in (pagecache, event_queries):
        monkeypatch.setattr(module, "utcnow", lambda: later)
    page, rendering = rendered(app, client, "/events")
    assert rendering and "Forum dell&#39;innovazione sociale" not in page
    assert event_queries.next_change(utcnow()) == event.starts_at


def test_a_signed_in_person_never_gets_nor_leaves_a_kept_page(app, client, delegate):
    signed_in = app.test_client()
    sign_in(signed_in, delegate)
    rendered(app, client, "/groups")
    page, rendering = rendered(app, signed_in, "/groups")
    assert rendering and "Dario Delegato" in page
    page, rendering = rendered(app, client, "/groups")
    assert not rendering and "Dario Delegato" not in page


def test_each_visitor_gets_their_own_csrf_token_in_a_kept_page(app, client):
    first = csrf_token(rendered(app, client, "/pact")[0])
    other = app.test_client()
    page, rendering = rendered(app, other, "/pact")
    assert not rendering and "\0" not in page and csrf_token(page) != first
    with other.session_transaction() as session:
        own = session["csrf_token"]
    with app.test_request_context():
        flask.session["csrf_token"] = own
        validate_csrf(csrf_token(page))  # raises for a token not made from the visitor's own


def test_a_visitor_with_a_message_waiting_gets_it_and_nobody_else_does(app, client):
    rendered(app, client, "/groups")
    with client.session_transaction() as session:
        session["_flashes"] = [("info", "Sei uscito.")]
    page, rendering = rendered(app, client, "/groups")
    assert rendering and "Sei uscito." in page
    assert "Sei uscito." not in rendered(app, app.test_client(), "/groups")[0]
