"""A room connects when the site is opened as localhost on a port other than 5000.

The shared server listens on a free port (never 5000) with SITE_URL at 127.0.0.1; both
delegates open it as http://localhost:<port>, as `PORT=8000 make run` users did when the
socket was refused as "not an accepted origin" (issue 10 #1).
"""
from urllib.parse import urlsplit

from playwright.sync_api import expect

from tests.e2e.conftest import shot, sign_in

COORDINATOR = "firma.piemonte@laboratorio.example"
MEMBER = "delegato.piemonte@laboratorio.example"
GROUP_ROOM = "/groups/prossimita-domiciliarita/room"
CONNECTED = "Connesso: i messaggi arrivano in tempo reale."


def as_localhost(base_url: str) -> str:
    port = urlsplit(base_url).port
    assert port != 5000
    return f"http://localhost:{port}"


def open_as(browser, base_url: str, email: str):
    context = browser.new_context(locale="it-IT", base_url=base_url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    sign_in(page, email)
    page.goto(GROUP_ROOM)
    return context, page


def test_two_delegates_chat_on_localhost_and_another_port(browser, live_server):
    base_url = as_localhost(live_server.base_url)
    lead_context, lead = open_as(browser, base_url, COORDINATOR)
    member_context, member = open_as(browser, base_url, MEMBER)
    try:
        for page in (lead, member):
            assert urlsplit(page.url).hostname == "localhost"
            expect(page.locator("#room-status")).to_have_text(CONNECTED)
        lead.get_by_role("textbox", name="Messaggio").fill("Ci sentite anche da localhost?")
        lead.get_by_role("button", name="Invia").click()
        expect(member.locator("#room-messages")).to_contain_text("anche da localhost")
        shot(member, "room-on-localhost")
    finally:
        lead_context.close()
        member_context.close()
