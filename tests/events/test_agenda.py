"""The agenda: sessions inside the event's times, day by day on the page and in the .ics."""
from datetime import timedelta

import icalendar
import pytest

from lab.core.errors import NotPermitted
from lab.events import agenda, services
from tests.conftest import sign_in
from tests.events.conftest import draft, publish, rome


def session(event, title, start_hours, length_hours=1.0, **changes):
    start = event.starts_at + timedelta(hours=start_hours)
    return agenda.SessionDraft(title, start, start + timedelta(hours=length_hours), **changes)


def test_a_session_outside_its_event_is_refused(forum, organiser):
    with pytest.raises(services.InvalidField, match="dentro gli orari"):
        agenda.add_session(organiser, forum, session(forum, "Troppo presto", -1))
    with pytest.raises(services.InvalidField, match="dentro gli orari"):
        agenda.add_session(organiser, forum, session(forum, "Troppo tardi", 7.5))
    with pytest.raises(services.InvalidField, match="finire dopo"):
        agenda.add_session(organiser, forum, session(forum, "Rovescia", 2, -1))


def test_only_organisers_edit_the_agenda(forum, delegate):
    with pytest.raises(NotPermitted):
        agenda.add_session(delegate, forum, session(forum, "Intrusa", 1))


def test_moving_the_event_away_from_its_sessions_is_refused(forum, organiser):
    agenda.add_session(organiser, forum, session(forum, "Plenaria", 0))
    with pytest.raises(services.InvalidField, match="fuori dai nuovi orari"):
        services.update_event(organiser, forum, draft(starts_at=forum.starts_at + timedelta(hours=2),
                                                      ends_at=forum.ends_at))


def test_the_agenda_is_shown_day_by_day_and_each_session_is_in_the_ics(client, organiser):
    event = publish(organiser, starts_at=rome(2027, 3, 27, 9), ends_at=rome(2027, 3, 28, 13))
    agenda.add_session(organiser, event, agenda.SessionDraft(
        "Tavola rotonda; regioni, temi", rome(2027, 3, 28, 10), rome(2027, 3, 28, 12),
        place="Sala Gialla", speakers="Anna Moser (Provincia di Trento)"))
    agenda.add_session(organiser, event, agenda.SessionDraft(
        "Plenaria", rome(2027, 3, 27, 9, 30), rome(2027, 3, 27, 11)))
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    page = page[page.index('id="agenda-title"'):]
    assert page.index("sabato 27 marzo 2027") < page.index("Plenaria") \
        < page.index("domenica 28 marzo 2027") < page.index("Tavola rotonda")
    # 28 March 2027 is the day summer time starts: the round table still shows 10:00.
    assert "10:00" in page[page.index("domenica 28 marzo 2027"):]
    entries = icalendar.Calendar.from_ical(client.get(f"/events/{event.id}.ics").data).walk("VEVENT")
    table = next(e for e in entries if str(e["summary"]) == "Tavola rotonda; regioni, temi")
    assert table.decoded("dtstart").strftime("%H:%M") == "10:00"
    assert str(table["related-to"]) == f"event-{event.id}@127.0.0.1"
    assert str(table["location"]) == "Sala Gialla"


def test_an_organiser_adds_and_removes_a_session_from_the_page(client, forum, organiser):
    sign_in(client, organiser)
    start = forum.starts_at + timedelta(hours=3)
    from lab.core.timeutil import to_rome

    local = to_rome(start).strftime("%Y-%m-%dT%H:%M")
    end = to_rome(start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    page = client.post(f"/events/{forum.id}/sessions", follow_redirects=True, data={
        "title": "Presentazioni regionali", "starts_at": local, "ends_at": end}).get_data(as_text=True)
    assert "Sessione aggiunta." in page and "Presentazioni regionali" in page
    page = client.post(f"/events/{forum.id}/sessions", follow_redirects=True, data={
        "title": "Fuori", "starts_at": "2000-01-01T10:00", "ends_at": "2000-01-01T11:00"}
        ).get_data(as_text=True)
    assert "dentro gli orari" in page
    session_id = forum.sessions[0].id
    client.post(f"/events/{forum.id}/sessions/{session_id}/delete")
    assert "Presentazioni regionali" not in client.get(f"/events/{forum.id}").get_data(as_text=True)
