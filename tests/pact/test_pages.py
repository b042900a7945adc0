"""The Pact's public pages, exports, and the signing page in the browser's shoes."""
import re
from pathlib import Path
from urllib.parse import urlsplit

from lab.extensions import db
from lab.pact import ledger, services
from tests.conftest import sign_in
from tests.factories import PASSWORD
from tests.pact.conftest import declaration

README = Path(__file__).resolve().parents[2] / "README.md"


def test_register_page_shows_text_hash_map_and_table(client, sign, signatory, version):
    sign(signatory)
    page = client.get("/pact").get_data(as_text=True)
    assert version.text_hash in page
    assert page.count('class="region status-') == 21
    assert 'aria-label="Piemonte: Aderisce"' in page
    assert "Provincia autonoma di Bolzano: Non aderisce" in page
    assert "CC BY 4.0" in page


def test_register_as_of_a_day_before_the_signature(client, sign, signatory):
    sign(signatory)
    page = client.get("/pact?as_of=2019-01-22").get_data(as_text=True)
    assert 'aria-label="Piemonte: Non aderisce"' in page
    assert client.get("/pact?as_of=ieri").status_code == 400


def test_signing_through_the_form(client, signatory, version, smtp):
    sign_in(client, signatory)
    page = client.get("/pact/sign").get_data(as_text=True)
    assert version.text_hash in page
    response = client.post("/pact/sign", data={
        "title": "Assessore", "place": "Torino", "declared": "y", "password": PASSWORD})
    assert response.status_code == 302 and response.location.endswith("/pact/ledger/1")
    again = client.post("/pact/sign", data={
        "title": "Assessore", "place": "Torino", "declared": "y", "password": PASSWORD})
    assert again.status_code == 400 and "aderisce già" in again.get_data(as_text=True)


def test_signing_form_errors_record_nothing(client, signatory, version):
    sign_in(client, signatory)
    response = client.post("/pact/sign", data={"title": "Assessore", "place": "Torino",
                                               "password": PASSWORD})
    assert response.status_code == 400 and "dichiarazione" in response.get_data(as_text=True)
    response = client.post("/pact/sign", data={"title": "A", "place": "T", "declared": "y",
                                               "password": "sbagliata"})
    assert response.status_code == 400 and "password" in response.get_data(as_text=True)
    assert ledger.head() == (0, "0" * 64)


def test_entry_page_has_hashes_qr_and_pdf(client, sign, signatory):
    entry = sign(signatory)
    page = client.get("/pact/ledger/1").get_data(as_text=True)
    assert entry.entry_hash in page and entry.prev_hash in page and "<svg" in page
    pdf = client.get("/pact/ledger/1/certificate.pdf")
    assert pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF-")
    assert len(pdf.data) > 2000
    assert client.get("/pact/ledger/99").status_code == 404


def test_registry_csv_lists_every_entry(client, sign, signatory):
    sign(signatory)
    lines = client.get("/pact/registry.csv").get_data(as_text=True).strip().splitlines()
    assert lines[0].startswith("seq,kind,region_code") and len(lines) == 2
    assert "Piemonte" in lines[1]


def test_readme_snippet_verifies_the_published_ledger(client, sign, signatory, monkeypatch):
    from tests.factories import make_person

    sign(signatory)
    sign(make_person("firma@toscana.it", "Firma Toscana", "delegate", "toscana", mandate=True))
    document = client.get("/pact/ledger.json").get_data()
    snippet = re.search(r"```python\n(import base64.*?)```", README.read_text(), re.S).group(1)

    class Response:
        def read(self):
            return document

    import urllib.request

    monkeypatch.setattr(urllib.request, "urlopen", lambda url: Response())
    printed = []
    exec(snippet, {"print": lambda *args: printed.append(" ".join(map(str, args)))})
    assert printed == [f"2 entries, chain intact, head {ledger.head()[1]}"]


def test_checkpoint_endpoint_serves_the_latest_signature(client, sign, signatory):
    sign(signatory)
    data = client.get("/pact/checkpoint").json
    assert data["checkpoint"]["seq"] == 1 and data["public_key"] == data["checkpoint"]["public_key"]


def test_admin_publishes_a_new_version_and_sees_the_diff(client, admin, version):
    sign_in(client, admin)
    response = client.post("/pact/admin", data={"title": "Patto v2",
                                                "body": "# Patto\n\nLe Regioni si impegnano ancora."})
    assert response.status_code == 302
    preview = client.get(urlsplit(response.location).path).get_data(as_text=True)
    assert "diff-added" in preview and "diff-removed" in preview
    assert client.post("/pact/admin/versions/2/publish").status_code == 302
    db.session.refresh(version)
    assert version.status == "superseded"
    page = client.get("/pact/versions/2").get_data(as_text=True)
    assert "Modifiche rispetto alla versione 1" in page


def test_english_register_names_orders_and_labels_regions_in_english(client, sign, signatory):
    sign(signatory)
    client.get("/pact")  # an Italian page first: its labels must not stay for the English one
    client.set_cookie("lab_lang", "en")
    page = client.get("/pact").get_data(as_text=True)
    rows = re.findall(r'<th scope="row"><a [^>]*>([^<]+)</a>', page)
    assert rows[:4] == ["Abruzzo", "Aosta Valley", "Apulia", "Autonomous Province of Bolzano"]
    assert rows == sorted(rows, key=str.casefold) and len(rows) == 21
    assert 'aria-label="Piedmont: Adheres"' in page and ">Aderisce<" not in page


def test_entry_page_shows_rome_time_with_its_zone_and_the_utc_record(client, sign, signatory):
    sign(signatory)
    page = client.get("/pact/ledger/1").get_data(as_text=True)
    assert re.search(r"\d{2}:\d{2}:\d{2} CES?T \(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC\)", page)


def test_entry_page_has_no_stray_comma_without_a_title(client, sign, signatory):
    sign(signatory)
    services.withdraw(signatory, declaration(title=""))  # the withdrawal form asks for no title
    page = client.get("/pact/ledger/2").get_data(as_text=True)
    assert '<dd class="col-sm-8" lang="it">Fiorella Firma</dd>' in page


def test_region_page_shows_its_adhesion_with_the_entry(client, sign, signatory):
    sign(signatory)
    page = client.get("/regions/piemonte").get_data(as_text=True)
    assert "<strong>Aderisce</strong>" in page and 'href="/pact/ledger/1"' in page
