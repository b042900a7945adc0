"""A practice's journey in the browser: a Toscana delegate drafts it with an indicator and a
file and submits it; the group's coordinator asks for a change, then approves; the editorial
board publishes it; an anonymous visitor finds it by a stemmed word, narrows the search to
Toscana, and reads the sheet."""
import re

import pytest
from playwright.sync_api import expect

from tests.accounts.pdfs import plain_pdf
from tests.e2e.conftest import check_accessibility, describe_violations, shot, sign_in, textbox

AUTHOR = "delegata.toscana@laboratorio.example"
COORDINATOR = "firma.piemonte@laboratorio.example"  # coordinates "Politiche di prossimità"
BOARD = "comitato@laboratorio.example"
TITLE = "Maggiordomo di quartiere a Pistoia"  # the only practice saying "maggiordomo"
ANOTHER_REGION = "Teleassistenza con tablet"  # Trento's demo lesson, also about "anziani"


def _person(browser, live_server, email, width=1280):
    context = browser.new_context(locale="it-IT", base_url=live_server.base_url,
                                  viewport={"width": width, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    sign_in(page, email)
    return page


def _accessible(page):
    violations = check_accessibility(page)
    assert violations == [], describe_violations(violations)


def _draft(page):
    page.goto("/library/new")
    textbox(page, "Titolo").fill(TITLE)
    textbox(page, "Sintesi").fill("Una persona di fiducia aiuta gli anziani nelle piccole "
                                  "commissioni e tiene il filo con i servizi.")
    page.get_by_label("Tema principale (gruppo di lavoro)").select_option(
        label="Politiche di prossimità e domiciliarità")
    page.get_by_label("Scala territoriale").select_option("municipal")
    page.get_by_label("Inizio").fill("2022-04-01")
    page.locator("label[for=targets-0]").click()
    textbox(page, "Nome dell'organizzazione").fill("Comune di Pistoia")
    textbox(page, "Indicatore").fill("Anziani aiutati")
    textbox(page, "Valore raggiunto").fill("135")
    page.locator("label[for=evidence_level-1]").click()  # level 2: an achieved value is there
    textbox(page, "Perché questo livello").fill("Registro delle richieste del servizio.")
    page.get_by_label("Aggiungi un allegato").set_input_files(
        files=[{"name": "relazione.pdf", "mimeType": "application/pdf", "buffer": plain_pdf()}])
    shot(page, "library-form")
    _accessible(page)
    page.get_by_role("button", name="Salva la scheda").click()
    expect(page.locator(".alert-success")).to_contain_text("Scheda salvata")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator(".practice-sheet")).to_contain_text("relazione.pdf")


def _search(page, words):
    page.get_by_role("searchbox", name="Cerca tra le pratiche").fill(words)
    page.get_by_role("button", name="Cerca", exact=True).click()


def _find_by_stem_and_region(visitor):
    """Find the practice by a plural its title has in the singular, then keep Toscana's only."""
    visitor.goto("/library")
    _search(visitor, "maggiordomi")
    results = visitor.locator(".library-results")
    expect(results.get_by_role("link")).to_have_text([TITLE])
    _search(visitor, "anziano")  # the practices say "anziani"
    expect(results.get_by_role("link", name=TITLE)).to_be_visible()
    expect(results.get_by_role("link", name=re.compile(ANOTHER_REGION))).to_be_visible()
    visitor.locator("section[aria-labelledby=facet-region] a", has_text="Toscana").click()
    expect(visitor.locator(".active-filters")).to_contain_text("Regione: Toscana")
    expect(results.get_by_role("link", name=re.compile(ANOTHER_REGION))).to_have_count(0)
    shot(visitor, "library-search-facets")
    _accessible(visitor)
    results.get_by_role("link", name=TITLE).click()


def test_a_practice_goes_from_draft_to_the_public_library(browser, live_server):
    author = _person(browser, live_server, AUTHOR)
    _draft(author)
    sheet_url = author.url
    author.get_by_role("button", name="Invia ai coordinatori del gruppo").click()
    expect(author.locator(".alert-success")).to_contain_text("inviata ai coordinatori")

    coordinator = _person(browser, live_server, COORDINATOR)
    coordinator.goto("/library/review")
    shot(coordinator, "library-review-queue")
    _accessible(coordinator)
    coordinator.get_by_role("link", name=TITLE).click()
    textbox(coordinator, "Che cosa cambiare").fill("Indica il costo orario del servizio.")
    coordinator.get_by_role("button", name="Chiedi modifiche").click()
    expect(coordinator.locator(".alert-success")).to_contain_text("Richiesta di modifiche inviata")

    author.goto(sheet_url)
    expect(author.locator(".alert-info")).to_contain_text("Modifiche richieste")
    author.get_by_role("link", name="Modifica la scheda").click()
    textbox(author, "Lezioni apprese e difficoltà").fill("Costo: 18 euro l'ora.")
    author.get_by_role("button", name="Salva la scheda").click()
    author.get_by_role("button", name="Invia ai coordinatori del gruppo").click()

    coordinator.goto(sheet_url)
    coordinator.get_by_label("Livello di evidenza confermato").select_option("2")
    coordinator.get_by_role("button", name="Approva la pratica").click()
    expect(coordinator.locator(".alert-success")).to_contain_text("Pratica approvata")

    board = _person(browser, live_server, BOARD)
    board.goto("/library/board")
    shot(board, "library-board-queue")
    board.get_by_role("link", name=TITLE).click()
    board.get_by_role("button", name="Pubblica la pratica").click()
    expect(board.locator(".alert-success")).to_contain_text("Pratica pubblicata")

    visitor = browser.new_context(locale="it-IT", base_url=live_server.base_url).new_page()
    _find_by_stem_and_region(visitor)
    expect(visitor.get_by_role("heading", level=1)).to_have_text(TITLE)
    assert visitor.url == sheet_url
    expect(visitor.locator(".practice-sheet")).to_contain_text("Costo: 18 euro l'ora.")
    expect(visitor.locator(".practice-sheet")).to_contain_text("135")
    shot(visitor, "library-sheet")
    _accessible(visitor)
    pdf = visitor.request.get(re.sub(r"/library/(\d+)-.*", r"/library/\1/scheda.pdf", sheet_url))
    assert pdf.ok and pdf.body().startswith(b"%PDF-")


def test_a_message_arriving_live_can_be_proposed_as_a_practice(browser, live_server):
    reader = _person(browser, live_server, COORDINATOR)
    writer = _person(browser, live_server, "delegato.piemonte@laboratorio.example")  # a member
    reader.goto("/groups/prossimita-domiciliarita/room")
    writer.goto(reader.url)
    for page in (reader, writer):
        expect(page.locator("#room-status")).to_have_text(
            "Connesso: i messaggi arrivano in tempo reale.")
    writer.get_by_role("textbox", name="Messaggio").fill("Orti sociali per gli anziani di Cuneo")
    writer.get_by_role("button", name="Invia").click()
    live = reader.locator("#room-messages li[data-id]", has_text="Orti sociali per gli anziani")
    live.get_by_role("link", name="Proponi come buona pratica").click()
    expect(textbox(reader, "Titolo")).to_have_value("Orti sociali per gli anziani di Cuneo")
    expect(reader.locator("#primary_group option:checked")).to_have_text(
        "Politiche di prossimità e domiciliarità")


def _href(page, url, link_name):
    page.goto(url)
    return page.get_by_role("link", name=re.compile(link_name)).first.get_attribute("href")


@pytest.mark.parametrize("width", [1280, 390])
def test_every_library_page_passes_axe(browser, live_server, width):
    """Each page as the person who sees it, on a desktop and on a phone: no serious or critical
    axe violation, nothing wider than the screen; a screenshot of each."""
    visitor = browser.new_context(locale="it-IT", base_url=live_server.base_url,
                                  viewport={"width": width, "height": 900}).new_page()
    author = _person(browser, live_server, AUTHOR, width)
    board = _person(browser, live_server, BOARD, width)
    sheet = _href(visitor, "/library?q=portierato", "Portierato sociale")
    practice_id = re.search(r"/library/(\d+)-", sheet).group(1)
    draft = _href(author, "/library/mine", "Supervisione di gruppo")
    draft_id = re.search(r"/library/(\d+)-", draft).group(1)
    pages = [
        (visitor, "/library", "index"),
        (visitor, "/library?q=anziani&region=toscana&target=older_people", "search-facets"),
        (visitor, sheet, "sheet"),
        (visitor, f"/library/{practice_id}/revisions", "revisions"),
        (visitor, f"/library/{practice_id}/diff?from=1&to=3", "diff"),
        (visitor, "/groups/prossimita-domiciliarita", "group-practices"),
        (visitor, "/regions/toscana", "region-practices"),
        (author, "/library/mine", "mine"),
        (author, "/library/new", "form"),
        (author, draft, "draft-sheet"),
        (author, f"/library/{draft_id}/edit", "edit"),
        (author, "/library/review", "review-queue"),
        (board, "/library/board", "board-queue"),
    ]
    found = []
    for page, url, name in pages:
        assert page.goto(url).ok, url
        shot(page, f"library-{name}-{width}")
        found += [f"{url}: {line}"
                  for line in describe_violations(check_accessibility(page)).splitlines()]
        if page.evaluate("document.documentElement.scrollWidth") > width:
            found.append(f"{url}: wider than the screen")
    assert found == [], "\n".join(found)
