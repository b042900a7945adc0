"""Nobody grants themselves a role or a mandate; a region admin's mandate needs a second person."""
from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from lab.accounts import services
from lab.accounts.audit import AuditEntry
from lab.accounts.models import Mandate, Role, RoleAssignment
from lab.core.errors import DomainError, NotPermitted
from lab.core.timeutil import rome_today, utcnow
from lab.extensions import db
from lab.pact.services import check_signatory
from tests.conftest import sign_in
from tests.factories import make_person

BACKDATED = services.MandateRequest("DGR n. 1-1 del 02/01/2019", date(2019, 1, 2))


def piemonte():
    return services.region_by_slug("piemonte")


@pytest.fixture
def second_region_admin():
    return make_person("vice.piemonte@example.org", "Vittorio Vice", "region_admin", "piemonte")


def test_region_admin_cannot_make_himself_a_signatory(client, region_admin):
    """The reported attack: a self-granted delegate role and a mandate backdated to 2019."""
    sign_in(client, region_admin)
    response = client.post(f"/admin/people/{region_admin.id}/roles",
                           data={"role": "delegate", "region": str(piemonte().id)})
    assert response.status_code == 302
    db.session.refresh(region_admin)
    assert not region_admin.is_delegate
    with pytest.raises(NotPermitted, match="a se stesso"):
        services.grant_role(region_admin, region_admin, Role.DELEGATE, piemonte())

    services.grant_role(None, region_admin, Role.DELEGATE, piemonte())  # even once a delegate
    with pytest.raises(NotPermitted, match="a se stesso"):
        services.grant_mandate(region_admin, region_admin, BACKDATED)
    assert db.session.scalars(select(Mandate)).first() is None
    with pytest.raises(NotPermitted):
        check_signatory(region_admin, None)


def test_a_platform_admin_cannot_grant_himself_either(admin):
    with pytest.raises(NotPermitted):
        services.grant_role(admin, admin, Role.ORGANISER)


def test_a_region_admins_mandate_waits_for_a_second_person(region_admin, second_region_admin,
                                                          delegate):
    mandate = services.grant_mandate(region_admin, delegate, BACKDATED)
    assert mandate.is_pending and not delegate.has_signatory_authority
    assert services.representatives_on(piemonte(), date(2024, 6, 1))[0].mandate is None
    with pytest.raises(NotPermitted):
        check_signatory(delegate, None)
    with pytest.raises(NotPermitted):  # the grantor is not a second person
        services.confirm_mandate(region_admin, mandate)
    with pytest.raises(NotPermitted):  # nor is the one who receives it
        services.confirm_mandate(delegate, mandate)

    services.confirm_mandate(second_region_admin, mandate)
    assert delegate.has_signatory_authority and not mandate.is_pending
    assert mandate.confirmed_by_id == second_region_admin.id
    with pytest.raises(DomainError):
        services.confirm_mandate(second_region_admin, mandate)


def test_another_regions_admin_cannot_confirm(region_admin, other_region_admin, delegate):
    mandate = services.grant_mandate(region_admin, delegate, BACKDATED)
    with pytest.raises(NotPermitted):
        services.confirm_mandate(other_region_admin, mandate)
    assert not delegate.has_signatory_authority


def test_a_platform_admin_confirms_a_region_admins_mandate(admin, region_admin, delegate):
    mandate = services.grant_mandate(region_admin, delegate, BACKDATED)
    assert services.mandates_awaiting(admin) == [mandate]
    assert services.mandates_awaiting(region_admin) == []
    services.confirm_mandate(admin, mandate)
    assert delegate.has_signatory_authority


def test_a_platform_admins_mandate_is_in_force_at_once(admin, delegate):
    mandate = services.grant_mandate(admin, delegate, BACKDATED)
    assert mandate.confirmed_by_id == admin.id and delegate.has_signatory_authority


def test_the_second_admin_confirms_from_the_admin_pages(client, region_admin,
                                                        second_region_admin, delegate):
    mandate = services.grant_mandate(region_admin, delegate, BACKDATED)
    mandate_id = mandate.id
    sign_in(client, region_admin)
    assert "Conferma" not in client.get(f"/admin/people/{delegate.id}").get_data(as_text=True)
    client.post("/sign-out")
    sign_in(client, second_region_admin)
    people = client.get("/admin/people").get_data(as_text=True)
    assert "Poteri di firma da confermare" in people and "Dario Delegato" in people
    assert f"/admin/mandates/{mandate_id}/confirm" in client.get(
        f"/admin/people/{delegate.id}").get_data(as_text=True)
    assert client.post(f"/admin/mandates/{mandate_id}/confirm").status_code == 302
    assert db.session.get(Mandate, mandate_id).confirmed_by_id == second_region_admin.id


def test_a_backdated_mandate_is_put_on_record(admin, delegate):
    services.grant_mandate(admin, delegate, BACKDATED)
    entry = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "mandate.backdated")).one()
    assert entry.details["starts_on"] == "2019-01-02"
    assert int(entry.details["days"]) == (rome_today() - date(2019, 1, 2)).days
    services.grant_mandate(admin, make_person("nuova@example.org", "Nuova", "delegate", "piemonte"),
                           services.MandateRequest("DGR 2", rome_today()))
    assert len(db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "mandate.backdated")).all()) == 1


def test_the_database_refuses_self_grants(delegate):
    db.session.add(RoleAssignment(user=delegate, role="organiser", granted_by_id=delegate.id))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    db.session.add(Mandate(user=delegate, region_id=delegate.region_id, act="DGR",
                           starts_on=date(2024, 1, 1), confirmed_by_id=delegate.id,
                           confirmed_at=utcnow()))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


# --- what an actor is offered --------------------------------------------------------------

def test_region_admin_is_offered_only_the_delegate_role(client, region_admin, delegate):
    sign_in(client, region_admin)
    page = client.get(f"/admin/people/{delegate.id}").get_data(as_text=True)
    assert 'value="delegate"' in page
    assert 'value="organiser"' not in page and 'value="platform_admin"' not in page
    invitations = client.get("/admin/invitations").get_data(as_text=True)
    assert 'value="delegate"' in invitations and 'value="organiser"' not in invitations


def test_platform_admin_is_offered_every_role_and_invites_all_but_platform_admins(client, admin,
                                                                                  delegate):
    sign_in(client, admin)
    page = client.get(f"/admin/people/{delegate.id}").get_data(as_text=True)
    assert all(f'value="{role.value}"' in page for role in Role)
    invitations = client.get("/admin/invitations").get_data(as_text=True)
    assert 'value="organiser"' in invitations and 'value="platform_admin"' not in invitations


def test_nobody_is_offered_roles_for_themselves(client, region_admin):
    sign_in(client, region_admin)
    page = client.get(f"/admin/people/{region_admin.id}").get_data(as_text=True)
    assert "Assegna un ruolo" not in page and "Conferisci poteri di firma" not in page


def test_the_refusal_names_the_role_not_the_region(region_admin):
    """A region admin's form always sends their region: the refusal used to be about regions."""
    person = make_person("nuovo@example.org", "Nuovo", "delegate", "piemonte")
    with pytest.raises(NotPermitted, match="Non puoi assegnare questo ruolo"):
        services.grant_role(region_admin, person, Role.ORGANISER, piemonte())


@pytest.mark.parametrize("actor, roles", [
    ("admin", list(Role)), ("region_admin", [Role.DELEGATE]), ("delegate", []), ("organiser", [])])
def test_one_rule_says_what_each_actor_may_grant(request, actor, roles):
    person = request.getfixturevalue(actor)
    other = make_person("altro@example.org", "Altro", "delegate", "piemonte")
    assert services.grantable_roles(person, other) == roles
    assert services.grantable_roles(person, person) == []
