"""Script and HTML in the fields of an event and its sessions stay text; the .ics still parses."""
import re

import icalendar

from lab.core.text import text_problem
from datetime import timedelta

from lab.events import agenda, services
from tests.events.conftest import draft, publish
from tests.rooms.test_xss import dangers
from tests.rooms.xss_payloads import XSS_PAYLOADS

ACCEPTED = [payload for payload in XSS_PAYLOADS if text_problem(payload) is None]


def test_payloads_in_every_text_field_are_harmless_on_the_page_and_in_the_ics(client, organiser):
    event = publish(organiser, format="hybrid", online_url="https://meet.example/")
    layout_scripts = re.findall(r"<script\b[^>]*>", client.get(f"/events/{event.id}").get_data(as_text=True))
    for payload in ACCEPTED:
        services.update_event(organiser, event, draft(
            title=payload[:200], description=payload, venue=payload[:200], address=payload[:300],
            format="hybrid", online_url="https://meet.example/" + payload[:400]))
        start = event.starts_at + timedelta(minutes=len(event.sessions))
        agenda.add_session(organiser, event, agenda.SessionDraft(
            payload[:200], start, start + timedelta(minutes=30), place=payload[:200],
            speakers=payload[:500], description=payload))
        page = client.get(f"/events/{event.id}").get_data(as_text=True)
        assert re.findall(r"<script\b[^>]*>", page) == layout_scripts, payload
        content = page[page.index('<h1 class="event-title">'):page.index("<aside")]
        assert dangers(content) == [], payload
        entries = icalendar.Calendar.from_ical(client.get(f"/events/{event.id}.ics").data).walk("VEVENT")
        assert str(entries[0]["summary"]) == payload[:200].strip()
        assert str(entries[-1]["summary"]) == payload[:200].strip()
    services.cancel_event(organiser, event, ACCEPTED[0])
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert dangers(page[page.index('<h1 class="event-title">'):page.index("<aside")]) == []


def test_commas_semicolons_newlines_and_accents_survive_the_ics(client, organiser):
    title = "Forum; politiche, «prossimità»\ne welfare – Città di Torino"
    event = publish(organiser, title=title, venue="Sala 1, piano 2; ingresso B",
                    description="Riga uno\nRiga due; tre, quattro\\cinque")
    data = client.get(f"/events/{event.id}.ics").data
    assert b"\\;" in data and b"\\," in data and b"\\n" in data
    [entry] = icalendar.Calendar.from_ical(data).walk("VEVENT")
    assert str(entry["summary"]) == title
    assert str(entry["location"]).startswith("Sala 1, piano 2; ingresso B")
    assert "quattro\\cinque" in str(entry["description"])


def test_payloads_in_questions_answers_and_guest_fields_are_harmless(client, app, organiser, smtp):
    from lab.events import questions, signup
    from lab.events.models import Signup
    from lab.events.tokens import digest
    from lab.extensions import db
    from tests.conftest import sign_in

    manager = app.test_client()
    sign_in(manager, organiser)
    # The pages hold forms and inputs of their own: a payload must add nothing to them.
    baseline = {}
    for number, payload in enumerate(["Testo innocuo"] + ACCEPTED):
        event = publish(organiser, capacity=None)
        one_line = " ".join(payload.split())[:200] or "x"
        text = questions.add_question(organiser, event, questions.QuestionDraft(payload[:300], "text"))
        choice = questions.add_question(organiser, event, questions.QuestionDraft(
            payload[:300], "choice", f"{one_line}\nAltro"))
        details = questions.Details({text.id: payload, choice.id: one_line.strip()},
                                    accessibility=payload, dietary=payload, listed_publicly=True)
        for token in (f"confirmed-{number}", f"pending-{number}"):
            db.session.add(Signup(event=event, name=payload[:200], email=f"{token}@example.org",
                                  token_hash=digest(token), expires_at=event.starts_at,
                                  details=details.to_json() | {"organisation": payload[:200]}))
        db.session.commit()
        guest = signup.confirm_signup(f"confirmed-{number}")
        guest.cancel_token_hash = digest(f"cancel-{number}")
        db.session.commit()
        pages = {
            "join": client.get(f"/events/{event.id}/join"),
            "show": client.get(f"/events/{event.id}"),
            "confirm": client.get(f"/events/signup/pending-{number}"),
            "cancel": client.get(f"/events/cancel/cancel-{number}"),
            "manage": manager.get(f"/events/{event.id}/manage"),
        }
        for name, response in pages.items():
            assert response.status_code == 200, (name, payload)
            page = response.get_data(as_text=True)
            main = page[page.index('<main'):page.index("</main>")]
            assert re.findall(r"<script\b[^>]*>", main) == [], (name, payload)
            # An input's value is text the form sends back, never run or fetched.
            main = re.sub(r'(<input\b[^>]*?) value="[^"]*"', r"\1", main)
            assert dangers(main) == baseline.setdefault(name, dangers(main)), (name, payload)
        assert questions.answers_of(guest)[0] == (payload[:300].strip(), payload.strip())
