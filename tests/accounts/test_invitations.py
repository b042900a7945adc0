"""Invitations: sent by email, single use, bound to the address, expiring, revocable, resendable."""
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from lab.accounts import invitations, services
from lab.accounts.models import Invitation, Role, User
from lab.core import jobs
from lab.core.errors import DomainError, NotFound, NotPermitted
from lab.core.timeutil import utcnow
from lab.extensions import db
from tests.conftest import sign_in

STRONG = "Torino gennaio duemiladiciannove!"


def invite_by_form(client, email, role="delegate", region="piemonte"):
    region_id = services.region_by_slug(region).id if region else ""
    return client.post("/admin/invitations", data={"email": email, "role": role, "region": region_id})


def path_of(link):
    return urlsplit(link).path


def test_region_admin_invites_a_delegate_who_signs_up_from_the_email(client, smtp, region_admin):
    sign_in(client, region_admin)
    response = invite_by_form(client, "nuova@regione.piemonte.it")
    assert response.status_code == 302
    message = smtp.to("nuova@regione.piemonte.it")[-1]
    assert "Invito al Laboratorio" in message["Subject"]
    link = smtp.last_link("nuova@regione.piemonte.it")
    client.post("/sign-out")

    page = client.get(path_of(link))
    assert page.status_code == 200 and "nuova@regione.piemonte.it" in page.get_data(as_text=True)
    response = client.post(path_of(link), data={
        "full_name": "Nuova Delegata", "password": STRONG, "confirm": STRONG})
    assert response.status_code == 302

    user = db.session.scalar(select(User).where(User.email == "nuova@regione.piemonte.it"))
    assert user.region.slug == "piemonte" and user.has_role(Role.DELEGATE, user.region_id)
    assert "Nuova Delegata" in client.get("/regions/piemonte").get_data(as_text=True)
    assert client.post("/sign-in", data={"email": user.email, "password": STRONG}).status_code == 302


def test_accepting_an_invitation_signs_in_and_welcomes(client, smtp, region_admin):
    invitations.invite(region_admin, "benvenuta@example.org", Role.DELEGATE, region_admin.region)
    response = client.post(path_of(smtp.last_link("benvenuta@example.org")), data={
        "full_name": "Bianca Benvenuta", "password": STRONG, "confirm": STRONG})
    assert response.status_code == 302 and response.location.endswith("/welcome")
    page = client.get("/welcome").get_data(as_text=True)
    assert "Benvenuto nel Laboratorio, Bianca Benvenuta" in page
    assert 'href="/regions/piemonte"' in page and "Nel registro del Patto: Non aderisce" in page
    assert 'href="/groups"' in page and 'href="/pact"' in page and 'href="/rooms"' in page


def test_invitation_link_works_only_once(client, smtp, region_admin):
    invitations.invite(region_admin, "una@example.org", Role.DELEGATE, region_admin.region)
    link = path_of(smtp.last_link("una@example.org"))
    data = {"full_name": "Una Volta", "password": STRONG, "confirm": STRONG}
    assert client.post(link, data=data).status_code == 302
    response = client.post(link, data=data)
    assert response.status_code == 400
    assert "già stato usato" in response.get_data(as_text=True)
    page = client.get(link).get_data(as_text=True)
    assert "<h1>Invito già usato</h1>" in page and "Errore 400" not in page
    assert 'href="/sign-in">Accedi</a>' in page


def test_invitation_expires_after_seven_days(client, smtp, region_admin):
    invitation = invitations.invite(region_admin, "tardi@example.org", Role.DELEGATE,
                                           region_admin.region)
    link = path_of(smtp.last_link("tardi@example.org"))
    assert invitation.expires_at - invitation.created_at >= timedelta(days=7) - timedelta(seconds=5)
    invitation.expires_at -= timedelta(days=8)
    db.session.commit()
    response = client.get(link)
    assert response.status_code == 400 and "scaduto" in response.get_data(as_text=True)


def test_revoked_invitation_link_stops_working(client, smtp, region_admin):
    invitation = invitations.invite(region_admin, "revoca@example.org", Role.DELEGATE,
                                       region_admin.region)
    link = path_of(smtp.last_link("revoca@example.org"))
    invitations.revoke(region_admin, invitation)
    assert "revocato" in client.get(link).get_data(as_text=True)


def test_resend_sends_a_new_link_and_the_old_one_stops_working(client, smtp, region_admin):
    invitation = invitations.invite(region_admin, "di.nuovo@example.org", Role.DELEGATE,
                                       region_admin.region)
    old = path_of(smtp.last_link("di.nuovo@example.org"))
    sign_in(client, region_admin)
    assert client.post(f"/admin/invitations/{invitation.id}/resend").status_code == 302
    new = path_of(smtp.last_link("di.nuovo@example.org"))
    assert new != old and len(smtp.to("di.nuovo@example.org")) == 2
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200


def test_account_is_bound_to_the_invited_address(client, smtp, region_admin):
    invitations.invite(region_admin, "legata@example.org", Role.DELEGATE, region_admin.region)
    link = path_of(smtp.last_link("legata@example.org"))
    client.post(link, data={"full_name": "X", "password": STRONG, "confirm": STRONG,
                            "email": "altro@example.org"})
    emails = set(db.session.scalars(select(User.email)))
    assert "legata@example.org" in emails and "altro@example.org" not in emails


@pytest.mark.parametrize("password", ["corta", "password1234", "qwertyuiop123", "Legata Example1"])
def test_weak_or_common_passwords_are_refused(client, smtp, region_admin, password):
    invitations.invite(region_admin, "debole@example.org", Role.DELEGATE, region_admin.region)
    link = path_of(smtp.last_link("debole@example.org"))
    response = client.post(link, data={"full_name": "Legata Example", "password": password,
                                       "confirm": password})
    assert response.status_code == 200
    assert db.session.scalar(select(User).where(User.email == "debole@example.org")) is None
    assert "password" in response.get_data(as_text=True).lower()


def test_region_admin_cannot_invite_into_another_region(region_admin):
    with pytest.raises(NotPermitted):
        invitations.invite(region_admin, "x@example.org", Role.DELEGATE,
                           services.region_by_slug("toscana"))


def test_only_platform_admins_invite_region_admins_and_organisers(region_admin, admin, smtp):
    with pytest.raises(NotPermitted):
        invitations.invite(region_admin, "o@example.org", Role.ORGANISER, None)
    invitations.invite(admin, "o@example.org", Role.ORGANISER, None)
    invitations.invite(admin, "ra@example.org", Role.REGION_ADMIN, services.region_by_slug("puglia"))
    assert len(smtp.messages) == 2


def test_existing_account_cannot_be_invited_again(region_admin, delegate):
    with pytest.raises(DomainError):
        invitations.invite(region_admin, delegate.email.upper(), Role.DELEGATE, region_admin.region)


def test_invitation_form_errors_are_shown_and_nothing_is_sent(client, smtp, region_admin):
    sign_in(client, region_admin)
    response = invite_by_form(client, "not-an-email")
    assert response.status_code == 400
    assert smtp.messages == [] and db.session.scalars(select(Invitation)).first() is None


def test_mail_server_down_keeps_the_invitation_and_mails_it_once_back(
        app, client, smtp, region_admin, job_queue, monkeypatch):
    sign_in(client, region_admin)
    monkeypatch.setitem(app.config, "MAIL_PORT", 1)  # nothing listens there
    response = invite_by_form(client, "persa@example.org")
    assert response.status_code == 302
    assert "in partenza" in client.get("/admin/invitations").get_data(as_text=True)
    assert db.session.scalar(select(Invitation).where(Invitation.email == "persa@example.org"))
    jobs.run_due(job_queue)
    assert smtp.to("persa@example.org") == []
    monkeypatch.setitem(app.config, "MAIL_PORT", smtp.port)
    jobs.run_due(job_queue, utcnow() + timedelta(minutes=2))  # past the first retry's wait
    assert path_of(smtp.last_link("persa@example.org")).startswith("/invitations/")


def test_unknown_invitation_token_is_404(client):
    assert client.get("/invitations/not-a-real-token").status_code == 404
    with pytest.raises(NotFound):
        invitations.pending_invitation("nope")


def test_invitations_are_audited(region_admin, smtp):
    from lab.accounts.audit import AuditEntry

    invitation = invitations.invite(region_admin, "a@example.org", Role.DELEGATE, region_admin.region)
    invitations.revoke(region_admin, invitation)
    actions = list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
    assert actions == ["invitation.sent", "invitation.revoked"]
