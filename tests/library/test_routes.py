"""The practice pages as a person uses them: the form, the sheet, files, revisions, queues."""
import io
from decimal import Decimal

import pytest

from lab.extensions import db
from lab.library import services
from lab.library.attachments import Upload
from lab.library.models import Practice
from tests.accounts.pdfs import plain_pdf, with_launch
from tests.factories import PASSWORD
from tests.library.conftest import make_draft

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def sign_in(client, person):
    response = client.post("/sign-in", data={"email": person.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def form_data(theme, **changes):
    data = {
        "title": "Portineria di comunità", "kind": "good_practice",
        "summary": "Un punto di ascolto per gli anziani del quartiere.",
        "primary_group": str(theme.id), "scale": "municipal", "started_on": "2021-03-01",
        "targets": ["older_people", "community"],
        "organisations-0-name": "Comune di Lucca", "organisations-0-org_type": "public_body",
        "organisations-0-is_lead": "y",
        "fundings-0-source": "fse", "fundings-0-measure": "PR FSE+ 2021-2027",
        "fundings-0-amount": "6.400.000,00",
        "indicators-0-name": "Anziani raggiunti", "indicators-0-unit": "persone",
        "indicators-0-target": "300", "indicators-0-achieved": "412",
        "indicators-0-measured_on": "2023-12-31",
        "links-0-url": "https://www.comune.lucca.it/portineria", "links-0-label": "Il progetto",
        "evidence_level": "2", "evidence_justification": "Dati del monitoraggio comunale.",
        "contact_role": "Ufficio servizi sociali", "contact_office": "Via Santa Giustina 6, Lucca",
        "contact_email": "anna.verdi@example.org", "upload_role": "document",
    }
    data.update(changes)
    return data


def test_a_delegate_drafts_a_practice_with_an_indicator_and_a_file(app, author, theme):
    client = sign_in(app.test_client(), author)
    data = form_data(theme, upload=(io.BytesIO(plain_pdf()), "relazione.pdf"))
    response = client.post("/library/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    practice = db.session.query(Practice).one()
    assert practice.status == "draft" and practice.lead_region.slug == "toscana"
    assert practice.fundings[0].amount == Decimal("6400000.00")
    assert practice.indicators[0].achieved == Decimal(412)
    assert practice.attachments[0].mimetype == "application/pdf"
    assert [r.number for r in practice.revisions] == [1]
    page = client.get(response.location).get_data(as_text=True)
    assert "Anziani raggiunti" in page and "6.400.000,00" in page
    assert "anna.verdi@example.org" not in page, "an email not ticked for showing stays hidden"


def test_add_row_returns_the_form_one_row_longer_and_saves_nothing(app, author, theme):
    client = sign_in(app.test_client(), author)
    response = client.post("/library/new", data={**form_data(theme), "add_row": "indicators"})
    assert response.status_code == 200
    assert 'name="indicators-1-name"' in response.get_data(as_text=True)
    assert db.session.query(Practice).count() == 0


def test_a_level_whose_condition_is_unmet_is_refused(app, author, theme):
    client = sign_in(app.test_client(), author)
    response = client.post("/library/new", data=form_data(theme, evidence_level="3"))
    assert response.status_code == 400
    assert "documento di valutazione" in response.get_data(as_text=True)
    response = client.post("/library/new", data=form_data(
        theme, evidence_level="2", **{"indicators-0-achieved": ""}))
    assert response.status_code == 400
    assert db.session.query(Practice).count() == 0


@pytest.mark.parametrize("name, content", [
    ("relazione.pdf", b"<html><script>alert(1)</script></html>"),
    ("foto.png", b"GIF89a" + b"\x00" * 20),
    ("atto.pdf", plain_pdf(with_launch)),
])
def test_a_file_is_judged_by_its_content(app, author, theme, name, content):
    client = sign_in(app.test_client(), author)
    response = client.post("/library/new", data=form_data(theme, upload=(io.BytesIO(content), name)),
                           content_type="multipart/form-data")
    assert response.status_code == 400
    assert db.session.query(Practice).count() == 0


def test_files_are_downloaded_never_shown_inline(app, author, theme):
    client = sign_in(app.test_client(), author)
    client.post("/library/new", data=form_data(theme, upload=(io.BytesIO(PNG), "grafico.txt")),
                content_type="multipart/form-data")
    practice = db.session.query(Practice).one()
    attachment = practice.attachments[0]
    assert attachment.mimetype == "image/png"
    response = client.get(f"/library/{practice.id}/attachments/{attachment.id}")
    assert response.status_code == 200 and response.data == PNG
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_a_file_above_the_limit_answers_413(app, author, theme):
    client = sign_in(app.test_client(), author)
    limit = app.config["MAX_CONTENT_LENGTH"]
    big = PNG + b"\x00" * (limit + 1)
    response = client.post("/library/new", data=form_data(theme, upload=(io.BytesIO(big), "a.png")),
                           content_type="multipart/form-data")
    assert response.status_code == 413


def test_over_long_fields_and_unsafe_links_are_form_errors(app, author, theme):
    client = sign_in(app.test_client(), author)
    for changes in ({"title": "x" * 201}, {"summary": "y" * 3001},
                    {"links-0-url": "javascript://example.org/%0Aalert(1)"},
                    {"fundings-0-amount": "1,234"}, {"indicators-0-achieved": "1e40"},
                    {"started_on": "31/02/2021"}, {"primary_group": "999999"}):
        response = client.post("/library/new", data=form_data(theme, **changes))
        assert response.status_code == 400, changes
    assert db.session.query(Practice).count() == 0


def test_a_ticked_email_is_shown(app, author, theme):
    client = sign_in(app.test_client(), author)
    response = client.post("/library/new", data=form_data(theme, contact_email_public="y"))
    assert "anna.verdi@example.org" in client.get(response.location).get_data(as_text=True)


def test_the_public_sees_the_published_version_while_a_new_one_is_written(app, published, author):
    services.update_practice(author, published, make_draft(published.primary_group,
                                                           title="Custodi di quartiere, seconda"))
    anonymous = app.test_client().get(f"/library/{published.id}-{published.slug}",
                                      follow_redirects=True).get_data(as_text=True)
    assert "Custodi di quartiere</h1>" in anonymous and "seconda" not in anonymous
    mine = sign_in(app.test_client(), author).get(f"/library/{published.id}-{published.slug}")
    assert "Custodi di quartiere, seconda" in mine.get_data(as_text=True)


def test_revisions_and_their_diff(app, published, author):
    services.update_practice(author, published, make_draft(published.primary_group,
                                                           lessons="Serve un coordinatore."))
    client = sign_in(app.test_client(), author)
    numbers = [r.number for r in published.revisions]
    page = client.get(f"/library/{published.id}/revisions").get_data(as_text=True)
    assert all(f"<td>{n}</td>" in page for n in numbers)
    diff = client.get(f"/library/{published.id}/diff?from={numbers[-2]}&to={numbers[-1]}")
    assert "Serve un coordinatore." in diff.get_data(as_text=True)
    # The public sees the revisions only up to the published one.
    public = app.test_client().get(f"/library/{published.id}/diff?from=1&to={numbers[-1]}")
    assert public.status_code == 404


def test_a_draft_is_not_found_by_others(app, draft, coordinator):
    assert app.test_client().get(f"/library/{draft.id}-{draft.slug}").status_code == 404
    client = sign_in(app.test_client(), coordinator)
    assert client.get(f"/library/{draft.id}-{draft.slug}").status_code == 404


def test_the_coordinator_and_the_board_walk_their_queues(app, submitted, coordinator, board):
    client = sign_in(app.test_client(), coordinator)
    assert submitted.title in client.get("/library/review").get_data(as_text=True)
    response = client.post(f"/library/{submitted.id}/approve", data={"confirmed_level": "1"})
    assert response.status_code == 302
    board_client = sign_in(app.test_client(), board)
    assert submitted.title in board_client.get("/library/board").get_data(as_text=True)
    assert board_client.post(f"/library/{submitted.id}/publish").status_code == 302
    db.session.refresh(submitted)
    assert submitted.status == "published" and submitted.confirmed_evidence_level == 1


def test_the_group_and_region_pages_list_published_practices(app, published):
    group_page = app.test_client().get(f"/groups/{published.primary_group.slug}")
    region_page = app.test_client().get("/regions/toscana")
    for page in (group_page, region_page):
        assert published.title in page.get_data(as_text=True)


def test_the_pdf_is_one_page(app, published):
    from pypdf import PdfReader

    response = app.test_client().get(f"/library/{published.id}/scheda.pdf")
    assert response.status_code == 200 and response.headers["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    assert len(reader.pages) == 1
    assert "Custodi di quartiere" in reader.pages[0].extract_text()


def test_only_platform_admins_grant_the_editorial_board(admin, delegate):
    from lab.accounts.models import Role
    from lab.accounts.services import grantable_roles
    from tests.factories import make_person

    region_admin = make_person("ra@example.org", "RA", "region_admin", "piemonte")
    assert Role.EDITORIAL_BOARD in grantable_roles(admin)
    assert Role.EDITORIAL_BOARD not in grantable_roles(region_admin)


def test_odd_numbers_in_the_address_are_refused_not_crashed(app, author, published):
    client = sign_in(app.test_client(), author)
    for url in (f"/library/{published.id}/diff?from=1&to={10**12}",
                f"/library/{published.id}/diff?from=x&to=1", f"/library/{10**12}-x",
                f"/library/{published.id}/attachments/{10**12}"):
        assert client.get(url).status_code in (400, 404), url


def test_an_old_or_wrong_slug_redirects_to_the_sheet(app, published):
    response = app.test_client().get(f"/library/{published.id}-vecchio?slug=x&practice_id=2")
    assert response.status_code == 301
    assert response.location.endswith(f"/library/{published.id}-{published.slug}")


def test_a_file_added_after_publication_stays_private_until_republished(app, published, author):
    upload_draft = make_draft(published.primary_group, upload=Upload(
        "nuovo.png", "image/png", PNG))
    services.update_practice(author, published, upload_draft)
    new_file = [a for a in published.attachments if a.filename == "nuovo.png"][0]
    url = f"/library/{published.id}/attachments/{new_file.id}"
    assert app.test_client().get(url).status_code == 404
    assert sign_in(app.test_client(), author).get(url).status_code == 200
