"""The Pact's public pages, exports, and the signing page in the browser's shoes."""
import base64
import csv
import html
import io
import json
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from lab.core.csv import FORMULA_STARTS
from lab.extensions import db
from lab.pact import canonical, keys, ledger, services
from tests.conftest import sign_in, sign_in_with_code
from tests.factories import PASSWORD, next_code
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
    sign_in_with_code(client, signatory, next_code(signatory))
    page = client.get("/pact/sign").get_data(as_text=True)
    assert version.text_hash in page
    response = client.post("/pact/sign", data={
        "title": "Assessore", "place": "Torino", "declared": "y", "password": PASSWORD,
        "code": next_code(signatory)})
    assert response.status_code == 302 and response.location.endswith("/pact/ledger/1")
    again = client.post("/pact/sign", data={
        "title": "Assessore", "place": "Torino", "declared": "y", "password": PASSWORD,
        "code": next_code(signatory)})
    assert again.status_code == 409 and "aderisce già" in again.get_data(as_text=True)


def test_when_the_region_adheres_the_pages_say_so_up_front_and_offer_no_form(client, sign,
                                                                                signatory):
    sign(signatory)
    sign_in_with_code(client, signatory, next_code(signatory))
    register = client.get("/pact").get_data(as_text=True)
    assert "Firma il Patto per la tua Regione" not in register
    assert "non c'è nulla da firmare" in register and 'href="/pact/withdraw"' in register
    page = client.get("/pact/sign")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Piemonte aderisce già a questa versione" in html
    assert "<form method=\"post\" novalidate>" not in html and 'name="password"' not in html
    assert "attendere una nuova versione" in html and 'href="/pact/withdraw"' in html


def test_when_the_region_does_not_adhere_there_is_nothing_to_withdraw(client, signatory, version):
    sign_in_with_code(client, signatory, next_code(signatory))
    assert "Firma il Patto per la tua Regione" in client.get("/pact").get_data(as_text=True)
    html = client.get("/pact/withdraw").get_data(as_text=True)
    assert "Piemonte non aderisce al Patto." in html and 'name="password"' not in html
    assert 'href="/pact/sign"' in html


def test_signing_form_errors_record_nothing(client, signatory, version):
    sign_in_with_code(client, signatory, next_code(signatory))
    response = client.post("/pact/sign", data={"title": "Assessore", "place": "Torino",
                                               "password": PASSWORD, "code": next_code(signatory)})
    assert response.status_code == 400 and "dichiarazione" in response.get_data(as_text=True)
    response = client.post("/pact/sign", data={"title": "A", "place": "T", "declared": "y",
                                               "password": "sbagliata",
                                               "code": next_code(signatory)})
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


def run_snippet(snippet: str, document: bytes, monkeypatch) -> list[str]:
    """Run the verification snippet with ``document`` as what it downloads; return its output."""
    import urllib.request

    class Response:
        def read(self):
            return document

    monkeypatch.setattr(urllib.request, "urlopen", lambda url: Response())
    printed = []
    exec(snippet, {"print": lambda *args: printed.append(" ".join(map(str, args)))})
    return printed


def published_snippet(client) -> str:
    page = client.get("/pact/key").get_data(as_text=True)
    return html.unescape(re.search(r'<code id="verify-snippet">(.*?)</code>', page, re.S).group(1))


@pytest.fixture
def two_entries(sign, signatory):
    from tests.factories import make_person

    sign(signatory)
    sign(make_person("firma@toscana.it", "Firma Toscana", "delegate", "toscana", mandate=True))


def test_key_page_publishes_the_key_its_fingerprint_and_a_snippet_that_verifies(
        client, two_entries, monkeypatch):
    public_key = keys.public_key_b64()
    page = client.get("/pact/key").get_data(as_text=True)
    assert public_key in page and keys.fingerprint(public_key) in page
    assert keys.read_public_key(client.get("/pact/key.pem").get_data(as_text=True)) == public_key
    document = client.get("/pact/ledger.json").get_data()
    printed = run_snippet(published_snippet(client), document, monkeypatch)
    assert printed == [f"2 entries, chain intact, head {ledger.head()[1]}"]


def test_readme_snippet_is_the_published_one(client, two_entries):
    readme = re.search(r"```python\n(import base64.*?)```", README.read_text(), re.S).group(1)
    published = published_snippet(client)
    for name in ("LEDGER", "FINGERPRINT"):
        value = re.search(rf'^{name} = "[^"]*"', published, re.M).group(0)
        readme = re.sub(rf'^{name} = "[^"]*"', value, readme, flags=re.M)
    assert readme == published


def test_snippet_refuses_a_ledger_re_signed_with_another_key(client, two_entries, monkeypatch):
    document = client.get("/pact/ledger.json").json
    entry = document["entries"][1]
    entry["place"] = "Roma"
    fields = {k: v for k, v in entry.items() if k not in ("prev_hash", "entry_hash")}
    entry["entry_hash"] = canonical.entry_hash(entry["prev_hash"], fields)
    forger = Ed25519PrivateKey.generate()
    checkpoint = document["checkpoint"]
    checkpoint.update(head_hash=entry["entry_hash"], public_key=keys.public_key_b64(forger))
    checkpoint["signature"] = base64.b64encode(forger.sign(canonical.checkpoint_message(
        checkpoint["seq"], checkpoint["head_hash"], checkpoint["signed_at"]))).decode()
    with pytest.raises(AssertionError, match="signed by another key"):
        run_snippet(published_snippet(client), json.dumps(document).encode(), monkeypatch)


def test_entry_and_register_pages_link_the_key_page(client, two_entries):
    fingerprint = keys.fingerprint(keys.public_key_b64())
    entry = client.get("/pact/ledger/1").get_data(as_text=True)
    assert 'href="/pact/key"' in entry and fingerprint in entry and "README" not in entry
    assert 'href="/pact/key"' in client.get("/pact").get_data(as_text=True)


def test_checkpoint_endpoint_serves_the_latest_signature(client, sign, signatory):
    sign(signatory)
    data = client.get("/pact/checkpoint").json
    assert data["checkpoint"]["seq"] == 1 and data["public_key"] == keys.public_key_b64()
    assert data["fingerprint"] == keys.fingerprint(data["public_key"])


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


def test_signing_with_the_password_and_a_wrong_code_fails_and_writes_nothing(client, signatory,
                                                                           version):
    from lab.accounts import twofactor

    sign_in_with_code(client, signatory, next_code(signatory))
    settings = twofactor.settings_of(signatory)
    stale = twofactor.authenticator(settings).generate_otp(twofactor.current_step() - 10)
    response = client.post("/pact/sign", data={"title": "Assessore", "place": "Torino",
                                               "declared": "y", "password": PASSWORD,
                                               "code": stale})
    assert response.status_code == 400 and "non è corretto" in response.get_data(as_text=True)
    response = client.post("/pact/sign", data={"title": "Assessore", "place": "Torino",
                                               "declared": "y", "password": PASSWORD})
    assert response.status_code == 400
    assert ledger.head() == (0, "0" * 64)


def test_a_signatory_without_two_factor_is_sent_to_set_it_up(client, signatory, version):
    sign_in(client, signatory)
    page = client.get("/pact/sign").get_data(as_text=True)
    assert "/account/two-factor" in page and 'name="password"' not in page
    assert "/account/two-factor" in client.get("/pact/withdraw").get_data(as_text=True)


def test_refusals_on_the_signing_form_are_throttled(client, signatory, version):
    sign_in_with_code(client, signatory, next_code(signatory))
    for _ in range(5):
        client.post("/pact/sign", data={"title": "A", "place": "T", "declared": "y",
                                        "password": "sbagliata", "code": next_code(signatory)})
    blocked = client.post("/pact/sign", data={"title": "A", "place": "T", "declared": "y",
                                              "password": PASSWORD, "code": next_code(signatory)})
    assert blocked.status_code == 429
    assert ledger.head() == (0, "0" * 64)


DANGEROUS = ["=HYPERLINK(\"http://evil.example\",\"x\")", "+1+1", "-1+1", "@SUM(1+1)",
             "\t=1+1", "\r=1+1"]


def test_registry_csv_neutralises_formulas_typed_by_a_signer(client, sign):
    from tests.factories import make_person

    slugs = ["piemonte", "toscana", "puglia", "molise", "calabria", "lazio"]
    for number, (slug, text) in enumerate(zip(slugs, DANGEROUS)):
        person = make_person(f"firma{number}@example.org", text, "delegate", slug, mandate=True)
        sign(person, title=text, place=text, event=text)
    response = client.get("/pact/registry.csv")
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == 'attachment; filename="registro-patto.csv"'
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True), newline="")))
    assert len(rows) == len(DANGEROUS)
    for row in rows:
        for column in ("signer_name", "signer_title", "place", "event"):
            assert row[column].startswith("'") and row[column][1:].lstrip("\t\r")[0] in "=+-@"
        assert not any(cell.startswith(FORMULA_STARTS) for cell in row.values())


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
    services.withdraw(signatory, declaration(signatory, title=""))  # the form asks for no title
    page = client.get("/pact/ledger/2").get_data(as_text=True)
    assert '<dd class="col-sm-8" lang="it">Fiorella Firma</dd>' in page


def test_region_page_shows_its_adhesion_with_the_entry(client, sign, signatory):
    sign(signatory)
    page = client.get("/regions/piemonte").get_data(as_text=True)
    assert "<strong>Aderisce</strong>" in page and 'href="/pact/ledger/1"' in page
