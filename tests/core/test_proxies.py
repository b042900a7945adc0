"""Behind nginx, sign-in limits and the audit log count each client, not the proxy.

Every request reaches the app from nginx's address (the test client's 127.0.0.1); the client
is only named by X-Forwarded-For, which the app believes for PROXY_COUNT proxies and no more.
"""
import pytest
from sqlalchemy import select

from lab import register_proxies
from lab.accounts.audit import AuditEntry
from lab.extensions import db
from tests.factories import PASSWORD

ALICE, BOB = "203.0.113.7", "198.51.100.23"  # two offices behind the same nginx


@pytest.fixture
def behind_one_proxy(app, monkeypatch):
    monkeypatch.setitem(app.config, "PROXY_COUNT", 1)
    monkeypatch.setattr(app, "wsgi_app", app.wsgi_app)  # put back after the test
    register_proxies(app)


def sign_in_from(client, address, email, password):
    return client.post("/sign-in", data={"email": email, "password": password},
                       headers={"X-Forwarded-For": address})


def lock_out(client, address, email):
    for _ in range(5):
        assert sign_in_from(client, address, email, "wrong password").status_code == 401
    assert sign_in_from(client, address, email, PASSWORD).status_code == 429


def failure_addresses() -> list[str]:
    return list(db.session.scalars(
        select(AuditEntry.address).where(AuditEntry.action == "sign_in.failed")))


def test_one_client_locking_itself_out_does_not_lock_another(behind_one_proxy, app, delegate):
    lock_out(app.test_client(), ALICE, delegate.email)
    assert sign_in_from(app.test_client(), BOB, delegate.email, PASSWORD).status_code == 302
    assert set(failure_addresses()) == {ALICE}


def test_without_a_trusted_proxy_a_forged_forwarded_for_is_ignored(app, delegate):
    assert app.config["PROXY_COUNT"] == 0
    lock_out(app.test_client(), ALICE, delegate.email)
    # Claiming another address does not escape the limit, and the log keeps the real peer.
    assert sign_in_from(app.test_client(), BOB, delegate.email, PASSWORD).status_code == 429
    assert set(failure_addresses()) == {"127.0.0.1"}


def test_only_the_last_proxy_s_word_is_taken(behind_one_proxy, app, delegate):
    # nginx appends the peer it saw; whatever the client wrote before that is not believed.
    forged = f"{BOB}, {ALICE}"
    for _ in range(5):
        sign_in_from(app.test_client(), forged, delegate.email, "wrong password")
    assert set(failure_addresses()) == {ALICE}
