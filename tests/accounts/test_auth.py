"""Signing in and out, throttling, password reset by email, changing the password."""
from urllib.parse import urlsplit

from sqlalchemy import select

from lab.accounts.audit import AuditEntry
from lab.extensions import db
from tests.conftest import sign_in
from tests.factories import PASSWORD

NEW = "Una nuova password piuttosto lunga"


def actions():
    return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def test_sign_in_and_out(client, delegate):
    response = sign_in(client, delegate)
    assert response.location.endswith("/account")
    assert "Dario Delegato" in client.get("/account").get_data(as_text=True)
    client.post("/sign-out")
    assert client.get("/account").status_code == 302
    assert actions() == ["sign_in.succeeded", "sign_out"]


def test_wrong_password_is_a_clear_error_and_audited(client, delegate):
    response = client.post("/sign-in", data={"email": delegate.email, "password": "sbagliata"})
    assert response.status_code == 401
    assert "Email o password non corretti." in response.get_data(as_text=True)
    entry = db.session.scalars(select(AuditEntry)).one()
    assert entry.action == "sign_in.failed" and entry.subject_id == delegate.id
    assert entry.address == "127.0.0.1"


def test_unknown_email_gets_the_same_error(client):
    response = client.post("/sign-in", data={"email": "nessuno@example.org", "password": "x"})
    assert response.status_code == 401
    assert "Email o password non corretti." in response.get_data(as_text=True)


def test_failed_sign_ins_are_throttled_after_five(client, delegate):
    for _ in range(5):
        assert client.post("/sign-in", data={"email": delegate.email, "password": "no"}).status_code == 401
    blocked = client.post("/sign-in", data={"email": delegate.email, "password": PASSWORD})
    assert blocked.status_code == 429
    assert "Troppi tentativi" in blocked.get_data(as_text=True)


def test_throttle_is_per_account(client, delegate, signatory):
    for _ in range(5):
        client.post("/sign-in", data={"email": delegate.email, "password": "no"})
    sign_in(client, signatory)


def test_successful_sign_ins_do_not_count_towards_the_throttle(client, delegate):
    for _ in range(7):
        sign_in(client, delegate)


def test_remember_me_sets_a_lasting_cookie(client, delegate):
    client.post("/sign-in", data={"email": delegate.email, "password": PASSWORD, "remember": "y"})
    assert client.get_cookie("remember_token") is not None


def test_next_parameter_cannot_leave_the_site(client, delegate):
    response = client.post("/sign-in?next=https://evil.example/",
                           data={"email": delegate.email, "password": PASSWORD})
    assert response.location.endswith("/account")


def test_password_reset_by_email(client, smtp, delegate):
    response = client.post("/password/forgot", data={"email": delegate.email})
    assert response.status_code == 302
    link = urlsplit(smtp.last_link(delegate.email)).path
    assert client.get(link).status_code == 200
    assert client.post(link, data={"password": NEW, "confirm": NEW}).status_code == 302
    sign_in(client, delegate, NEW)
    again = client.post(link, data={"password": NEW + "!", "confirm": NEW + "!"})
    assert again.status_code == 400 and "già stato usato" in again.get_data(as_text=True)


def test_reset_for_unknown_address_reveals_nothing(client, smtp):
    response = client.post("/password/forgot", data={"email": "nessuno@example.org"})
    assert response.status_code == 302 and smtp.messages == []


def test_reset_link_expires_after_an_hour(app, client, smtp, delegate, monkeypatch):
    client.post("/password/forgot", data={"email": delegate.email})
    link = urlsplit(smtp.last_link(delegate.email)).path
    monkeypatch.setitem(app.config, "PASSWORD_RESET_SECONDS", -1)
    response = client.get(link)
    assert response.status_code == 400 and "scaduto" in response.get_data(as_text=True)


def test_forged_reset_token_is_refused(client):
    response = client.get("/password/reset/eyJpZCI6MX0.forged.signature")
    assert response.status_code == 400


def test_change_password_signs_out_other_sessions(client, app, delegate):
    sign_in(client, delegate)
    other = app.test_client()
    sign_in(other, delegate)
    response = client.post("/account/password", data={
        "current": PASSWORD, "password": NEW, "confirm": NEW})
    assert response.status_code == 302
    assert client.get("/account").status_code == 200
    assert other.get("/account").status_code == 302


def test_change_password_needs_the_current_one(client, delegate):
    sign_in(client, delegate)
    response = client.post("/account/password", data={
        "current": "sbagliata", "password": NEW, "confirm": NEW})
    assert response.status_code == 400
    assert "La password attuale non è corretta." in response.get_data(as_text=True)


def test_new_passwords_must_match(client, delegate):
    sign_in(client, delegate)
    response = client.post("/account/password", data={
        "current": PASSWORD, "password": NEW, "confirm": NEW + "x"})
    assert "Le due password non coincidono." in response.get_data(as_text=True)


def test_passwords_are_stored_with_argon2id(delegate):
    assert delegate.password_hash.startswith("$argon2id$")
