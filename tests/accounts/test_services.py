"""Roles and signatory mandates: granted, ended, never deleted, answerable for any past day."""
from datetime import date, datetime, timedelta

import pytest

from lab.accounts import services
from lab.accounts.models import Mandate, Role, RoleAssignment
from lab.core.errors import DomainError, NotPermitted
from lab.core.timeutil import rome_today
from lab.extensions import db
from tests.factories import make_person


def toscana():
    return services.region_by_slug("toscana")


def test_who_represented_toscana_on_30_june_2019():
    first = make_person("primo@toscana.it", "Primo Toscano", "delegate", "toscana",
                        since=datetime(2018, 5, 1))
    make_person("secondo@toscana.it", "Seconda Toscana", "delegate", "toscana",
                since=datetime(2019, 9, 1))
    db.session.add(Mandate(user=first, region=toscana(), act="DGR n. 7-2019",
                           starts_on=date(2019, 1, 1), ends_on=date(2019, 12, 31),
                           confirmed_at=datetime(2019, 1, 2)))
    first.role_assignments[0].ended_at = datetime(2020, 3, 1)
    db.session.commit()

    on_day = services.representatives_on(toscana(), date(2019, 6, 30))
    assert [(r.person.full_name, r.is_signatory) for r in on_day] == [("Primo Toscano", True)]
    assert on_day[0].mandate.act == "DGR n. 7-2019"

    later = services.representatives_on(toscana(), date(2020, 6, 30))
    assert [(r.person.full_name, r.is_signatory) for r in later] == [("Seconda Toscana", False)]


def test_ending_a_role_keeps_it_in_the_history(admin, delegate):
    assignment = delegate.role_assignments[0]
    services.end_role(admin, assignment)
    assert not delegate.is_delegate
    assert db.session.get(RoleAssignment, assignment.id).ended_at is not None


def test_ending_a_delegate_role_ends_their_mandate(admin, signatory):
    assert signatory.has_signatory_authority
    services.end_role(admin, signatory.role_assignments[0])
    assert not signatory.has_signatory_authority
    assert signatory.mandates[0].ends_on is not None


def test_region_admin_grants_mandates_only_in_their_region(region_admin, other_region_admin, delegate):
    request = services.MandateRequest(act="DGR n. 5-2020", starts_on=date(2020, 1, 1))
    with pytest.raises(NotPermitted):
        services.grant_mandate(other_region_admin, delegate, request)
    mandate = services.grant_mandate(region_admin, delegate, request)
    assert mandate.region.slug == "piemonte" and mandate.is_pending


def test_mandate_needs_a_current_delegate(admin, organiser):
    with pytest.raises(DomainError):
        services.grant_mandate(admin, organiser, services.MandateRequest("DGR 1", date(2020, 1, 1)))


def test_mandate_cannot_end_before_it_starts(admin, delegate):
    with pytest.raises(DomainError):
        services.grant_mandate(admin, delegate, services.MandateRequest(
            "DGR 1", date(2020, 1, 1), ends_on=date(2019, 1, 1)))


def test_ended_mandate_is_kept_with_its_end_date(region_admin, signatory):
    mandate = signatory.mandates[0]
    services.end_mandate(region_admin, mandate, date(2024, 5, 31))
    assert db.session.get(Mandate, mandate.id).ends_on == date(2024, 5, 31)
    assert not signatory.has_signatory_authority


def test_region_admin_may_only_appoint_delegates_of_their_region(region_admin, admin):
    person = make_person("nuovo@example.org", "Nuovo", "organiser")
    with pytest.raises(NotPermitted):
        services.grant_role(region_admin, person, Role.REGION_ADMIN, services.region_by_slug("piemonte"))
    with pytest.raises(NotPermitted):
        services.grant_role(region_admin, person, Role.DELEGATE, toscana())
    services.grant_role(admin, person, Role.DELEGATE, toscana())
    assert person.has_role(Role.DELEGATE, toscana().id)


def test_a_person_belongs_to_one_region_only(admin, delegate):
    with pytest.raises(DomainError):
        services.grant_role(admin, delegate, Role.REGION_ADMIN, toscana())


def test_regional_roles_need_a_region_and_others_do_not(admin, organiser):
    with pytest.raises(DomainError):
        services.grant_role(admin, organiser, Role.DELEGATE, None)
    with pytest.raises(DomainError):
        services.grant_role(admin, organiser, Role.PLATFORM_ADMIN, toscana())


def test_database_refuses_a_delegate_without_region(delegate):
    from sqlalchemy.exc import IntegrityError

    db.session.add(RoleAssignment(user=delegate, role="delegate", region_id=None))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_admin_cannot_remove_their_own_admin_role(admin):
    with pytest.raises(DomainError):
        services.end_role(admin, admin.role_assignments[0])


def test_role_changes_are_audited(admin, delegate):
    from lab.accounts.audit import AuditEntry
    from sqlalchemy import select

    services.end_role(admin, delegate.role_assignments[0])
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "role.ended")).one()
    assert entry.actor_id == admin.id and entry.subject_id == delegate.id
    assert entry.region.slug == "piemonte"


def future_mandate(admin, delegate):
    return services.grant_mandate(admin, delegate, services.MandateRequest(
        "DGR n. 4-2099", rome_today() + timedelta(days=30)))


def test_a_future_mandate_can_be_ended_and_never_takes_effect(admin, delegate):
    mandate = future_mandate(admin, delegate)
    services.end_mandate(admin, mandate)
    stored = db.session.get(Mandate, mandate.id)
    assert stored.ends_on == rome_today() < stored.starts_on and stored.ended_at is not None
    assert not any(stored.in_force_on(stored.starts_on + timedelta(days=n)) for n in range(3))
    with pytest.raises(DomainError, match="già terminato"):
        services.end_mandate(admin, stored)


def test_ending_the_delegate_role_ends_future_and_pending_mandates_the_same_day(
        admin, region_admin, delegate):
    future = future_mandate(admin, delegate)
    pending = services.grant_mandate(region_admin, delegate, services.MandateRequest(
        "DGR n. 5-2024", date(2024, 1, 1)))
    services.end_role(admin, delegate.role_assignments[0])
    for mandate in (future, pending):
        stored = db.session.get(Mandate, mandate.id)
        assert stored.ends_on == rome_today() and stored.ended_at is not None
        assert not stored.is_pending
    assert not future.in_force_on(future.starts_on)


def test_a_scheduled_end_keeps_the_mandate_in_force_until_then(admin, signatory):
    mandate = signatory.mandates[0]
    services.end_mandate(admin, mandate, rome_today() + timedelta(days=10))
    assert signatory.has_signatory_authority and mandate.ended_at is None
    services.end_mandate(admin, mandate)  # and it can still be ended today
    assert not signatory.has_signatory_authority
