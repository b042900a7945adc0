"""A new delegate's first steps, signing in and the main pages' accessibility, in chromium."""
import re
import time

from playwright.sync_api import expect

from tests.e2e.conftest import check_accessibility, describe_violations, shot, sign_in, textbox

REGION_ADMIN = "admin.piemonte@laboratorio.example"
PLATFORM_ADMIN = "admin@laboratorio.example"
# Nobody else signs in as this person, so the throttle this test trips hurts no other test.
THROTTLED = "delegata.trento@laboratorio.example"
STRONG_PASSWORD = "Torino gennaio duemiladiciannove!"
WRONG_CREDENTIALS = "Email o password non corretti."


def _invitation_link(smtp, address: str, timeout: float = 10) -> str:
    deadline = time.monotonic() + timeout
    while not smtp.to(address):
        assert time.monotonic() < deadline, f"no email reached {address}"
        time.sleep(0.1)
    return smtp.last_link(address)


def _invite(page, email: str) -> None:
    page.goto("/admin/invitations")
    shot(page, "invitations")
    textbox(page, "Email della persona da invitare").fill(email)
    page.get_by_role("combobox", name="Ruolo").select_option(label="Delegato regionale")
    page.get_by_role("combobox", name="Regione").select_option(label="Piemonte")
    page.get_by_role("button", name="Invia l'invito").click()
    expect(page.locator(".flash-messages")).to_contain_text(f"Invito creato: l'email a {email} è in partenza.")
    expect(page.get_by_role("table")).to_contain_text(email)
    shot(page, "invitations-sent")


def _accept(page, link: str, name: str) -> None:
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Benvenuto nel Laboratorio")
    shot(page, "accept-invitation")
    textbox(page, "Nome e cognome").fill(name)
    textbox(page, "Nuova password").fill(STRONG_PASSWORD)
    textbox(page, "Ripeti la nuova password").fill(STRONG_PASSWORD)
    page.get_by_role("button", name="Crea l'account").click()
    expect(page).to_have_url(re.compile(r"/welcome$"))
    expect(page.locator(".flash-messages")).to_contain_text("Account creato")


def test_invited_delegate_signs_up_and_sees_their_region(page, browser, live_server):
    email, name = "nuova.delegata@piemonte.example", "Beatrice Gallo"
    page.goto("/")
    shot(page, "home")
    page.goto("/sign-in")
    shot(page, "sign-in")
    sign_in(page, REGION_ADMIN)
    _invite(page, email)
    link = _invitation_link(live_server.smtp, email)
    assert re.search(r"/invitations/[\w-]+$", link), link

    invitee = browser.new_context(locale="it-IT", base_url=live_server.base_url)
    try:
        page = invitee.new_page()
        _accept(page, link, name)
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Benvenuto nel Laboratorio, {name}")
        start = page.locator("#start")
        expect(start.get_by_role("link", name="Piemonte")).to_be_visible()
        expect(start).to_contain_text("Non partecipi ancora a un gruppo")
        for link in ("Scegli i gruppi", "Vai al Patto", "Vai alle stanze"):
            expect(start.get_by_role("link", name=link)).to_be_visible()
        shot(page, "welcome")
        violations = check_accessibility(page)
        assert violations == [], describe_violations(violations)
        page.set_viewport_size({"width": 390, "height": 844})
        shot(page, "welcome-390")
        page.set_viewport_size({"width": 1280, "height": 720})
        page.goto("/account")
        expect(page.get_by_role("heading", level=1)).to_have_text("Il mio account")
        shot(page, "account")

        page.get_by_role("button", name="ENG").click()
        expect(page.locator("html")).to_have_attribute("lang", "en")
        expect(page.get_by_role("heading", level=1)).to_have_text("My account")
        page.goto("/regions/piemonte")
        expect(page.locator("html")).to_have_attribute("lang", "en")
        expect(page.get_by_role("heading", name="Current delegates")).to_be_visible()
        expect(page.get_by_role("table")).to_contain_text(name)
        shot(page, "region-en")
    finally:
        invitee.close()


def test_english_header_and_footer_are_translated(page):
    page.goto("/")
    page.get_by_role("button", name="ENG").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("footer")).not_to_contain_text("Stato del servizio", timeout=1000)
    expect(page.locator("header nav")).not_to_have_attribute(
        "aria-label", "Navigazione principale", timeout=1000)


def test_wrong_password_shows_an_error_then_is_throttled(page):
    page.goto("/sign-in")
    textbox(page, "Email").fill(THROTTLED)
    textbox(page, "Password").fill("non-è-la-password")
    page.get_by_role("button", name="Accedi", exact=True).click()
    expect(page.locator("#password-error")).to_have_text(WRONG_CREDENTIALS)
    expect(textbox(page, "Password")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#form-errors")).to_contain_text(WRONG_CREDENTIALS)
    shot(page, "sign-in-wrong-password")

    for _attempt in range(4):  # five failures in all: the account's limit
        textbox(page, "Password").fill("ancora-sbagliata")
        page.get_by_role("button", name="Accedi", exact=True).click()
        expect(page.locator("#password-error")).to_have_text(WRONG_CREDENTIALS)
    textbox(page, "Password").fill("ancora-sbagliata")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.get_by_role("button", name="Accedi", exact=True).click()
    assert answer.value.status == 429
    expect(page.get_by_role("heading", level=1)).to_have_text("Troppi tentativi")
    shot(page, "sign-in-throttled")


PUBLIC_PAGES = ["/", "/regions", "/regions/piemonte", "/sign-in"]
ADMIN_PAGES = ["/account", "/admin/people", "/admin/invitations", "/admin/audit"]


def test_main_pages_pass_axe(page):
    failures = {}
    for path in PUBLIC_PAGES:
        page.goto(path)
        if violations := check_accessibility(page):
            failures[path] = violations
    sign_in(page, PLATFORM_ADMIN)
    for path in ADMIN_PAGES:
        page.goto(path)
        expect(page).to_have_url(re.compile(re.escape(path) + "$"))
        if violations := check_accessibility(page):
            failures[path] = violations
    assert not failures, "\n".join(
        f"{path}:\n{describe_violations(violations)}" for path, violations in failures.items())


def test_first_tab_focuses_the_skip_link(page):
    page.goto("/")
    skip = page.get_by_role("link", name="Vai al contenuto principale")
    hidden = skip.bounding_box()
    assert hidden is None or hidden["width"] <= 1 or hidden["height"] <= 1, hidden
    page.keyboard.press("Tab")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    expect(skip).to_be_in_viewport()
    shown = skip.bounding_box()
    assert shown and shown["width"] > 10 and shown["height"] > 10, shown
    shot(page, "home-skip-link")
