"""The organiser's questions, the answers given, the public list and the erasure of answers."""
from datetime import timedelta

import pytest
import sqlalchemy
from sqlalchemy import func, select

from lab.core.errors import NotPermitted
from lab.core.timeutil import utcnow
from lab.events import questions, registrations, services, signup
from lab.events.models import Answer, Pool, Question, Registration, Signup, Status
from lab.events.questions import Details, InvalidAnswer, QuestionDraft
from lab.extensions import db
from tests.conftest import sign_in
from tests.events.conftest import delegates, publish
from tests.events.test_signup import link_in


@pytest.fixture
def asked(forum, organiser):
    """A forum asking a free text, a required choice and a yes/no question."""
    return [
        questions.add_question(organiser, forum, QuestionDraft("Ente di appartenenza", "text")),
        questions.add_question(organiser, forum, QuestionDraft(
            "Sessione del pomeriggio", "choice", "Laboratorio A\n\nLaboratorio B\n", required=True)),
        questions.add_question(organiser, forum, QuestionDraft("Resti a cena?", "yes_no")),
    ]


def test_answers_are_stored_per_registration_and_read_as_label_text_pairs(forum, asked):
    text, choice, yes_no = asked
    [person] = delegates("umbria", 1)
    registration = registrations.register(person, forum, details=Details(
        {text.id: " Comune di Perugia ", choice.id: "Laboratorio B", yes_no.id: "yes"},
        accessibility="Interprete LIS", dietary="Senza glutine", listed_publicly=True))
    assert choice.choices == ["Laboratorio A", "Laboratorio B"]
    assert questions.answers_of(registration) == [
        ("Ente di appartenenza", "Comune di Perugia"), ("Sessione del pomeriggio", "Laboratorio B"),
        ("Resti a cena?", "Sì"), ("Esigenze di accessibilità", "Interprete LIS"),
        ("Esigenze alimentari", "Senza glutine"), ("Nell'elenco pubblico dei partecipanti", "Sì")]
    assert [label for label, _ in questions.answers_of(registration)] == questions.answer_columns(forum)


def test_a_required_question_left_unanswered_is_refused(forum, asked):
    [person] = delegates("umbria", 1)
    with pytest.raises(InvalidAnswer, match="Rispondi alla domanda «Sessione del pomeriggio»") as refused:
        registrations.register(person, forum, details=Details({asked[1].id: "  "}))
    assert refused.value.field == f"question_{asked[1].id}"
    assert db.session.scalar(select(func.count()).select_from(Registration)) == 0


def test_an_unknown_choice_or_a_yes_no_out_of_range_is_refused(forum, asked):
    [person] = delegates("umbria", 1)
    with pytest.raises(InvalidAnswer, match="non è tra le opzioni"):
        registrations.register(person, forum, details=Details({asked[1].id: "Laboratorio Z"}))
    with pytest.raises(InvalidAnswer, match="sì o no"):
        registrations.register(person, forum, details=Details(
            {asked[1].id: "Laboratorio A", asked[2].id: "forse"}))


def test_a_region_admin_registering_a_delegate_does_not_answer_for_them(forum, asked, region_admin):
    [person] = delegates("piemonte", 1)
    registration = registrations.register(region_admin, forum, person)
    assert registration.is_registered and questions.answers_of(registration)[1] == (
        "Sessione del pomeriggio", "")


def test_a_guest_s_answers_wait_in_the_request_and_land_on_the_registration(forum, asked, smtp):
    with pytest.raises(InvalidAnswer):
        signup.request_signup(forum, "Anna", "anna@example.org", "", Details())
    assert smtp.to("anna@example.org") == []
    request = signup.request_signup(forum, "Anna", "anna@example.org", "", Details(
        {asked[1].id: "Laboratorio A"}, dietary="Vegana"))
    assert "cancellate dopo il" in smtp.to("anna@example.org")[-1].get_payload(decode=True).decode()
    registration = signup.confirm_signup(link_in(smtp, "anna@example.org", "/events/signup/"))
    assert registration.dietary_needs == "Vegana"
    assert ("Sessione del pomeriggio", "Laboratorio A") in questions.answers_of(registration)
    assert request.details == {}  # nothing personal stays on the request once confirmed


def test_a_choice_needs_two_distinct_options_and_a_label(forum, organiser):
    for draft, field in [(QuestionDraft("Quale?", "choice", "Solo una"), "options"),
                         (QuestionDraft("Quale?", "choice", "A\nA"), "options"),
                         (QuestionDraft("  ", "text"), "label"),
                         (QuestionDraft("Quale?", "numero"), "kind")]:
        with pytest.raises(InvalidAnswer) as refused:
            questions.add_question(organiser, forum, draft)
        assert refused.value.field == field
    assert db.session.scalar(select(func.count()).select_from(Question)) == 0


def test_only_the_event_s_organisers_edit_its_questions(forum, asked, delegate, organiser):
    with pytest.raises(NotPermitted):
        questions.add_question(delegate, forum, QuestionDraft("Domanda", "text"))
    with pytest.raises(NotPermitted):
        questions.remove_question(delegate, asked[0])
    questions.update_question(organiser, asked[1], QuestionDraft("Quale sessione?", "yes_no",
                                                                 "A\nB", required=False))
    assert (asked[1].label, asked[1].options, asked[1].required) == ("Quale sessione?", "", False)


def test_removing_a_question_removes_its_answers(forum, asked, organiser):
    [person] = delegates("umbria", 1)
    registrations.register(person, forum, details=Details({asked[1].id: "Laboratorio A"}))
    questions.remove_question(organiser, asked[1])
    assert db.session.scalar(select(func.count()).select_from(Answer)) == 0


def test_the_public_list_shows_only_seated_people_who_agreed(client, organiser, smtp):
    event = publish(organiser, capacity=2)
    agrees, declines, waits = delegates("abruzzo", 3)
    registrations.register(agrees, event, details=Details(listed_publicly=True))
    registrations.register(declines, event, details=Details())
    registrations.register(waits, event, details=Details(listed_publicly=True))
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    listed = page[page.index('id="participants-title"'):]
    assert agrees.full_name in listed and "Abruzzo" in listed
    assert declines.full_name not in page and waits.full_name not in page


def test_the_retention_date_follows_the_configured_days(monkeypatch, forum, app, client,
                                                        delegate):
    monkeypatch.setitem(app.config, "EVENT_PERSONAL_DATA_DAYS", 10)
    assert questions.retention_date(forum) == (forum.ends_at + timedelta(days=10, hours=1)).date()
    registrations.register(delegate, forum, details=Details())
    sign_in(client, delegate)
    page = client.get(f"/events/{forum.id}").get_data(as_text=True)
    assert "conservate fino al" in page


def test_erase_personal_data_erases_answers_and_guests_keeping_counts(monkeypatch, runner,
                                                                     organiser, smtp, app):
    monkeypatch.setitem(app.config, "EVENT_PERSONAL_DATA_DAYS", 30)
    old, recent = publish(organiser), publish(organiser)
    for event in (old, recent):
        question = questions.add_question(organiser, event, QuestionDraft("Ente", "text"))
        [person] = delegates("sicilia", 1, start=event.id)
        registrations.register(person, event, details=Details(
            {question.id: "ASL 3"}, accessibility="Rampa", dietary="Vegana", listed_publicly=True))
        signup.request_signup(event, "Anna", f"anna{event.id}@example.org", "Comune", Details())
        signup.confirm_signup(link_in(smtp, f"anna{event.id}@example.org", "/events/signup/"))
        signup.request_signup(event, "Bruno", f"bruno{event.id}@example.org", "", Details())
    # The old event ended 31 days ago: its retention date has passed.
    old.starts_at, old.ends_at = utcnow() - timedelta(days=31, hours=3), utcnow() - timedelta(days=31)
    db.session.commit()
    result = runner.invoke(args=["events", "erase-personal-data"])
    assert result.exit_code == 0 and "2 registrations erased" in result.output
    rows = list(db.session.scalars(select(Registration).where(Registration.event_id == old.id)))
    assert len(rows) == 2 and all(r.status == Status.REGISTERED for r in rows)  # counts kept
    assert all(r.personal_data_erased_at and r.accessibility_needs == r.dietary_needs == ""
               for r in rows)
    guest = next(r for r in rows if r.is_guest)
    assert guest.guest_name is None and guest.guest_email is None and guest.guest_organisation is None
    member = next(r for r in rows if not r.is_guest)
    assert member.user_id is not None  # members keep their account, only their answers go
    assert questions.answers_of(member)[0] == ("Ente", "")
    assert db.session.scalar(select(func.count()).select_from(Signup).where(
        Signup.event_id == old.id)) == 0
    # The recent event keeps everything.
    kept = list(db.session.scalars(select(Registration).where(Registration.event_id == recent.id)))
    assert all(r.personal_data_erased_at is None for r in kept)
    assert sorted((r.name, r.dietary_needs) for r in kept)[0] == ("Anna", "")
    assert any(r.dietary_needs == "Vegana" for r in kept)
    assert db.session.scalar(select(func.count()).select_from(Answer)) == 1
    again = runner.invoke(args=["events", "erase-personal-data"])
    assert "0 registrations erased" in again.output


def test_the_organiser_edits_questions_on_the_page_and_sees_the_answers(client, forum, organiser):
    sign_in(client, organiser)
    response = client.post(f"/events/{forum.id}/questions", data={
        "new-label": "Sessione", "new-kind": "choice", "new-options": "Mattina\nPomeriggio",
        "new-required": "y"}, follow_redirects=True)
    assert "Domanda aggiunta" in response.get_data(as_text=True)
    question = db.session.scalars(select(Question)).one()
    assert question.required and question.choices == ["Mattina", "Pomeriggio"]
    refused = client.post(f"/events/{forum.id}/questions/{question.id}", data={
        f"q{question.id}-label": "Sessione", f"q{question.id}-kind": "choice",
        f"q{question.id}-options": "Solo una"}, follow_redirects=True)
    assert "almeno due opzioni" in refused.get_data(as_text=True)
    client.post(f"/events/{forum.id}/questions/{question.id}", data={
        f"q{question.id}-label": "Cena?", f"q{question.id}-kind": "yes_no"})
    db.session.refresh(question)
    assert (question.label, question.kind, question.required) == ("Cena?", "yes_no", False)
    page = client.get(f"/events/{forum.id}/manage").get_data(as_text=True)
    assert "Cena?" in page and "Sì o no" in page
    client.post(f"/events/{forum.id}/questions/{question.id}/delete")
    assert db.session.scalar(select(func.count()).select_from(Question)) == 0


def test_the_form_marks_the_unanswered_required_question(client, forum, asked, delegate):
    sign_in(client, delegate)
    page = client.get(f"/events/{forum.id}/join").get_data(as_text=True)
    assert "Sessione del pomeriggio" in page and "Laboratorio B" in page
    response = client.post(f"/events/{forum.id}/join", data={f"question_{asked[2].id}": "no"})
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert f'id="question_{asked[1].id}-error"' in body and "Rispondi alla domanda" in body
    unknown = client.post(f"/events/{forum.id}/join", data={f"question_{asked[1].id}": "Z"})
    assert unknown.status_code == 400 and "non è tra le opzioni" in unknown.get_data(as_text=True)
    done = client.post(f"/events/{forum.id}/join", data={f"question_{asked[1].id}": "Laboratorio A"})
    assert done.status_code == 302


def test_registering_holds_the_event_lock_for_the_count_and_the_inserts_only(
        forum, asked, organiser, piemonte, monkeypatch):
    """Every round trip under the lock makes every other registration to the event wait."""
    services.set_quotas(organiser, forum, {piemonte.id: 2})
    under_lock, locked = [], []

    def lock_and_watch(event):
        locked.append(True)
        return services.lock_event(event)

    def watch(conn, cursor, statement, *args):
        if locked:
            words = statement.split()
            table = (words[words.index("FROM") + 1] if "FROM" in words
                     else words[1] if words[0] == "UPDATE" else words[2])
            under_lock.append(f"{words[0]} {table}")

    def unlocked(conn):
        if locked:
            under_lock.append("COMMIT")
            locked.clear()

    monkeypatch.setattr(registrations, "lock_event", lock_and_watch)
    [person] = delegates("piemonte", 1)
    sqlalchemy.event.listen(db.engine, "before_cursor_execute", watch)
    sqlalchemy.event.listen(db.engine, "commit", unlocked)
    try:
        registration = registrations.register(person, forum, details=Details(
            {asked[0].id: "Comune di Torino", asked[1].id: "Laboratorio A"}))
    finally:
        sqlalchemy.event.remove(db.engine, "before_cursor_execute", watch)
        sqlalchemy.event.remove(db.engine, "commit", unlocked)
    assert registration.pool == Pool.REGION
    assert db.session.scalar(select(func.count()).select_from(Answer)
                             .where(Answer.registration_id == registration.id)) == 2
    # The row with its quotas, one count of the seats, then the inserts (in any order), the public
    # data's version moved (lab/core/changes.py: the list of seats is on public pages) and commit.
    assert under_lock[:2] == ["SELECT events", "SELECT event_registrations"]
    assert sorted(under_lock[2:-2]) == ["INSERT audit_entries", "INSERT event_answers",
                                        "INSERT event_registrations"]
    assert under_lock[-2:] == ["UPDATE data_versions", "COMMIT"]


def test_registering_through_the_form_reads_the_questions_once_and_nothing_after_the_commit(
        client, forum, asked, delegate, job_queue):
    """The event comes with its questions in one statement, and they serve the check too; the
    redirect needs no reload of the event (the mail waits in the queue, as in production)."""
    sign_in(client, delegate)
    url, form, statements = f"/events/{forum.id}", {f"question_{asked[1].id}": "Laboratorio A"}, []

    def watch(conn, cursor, statement, *args):
        words = statement.split()
        statements.append(f"{words[0]} {words[words.index('FROM') + 1] if 'FROM' in words else words[2]}")

    def committed(conn):
        statements.append("COMMIT")

    sqlalchemy.event.listen(db.engine, "before_cursor_execute", watch)
    sqlalchemy.event.listen(db.engine, "commit", committed)
    try:
        done = client.post(f"{url}/join", data=form)
    finally:
        sqlalchemy.event.remove(db.engine, "before_cursor_execute", watch)
        sqlalchemy.event.remove(db.engine, "commit", committed)
    assert done.status_code == 302 and done.headers["Location"].endswith(url)
    assert "SELECT event_questions" not in statements
    assert statements.count("SELECT events") == 2, statements  # the form's read, the lock
    assert statements[-1] == "COMMIT", statements
