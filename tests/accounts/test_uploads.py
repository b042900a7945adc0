"""A mandate's PDF is checked first and stored last: no scripts, no orphan files."""
import io
from datetime import date

import pytest
from sqlalchemy import select

from lab.accounts import services, uploads
from lab.accounts.models import Mandate
from lab.core.errors import DomainError, NotPermitted
from lab.extensions import db
from tests.accounts import pdfs
from tests.conftest import sign_in

ACTIVE = {
    "javascript open action": pdfs.JAVASCRIPT_OPEN_ACTION,
    "escaped names": pdfs.ESCAPED_JAVASCRIPT,
    "script no page points to": pdfs.UNREFERENCED_SCRIPT,
    "launch": pdfs.plain_pdf(pdfs.with_launch),
    "attachment": pdfs.plain_pdf(pdfs.with_attachment),
    "page additional action": pdfs.plain_pdf(pdfs.with_page_action),
    "link running a script": pdfs.plain_pdf(pdfs.with_link_to_script),
}


def stored_files() -> list[str]:
    return sorted(path.name for path in uploads.pdf_dir().iterdir())


@pytest.fixture(autouse=True)
def _empty_upload_folder():
    for path in uploads.pdf_dir().iterdir():
        path.unlink()


def upload(client, person, data, **fields):
    return client.post(f"/admin/people/{person.id}/mandates", data={
        "act": "DGR n. 9-1234 del 01/02/2024", "starts_on": "2024-02-01",
        "act_pdf": (io.BytesIO(data), "dgr.pdf"), **fields}, content_type="multipart/form-data")


@pytest.mark.parametrize("kind", sorted(ACTIVE))
def test_a_pdf_with_active_content_is_refused(kind):
    with pytest.raises(DomainError, match="script, azioni automatiche o file allegati"):
        uploads.check_passive(ACTIVE[kind])


@pytest.mark.parametrize("data", [pdfs.plain_pdf(), pdfs.HAND_WRITTEN_PLAIN])
def test_a_plain_pdf_is_accepted(data):
    uploads.check_passive(data)


@pytest.mark.parametrize("data", [b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
                                  b"%PDF-1.7\n" + b"\x00" * 64, pdfs.plain_pdf()[:-200]])
def test_a_pdf_that_cannot_be_read_is_refused(data):
    with pytest.raises(DomainError, match="non è leggibile"):
        uploads.check_passive(data)


def test_the_reported_javascript_pdf_is_refused_and_nothing_is_stored(client, admin, delegate):
    sign_in(client, admin)
    response = upload(client, delegate, pdfs.JAVASCRIPT_OPEN_ACTION)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "script, azioni automatiche o file allegati (JavaScript)" in page
    assert db.session.scalars(select(Mandate)).first() is None and stored_files() == []


def test_a_refused_grant_leaves_no_file_behind(client, admin, delegate):
    sign_in(client, admin)
    response = upload(client, delegate, pdfs.plain_pdf(), ends_on="2020-01-01")  # before the start
    assert response.status_code == 400
    assert "non può precedere" in response.get_data(as_text=True)
    assert stored_files() == []


def test_a_grant_whose_commit_fails_removes_its_file(admin, delegate, monkeypatch):
    def refuse():
        raise RuntimeError("the database went away")

    monkeypatch.setattr(db.session, "commit", refuse)
    with pytest.raises(RuntimeError):
        services.grant_mandate(admin, delegate, services.MandateRequest(
            "DGR 1", date(2024, 2, 1), pdf=pdfs.plain_pdf()))
    assert stored_files() == []


def test_a_self_grant_with_a_pdf_stores_nothing(region_admin):
    from lab.accounts.models import Role

    services.grant_role(None, region_admin, Role.DELEGATE, region_admin.region)
    with pytest.raises(NotPermitted):
        services.grant_mandate(region_admin, region_admin, services.MandateRequest(
            "DGR 1", date(2019, 1, 1), pdf=pdfs.plain_pdf()))
    assert stored_files() == []
