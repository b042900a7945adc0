"""An organiser adds questions; someone without an account registers, confirms by mail, cancels."""
import re

from playwright.sync_api import expect

from tests.e2e.conftest import check_accessibility, describe_violations, shot, sign_in, textbox
from tests.e2e.test_events import _mail

MEETING = "Riunione online del gruppo sulla domiciliarità"
GUEST = "giulia.ospite@example.org"


def _meeting(page):
    page.goto("/events")
    page.get_by_role("link", name=MEETING).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(MEETING)


def _text_of(message) -> str:
    part = next(p for p in message.walk() if p.get_content_type() == "text/plain")
    return part.get_payload(decode=True).decode()


def test_a_guest_answers_the_organiser_s_questions_and_confirms_by_mail(browser, page, live_server):
    sign_in(page, "organizzatrice@laboratorio.example")
    _meeting(page)
    page.get_by_role("link", name="Gestisci l'evento").click()
    for label, kind, options, required in [
            ("Quale tema vuoi approfondire?", "Scelta tra opzioni",
             "Assistenza domiciliare integrata\nCaregiver familiari\nTecnologie per la casa", True),
            ("Sei un operatore sociale?", "Sì o no", "", False),
            ("Una domanda per i relatori", "Testo libero", "", False)]:
        page.get_by_text("Aggiungi una domanda", exact=True).click()
        textbox(page, "Domanda").fill(label)
        page.get_by_label("Tipo di risposta").last.select_option(label=kind)
        if options:
            page.locator("#new-options").fill(options)
        if required:
            page.locator("label[for=new-required]").click()  # Bootstrap Italia's label covers the box
        page.get_by_role("button", name="Aggiungi al modulo").click()
        expect(page.locator(".alert-success")).to_contain_text("Domanda aggiunta")
    page.locator(".event-questions details summary").first.click()
    page.locator("#questions-title").scroll_into_view_if_needed()
    shot(page, "event-questions-editor")
    violations = check_accessibility(page)
    assert violations == [], describe_violations(violations)
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "event-questions-editor-phone")

    guest = browser.new_context(locale="it-IT", base_url=live_server.base_url)
    visitor = guest.new_page()
    _meeting(visitor)
    visitor.get_by_role("link", name="Iscriviti").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Iscrizione")
    shot(visitor, "event-join-form")
    violations = check_accessibility(visitor)
    assert violations == [], describe_violations(violations)
    visitor.set_viewport_size({"width": 390, "height": 844})
    shot(visitor, "event-join-form-phone")
    visitor.set_viewport_size({"width": 1280, "height": 900})
    textbox(visitor, "Nome e cognome").fill("Giulia Ospite")
    textbox(visitor, "Email").fill(GUEST)
    textbox(visitor, "Ente o organizzazione").fill("Cooperativa La Rete")
    visitor.get_by_role("button", name="Invia la richiesta d'iscrizione").click()
    # The required question was left out: the form says which, and keeps what was typed.
    expect(visitor.locator(".alert-danger")).to_contain_text("Quale tema vuoi approfondire?")
    expect(textbox(visitor, "Email")).to_have_value(GUEST)
    violations = check_accessibility(visitor)
    assert violations == [], describe_violations(violations)
    visitor.set_viewport_size({"width": 390, "height": 844})
    shot(visitor, "event-join-form-error-phone")
    visitor.locator("label", has_text="Caregiver familiari").click()
    visitor.get_by_role("group", name="Sei un operatore sociale?").locator("label", has_text="Sì").click()
    textbox(visitor, "Esigenze di accessibilità").fill("Sottotitoli")
    visitor.locator("label", has_text="Acconsento a comparire").click()
    expect(visitor.get_by_label("Caregiver familiari")).to_be_checked()
    visitor.get_by_role("button", name="Invia la richiesta d'iscrizione").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Controlla la tua email")

    link = re.search(r"https?://\S+/events/signup/\S+", _text_of(
        _mail(live_server.smtp, GUEST, "Conferma la tua iscrizione"))).group()
    visitor.goto(link)
    visitor.get_by_role("button", name="Conferma l'iscrizione").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Iscrizione confermata")
    seat = _mail(live_server.smtp, GUEST, "Iscrizione confermata")
    assert any(p.get_content_type() == "text/calendar" for p in seat.walk())
    visitor.goto(link)
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Collegamento già usato")

    _meeting(visitor)
    expect(visitor.locator(".event-participants")).to_contain_text("Giulia Ospite · Cooperativa La Rete")
    page.reload()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_text("Risposte degli iscritti").click()
    expect(page.locator(".event-answers")).to_contain_text("Caregiver familiari")

    cancel = re.search(r"https?://\S+/events/cancel/\S+", _text_of(seat)).group()
    visitor.goto(cancel)
    visitor.get_by_role("button", name="Annulla l'iscrizione").click()
    expect(visitor.locator(".alert-success")).to_contain_text("Iscrizione annullata")
    guest.close()
