"""Setting two-factor sign-in up, renewing recovery codes, turning it off, and admins' reset."""
import re

import pyotp
import pytest
from sqlalchemy import select

from lab.accounts import twofactor
from lab.accounts.audit import AuditEntry
from lab.accounts.models import RecoveryCode
from lab.extensions import db
from tests.conftest import sign_in, sign_in_with_code
from tests.factories import PASSWORD, enable_two_factor, make_person, next_code


def actions():
    db.session.rollback()
    return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def shown_secret(page: str) -> str:
    return re.search(r'id="two-factor-secret">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")


def test_enrolment_through_the_pages(app, client, delegate):
    sign_in(client, delegate)
    assert client.post("/account/two-factor/setup").status_code == 302
    page = client.get("/account/two-factor").get_data(as_text=True)
    assert '<img class="two-factor-qr" src="data:image/svg+xml' in page
    secret = shown_secret(page)
    assert not twofactor.is_enabled(delegate)

    wrong = pyotp.TOTP(secret).at(0)
    refused = client.post("/account/two-factor/confirm", data={"code": wrong})
    assert refused.status_code == 400 and "non è corretto" in refused.get_data(as_text=True)
    assert not twofactor.is_enabled(delegate)

    done = client.post("/account/two-factor/confirm", data={"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 200 and done.headers["Cache-Control"] == "no-store"
    codes = re.findall(r"<code>([0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4})</code>", done.get_data(as_text=True))
    assert len(set(codes)) == 10
    stored = set(db.session.scalars(select(RecoveryCode.code_hash)))
    assert len(stored) == 10 and not stored & set(codes)  # only hashes are kept

    # This session was renewed; the page no longer shows the secret.
    page = client.get("/account/two-factor").get_data(as_text=True)
    assert "L'accesso in due passaggi è attivo." in page and secret not in page
    assert "Ti restano 10 codici di recupero." in page
    assert actions()[-1] == "two_factor.enabled"


def test_turning_it_on_signs_out_every_other_session(app, client, delegate):
    elsewhere = app.test_client()
    sign_in(elsewhere, delegate)
    sign_in(client, delegate)
    secret = twofactor.begin_enrolment(delegate)
    client.post("/account/two-factor/confirm", data={"code": pyotp.TOTP(secret).now()})
    assert client.get("/account").status_code == 200
    assert elsewhere.get("/account").status_code == 302


def test_an_enabled_secret_cannot_be_replaced_without_turning_it_off(client, delegate):
    enable_two_factor(delegate)
    with pytest.raises(Exception, match="già attivo"):
        twofactor.begin_enrolment(delegate)


def test_turning_it_off_needs_the_password_and_a_code(client, delegate, authenticator_clock):
    enable_two_factor(delegate)
    sign_in_with_code(client, delegate, next_code(delegate))
    wrong_password = client.post("/account/two-factor/disable",
                                 data={"password": "sbagliata", "code": next_code(delegate)})
    assert wrong_password.status_code == 400 and twofactor.is_enabled(delegate)
    no_code = client.post("/account/two-factor/disable", data={"password": PASSWORD, "code": "1"})
    assert no_code.status_code == 400 and twofactor.is_enabled(delegate)
    done = client.post("/account/two-factor/disable",
                       data={"password": PASSWORD, "code": next_code(delegate)})
    assert done.status_code == 302
    db.session.rollback()
    assert not twofactor.is_enabled(delegate)
    assert db.session.scalars(select(RecoveryCode)).all() == []
    assert actions()[-1] == "two_factor.disabled"
    client.post("/sign-out")
    assert sign_in(client, delegate).location == "/account"  # the password is enough again


def test_new_recovery_codes_replace_the_old(app, client, delegate, authenticator_clock):
    old = enable_two_factor(delegate)
    sign_in_with_code(client, delegate, old[0])
    response = client.post("/account/two-factor/recovery-codes",
                           data={"password": PASSWORD, "code": next_code(delegate)})
    assert response.status_code == 200
    new = re.findall(r"<code>([0-9a-f-]{14})</code>", response.get_data(as_text=True))
    assert len(new) == 10 and not set(new) & set(old)
    assert actions()[-1] == "two_factor.recovery_codes_renewed"
    other = app.test_client()
    sign_in(other, delegate)
    assert other.post("/sign-in/code", data={"code": old[1]}).status_code == 401
    assert other.post("/sign-in/code", data={"code": new[0]}).status_code == 302


def test_region_admin_resets_a_delegate_who_lost_their_phone(client, region_admin, delegate):
    enable_two_factor(delegate)
    sign_in(client, region_admin)
    assert "Azzera (telefono perso)" in client.get(f"/admin/people/{delegate.id}").get_data(as_text=True)
    response = client.post(f"/admin/people/{delegate.id}/two-factor/reset")
    assert response.status_code == 302
    db.session.rollback()
    assert not twofactor.is_enabled(delegate)
    entry = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert (entry.action, entry.actor_id, entry.subject_id) == (
        "two_factor.reset", region_admin.id, delegate.id)


def test_reset_is_refused_to_other_regions_and_to_oneself(client, other_region_admin, admin,
                                                          delegate):
    enable_two_factor(delegate)
    sign_in(client, other_region_admin)
    assert client.post(f"/admin/people/{delegate.id}/two-factor/reset").status_code == 403
    assert twofactor.is_enabled(delegate)
    enable_two_factor(admin)
    with pytest.raises(Exception, match="Non puoi azzerare"):
        twofactor.reset(admin, admin)
    assert twofactor.is_enabled(admin)


def test_platform_admins_cannot_be_reset_by_region_admins(region_admin):
    colleague = make_person("altro.admin@example.org", "Altro Admin", "platform_admin")
    enable_two_factor(colleague)
    with pytest.raises(Exception, match="Non puoi gestire"):
        twofactor.reset(region_admin, colleague)
