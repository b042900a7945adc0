"""Admin pages: people, mandates with their PDF act, and the audit log with its filters."""
import io
import re
from datetime import date
from pathlib import Path

from sqlalchemy import select

from lab.accounts.audit import ACTION_LABELS, AuditFilter, record, visible_entries
from lab.accounts.models import Mandate, Region, User
from lab.extensions import db
from tests.accounts.pdfs import plain_pdf
from tests.conftest import sign_in, statements_run
from tests.factories import make_person

PDF = plain_pdf()


def test_region_admin_confers_a_mandate_with_its_pdf(client, region_admin, delegate):
    sign_in(client, region_admin)
    response = client.post(f"/admin/people/{delegate.id}/mandates", data={
        "act": "DGR n. 9-1234 del 01/02/2024", "starts_on": "2024-02-01",
        "act_pdf": (io.BytesIO(PDF), "dgr.pdf")}, content_type="multipart/form-data")
    assert response.status_code == 302
    mandate = db.session.scalars(select(Mandate)).one()
    assert mandate.act == "DGR n. 9-1234 del 01/02/2024" and mandate.starts_on == date(2024, 2, 1)
    download = client.get(f"/mandates/{mandate.id}/act.pdf")
    assert download.status_code == 200 and download.data == PDF
    assert "Dario Delegato" in client.get("/regions/piemonte").get_data(as_text=True)


def test_a_file_that_is_not_a_pdf_is_refused_and_nothing_is_stored(client, region_admin, delegate):
    sign_in(client, region_admin)
    response = client.post(f"/admin/people/{delegate.id}/mandates", data={
        "act": "DGR 1", "starts_on": "2024-02-01",
        "act_pdf": (io.BytesIO(b"MZ not a pdf"), "dgr.pdf")}, content_type="multipart/form-data")
    assert response.status_code == 400
    assert "non è un PDF" in response.get_data(as_text=True)
    assert db.session.scalars(select(Mandate)).first() is None


def test_other_regions_admin_cannot_see_the_person(client, other_region_admin, delegate):
    sign_in(client, other_region_admin)
    assert client.get(f"/admin/people/{delegate.id}").status_code == 403
    page = client.get("/admin/people").get_data(as_text=True)
    assert "Dario Delegato" not in page


def test_region_admin_sees_only_their_regions_audit_entries(client, region_admin, other_region_admin):
    toscano = make_person("toscano@example.org", "Toscano", "delegate", "toscana")
    piemontese = make_person("piemontese@example.org", "Piemontese", "delegate", "piemonte")
    for person in (toscano, piemontese):
        client.post("/sign-in", data={"email": person.email, "password": "sbagliata"})
    sign_in(client, region_admin)
    page = client.get("/admin/audit?action=sign_in.failed").get_data(as_text=True)
    assert "piemontese@example.org" in page and "toscano@example.org" not in page


FAILED = '<td class="audit-action">Accesso non riuscito</td>'
SUCCEEDED = '<td class="audit-action">Accesso riuscito</td>'


def test_platform_admin_filters_the_audit_log(client, admin):
    toscano = make_person("toscano@example.org", "Toscano", "delegate", "toscana")
    client.post("/sign-in", data={"email": toscano.email, "password": "sbagliata"})
    sign_in(client, admin)
    everything = client.get("/admin/audit").get_data(as_text=True)
    assert FAILED in everything and SUCCEEDED in everything
    assert '<option value="sign_in.failed" >Accesso non riuscito</option>' in everything
    toscana_id = toscano.region_id
    filtered = client.get(f"/admin/audit?region={toscana_id}&action=sign_in.failed").get_data(as_text=True)
    assert "toscano@example.org" in filtered and SUCCEEDED not in filtered
    by_actor = client.get("/admin/audit?actor=admin@example.org").get_data(as_text=True)
    assert SUCCEEDED in by_actor and "toscano@example.org" not in by_actor
    assert "Nessuna voce" in client.get("/admin/audit?since=2999-01-01").get_data(as_text=True)


def test_the_logs_kept_rows_show_a_new_entry_and_a_new_address_on_the_next_request(client, admin):
    toscano = make_person("toscano@example.org", "Toscano", "delegate", "toscana")
    record("role.granted", actor=admin, subject=toscano, region_id=toscano.region_id)
    db.session.commit()
    sign_in(client, admin)
    assert "toscano@example.org" in client.get("/admin/audit").get_data(as_text=True)
    toscano.email = "cancellato-1@example.invalid"  # as erasing a person's data does
    record("role.ended", actor=admin, subject=toscano, region_id=toscano.region_id)
    db.session.commit()
    page = client.get("/admin/audit").get_data(as_text=True)
    assert "toscano@example.org" not in page and page.count("cancellato-1@example.invalid") == 2
    assert '<td class="audit-action">Ruolo terminato</td>' in page


def test_the_logs_region_filter_lists_the_admins_regions_the_chosen_one_marked(
        client, admin, region_admin):
    piemonte, toscana = (db.session.scalar(select(Region).where(Region.slug == slug))
                         for slug in ("piemonte", "toscana"))
    sign_in(client, admin)
    page = client.get(f"/admin/audit?region={toscana.id}").get_data(as_text=True)
    assert f'<option value="{toscana.id}" selected>Toscana</option>' in page
    assert f'<option value="{piemonte.id}" >Piemonte</option>' in page
    other = client.application.test_client()
    sign_in(other, region_admin)
    page = other.get("/admin/audit").get_data(as_text=True)
    assert f'<option value="{piemonte.id}" >Piemonte</option>' in page and "Toscana</option>" not in page


def test_the_filter_offers_every_action_without_reading_them_from_the_log(client, admin):
    """Asking the log for its distinct actions read every entry, on every view of the page."""
    sign_in(client, admin)
    with statements_run() as statements:
        page = client.get("/admin/audit").get_data(as_text=True)
    assert '<option value="pact.withdrawal" >Recesso dal Patto registrato</option>' in page
    assert [statement for statement in statements if "DISTINCT" in statement.upper()] == []


def test_every_action_the_code_records_has_words_in_the_log(app):
    """A dotted literal in a module that calls ``record`` is an action, unless it is an endpoint
    or a foreign key; each needs a label, or the log would show its code."""
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    actions = set()
    for path in (Path(__file__).resolve().parents[2] / "lab").rglob("*.py"):
        source = path.read_text()
        if re.search(r"\brecord\(", source):
            actions |= set(re.findall(r'"([a-z]+(?:_[a-z]+)*\.[a-z]+(?:_[a-z]+)*)"', source))
    actions = {a for a in actions if a not in endpoints and not a.endswith(".id")}
    assert "group.member_left" in actions and "sign_in.failed" in actions
    assert sorted(actions - ACTION_LABELS.keys()) == []


def test_the_log_says_what_actions_mean_in_the_language_of_each_request(client, admin):
    sign_in(client, admin)
    assert SUCCEEDED in client.get("/admin/audit").get_data(as_text=True)
    client.set_cookie("lab_lang", "en")
    english = client.get("/admin/audit").get_data(as_text=True)
    assert '<td class="audit-action">Signed in</td>' in english and SUCCEEDED not in english
    client.delete_cookie("lab_lang")
    assert SUCCEEDED in client.get("/admin/audit").get_data(as_text=True)


def test_a_page_of_the_log_comes_with_its_people_and_regions_in_one_statement(admin, delegate):
    toscano = make_person("toscano@example.org", "Toscano", "delegate", "toscana")
    record("role.granted", actor=admin, subject=toscano, region_id=toscano.region_id)
    record("role.granted", actor=admin, subject=delegate, region_id=delegate.region_id)
    db.session.commit()
    viewer_id = admin.id
    db.session.remove()
    with statements_run() as statements:
        entries, _ = visible_entries(db.session.get(User, viewer_id), AuditFilter())
        shown = [(e.actor_email, e.subject_email, e.region_it) for e in entries
                 if e.action == "role.granted"]
    assert shown == [("admin@example.org", "delegato@example.org", "Piemonte"),
                     ("admin@example.org", "toscano@example.org", "Toscana")]
    assert len(statements) == 3  # the viewer, their roles, then the entries with the rest
