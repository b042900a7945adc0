"""Offboarding: deactivation ends sign-in, sessions, roles and mandates; reactivation; the
personal data export; erasure by pseudonym that keeps the Pact register and the audit log."""
import json

import pytest
from sqlalchemy import select

from lab.accounts import offboarding
from lab.accounts.audit import AuditEntry
from lab.accounts.models import RecoveryCode, TwoFactor, UserSession
from lab.core.errors import DomainError, NotPermitted
from lab.core.timeutil import rome_today
from lab.extensions import db
from lab.pact.models import LedgerEntry
from lab.rooms import messages
from lab.rooms.services import laboratory_room
from tests.conftest import sign_in
from tests.factories import PASSWORD
from tests.pact.conftest import declaration, version  # noqa: F401  (fixture)


def test_a_deactivated_person_cannot_sign_in_and_their_sessions_end(app, client, admin,
                                                                      signatory):
    browser = app.test_client()
    sign_in(browser, signatory)
    sign_in(client, admin)
    assert client.post(f"/admin/people/{signatory.id}/deactivate",
                       data={"confirm": "y"}).status_code == 302
    assert browser.get("/account").status_code == 302
    assert "disattivato" in client.get("/admin/people").get_data(as_text=True)
    response = app.test_client().post("/sign-in", data={"email": signatory.email,
                                                         "password": PASSWORD})
    assert response.status_code == 401
    db.session.refresh(signatory)
    assert not signatory.active and signatory.active_roles() == []
    assert [m.ends_on for m in signatory.mandates] == [rome_today()]
    assert signatory.current_mandate() is None
    ended = db.session.scalars(select(UserSession.revoked_at)
                               .where(UserSession.user_id == signatory.id)).all()
    assert len(ended) == 1 and ended[0] is not None


def test_a_deactivated_person_s_messages_keep_their_name(client, admin, delegate):
    room = laboratory_room()
    messages.post_message(delegate, room.id, "Buongiorno a tutti", "chiave-del-messaggio")
    offboarding.deactivate(admin, delegate)
    sign_in(client, admin)
    found = client.get(f"/rooms/{room.id}/messages?after=0").get_json()
    assert [m["author"]["name"] for m in found["messages"]] == [delegate.full_name]


def test_deactivation_needs_the_confirmation(client, admin, delegate):
    sign_in(client, admin)
    client.post(f"/admin/people/{delegate.id}/deactivate")
    db.session.refresh(delegate)
    assert delegate.active


def test_a_region_admin_deactivates_within_their_region_only(region_admin, other_region_admin,
                                                              delegate):
    with pytest.raises(NotPermitted):
        offboarding.deactivate(other_region_admin, delegate)
    offboarding.deactivate(region_admin, delegate)
    assert not delegate.active


def test_a_region_admin_cannot_deactivate_another_region_admin(region_admin, admin):
    from tests.factories import make_person

    colleague = make_person("collega@example.org", "Collega", "region_admin", "piemonte")
    with pytest.raises(NotPermitted):
        offboarding.deactivate(region_admin, colleague)
    assert colleague.active and colleague.is_region_admin


def test_nobody_deactivates_themselves(client, admin):
    with pytest.raises(DomainError):
        offboarding.deactivate(admin, admin)
    sign_in(client, admin)
    client.post(f"/admin/people/{admin.id}/deactivate", data={"confirm": "y"})
    db.session.refresh(admin)
    assert admin.active and admin.is_platform_admin


def test_reactivation_lets_the_person_sign_in_again(app, admin, delegate):
    offboarding.deactivate(admin, delegate)
    offboarding.reactivate(admin, delegate)
    sign_in(app.test_client(), delegate)
    assert delegate.active_roles() == []  # roles are granted anew


def test_the_account_page_downloads_the_person_s_data(client, delegate):
    room = laboratory_room()
    messages.post_message(delegate, room.id, "Il mio messaggio", "chiave-del-messaggio")
    sign_in(client, delegate)
    response = client.get("/account/data.json")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.get_data())
    assert data["person"]["email"] == delegate.email
    assert [r["role"] for r in data["roles"]] == ["delegate"]
    assert len(data["sessions"]) == 1 and data["sessions"][0]["ended_at"] is None
    assert "sign_in.succeeded" in [a["action"] for a in data["activity"]]
    assert [m["text"] for m in data["messages"]] == ["Il mio messaggio"]


def test_erasure_replaces_personal_data_but_keeps_the_pact_and_the_audit_log(
        client, admin, signatory, version):  # noqa: F811
    from lab.pact import services as pact

    pact.sign_pact(signatory, version, declaration(signatory))
    name, email = signatory.full_name, signatory.email
    logged = db.session.scalar(select(db.func.count(AuditEntry.id)))
    offboarding.deactivate(admin, signatory)
    sign_in(client, admin)
    assert client.post(f"/admin/people/{signatory.id}/erase",
                       data={"confirm": "y"}).status_code == 302
    db.session.refresh(signatory)
    assert signatory.erased_at is not None
    assert name not in signatory.full_name and email != signatory.email
    assert db.session.scalars(
        select(UserSession).where(UserSession.user_id == signatory.id)).all() == []
    assert db.session.get(TwoFactor, signatory.id) is None
    assert db.session.scalars(
        select(RecoveryCode).where(RecoveryCode.user_id == signatory.id)).all() == []
    assert db.session.scalars(select(LedgerEntry.signer_name)).all() == [name]
    assert db.session.scalar(select(db.func.count(AuditEntry.id))) > logged
    page = client.get(f"/admin/people/{signatory.id}").get_data(as_text=True)
    assert name not in page and email not in page
    refused = client.post("/sign-in", data={"email": email, "password": PASSWORD})
    assert refused.status_code == 401


def test_only_a_deactivated_person_is_erased_and_only_by_a_platform_admin(admin, region_admin,
                                                                           delegate):
    with pytest.raises(DomainError):
        offboarding.erase(admin, delegate)
    offboarding.deactivate(region_admin, delegate)
    with pytest.raises(NotPermitted):
        offboarding.erase(region_admin, delegate)
    offboarding.erase(admin, delegate)
    with pytest.raises(DomainError):
        offboarding.reactivate(admin, delegate)
