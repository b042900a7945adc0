"""Sessions live on the server: a cookie copied before sign-out, a password change or an admin's
"sign out everywhere" opens nothing afterwards, neither a page nor a socket."""
import contextvars
import hashlib
import re

import pytest
from sqlalchemy import select

from lab.accounts.models import UserSession
from lab.extensions import db, socketio
from tests.conftest import sign_in, statements_run
from tests.factories import PASSWORD

NEW = "Una nuova password piuttosto lunga"


def replay(app, **cookies):
    """A fresh browser holding only the given cookies, as an attacker who copied them would."""
    thief = app.test_client()
    for name, value in cookies.items():
        thief.set_cookie(name, value, domain="localhost")
    return thief


def socket_opens(app, http) -> bool:
    """Whether a Socket.IO connection to /rooms opens with this browser's cookies."""
    db.session.rollback()
    sio = contextvars.Context().run(socketio.test_client, app, namespace="/rooms",
                                    flask_test_client=http)
    opened = sio.is_connected("/rooms")
    if opened:
        sio.disconnect("/rooms")
    return opened


def test_a_session_cookie_copied_before_sign_out_opens_nothing_afterwards(app, client, delegate):
    sign_in(client, delegate)
    copied = client.get_cookie("session").value
    assert replay(app, session=copied).get("/account").status_code == 200
    assert client.post("/sign-out").status_code == 302
    thief = replay(app, session=copied)
    assert thief.get("/account").status_code == 302
    assert not socket_opens(app, thief)


def test_a_remember_cookie_copied_before_sign_out_opens_nothing_afterwards(app, client, delegate):
    client.post("/sign-in", data={"email": delegate.email, "password": PASSWORD, "remember": "y"})
    copied = client.get_cookie("remember_token").value
    assert replay(app, remember_token=copied).get("/account").status_code == 200
    client.post("/sign-out")
    thief = replay(app, remember_token=copied)
    assert thief.get("/account").status_code == 302
    assert not socket_opens(app, thief)


def test_only_a_hash_of_the_session_token_is_stored(client, delegate):
    sign_in(client, delegate)
    stored = db.session.scalars(select(UserSession)).one()
    cookie = client.get_cookie("session").value
    assert stored.user_id == delegate.id and stored.revoked_at is None
    assert stored.token_hash not in cookie
    assert len(stored.token_hash) == 64


def test_signing_out_ends_only_that_session(app, client, delegate):
    other = app.test_client()
    sign_in(client, delegate)
    sign_in(other, delegate)
    client.post("/sign-out")
    assert other.get("/account").status_code == 200
    assert client.get("/account").status_code == 302


def test_a_password_change_ends_the_other_sessions_and_keeps_this_one(app, client, delegate):
    other = app.test_client()
    sign_in(other, delegate)
    copied = other.get_cookie("session").value
    sign_in(client, delegate)
    response = client.post("/account/password", data={
        "current": PASSWORD, "password": NEW, "confirm": NEW})
    assert response.status_code == 302
    assert client.get("/account").status_code == 200
    assert replay(app, session=copied).get("/account").status_code == 302


def test_a_password_reset_ends_every_session(app, client, smtp, delegate):
    sign_in(client, delegate)
    app.test_client().post("/password/forgot", data={"email": delegate.email})
    link = smtp.last_link(delegate.email)
    reset = app.test_client()
    assert reset.post(link, data={"password": NEW, "confirm": NEW}).status_code == 302
    assert client.get("/account").status_code == 302


def test_the_account_page_lists_the_sessions_and_ends_another(app, client, delegate):
    other = app.test_client()
    sign_in(other, delegate)
    sign_in(client, delegate)
    page = client.get("/account").get_data(as_text=True)
    # the other one has a button; this one is ended by signing out
    assert len(re.findall(r"/account/sessions/\d+/end", page)) == 1
    other_id = db.session.scalars(select(UserSession.id).order_by(UserSession.id)).first()
    assert client.post(f"/account/sessions/{other_id}/end").status_code == 302
    assert other.get("/account").status_code == 302
    assert client.get("/account").status_code == 200


def test_nobody_ends_someone_else_s_session(app, client, delegate, signatory):
    victim = app.test_client()
    sign_in(victim, signatory)
    victim_session = db.session.scalars(select(UserSession.id)).one()
    sign_in(client, delegate)
    assert client.post(f"/account/sessions/{victim_session}/end").status_code == 404
    assert victim.get("/account").status_code == 200


def test_ending_the_other_sessions_keeps_this_one(app, client, delegate):
    others = [app.test_client(), app.test_client()]
    for other in others:
        sign_in(other, delegate)
    sign_in(client, delegate)
    assert client.post("/account/sessions/end-others").status_code == 302
    assert [other.get("/account").status_code for other in others] == [302, 302]
    assert client.get("/account").status_code == 200


@pytest.mark.parametrize("who", ["admin", "region_admin"])
def test_an_admin_signs_a_person_out_everywhere(request, app, client, delegate, who):
    victim = app.test_client()
    sign_in(victim, delegate)
    sign_in(client, request.getfixturevalue(who))
    response = client.post(f"/admin/people/{delegate.id}/sign-out", data={"confirm": "y"})
    assert response.status_code == 302
    assert victim.get("/account").status_code == 302
    assert not socket_opens(app, victim)


def test_sign_out_everywhere_needs_the_confirmation(app, client, admin, delegate):
    victim = app.test_client()
    sign_in(victim, delegate)
    sign_in(client, admin)
    client.post(f"/admin/people/{delegate.id}/sign-out")
    assert victim.get("/account").status_code == 200


def test_a_person_is_the_same_user_whatever_session_loaded_them():
    from lab.accounts.models import User

    one, same, other = User(id=1), User(id=1), User(id=2)
    one.session_token = "a browser's token"
    assert one == same and one != other  # compared as people, not through get_id()


def test_an_old_style_cookie_signs_nobody_in(app, delegate):
    """The cookies of before server-side sessions ("id:version") carry no session token."""
    thief = app.test_client()
    with thief.session_transaction() as session:
        session["_user_id"] = f"{delegate.id}:1"
        session["_fresh"] = True
    assert thief.get("/account").status_code == 302


def test_the_token_hash_is_sha256_of_the_cookie_value(app, client, delegate):
    client.post("/sign-in", data={"email": delegate.email, "password": PASSWORD, "remember": "y"})
    token = client.get_cookie("remember_token").value.split("|", 1)[0]
    stored = db.session.scalars(select(UserSession.token_hash)).one()
    assert hashlib.sha256(token.encode()).hexdigest() == stored


def test_the_session_brings_what_the_two_factor_check_asks_in_one_statement(app, signatory):
    from lab.accounts import sessions, twofactor

    with app.test_request_context():
        sessions.start_session(signatory, None, None)
        twofactor.note_requirement(signatory)  # the grace period starts on the first request
        token = signatory.session_token
    db.session.remove()
    with app.test_request_context(), statements_run() as statements:
        person = sessions.person_for_token(token)
        standing = twofactor.note_requirement(person)
    assert person.has_signatory_authority and standing.deadline is not None
    assert len(statements) == 1, statements
