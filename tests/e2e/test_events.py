"""A delegate gives up a general seat of the demo forum; the first on the waiting list gets it."""
import time
from email.header import decode_header, make_header

import icalendar
from playwright.sync_api import expect

from tests.e2e.conftest import check_accessibility, describe_violations, shot, sign_in

FORUM = "Forum annuale del Laboratorio"
PROMOTED = "delegata.trento@laboratorio.example"


def _forum(page):
    page.goto("/events")
    page.get_by_role("link", name=FORUM).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(FORUM)


def _mail(smtp, address: str, subject: str, timeout: float = 10):
    """Wait for the server's job thread to hand the message to the test's SMTP server."""
    deadline = time.monotonic() + timeout
    while not (found := [m for m in smtp.to(address) if subject in str(make_header(decode_header(m["Subject"])))]):
        assert time.monotonic() < deadline, f"no '{subject}' mail reached {address}"
        time.sleep(0.1)
    return found[-1]


def test_a_cancellation_promotes_the_first_waiting_delegate_and_mails_the_ics(page, live_server):
    sign_in(page, "delegata.toscana@laboratorio.example")
    _forum(page)
    expect(page.get_by_text("Sei iscritto.")).to_be_visible()
    expect(page.get_by_role("link", name="https://meet.example.org/forum-annuale")).to_be_visible()
    shot(page, "event-page")
    violations = check_accessibility(page)
    assert violations == [], describe_violations(violations)
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "event-page-phone")
    page.get_by_role("button", name="Annulla l'iscrizione").click()
    expect(page.locator(".alert-success")).to_contain_text("Iscrizione annullata")

    message = _mail(live_server.smtp, PROMOTED, "Si è liberato un posto")
    part = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
    entries = icalendar.Calendar.from_ical(part.get_payload(decode=True)).walk("VEVENT")
    assert str(entries[0]["summary"]) == FORUM and len(entries) == 5  # the event, its 4 sessions


def test_the_organiser_page_shows_seats_per_region_and_the_waiting_list(page):
    sign_in(page, "organizzatrice@laboratorio.example")
    _forum(page)
    page.get_by_role("link", name="Gestisci l'evento").click()
    expect(page.get_by_role("row", name="Piemonte 2 2")).to_be_visible()  # reserved, registered
    expect(page.locator("ol.waiting-list li").first).to_be_visible()
    shot(page, "event-manage")
    violations = check_accessibility(page)
    assert violations == [], describe_violations(violations)
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "event-manage-phone")
