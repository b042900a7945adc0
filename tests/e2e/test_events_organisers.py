"""An organiser lists, filters and downloads the registrations, then writes to everyone; the
Turin Forum's page lists the adhesions to the Pact signed there."""
import io
import re

import openpyxl
from playwright.sync_api import expect

from tests.e2e.conftest import check_accessibility, describe_violations, shot, sign_in
from tests.e2e.test_events import _mail

FORUM = "Forum annuale del Laboratorio"
TURIN = "Forum dell'innovazione sociale – Torino 2019"
SEATED = "firma.piemonte@laboratorio.example"  # the first to arrive: a reserved seat


def _manage(page):
    page.goto("/events")
    page.get_by_role("link", name=FORUM).click()
    page.get_by_role("link", name="Gestisci l'evento").click()


def test_the_organiser_filters_downloads_and_writes_to_the_registered(page, live_server):
    sign_in(page, "organizzatrice@laboratorio.example")
    _manage(page)
    expect(page.get_by_role("heading", name="Scrivi agli iscritti")).to_be_visible()
    shot(page, "event-manage-organiser")
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "event-manage-organiser-phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_role("link", name="Elenco delle iscrizioni").click()
    page.get_by_label("Stato").select_option("waiting")
    page.get_by_role("button", name="Filtra").click()
    rows = page.locator("table.roster tbody tr")
    expect(rows.first).to_contain_text("In lista d'attesa")
    assert all("In lista d'attesa" in text for text in rows.all_inner_texts())
    violations = check_accessibility(page)
    assert violations == [], describe_violations(violations)
    shot(page, "event-registrations")
    with page.expect_download() as download:
        page.get_by_role("link", name="Scarica Excel (XLSX)").click()
    sheet = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes())).active
    statuses = [row[4] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert statuses and set(statuses) == {"In lista d'attesa"}
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "event-registrations-phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    _manage(page)
    page.get_by_label("Oggetto").fill("Come arrivare")
    page.get_by_label("Testo").fill("La sala è al **primo piano**.")
    page.get_by_role("button", name="Invia il messaggio").click()
    expect(page.locator(".alert-success")).to_contain_text("Messaggio inviato")
    message = _mail(live_server.smtp, SEATED, "Come arrivare")
    html = next(p for p in message.walk() if p.get_content_type() == "text/html")
    assert "<strong>primo piano</strong>" in html.get_payload(decode=True).decode()


def test_the_turin_forum_lists_the_founding_adhesions(page):
    page.goto("/events?when=past")
    page.get_by_role("link", name=TURIN).click()
    adhesions = page.locator(".event-adhesions li")
    expect(adhesions).to_have_count(7)
    violations = check_accessibility(page)
    assert violations == [], describe_violations(violations)
    shot(page, "event-adhesions")
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "event-adhesions-phone")
    adhesions.first.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/pact/ledger/\d+$"))

