"""A delegate sets up two-factor sign-in in chromium, then signs in with the app's code."""
import re

from playwright.sync_api import expect

from tests.e2e.conftest import (
    check_accessibility, describe_violations, next_code, set_up_two_factor, shot, sign_in, textbox,
)

# Nobody else signs in as this person: once set up, the password alone no longer lets them in.
PERSON = "delegato.puglia@laboratorio.example"
PASSWORD = "Laboratorio-demo-2019"


def test_delegate_sets_up_two_factor_and_signs_in_with_the_code(page):
    sign_in(page, PERSON)
    page.get_by_role("link", name="Gestisci l'accesso in due passaggi").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Accesso in due passaggi")
    page.wait_for_load_state()  # as after a goto: the page's own scripts have run
    violations = check_accessibility(page)
    assert violations == [], describe_violations(violations)

    app, recovery = set_up_two_factor(page)
    assert len(recovery) == 10
    shot(page, "two-factor-recovery-codes")
    page.get_by_role("link", name="Li ho conservati").click()
    expect(page.locator(".alert-success")).to_contain_text("L'accesso in due passaggi è attivo.")
    expect(page.locator("#two-factor-secret")).to_have_count(0)
    page.get_by_role("button", name="Esci dalla piattaforma").click()

    page.goto("/sign-in")
    textbox(page, "Email").fill(PERSON)
    textbox(page, "Password").fill(PASSWORD)
    page.get_by_role("button", name="Accedi", exact=True).click()
    expect(page).to_have_url(re.compile(r"/sign-in/code"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Inserisci il codice")
    page.goto("/account")  # the password alone opens nothing
    expect(page).to_have_url(re.compile(r"/sign-in\?next="))

    page.go_back()
    textbox(page, "Codice").fill(next_code(app))
    shot(page, "two-factor-sign-in")
    page.get_by_role("button", name="Accedi", exact=True).click()
    expect(page).to_have_url(re.compile(r"/account$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Il mio account")
