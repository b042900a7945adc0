"""A coordinator sees the waiting request, declines it with a reason; the requester is told."""
import time

from playwright.sync_api import expect

from tests.e2e.conftest import check_accessibility, describe_violations, shot, sign_in

COORDINATOR = "firma.piemonte@laboratorio.example"  # Elena Bianchi
REQUESTER = "delegato.puglia@laboratorio.example"  # Antonio De Santis, waiting in the demo data
GROUP = "/groups/prossimita-domiciliarita"


def test_a_declined_request_reaches_the_requester_with_its_reason(browser, live_server):
    lead = browser.new_context(locale="it-IT", base_url=live_server.base_url)
    asking = browser.new_context(locale="it-IT", base_url=live_server.base_url,
                                 viewport={"width": 390, "height": 844})
    try:
        page = lead.new_page()
        sign_in(page, COORDINATOR)
        groups_link = page.get_by_role("navigation", name="Navigazione principale").get_by_role(
            "link", name="Gruppi di lavoro")
        expect(groups_link).to_contain_text("1 richiesta da decidere")
        page.goto(GROUP)
        requests = page.locator("section", has=page.get_by_role("heading", name="Richieste di partecipazione (1)"))
        expect(requests).to_contain_text("Antonio De Santis")
        shot(page, "group-requests")
        violations = check_accessibility(page)
        assert violations == [], describe_violations(violations)
        requests.get_by_role("textbox").fill("Il gruppo è al completo fino al prossimo forum.")
        requests.get_by_role("button", name="Rifiuta Antonio De Santis").click()
        expect(page.locator(".flash-messages")).to_contain_text("Richiesta rifiutata.")

        def declines():  # the demo data's own notices may reach the requester too
            bodies = [part.get_payload(decode=True).decode() for m in live_server.smtp.to(REQUESTER)
                      for part in m.walk() if part.get_content_type() == "text/plain"]
            return [body for body in bodies if "non è stata accolta" in body]

        deadline = time.monotonic() + 10
        while not declines() and time.monotonic() < deadline:
            time.sleep(0.1)
        [body] = declines()
        assert "al completo fino al prossimo forum" in body

        other = asking.new_page()
        sign_in(other, REQUESTER)
        other.goto(GROUP)
        participation = other.locator("section", has=other.get_by_role("heading", name="La tua partecipazione"))
        expect(participation).to_contain_text("richiesta non accolta")
        expect(participation).to_contain_text("Motivo: Il gruppo è al completo fino al prossimo forum.")
        expect(participation.get_by_role("button", name="Chiedi di nuovo di partecipare")).to_be_visible()
        shot(other, "group-request-declined-390")
        other.set_viewport_size({"width": 1280, "height": 900})
        violations = check_accessibility(other)
        assert violations == [], describe_violations(violations)

        page.goto("/account")
        expect(page.get_by_role("heading", name="Notifiche via email")).to_be_visible()
        shot(page, "account-notifications")
        violations = check_accessibility(page)
        assert violations == [], describe_violations(violations)
    finally:
        lead.close()
        asking.close()
