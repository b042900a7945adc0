"""What delegates and organisers meet in the rooms every day: unread counts, mentions from
another room, the Laboratory-wide room for a forum organiser."""
import re

from playwright.sync_api import expect

from tests.e2e.conftest import shot, sign_in

WRITER = "firma.lazio@laboratorio.example"  # Paolo Romano, delegate of Lazio
READER = "delegato.puglia@laboratorio.example"  # Antonio De Santis, member of the open group
COORDINATOR = "delegata.toscana@laboratorio.example"  # Chiara Neri, coordinates that group
ORGANISER = "organizzatrice@laboratorio.example"  # Sara Colombo
LABORATORY = "Tutto il Laboratorio"
CONNECTED = "Connesso: i messaggi arrivano in tempo reale."


def person(browser, live_server, email, width=1280):
    context = browser.new_context(locale="it-IT", base_url=live_server.base_url,
                                  viewport={"width": width, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    sign_in(page, email)
    return context, page


def open_room(page, title: str) -> None:
    page.goto("/rooms")
    page.get_by_role("link", name=title, exact=True).click()
    expect(page.locator("#room-status")).to_have_text(CONNECTED)


def send(page, text: str) -> None:
    page.get_by_role("textbox", name="Messaggio").fill(text)
    page.get_by_role("button", name="Invia").click()
    expect(page.locator("#room-messages li[data-id]", has_text=text)).to_have_count(1)


def room_row(page, title: str):
    return page.locator(".room-list li", has=page.get_by_role("link", name=title, exact=True))


def test_opening_a_room_clears_its_unread_count(browser, live_server):
    writer_context, writer = person(browser, live_server, WRITER)
    reader_context, reader = person(browser, live_server, READER)
    try:
        reader.goto("/rooms")  # whatever the Laboratory room held before is read now
        open_room(reader, LABORATORY)
        expect(reader.locator("#room")).to_have_attribute("data-last-read", re.compile(r"\d+"))
        reader.goto("/rooms")
        expect(room_row(reader, LABORATORY)).not_to_contain_text("non lett")

        open_room(writer, LABORATORY)
        for n in range(1, 7):
            send(writer, f"Aggiornamento n. {n} dal Lazio")
        reader.reload()
        expect(room_row(reader, LABORATORY)).to_contain_text("6 non letti")
        shot(reader, "rooms-unread")

        open_room(reader, LABORATORY)
        last = reader.locator("#room-messages li", has_text="Aggiornamento n. 6")
        expect(last).to_be_in_viewport()
        # The page tells the server, once joined, what it shows: then the person goes back.
        expect(reader.locator("#room")).to_have_attribute("data-last-read", last.get_attribute("data-id"))
        reader.go_back()
        expect(reader).to_have_url(re.compile(r"/rooms$"))
        expect(room_row(reader, LABORATORY)).not_to_contain_text("non lett")
        shot(reader, "rooms-read")
    finally:
        writer_context.close()
        reader_context.close()


def test_a_mention_from_another_room_names_the_room_links_to_it_and_is_counted(browser, live_server):
    reader_context, reader = person(browser, live_server, READER, width=390)
    writer_context, writer = person(browser, live_server, COORDINATOR)
    try:
        open_room(reader, "Informatizzazione e utilizzo intelligente dei dati nel sociale")
        open_room(writer, LABORATORY)
        send(writer, "@Antonio De Santis puoi portare i dati pugliesi al forum?")

        notice = reader.locator("#room-mentions")
        expect(notice).to_contain_text("Chiara Neri ti ha citato in")
        link = notice.get_by_role("link", name=LABORATORY)
        expect(link).to_be_visible()
        shot(reader, "room-mention-from-another-room-390")
        rooms = reader_context.new_page()
        rooms.goto("/rooms")
        expect(room_row(rooms, LABORATORY)).to_contain_text("1 menzione")
        link.click()
        expect(reader.get_by_role("heading", level=1)).to_have_text(LABORATORY)
        expect(reader.locator("#room-messages li.is-mention")).to_contain_text("dati pugliesi")
    finally:
        reader_context.close()
        writer_context.close()


def test_a_forum_organiser_finds_what_to_do_and_writes_in_the_laboratory_room(browser, live_server):
    context, page = person(browser, live_server, ORGANISER)
    try:
        page.goto("/")
        start = page.locator("#start")
        expect(start).to_contain_text("Cosa puoi fare")
        shot(page, "home-organiser")
        page.set_viewport_size({"width": 390, "height": 844})
        shot(page, "home-organiser-390")
        page.set_viewport_size({"width": 1280, "height": 900})
        start.get_by_role("link", name="Vai alle stanze").click()
        open_room(page, LABORATORY)
        send(page, "Buongiorno a tutte le Regioni: il prossimo forum si terrà a Bari.")
        shot(page, "room-organiser")
    finally:
        context.close()
