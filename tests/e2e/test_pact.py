"""A delegate with signatory authority signs the Pact in the browser; the register shows it."""
from playwright.sync_api import expect

from tests.e2e.conftest import (
    check_accessibility, describe_violations, next_code, set_up_two_factor, shot, sign_in, textbox,
)

# In the demo data Sardegna adhered in Turin and later withdrew, so its delegate may sign again.
SIGNATORY = "firma.sardegna@laboratorio.example"
PASSWORD = "Laboratorio-demo-2019"


def test_signatory_signs_and_the_map_table_qr_and_pdf_show_it(page):
    page.goto("/pact")
    expect(page.locator('a[aria-label^="Sardegna: Ha receduto"]')).to_have_count(1)
    shot(page, "pact-register-before")

    sign_in(page, SIGNATORY)
    page.goto("/pact/sign")
    expect(page.get_by_role("link", name="Configura l'accesso in due passaggi")).to_be_visible()
    app, _recovery = set_up_two_factor(page)
    page.goto("/pact/sign")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sardegna")
    expect(page.locator("article.pact-text")).to_contain_text("Laboratorio interregionale")
    textbox(page, "La tua carica").fill("Assessore alle Politiche sociali")
    textbox(page, "Luogo della firma").fill("Cagliari")
    page.locator("label[for=declared]").click()  # Bootstrap Italia draws the box on the label
    page.get_by_label("Conferma con la tua password").fill(PASSWORD)
    textbox(page, "Codice dell'app di autenticazione").fill(next_code(app))
    shot(page, "pact-sign")
    page.get_by_role("button", name="Firma il Patto").click()

    page.wait_for_url("**/pact/ledger/*")
    expect(page.locator(".alert-success")).to_contain_text("Adesione registrata")
    expect(page.locator("figure.qr svg")).to_be_visible()
    entry_url = page.url
    shot(page, "pact-entry")
    certificate = page.request.get(entry_url + "/certificate.pdf")
    assert certificate.ok and certificate.headers["content-type"] == "application/pdf"
    assert certificate.body().startswith(b"%PDF-")

    page.goto("/pact")
    expect(page.locator('a[aria-label="Sardegna: Aderisce (firmataria fondatrice)"]')).to_have_count(1)
    row = page.get_by_role("row", name="Sardegna")
    expect(row).to_contain_text("Aderisce")
    shot(page, "pact-register-after")
    violations = check_accessibility(page)
    assert violations == [], describe_violations(violations)


def test_when_the_region_already_adheres_nothing_to_sign_is_said_up_front(page):
    sign_in(page, "firma.piemonte@laboratorio.example")
    page.goto("/pact")
    actions = page.locator("#signatory-actions")
    expect(actions).to_contain_text("non c'è nulla da firmare")
    expect(page.get_by_role("link", name="Firma il Patto per la tua Regione")).to_have_count(0)
    expect(actions.get_by_role("link", name="Registra il recesso")).to_be_visible()
    shot(page, "pact-register-signatory-adhering")
    page.goto("/pact/sign")
    expect(page.locator(".alert-info")).to_contain_text("Piemonte aderisce già a questa versione")
    expect(page.locator("form[method=post] button", has_text="Firma il Patto")).to_have_count(0)
    expect(page.get_by_label("Conferma con la tua password")).to_have_count(0)
    shot(page, "pact-nothing-to-sign")
    violations = check_accessibility(page)
    assert violations == [], describe_violations(violations)
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "pact-nothing-to-sign-390")


def test_map_regions_are_keyboard_reachable_links(page):
    page.goto("/pact")
    links = page.locator("svg.italy-map a")
    expect(links).to_have_count(21)
    links.first.focus()
    expect(links.first).to_be_focused()
