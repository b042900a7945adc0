"""Registration without an account: a mailed link confirms it, and only then a seat is taken."""
import re
from datetime import timedelta
from email.header import decode_header, make_header

import pytest
from sqlalchemy import func, select

from lab.core.errors import Conflict, DomainError, NotFound
from lab.core.timeutil import utcnow
from lab.events import queries, registrations, services, signup
from lab.events.models import Pool, Registration, Signup, Status
from lab.events.questions import Details
from lab.extensions import db
from tests.conftest import sign_in
from tests.events.conftest import delegates, ics_of, publish
from tests.events.conftest import draft as event_draft


def subject(message) -> str:
    return str(make_header(decode_header(message["Subject"])))


def text_of(message) -> str:
    part = next(p for p in message.walk() if p.get_content_type() == "text/plain")
    return part.get_payload(decode=True).decode()


def link_in(smtp, address: str, path: str) -> str:
    """The token of the last link to ``path`` mailed to ``address``."""
    links = re.findall(rf"https?://\S+{path}(\S+)", text_of(smtp.to(address)[-1]))
    return links[-1]


def ask(event, email="anna@example.org", name="Anna Bianchi", **details):
    return signup.request_signup(event, name, email, "Comune di Asti", Details(**details))


def confirm(smtp, event, email="anna@example.org", name="Anna Bianchi"):
    ask(event, email, name)
    return signup.confirm_signup(link_in(smtp, email, "/events/signup/"))


def seats(event):
    return db.session.scalar(select(func.count()).select_from(Registration).where(
        Registration.event_id == event.id, Registration.status == Status.REGISTERED.value))


def test_a_request_holds_no_seat_until_its_link_is_opened(forum, smtp, app):
    request = ask(forum)
    assert seats(forum) == 0 and request.confirmed_at is None
    [message] = smtp.to("anna@example.org")
    assert "Conferma la tua iscrizione" in subject(message)
    link = re.search(r"https?://\S+", text_of(message)).group()
    assert link.startswith(app.config["SITE_URL"].rstrip("/") + "/events/signup/")
    token = link.rsplit("/", 1)[-1]
    assert request.token_hash != token and len(request.token_hash) == 64  # only the hash is kept
    registration = signup.confirm_signup(token)
    assert registration.status == Status.REGISTERED and registration.pool == Pool.GENERAL
    assert registration.user_id is None and registration.guest_email == "anna@example.org"
    assert registration.guest_organisation == "Comune di Asti" and seats(forum) == 1


def test_the_seat_mail_carries_the_ics_and_a_cancel_link(forum, smtp):
    confirm(smtp, forum)
    message = smtp.to("anna@example.org")[-1]
    assert "Iscrizione confermata" in subject(message)
    [entry] = ics_of(message).walk("VEVENT")
    assert str(entry["summary"]) == forum.title
    assert "/events/cancel/" in text_of(message)


def test_a_link_used_twice_or_expired_says_so(forum, smtp, app):
    ask(forum)
    token = link_in(smtp, "anna@example.org", "/events/signup/")
    signup.confirm_signup(token)
    with pytest.raises(signup.LinkClosed, match="già stata confermata"):
        signup.confirm_signup(token)
    ask(forum, "bruno@example.org")
    late = link_in(smtp, "bruno@example.org", "/events/signup/")
    db.session.scalars(select(Signup).where(Signup.email == "bruno@example.org")).one().expires_at = \
        utcnow() - timedelta(minutes=1)
    db.session.commit()
    with pytest.raises(signup.LinkClosed, match="scaduto"):
        signup.confirm_signup(late)
    with pytest.raises(NotFound):
        signup.confirm_signup("not-a-token")
    assert seats(forum) == 1


def test_the_link_expires_after_the_configured_hours(monkeypatch, forum, app):
    monkeypatch.setitem(app.config, "EVENT_SIGNUP_LINK_HOURS", 3)
    request = ask(forum)
    assert timedelta(hours=2, minutes=59) < request.expires_at - utcnow() <= timedelta(hours=3)


def test_the_same_address_cannot_register_twice(forum, smtp, organiser):
    confirm(smtp, forum)
    ask(forum, "ANNA@example.org ")  # the same address, typed differently
    with pytest.raises(Conflict, match="già iscritto"):
        signup.confirm_signup(link_in(smtp, "anna@example.org", "/events/signup/"))
    # Nor can someone use a member's address to take a second seat for them.
    [member] = delegates("marche", 1)
    registrations.register(member, forum)
    ask(forum, member.email)
    with pytest.raises(Conflict):
        signup.confirm_signup(link_in(smtp, member.email, "/events/signup/"))
    assert seats(forum) == 2


def test_confirming_after_the_close_or_the_cancellation_is_refused(forum, organiser, smtp):
    ask(forum)
    token = link_in(smtp, "anna@example.org", "/events/signup/")
    services.close_registration(organiser, forum)
    with pytest.raises(DomainError, match="non sono aperte"):
        signup.confirm_signup(token)
    with pytest.raises(DomainError, match="non sono aperte"):
        ask(forum, "carla@example.org")
    other = publish(organiser)
    ask(other, "carla@example.org")
    services.cancel_event(organiser, other, "Sciopero dei trasporti")
    with pytest.raises(DomainError, match="annullato"):
        signup.confirm_signup(link_in(smtp, "carla@example.org", "/events/signup/"))
    with pytest.raises(DomainError, match="annullato"):
        ask(other, "dario@example.org")


def test_a_draft_takes_no_request(organiser):
    draft = services.create_event(organiser, event_draft())
    with pytest.raises(NotFound):
        ask(draft)


def test_without_an_account_the_general_pool_is_used_and_the_queue_follows_confirmation(
        organiser, smtp, piemonte):
    event = publish(organiser, capacity=3)
    services.set_quotas(organiser, event, {piemonte.id: 2})
    first = ask(event, "primo@example.org", "Primo")
    ask(event, "secondo@example.org", "Secondo")
    first_token = link_in(smtp, "primo@example.org", "/events/signup/")
    # The second asked later but confirms first: they get the general seat.
    second = signup.confirm_signup(link_in(smtp, "secondo@example.org", "/events/signup/"))
    assert second.pool == Pool.GENERAL
    # Piemonte's reserved seats are free, yet a person without a region cannot take them.
    assert signup.confirm_signup(first_token).status == Status.WAITING
    assert first.registration.is_waiting
    assert "lista d'attesa" in subject(smtp.to("primo@example.org")[-1])


def test_a_guest_cancels_by_the_mailed_link_and_the_first_waiting_is_promoted(organiser, smtp):
    event = publish(organiser, capacity=1)
    confirm(smtp, event)
    [waiting] = delegates("lazio", 1)
    registrations.register(waiting, event)
    token = link_in(smtp, "anna@example.org", "/events/cancel/")
    signup.cancel_by_link(token)
    assert queries.registration_of(waiting, event).is_registered
    with pytest.raises(NotFound, match="non vale più"):
        signup.cancel_by_link(token)


def test_a_promoted_guest_is_mailed_with_a_new_cancel_link_that_replaces_the_old(organiser, smtp):
    event = publish(organiser, capacity=1)
    [seated] = delegates("lazio", 1)
    seat = registrations.register(seated, event)
    confirm(smtp, event)
    old = link_in(smtp, "anna@example.org", "/events/cancel/")
    registrations.cancel_registration(seated, seat)
    message = smtp.to("anna@example.org")[-1]
    assert "Si è liberato un posto" in subject(message) and ics_of(message)
    new = link_in(smtp, "anna@example.org", "/events/cancel/")
    assert new != old
    with pytest.raises(NotFound):
        signup.guest_registration_for(old)
    assert signup.guest_registration_for(new).is_registered


def test_guests_hear_of_a_change_and_of_a_cancellation(forum, organiser, smtp):
    from tests.events.conftest import draft

    confirm(smtp, forum)
    services.update_event(organiser, forum, draft(starts_at=forum.starts_at + timedelta(hours=1),
                                                  ends_at=forum.ends_at + timedelta(hours=1)))
    assert "Evento modificato" in subject(smtp.to("anna@example.org")[-1])
    services.cancel_event(organiser, forum, "Maltempo")
    assert "Evento annullato" in subject(smtp.to("anna@example.org")[-1])


def test_a_guest_signs_up_through_the_pages(client, forum, smtp, app):
    page = client.get(f"/events/{forum.id}").get_data(as_text=True)
    assert f"/events/{forum.id}/join" in page
    response = client.post(f"/events/{forum.id}/join", data={
        "name": "Anna Bianchi", "email": "anna@example.org", "organisation": "Comune di Asti",
        "accessibility": "Sedia a ruote", "listed_publicly": "y"},
        headers={"Host": "attacker.example"})
    assert response.status_code == 200 and "Controlla la tua email" in response.get_data(as_text=True)
    link = re.search(r"https?://\S+", text_of(smtp.to("anna@example.org")[-1])).group()
    assert link.startswith(app.config["SITE_URL"].rstrip("/"))  # never the request's Host
    token = link_in(smtp, "anna@example.org", "/events/signup/")
    # Opening the link (as a mail scanner would) confirms nothing; the button does.
    assert "Conferma l'iscrizione" in client.get(f"/events/signup/{token}").get_data(as_text=True)
    assert seats(forum) == 0
    done = client.post(f"/events/signup/{token}")
    assert done.status_code == 200 and "Iscrizione confermata" in done.get_data(as_text=True)
    again = client.post(f"/events/signup/{token}")
    assert again.status_code == 400 and "già stata confermata" in again.get_data(as_text=True)
    assert client.get(f"/events/signup/{token}").status_code == 400
    page = client.get(f"/events/{forum.id}").get_data(as_text=True)
    assert "Anna Bianchi" in page and "Comune di Asti" in page  # she agreed to be listed
    cancel = link_in(smtp, "anna@example.org", "/events/cancel/")
    assert "Annulla l'iscrizione" in client.get(f"/events/cancel/{cancel}").get_data(as_text=True)
    assert client.post(f"/events/cancel/{cancel}").status_code == 302
    assert seats(forum) == 0 and client.get(f"/events/cancel/{cancel}").status_code == 404


def test_the_email_is_required_and_must_be_an_address(client, forum, smtp):
    for email in ("", "non-un-indirizzo", "a@" + "x" * 260 + ".it"):
        response = client.post(f"/events/{forum.id}/join", data={"name": "Anna", "email": email})
        assert response.status_code == 400, email
        assert 'id="email-error"' in response.get_data(as_text=True)
    missing_name = client.post(f"/events/{forum.id}/join", data={"email": "anna@example.org"})
    assert missing_name.status_code == 400 and 'id="name-error"' in missing_name.get_data(as_text=True)
    assert smtp.to("anna@example.org") == []


def test_requests_are_throttled_per_address_and_per_email(monkeypatch, client, forum, app):
    monkeypatch.setitem(app.config, "EVENT_SIGNUP_LIMIT", "2 per hour")
    # Mistakes on the form send no mail and are not counted.
    for _ in range(3):
        assert client.post(f"/events/{forum.id}/join", data={"name": "Anna"}).status_code == 400
    for n in range(2):
        assert client.post(f"/events/{forum.id}/join", data={
            "name": "Anna", "email": f"anna{n}@example.org"}).status_code == 200
    assert client.post(f"/events/{forum.id}/join", data={
        "name": "Anna", "email": "anna9@example.org"}).status_code == 429
    # From elsewhere, the same address cannot be flooded either.
    elsewhere = {"REMOTE_ADDR": "192.0.2.7"}
    for expected in (200, 200, 429):
        assert client.post(f"/events/{forum.id}/join", data={
            "name": "Anna", "email": "bruno@example.org"}, environ_base=elsewhere).status_code == expected


def test_a_closed_event_says_so_on_the_form(client, organiser):
    closed = publish(organiser, registration_opens_at=utcnow() - timedelta(days=3),
                     registration_closes_at=utcnow() - timedelta(days=1))
    response = client.post(f"/events/{closed.id}/join", data={"name": "Anna", "email": "a@example.org"})
    assert response.status_code == 400 and "non sono aperte" in response.get_data(as_text=True)


def test_a_signed_in_person_registers_on_the_form_without_name_or_email(client, forum, delegate):
    sign_in(client, delegate)
    form = client.get(f"/events/{forum.id}/join").get_data(as_text=True)
    assert 'name="email"' not in form
    assert client.post(f"/events/{forum.id}/join", data={"dietary": "Vegetariana"}).status_code == 302
    registration = queries.registration_of(delegate, forum)
    assert registration.is_registered and registration.dietary_needs == "Vegetariana"
    again = client.post(f"/events/{forum.id}/join")
    assert again.status_code == 409 and "già iscritto" in again.get_data(as_text=True)
