"""The events pages: lists, the event page, the organiser's page, forms that refuse bad input."""
import re
from datetime import timedelta

import icalendar

from lab.core.timeutil import utcnow
from lab.events import registrations, services
from lab.events.models import Event
from lab.extensions import db
from tests.conftest import sign_in
from tests.events.conftest import delegates, draft, publish


def test_the_list_shows_upcoming_public_events_and_filters_them(client, organiser, forum):
    services.create_event(organiser, draft(title="Bozza segreta"))
    webinar = publish(organiser, title="Webinar sui dati", kind="webinar", format="online",
                      venue="", online_url="https://meet.example/dati")
    page = client.get("/events").get_data(as_text=True)
    assert f'/events/{forum.id}"' in page and "Webinar sui dati" in page
    assert "Bozza segreta" not in page
    page = client.get("/events?kind=webinar").get_data(as_text=True)
    assert f'/events/{webinar.id}"' in page and f'/events/{forum.id}"' not in page
    assert client.get("/events?region=abc").status_code == 400
    assert client.get("/events?month=2019-13-01").status_code == 400


def test_past_events_are_browsable_apart(client, organiser):
    start = utcnow() - timedelta(days=400)
    publish(organiser, title="Forum passato", starts_at=start, ends_at=start + timedelta(hours=3))
    assert "Forum passato" not in client.get("/events").get_data(as_text=True)
    assert "Forum passato" in client.get("/events?when=past").get_data(as_text=True)


def test_the_home_page_shows_the_next_events(client, forum):
    assert f'/events/{forum.id}"' in client.get("/").get_data(as_text=True)


def test_a_draft_is_hidden_from_everyone_but_its_organisers(client, organiser):
    event = services.create_event(organiser, draft(title="Bozza"))
    assert client.get(f"/events/{event.id}").status_code == 404
    sign_in(client, organiser)
    assert client.get(f"/events/{event.id}").status_code == 200


def test_the_online_link_is_shown_only_to_registered_people(client, organiser, delegate):
    event = publish(organiser, format="hybrid", online_url="https://meet.example/segreto")
    assert "meet.example/segreto" not in client.get(f"/events/{event.id}").get_data(as_text=True)
    assert b"meet.example" not in client.get(f"/events/{event.id}.ics").data
    sign_in(client, delegate)
    assert "meet.example/segreto" not in client.get(f"/events/{event.id}").get_data(as_text=True)
    client.post(f"/events/{event.id}/join")
    assert "meet.example/segreto" in client.get(f"/events/{event.id}").get_data(as_text=True)


def test_an_end_before_the_start_is_a_form_error(client, organiser):
    sign_in(client, organiser)
    response = client.post("/events/new", data={
        "title": "Forum", "kind": "forum", "format": "in_person", "venue": "Lingotto",
        "starts_at": "2027-05-10T10:00", "ends_at": "2027-05-10T09:00", "region": "0"})
    assert response.status_code == 400
    assert "La fine dell&#39;evento deve venire dopo l&#39;inizio." in response.get_data(as_text=True)
    assert db.session.query(Event).count() == 0


def test_an_event_is_created_in_rome_time_and_shown_in_rome_time(client, organiser):
    sign_in(client, organiser)
    response = client.post("/events/new", data={
        "title": "Forum d'autunno", "kind": "forum", "format": "in_person", "venue": "Lingotto",
        "starts_at": "2027-10-31T10:00", "ends_at": "2027-10-31T17:00", "region": "0",
        "capacity": "50"})
    assert response.status_code == 302
    event = db.session.query(Event).one()
    assert event.starts_at.hour == 9  # 10:00 in Rome is 09:00 UTC once summer time has ended
    assert "10:00" in client.get(f"/events/{event.id}").get_data(as_text=True)
    [entry] = icalendar.Calendar.from_ical(client.get(f"/events/{event.id}.ics").data).walk("VEVENT")
    assert entry["dtstart"].params["TZID"] == "Europe/Rome"
    assert entry.decoded("dtstart").strftime("%H:%M") == "10:00"


def test_a_capacity_below_the_registrations_is_a_form_error(client, organiser):
    event = publish(organiser, capacity=2)
    for person in delegates("umbria", 2):
        registrations.register(person, event)
    sign_in(client, organiser)
    form = client.get(f"/events/{event.id}/edit").get_data(as_text=True)
    data = dict(re.findall(r'name="(\w+)"[^>]*value="([^"]*)"', form))
    data.update(capacity="1", kind="forum", format="in_person", region="0")
    response = client.post(f"/events/{event.id}/edit", data=data)
    assert response.status_code == 400
    assert "non può essere inferiore alle 2 iscrizioni" in response.get_data(as_text=True)


def test_refusals_are_flashed_never_a_server_error(client, organiser, delegate, piemonte):
    event = publish(organiser, capacity=2)
    sign_in(client, delegate)
    client.post(f"/events/{event.id}/join")
    page = client.post(f"/events/{event.id}/join", follow_redirects=True).get_data(as_text=True)
    assert "è già iscritto" in page
    closed = publish(organiser, registration_closes_at=utcnow() - timedelta(minutes=1),
                     registration_opens_at=utcnow() - timedelta(days=1))
    page = client.post(f"/events/{closed.id}/join", follow_redirects=True).get_data(as_text=True)
    assert "non sono aperte" in page
    services.cancel_event(organiser, closed, "Annullato per maltempo")
    page = client.post(f"/events/{closed.id}/join", follow_redirects=True).get_data(as_text=True)
    assert "annullato" in page
    sign_in(client, organiser)
    page = client.post(f"/events/{event.id}/quotas", data={f"region_{piemonte.id}": "3"},
                       follow_redirects=True).get_data(as_text=True)
    assert "superano la capienza" in page


def test_the_organiser_page_counts_seats_per_region(client, organiser, piemonte):
    event = publish(organiser, capacity=2)
    services.set_quotas(organiser, event, {piemonte.id: 1})
    for person in delegates("piemonte", 3):
        registrations.register(person, event)
    sign_in(client, organiser)
    page = client.get(f"/events/{event.id}/manage").get_data(as_text=True)
    row = re.search(r"<th scope=\"row\">Piemonte</th>(.*?)</tr>", page, re.S).group(1)
    assert re.findall(r">(\d+)<", row) == ["1", "2", "1"]  # reserved, registered, waiting
    assert "Piemonte 2" in page  # on the waiting list


def test_the_feed_lists_public_events_with_stable_uids(client, app, organiser, forum):
    services.create_event(organiser, draft(title="Bozza"))
    calendar = icalendar.Calendar.from_ical(client.get("/events.ics").data)
    [entry] = calendar.walk("VEVENT")
    assert str(entry["uid"]) == f"event-{forum.id}@127.0.0.1"
    assert str(entry["url"]).startswith(app.config["SITE_URL"])
    assert calendar.walk("VTIMEZONE")[0]["tzid"] == "Europe/Rome"
