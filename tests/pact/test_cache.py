"""The parts of the Pact's pages kept between requests show every change on the next request."""
from datetime import date, timedelta

from lab.pact import services, versions
from tests.pact.conftest import declaration


def test_a_signature_shows_on_the_register_and_its_map_at_the_next_request(client, sign,
                                                                             signatory):
    before = client.get("/pact").get_data(as_text=True)
    assert 'aria-label="Piemonte: Non aderisce"' in before
    entry = sign(signatory)
    after = client.get("/pact").get_data(as_text=True)
    assert 'aria-label="Piemonte: Aderisce"' in after
    assert f'href="/pact/ledger/{entry.seq}">n. {entry.seq}</a>' in after


def test_a_withdrawal_shows_at_the_next_request(client, sign, signatory):
    sign(signatory)
    assert 'aria-label="Piemonte: Aderisce"' in client.get("/pact").get_data(as_text=True)
    services.withdraw(signatory, declaration(signatory))
    assert 'aria-label="Piemonte: Ha receduto"' in client.get("/pact").get_data(as_text=True)


def test_a_register_as_of_today_shows_a_signature_made_since_it_was_read(client, sign, signatory):
    today = f"/pact?as_of={date.today() + timedelta(days=1)}"
    assert 'aria-label="Piemonte: Non aderisce"' in client.get(today).get_data(as_text=True)
    sign(signatory)
    assert 'aria-label="Piemonte: Aderisce"' in client.get(today).get_data(as_text=True)
    past = client.get("/pact?as_of=2019-01-22").get_data(as_text=True)
    assert 'aria-label="Piemonte: Non aderisce"' in past


def test_a_new_version_shows_its_text_and_the_older_adhesion(client, admin, sign, signatory):
    sign(signatory)
    assert "si impegnano." in client.get("/pact").get_data(as_text=True)
    draft = versions.save_draft(admin, "Patto v2", "# Patto\n\nLe Regioni si impegnano ancora.")
    versions.publish(admin, draft)
    page = client.get("/pact").get_data(as_text=True)
    assert "si impegnano ancora." in page
    assert 'aria-label="Piemonte: Aderisce a una versione precedente"' in page


def test_a_signature_shows_on_the_region_page_at_the_next_request(client, sign, signatory):
    before = client.get("/regions/piemonte").get_data(as_text=True)
    assert "<strong>Non aderisce</strong>" in before
    entry = sign(signatory)
    after = client.get("/regions/piemonte").get_data(as_text=True)
    assert "<strong>Aderisce</strong>" in after
    assert f'href="/pact/ledger/{entry.seq}">voce n. {entry.seq} del registro' in after
    assert "<strong>Non aderisce</strong>" in client.get("/regions/lombardia").get_data(as_text=True)


def test_a_new_version_shows_on_the_region_page_at_the_next_request(client, admin, sign,
                                                                     signatory):
    sign(signatory)
    assert "<strong>Aderisce</strong>" in client.get("/regions/piemonte").get_data(as_text=True)
    versions.publish(admin, versions.save_draft(admin, "Patto v2", "# Patto\n\nAncora."))
    page = client.get("/regions/piemonte").get_data(as_text=True)
    assert "<strong>Aderisce a una versione precedente</strong>" in page


def test_the_register_says_when_no_version_is_in_force_then_shows_the_first(client, admin):
    assert "Nessuna versione del Patto è ancora stata pubblicata." in client.get("/pact").text
    versions.publish(admin, versions.save_draft(admin, "Patto", "# Patto\n\nPrima stesura."))
    page = client.get("/pact").get_data(as_text=True)
    assert "Il testo in vigore: versione 1" in page and "Prima stesura." in page
