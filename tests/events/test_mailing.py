"""The organisers' message to everyone registered: checked, audited, committed, then mailed."""
import pytest
from sqlalchemy import event as sa_event, select
from sqlalchemy.exc import OperationalError

from lab.accounts.audit import AuditEntry
from lab.core import jobs
from lab.core.errors import DomainError, NotPermitted
from lab.events import mailing, registrations, signup
from lab.events.questions import Details
from lab.extensions import db
from tests.conftest import sign_in
from tests.events.conftest import delegates, publish
from tests.events.test_signup import link_in

BODY = "Portate il **documento**.\n\n- Sala grande\n- [Programma](https://example.org/p)"


def _full_forum(organiser):
    """Two seats taken, one person waiting."""
    event = publish(organiser, capacity=2)
    seated, waiting = delegates("piemonte", 2), delegates("toscana", 1)
    for person in seated + waiting:
        registrations.register(person, event)
    return event, seated, waiting


def _parts(message) -> dict[str, str]:
    return {part.get_content_type(): part.get_payload(decode=True).decode()
            for part in message.walk() if not part.is_multipart()}


def test_everyone_seated_gets_the_message_in_text_and_html_and_the_act_is_audited(
        organiser, smtp):
    event, seated, waiting = _full_forum(organiser)
    smtp.clear()
    sent = mailing.message_registrants(organiser, event, mailing.MessageDraft("Orari", BODY))
    assert sent == 2
    for person in seated:
        [message] = smtp.to(person.email)
        assert message["Subject"] == f"[{event.title}] Orari"
        parts = _parts(message)
        assert "Portate il **documento**." in parts["text/plain"]
        assert parts["text/plain"].startswith(f"Gentile {person.full_name},")
        assert f"/events/{event.id}" in parts["text/plain"]
        assert "<strong>documento</strong>" in parts["text/html"]
        assert '<a href="https://example.org/p" rel="nofollow noopener">Programma</a>' in parts["text/html"]
    assert smtp.to(waiting[0].email) == []
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "event.message_sent"))
    assert entry.actor_id == organiser.id
    assert entry.details == {"event": str(event.id), "message_subject": "Orari", "recipients": "2",
                             "waiting_included": "False"}


def test_the_waiting_list_is_written_to_only_when_asked(organiser, smtp):
    event, _seated, waiting = _full_forum(organiser)
    smtp.clear()
    assert mailing.message_registrants(organiser, event, mailing.MessageDraft(
        "Orari", BODY, include_waiting=True)) == 3
    [message] = smtp.to(waiting[0].email)
    assert message["Subject"] == f"[{event.title}] Orari"


def test_the_mails_go_through_the_job_queue_once_committed(organiser, smtp, job_queue):
    event, seated, _waiting = _full_forum(organiser)
    jobs.run_due(job_queue)  # the registrations' own mails
    smtp.clear()
    mailing.message_registrants(organiser, event, mailing.MessageDraft("Orari", BODY))
    assert job_queue.pending_count() == 2 and smtp.messages == []
    jobs.run_due(job_queue)
    assert sorted(m["To"] for m in smtp.messages) == sorted(p.email for p in seated)


def test_nothing_is_sent_when_the_transaction_fails(organiser, smtp):
    event, _seated, _waiting = _full_forum(organiser)
    smtp.clear()

    def refuse(_session):
        raise OperationalError("COMMIT", {}, Exception("the database went away"))

    sa_event.listen(db.session, "before_commit", refuse)
    try:
        with pytest.raises(OperationalError):
            mailing.message_registrants(organiser, event, mailing.MessageDraft("Orari", BODY))
    finally:
        sa_event.remove(db.session, "before_commit", refuse)
    db.session.rollback()
    assert smtp.messages == []
    assert db.session.scalar(select(AuditEntry).where(
        AuditEntry.action == "event.message_sent")) is None


def test_people_who_do_not_organise_the_event_are_refused(organiser, region_admin, smtp):
    event, seated, _waiting = _full_forum(organiser)
    other_organiser = delegates("lazio", 1)[0]
    smtp.clear()
    for person in (seated[0], region_admin, other_organiser):
        with pytest.raises(NotPermitted):
            mailing.message_registrants(person, event, mailing.MessageDraft("Orari", BODY))
    assert smtp.messages == []


def test_an_empty_message_or_an_event_without_registrations_is_refused(organiser, smtp):
    empty = publish(organiser, title="Vuoto")
    with pytest.raises(DomainError, match="nessuno"):
        mailing.message_registrants(organiser, empty, mailing.MessageDraft("Orari", BODY))
    event, _seated, _waiting = _full_forum(organiser)
    with pytest.raises(DomainError, match="oggetto"):
        mailing.message_registrants(organiser, event, mailing.MessageDraft(" ", BODY))
    with pytest.raises(DomainError, match="oggetto"):
        mailing.message_registrants(organiser, event, mailing.MessageDraft("Orari", "\n "))


def test_a_subject_on_several_lines_becomes_one(organiser, smtp):
    event, seated, _waiting = _full_forum(organiser)
    smtp.clear()
    mailing.message_registrants(organiser, event, mailing.MessageDraft("Orari\r\nBcc: x@evil", BODY))
    assert smtp.to(seated[0].email)[0]["Subject"] == f"[{event.title}] Orari Bcc: x@evil"
    assert smtp.to("x@evil") == []


def test_the_form_on_the_manage_page_sends_the_message(client, organiser, smtp):
    event, seated, waiting = _full_forum(organiser)
    sign_in(client, organiser)
    page = client.get(f"/events/{event.id}/manage").get_data(as_text=True)
    assert f'action="/events/{event.id}/message"' in page and 'name="include_waiting"' in page
    smtp.clear()
    response = client.post(f"/events/{event.id}/message", data={
        "subject": "Orari", "body": BODY, "include_waiting": "y"})
    assert response.status_code == 302
    assert response.location.endswith(f"/events/{event.id}/manage#message-title")
    assert len(smtp.messages) == 3
    assert "Messaggio inviato" in client.get(response.location).get_data(as_text=True)


def test_the_form_without_a_text_sends_nothing_and_says_why(client, organiser, smtp):
    event, _seated, _waiting = _full_forum(organiser)
    sign_in(client, organiser)
    smtp.clear()
    response = client.post(f"/events/{event.id}/message", data={"subject": "Orari", "body": ""},
                           follow_redirects=True)
    assert "Il messaggio non è partito" in response.get_data(as_text=True)
    assert smtp.messages == []


def test_a_delegate_posting_the_form_is_refused(client, organiser, smtp):
    event, seated, _waiting = _full_forum(organiser)
    sign_in(client, seated[0])
    smtp.clear()
    response = client.post(f"/events/{event.id}/message", data={"subject": "Orari", "body": BODY})
    assert response.status_code == 403 and smtp.messages == []


def test_people_without_an_account_get_the_message_too(organiser, smtp):
    event = publish(organiser, capacity=5)
    signup.request_signup(event, "Anna Bianchi", "anna@example.org", "", Details())
    signup.confirm_signup(link_in(smtp, "anna@example.org", "/events/signup/"))
    smtp.clear()
    assert mailing.message_registrants(organiser, event, mailing.MessageDraft("Orari", BODY)) == 1
    [message] = smtp.to("anna@example.org")
    assert _parts(message)["text/plain"].startswith("Gentile Anna Bianchi,")
