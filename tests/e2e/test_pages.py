"""Every main page, as each kind of person, on a 360 px phone: it fits, the console stays clean,
and in English no Italian string of the interface is left.

The walk only reads pages, so it leaves the shared server's data as the other tests expect.
"""
import re
import sqlite3
from functools import cache

import pytest
from babel.messages.pofile import read_po
from playwright.sync_api import expect

from tests.e2e.conftest import ROOT, shot, sign_in

PHONE = {"width": 360, "height": 740}
GROUP = "/groups/prossimita-domiciliarita"

PUBLIC = ["/", "/pact", "/pact/versions/1", "/pact/ledger/1", "/regions", "/regions/piemonte",
          "/groups", GROUP, "/accessibility", "/sign-in", "/password/forgot"]
DELEGATE = ["/", "/pact", "/groups", GROUP, "/rooms", GROUP + "/room", "/account"]
REGION_ADMIN = ["/admin/people", "/admin/invitations", "/admin/audit", "/regions/piemonte"]
PLATFORM_ADMIN = ["/admin/people", "/admin/people/3", "/admin/invitations", "/admin/audit",
                  "/pact/admin", "/pact/admin/versions/1", "/groups/new", "/account"]

WALKS = {
    "visitor": (None, PUBLIC),
    "delegate": ("firma.piemonte@laboratorio.example", DELEGATE),
    "region-admin": ("admin.piemonte@laboratorio.example", REGION_ADMIN),
    "platform-admin": ("admin@laboratorio.example", PLATFORM_ADMIN),
}

# The text a person meets on the page: text nodes, the title, and the attributes read aloud or
# shown on hover. Whatever sits inside an element marked with another language (the Pact's
# Italian text, people's messages) is that language on purpose and is left out.
VISIBLE_TEXT = """() => {
  const english = node => {
    const owner = node.nodeType === Node.ELEMENT_NODE ? node : node.parentElement;
    const marked = owner.closest('[lang]');
    return !marked || marked.lang.startsWith('en');
  };
  const texts = [document.title];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.parentElement.closest('script, style, template') || !english(node)) continue;
    texts.push(node.textContent);
  }
  const described = '[aria-label], [title], [alt], [placeholder]';
  for (const element of document.body.querySelectorAll(described)) {
    if (!english(element)) continue;
    for (const name of ['aria-label', 'title', 'alt', 'placeholder']) {
      if (element.hasAttribute(name)) texts.push(element.getAttribute(name));
    }
  }
  return texts;
}"""

PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w+\}")
# Text on a page is cut at these marks too, so "Sardegna: Ha receduto" yields "Ha receduto".
SEPARATORS = re.compile(r"\s*[:·|()–,;]\s*")


def catalogue_pairs() -> list[tuple[str, tuple[str, ...]]]:
    """Each Italian string of the interface with its English forms."""
    with open(ROOT / "translations/en/LC_MESSAGES/messages.po", "rb") as po:
        catalogue = read_po(po)
    pairs = []
    for message in catalogue:
        if message.id and message.string:
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            pairs += [(msgid, strings) for msgid in ids]
    return pairs


def named_pairs(database) -> list[tuple[str, tuple[str, ...]]]:
    """The Italian names of the regions and groups with their English names."""
    with sqlite3.connect(database) as connection:
        rows = connection.execute("SELECT name_it, name_en FROM regions "
                                  "UNION SELECT name_it, name_en FROM groups").fetchall()
    return [(italian, (english,)) for italian, english in rows]


@cache
def italian_patterns(pairs: tuple) -> list[tuple[str, re.Pattern, bool]]:
    """The Italian strings whose English differs, as patterns.

    A string of one or two words ("Stato", "Ha receduto", "Sardegna") counts only when it is a
    whole text on the page or a whole piece between separators: such words may be part of a
    name or of data. Three words or more count anywhere in a text. Strings the same in both
    languages ("Email", "Password") never count.
    """
    patterns = []
    for msgid, strings in pairs:
        if msgid not in strings:
            words = PLACEHOLDER.sub(" ", msgid).split()
            if not any(re.search(r"[^\W\d_]{2}", word) for word in words):
                continue  # nothing but placeholders, figures or marks
            parts = [re.escape(" ".join(part.split())) for part in PLACEHOLDER.split(msgid)]
            regex = r"(?<!\w)" + ".+?".join(parts) + r"(?!\w)"  # "nella stanza" is not "la stanza"
            patterns.append((msgid, re.compile(regex), len(words) >= 3))
    return patterns


def italian_left(texts: list[str], pairs=None) -> set[str]:
    """Return the Italian strings (the catalogue's, or ``pairs``) in an English page's texts."""
    pairs = tuple(catalogue_pairs()) if pairs is None else pairs
    found = set()
    for text in texts:
        text = " ".join(text.split())
        if not text:
            continue
        pieces = {text, *filter(None, SEPARATORS.split(text))}
        for msgid, regex, anywhere in italian_patterns(pairs):
            if any(regex.fullmatch(piece) for piece in pieces) or (anywhere and regex.search(text)):
                found.add(msgid)
    return found


def test_the_italian_check_finds_a_left_status_and_passes_english():
    assert "Ha receduto" in italian_left(["Sardegna: Ha receduto"])
    assert "Aderisce" in italian_left(["  Aderisce \n"])
    room = (("la stanza del gruppo", ("the group's room",)),)
    assert italian_left(["Benvenuti nella stanza del gruppo!"], room) == set()
    assert italian_left(["Sardegna: Withdrawn", "Firma.piemonte", "Elena Bianchi"]) == set()


def _watch_console(page) -> list[str]:
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(
        f"{page.url}: {message.text[:300]}"))
    page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
    return errors


def _switch_language(page, code: str) -> None:
    page.goto("/")
    page.locator(f".lang-switch button[value={code}]").click()
    page.wait_for_load_state()


def _too_wide(page, path: str) -> list[str]:
    width = page.evaluate("document.scrollingElement.scrollWidth")
    return [f"{path} is {width} px wide"] if width > PHONE["width"] else []


def _composer_below_the_fold(page, path: str) -> list[str]:
    """The box to write comes into view once the page has settled (the web font, who is here)."""
    composer = page.locator("#body")
    try:
        expect(composer).to_be_in_viewport(ratio=1, timeout=5_000)
        return []
    except AssertionError:
        box = composer.bounding_box()
        return [f"{path}: the message box ends at {box['y'] + box['height']:.0f} px"]


@pytest.mark.parametrize("who", WALKS)
def test_every_page_fits_a_phone_keeps_the_console_clean_and_is_english_in_english(
        browser, live_server, who):
    email, paths = WALKS[who]
    context = browser.new_context(locale="it-IT", base_url=live_server.base_url, viewport=PHONE)
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors = _watch_console(page)
    italian = tuple(catalogue_pairs() + named_pairs(live_server.folder / "e2e.sqlite"))
    left, misfits = {}, []
    try:
        if email:
            sign_in(page, email)
        for path in paths:
            page.goto(path)
            expect(page.locator("h1")).to_be_visible()
            misfits += _too_wide(page, path)
            if path.endswith("/room"):
                expect(page.locator("#room-status")).to_contain_text("Connesso")
                misfits += _composer_below_the_fold(page, path)
            shot(page, f"360-{who}-{path.strip('/').replace('/', '-') or 'home'}")
        _switch_language(page, "en")
        for path in paths:
            page.goto(path)
            expect(page.locator("h1")).to_be_visible()
            misfits += _too_wide(page, path)
            found = italian_left(page.evaluate(VISIBLE_TEXT), italian)
            if found:
                left[path] = sorted(found)
    finally:
        _switch_language(page, "it")  # people keep their choice; the other tests read Italian
        context.close()
    assert misfits == [], f"On a {PHONE['width']}x{PHONE['height']} screen: {misfits}"
    assert errors == [], "Console errors:\n" + "\n".join(errors)
    assert left == {}, "Italian left on English pages:\n" + "\n".join(
        f"{path}: {found}" for path, found in left.items())
