"""Two delegates chat in their group's room; the server restarts; nothing is lost or doubled.

This module runs its own server (the same way as tests/e2e/conftest.py) because it stops and
restarts it; the other browser tests keep the shared one.
"""
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import (
    ROOT, SETUP_COMMANDS, LiveServer, _flask, _log_tail, _server_env, _stop, _wait_healthy,
    check_accessibility, describe_violations, shot, sign_in,
)
from tests.smtp import SmtpSink, free_port

COORDINATOR = "firma.piemonte@laboratorio.example"  # Elena Bianchi, coordinates the group
MEMBER = "delegato.piemonte@laboratorio.example"  # Luca Ferrero, a member
OUTSIDER = "delegata.trento@laboratorio.example"  # Anna Moser, not a member
GROUP = "/groups/prossimita-domiciliarita"
LIVE = 15_000  # ms: reconnecting after a restart takes up to the client's 4 s back-off


class RestartableServer:
    """``python wsgi.py`` on a fixed port and SQLite file, which a test may restart."""

    def __init__(self, folder: Path, sink: SmtpSink):
        self.port = free_port()
        self.env = _server_env(folder, self.port, sink.port)
        self.log = folder / "server.stderr.log"
        self.live = LiveServer(f"http://127.0.0.1:{self.port}", sink, folder)
        self.process = None

    def start(self) -> None:
        with self.log.open("ab") as stderr:
            self.process = subprocess.Popen([sys.executable, "wsgi.py"], cwd=ROOT, env=self.env,
                                            stdout=subprocess.DEVNULL, stderr=stderr)
        _wait_healthy(self.live.base_url, self.process, self.log)

    def stop(self) -> None:
        _stop(self.process)


@pytest.fixture(scope="module")
def server():
    with tempfile.TemporaryDirectory(prefix="lab-e2e-rooms-") as tmp:
        sink = SmtpSink()
        sink.start()
        server = RestartableServer(Path(tmp), sink)
        try:
            for command in SETUP_COMMANDS:
                _flask(server.env, *command)
            server.start()
            yield server
            if server.process.poll() is not None:
                pytest.fail(f"The rooms server died:\n{_log_tail(server.log)}")
        finally:
            if server.process is not None:
                server.stop()
            sink.stop()


def open_as(browser, server, email):
    context = browser.new_context(locale="it-IT", base_url=server.live.base_url,
                                  viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    sign_in(page, email)
    return context, page


def ids_on(page) -> list[int]:
    return [int(i) for i in page.locator("#room-messages li[data-id]").evaluate_all(
        "items => items.map(item => item.dataset.id)")]


def send(page, text: str) -> None:
    page.get_by_role("textbox", name="Messaggio").fill(text)
    page.get_by_role("button", name="Invia").click()


def test_two_delegates_chat_and_a_restart_loses_and_doubles_nothing(browser, server):
    lead_context, lead = open_as(browser, server, COORDINATOR)
    member_context, member = open_as(browser, server, MEMBER)
    try:
        lead.goto(GROUP)
        expect(lead.get_by_role("heading", level=1)).to_have_text("Politiche di prossimità e domiciliarità")
        shot(lead, "group-page")
        violations = check_accessibility(lead)
        assert violations == [], describe_violations(violations)
        lead.get_by_role("link", name="Entra nella stanza del gruppo").click()
        room_url = lead.url
        member.goto(room_url)
        for page in (lead, member):
            expect(page.locator("#room-status")).to_have_text("Connesso: i messaggi arrivano in tempo reale.")
        expect(member.locator("#room-present")).to_contain_text("Elena Bianchi")

        send(lead, "Buongiorno dal **Piemonte**: iniziamo dalla domiciliarità.")
        expect(member.locator("#room-messages")).to_contain_text("iniziamo dalla domiciliarità")
        expect(member.locator("#room-messages strong", has_text="Piemonte")).to_have_count(1)
        send(member, "Ci sono. Porto i dati del distretto di Torino nord.")
        expect(lead.locator("#room-messages")).to_contain_text("distretto di Torino nord")
        shot(lead, "room")
        violations = check_accessibility(lead)
        assert violations == [], describe_violations(violations)

        server.stop()
        for page in (lead, member):
            expect(page.locator("#room-status")).to_contain_text("Connessione persa", timeout=LIVE)
        send(lead, "Scritto mentre il server era fermo.")  # waits, then goes with the same key
        server.start()
        for page in (lead, member):
            expect(page.locator("#room-status")).to_have_text(
                "Connesso: i messaggi arrivano in tempo reale.", timeout=LIVE)
            expect(page.locator("#room-messages li[data-id]", has_text="mentre il server era fermo"))\
                .to_have_count(1, timeout=LIVE)
        stored = lead.request.get(room_url + "/messages?after=0&limit=500").json()["messages"]
        expected = [m["id"] for m in stored]
        assert expected == list(range(1, len(expected) + 1)) and len(expected) == 5
        for page in (lead, member):
            assert ids_on(page) == expected
            page.reload()
            expect(page.locator("#room-status")).to_have_text(
                "Connesso: i messaggi arrivano in tempo reale.", timeout=LIVE)
            assert ids_on(page) == expected
        expect(lead.locator(".is-pending")).to_have_count(0)
        shot(member, "room-after-restart")
    finally:
        lead_context.close()
        member_context.close()


def test_a_non_member_cannot_enter_the_room(browser, server):
    context, page = open_as(browser, server, OUTSIDER)
    try:
        page.goto(GROUP)
        expect(page.get_by_role("button", name="Chiedi di partecipare")).to_be_visible()
        expect(page.get_by_role("link", name="Entra nella stanza del gruppo")).to_have_count(0)
        response = page.goto(GROUP + "/room")
        assert response.status == 403
        expect(page.get_by_role("heading", level=1)).to_have_text("Accesso non consentito")
        shot(page, "room-refused")
    finally:
        context.close()
