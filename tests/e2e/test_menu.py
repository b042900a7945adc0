"""The main menu at its longest, a platform admin's: it fits a laptop's screen and a phone's, and
every entry is reached with the keyboard."""
import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import SCREENSHOTS, shot, sign_in

SCREENS = {"laptop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
ADMIN = "admin@laboratorio.example"


def _switch_language(page, code: str) -> None:
    page.locator(f".lang-switch button[value={code}]").click()
    page.wait_for_load_state()


def _tab_to(page, target, most: int = 60) -> None:
    """Press Tab from the top of the page until ``target`` has the focus."""
    page.locator("body").focus()
    for _ in range(most):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"{target} never got the focus in {most} presses of Tab")


@pytest.mark.parametrize("screen", SCREENS)
def test_the_longest_menu_fits_the_screen_and_each_entry_takes_the_focus(browser, live_server,
                                                                         screen):
    viewport = SCREENS[screen]
    context = browser.new_context(locale="it-IT", base_url=live_server.base_url, viewport=viewport)
    context.set_default_timeout(10_000)
    page = context.new_page()
    misfits = []
    try:
        sign_in(page, ADMIN)
        for language in ("it", "en"):
            page.goto("/admin/audit")
            if language == "en":
                _switch_language(page, "en")
            width = page.evaluate("document.scrollingElement.scrollWidth")
            if width > viewport["width"]:
                misfits.append(f"/admin/audit in {language} is {width} px wide")
            shot(page, f"{viewport['width']}-platform-admin-menu-{language}")
            entries = page.locator("#main-nav .nav-link")
            assert entries.count() >= 13
            if screen == "phone":
                toggler = page.locator(".custom-navbar-toggler")
                _tab_to(page, toggler)
                page.keyboard.press("Enter")
                expect(entries.first).to_be_in_viewport(ratio=1)  # the panel has slid in
                page.wait_for_timeout(500)
                page.screenshot(path=SCREENSHOTS / f"390-platform-admin-menu-open-{language}.png")
            for index in range(entries.count()):
                entry = entries.nth(index)
                expect(entry).to_be_visible()
                box = entry.bounding_box()
                if box["x"] < 0 or box["x"] + box["width"] > viewport["width"]:
                    misfits.append(f"{entry.inner_text()!r} in {language} spans "
                                   f"{box['x']:.0f}-{box['x'] + box['width']:.0f} px")
            _tab_to(page, entries.last)
    finally:
        page.goto("/")
        if page.locator('.lang-switch button[value=it][aria-current="true"]').count() == 0:
            _switch_language(page, "it")  # people keep their choice; the other tests read Italian
        context.close()
    assert misfits == [], f"On a {viewport['width']} px screen: {misfits}"
