"""Signing in with a second factor: the attacks a stolen password or a seen code would try."""
import contextvars
from datetime import timedelta

import pyotp
import pytest
import sqlalchemy
from sqlalchemy import select

from lab.accounts import twofactor
from lab.accounts.audit import AuditEntry
from lab.accounts.passwords import hash_password
from lab.core.timeutil import utcnow
from lab.extensions import db, socketio
from tests.conftest import sign_in, sign_in_with_code
from tests.factories import PASSWORD, enable_two_factor, next_code


def actions():
    db.session.rollback()
    return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def socket_connects(app, client) -> bool:
    """Open the rooms' Socket.IO connection with the client's cookies, as its browser would."""
    db.session.rollback()
    sio = contextvars.Context().run(socketio.test_client, app, namespace="/rooms",
                                    flask_test_client=client)
    connected = sio.is_connected("/rooms")
    if connected:
        sio.disconnect(namespace="/rooms")
    return connected


def wrong_code(user) -> str:
    """A code the person's app showed minutes ago: well outside the accepted window."""
    settings = twofactor.settings_of(user)
    return twofactor.authenticator(settings).generate_otp(twofactor.current_step() - 10)


@pytest.fixture
def protected(delegate):
    """A delegate who turned two-factor sign-in on (optional for them)."""
    enable_two_factor(delegate)
    return delegate


def test_correct_password_without_the_code_grants_nothing(app, client, protected):
    response = sign_in(client, protected)
    assert response.location.startswith("/sign-in/code")
    assert client.get("/account").status_code == 302
    assert client.get("/account/two-factor").status_code == 302
    assert not socket_connects(app, client)
    assert "sign_in.second_step" not in actions()


def test_the_code_completes_the_sign_in(app, client, protected):
    sign_in_with_code(client, protected, next_code(protected))
    assert client.get("/account").status_code == 200
    assert socket_connects(app, client)
    assert actions()[-2:] == ["sign_in.succeeded", "sign_in.second_step"]


def test_next_survives_the_second_step(client, protected):
    client.post("/sign-in?next=/regions", data={"email": protected.email, "password": PASSWORD})
    response = client.post("/sign-in/code?next=/regions", data={"code": next_code(protected)})
    assert response.location == "/regions"


def test_a_replayed_code_is_refused(app, client, protected):
    code = next_code(protected)
    sign_in_with_code(client, protected, code)
    thief = app.test_client()
    sign_in(thief, protected)
    response = thief.post("/sign-in/code", data={"code": code})
    assert response.status_code == 401
    assert "già stato usato" in response.get_data(as_text=True)
    assert thief.get("/account").status_code == 302
    assert actions()[-1] == "two_factor.refused"


def test_a_wrong_code_is_refused_and_audited(client, protected):
    sign_in(client, protected)
    response = client.post("/sign-in/code", data={"code": wrong_code(protected)})
    assert response.status_code == 401 and "non è corretto" in response.get_data(as_text=True)
    assert client.get("/account").status_code == 302
    assert actions()[-1] == "two_factor.refused"


def test_a_recovery_code_works_once(app, client, delegate):
    recovery = enable_two_factor(delegate)
    assert len(recovery) == 10 and len(set(recovery)) == 10
    sign_in_with_code(client, delegate, recovery[0].upper())  # typed in capitals: still the code
    assert client.get("/account").status_code == 200
    assert "two_factor.recovery_code_used" in actions()
    again = app.test_client()
    sign_in(again, delegate)
    assert again.post("/sign-in/code", data={"code": recovery[0]}).status_code == 401
    assert twofactor.recovery_codes_left(delegate) == 9


def test_the_code_step_expires(client, protected):
    sign_in(client, protected)
    with client.session_transaction() as session:
        pending = session["two_factor_pending"]
        session["two_factor_pending"] = {**pending, "until": pending["until"] - 301}
    response = client.post("/sign-in/code", data={"code": next_code(protected)})
    assert response.status_code == 302 and response.location.startswith("/sign-in")
    assert client.get("/account").status_code == 302


def test_the_code_step_is_bound_to_the_browser_that_gave_the_password(app, client, protected):
    sign_in(client, protected)
    other_browser = app.test_client()
    response = other_browser.post("/sign-in/code", data={"code": next_code(protected)})
    assert response.status_code == 302 and response.location == "/sign-in"
    assert other_browser.get("/account").status_code == 302


def test_a_password_change_voids_a_waiting_code_step(client, protected):
    sign_in(client, protected)
    protected.password_hash = hash_password("Un'altra password ancora più lunga")
    db.session.commit()
    response = client.post("/sign-in/code", data={"code": next_code(protected)})
    assert response.location == "/sign-in"


def test_failed_codes_are_throttled_after_five(app, client, protected):
    sign_in(client, protected)
    for _ in range(5):
        assert client.post("/sign-in/code", data={"code": wrong_code(protected)}).status_code == 401
    blocked = client.post("/sign-in/code", data={"code": next_code(protected)})
    assert blocked.status_code == 429
    # The throttle follows the person, not the browser: a fresh sign-in does not reset it.
    fresh = app.test_client()
    sign_in(fresh, protected)
    assert fresh.post("/sign-in/code", data={"code": next_code(protected)}).status_code == 429


def test_codes_are_accepted_one_step_either_side_and_no_further(protected, monkeypatch):
    settings = twofactor.settings_of(protected)
    totp = twofactor.authenticator(settings)
    now = twofactor.current_step() + 10  # clear of the step the set-up used
    monkeypatch.setattr(twofactor, "current_step", lambda: now)
    for step in (now - 2, now + 2):
        with pytest.raises(twofactor.WrongCode):
            twofactor.check_code(protected, totp.generate_otp(step))
    twofactor.check_code(protected, totp.generate_otp(now - 1))
    twofactor.check_code(protected, totp.generate_otp(now + 1))
    with pytest.raises(twofactor.WrongCode, match="già stato usato"):
        twofactor.check_code(protected, totp.generate_otp(now))  # older than one already taken


def test_the_secret_is_stored_encrypted(delegate):
    secret = twofactor.begin_enrolment(delegate)
    stored = twofactor.settings_of(delegate).secret
    assert secret not in stored and secret.lower() not in stored.lower()
    assert twofactor.authenticator(twofactor.settings_of(delegate)).secret == secret
    assert pyotp.TOTP(secret).now().isdigit()


# --- required for admins and signatories, after a grace period ----------------------------------

def test_delegates_may_go_without_it(client, delegate):
    sign_in(client, delegate)
    page = client.get("/account").get_data(as_text=True)
    assert "obbligatorio" not in page
    assert twofactor.settings_of(delegate) is None


def tables_read(client, url: str) -> list[str]:
    """The tables a signed-in page's request reads from, in order."""
    read = []

    def watch(conn, cursor, statement, *args):
        words = statement.split()
        if words[0] == "SELECT":
            read.append(words[words.index("FROM") + 1])

    sqlalchemy.event.listen(db.engine, "before_cursor_execute", watch)
    try:
        assert client.get(url).status_code == 200
    finally:
        sqlalchemy.event.remove(db.engine, "before_cursor_execute", watch)
    return read


@pytest.mark.parametrize("role", ["organiser", "delegate"])
def test_the_check_reads_nothing_of_people_it_is_not_required_of(client, role, request):
    """Their roles, mandates and two-factor settings come with the sign-in session's lookup: the
    check reads nothing more."""
    person = request.getfixturevalue(role)
    sign_in(client, person)
    read = tables_read(client, "/regions")
    assert "two_factor_settings" not in read and "mandates" not in read


def test_starting_the_grace_period_reads_nothing_back(client, signatory):
    """The settings came with the session's lookup, and what is written is not read again."""
    sign_in(client, signatory)
    assert "two_factor_settings" not in tables_read(client, "/regions")
    assert twofactor.settings_of(signatory).required_since is not None


@pytest.mark.parametrize("role", ["admin", "region_admin", "signatory"])
def test_required_roles_get_a_banner_during_the_grace_period(client, role, request):
    person = request.getfixturevalue(role)
    sign_in(client, person)
    page = client.get("/regions").get_data(as_text=True)
    assert "accesso in due passaggi è obbligatorio" in page and "/account/two-factor" in page
    started = twofactor.settings_of(person).required_since
    assert utcnow() - started < timedelta(minutes=1)


def _grace_over(person):
    db.session.rollback()
    twofactor.settings_of(person).required_since = utcnow() - twofactor.GRACE - timedelta(minutes=1)
    db.session.commit()


def test_after_the_grace_period_an_admin_without_it_reaches_only_the_set_up(client, admin):
    sign_in(client, admin)
    assert client.get("/admin/people").status_code == 200
    _grace_over(admin)
    for url in ("/admin/people", "/admin/audit", "/account", "/pact/admin", "/regions"):
        response = client.get(url)
        assert response.status_code == 302 and response.location == "/account/two-factor", url
    assert client.post("/admin/invitations", data={"email": "x@example.org"}).status_code == 302
    page = client.get("/account/two-factor").get_data(as_text=True)
    assert "il periodo per attivarlo è finito" in page
    assert client.post("/account/two-factor/setup").status_code == 302
    assert client.post("/sign-out").status_code == 302


def test_after_enrolling_the_locked_admin_is_let_back_in(client, admin):
    sign_in(client, admin)
    client.get("/account")
    _grace_over(admin)
    enable_two_factor(admin)
    sign_in_with_code(client, admin, next_code(admin))
    assert client.get("/admin/people").status_code == 200


def test_the_grace_period_starts_once(client, signatory):
    sign_in(client, signatory)
    client.get("/account")
    first = twofactor.settings_of(signatory).required_since
    client.post("/sign-out")
    sign_in(client, signatory)
    client.get("/account")
    db.session.rollback()
    assert twofactor.settings_of(signatory).required_since == first
