"""Groups: created by admins, coordinated, joined on request, left and removed, never deleted."""
import pytest
from sqlalchemy import func, select

from lab.accounts.audit import AuditEntry
from lab.core.errors import Conflict, DomainError, NotPermitted
from lab.extensions import db
from lab.groups import queries, services
from lab.groups.models import Membership, MembershipStatus
from lab.groups.themes import THEMES, ensure_themes


def actions() -> list[str]:
    return list(db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def test_only_platform_admins_create_groups(admin, region_admin, delegate):
    draft = services.GroupDraft("Welfare di comunità", "Community welfare")
    for person in (region_admin, delegate):
        with pytest.raises(NotPermitted):
            services.create_group(person, draft)
    group = services.create_group(admin, draft)
    assert group.slug == "welfare-di-comunita" and not group.is_theme
    with pytest.raises(Conflict):
        services.create_group(admin, draft)


def test_group_needs_both_names(admin):
    with pytest.raises(DomainError):
        services.create_group(admin, services.GroupDraft("Solo italiano", " "))


def test_the_eight_themes_are_restored_once():
    themes = ensure_themes()
    assert [g.slug for g in themes] == [slug for slug, *_ in THEMES]
    assert all(g.is_theme and g.name_en and g.description_it for g in themes)
    ensure_themes()
    assert len(queries.all_groups()) == 8


def test_coordinator_must_be_a_delegate(admin, group, organiser):
    with pytest.raises(DomainError):
        services.appoint_coordinator(admin, group, organiser)


def test_appointed_coordinator_becomes_a_member(group, coordinator):
    assert queries.is_coordinator(coordinator, group)
    assert queries.open_membership(coordinator, group).is_active
    assert queries.is_participant(coordinator, group)


def test_request_waits_for_a_coordinator(group, coordinator, delegate):
    membership = services.ask_to_join(delegate, group)
    assert membership.is_pending and not queries.is_participant(delegate, group)
    with pytest.raises(Conflict):
        services.ask_to_join(delegate, group)
    with pytest.raises(NotPermitted):
        services.accept_request(delegate, membership)
    services.accept_request(coordinator, membership)
    assert membership.is_active and membership.started_at and membership.region.slug == "piemonte"
    assert queries.is_participant(delegate, group)
    assert "group.join_requested" in actions() and "group.member_accepted" in actions()


def test_declined_request_is_kept(group, coordinator, delegate):
    membership = services.ask_to_join(delegate, group)
    services.decline_request(coordinator, membership)
    assert db.session.get(Membership, membership.id).status == MembershipStatus.DECLINED
    with pytest.raises(DomainError):
        services.accept_request(coordinator, membership)
    assert services.ask_to_join(delegate, group).is_pending  # may ask again later


def test_open_group_takes_delegates_in_at_once(admin, group, delegate):
    services.set_open(admin, group, True)
    assert services.ask_to_join(delegate, group).is_active


def test_only_delegates_join(group, region_admin, organiser):
    for person in (region_admin, organiser):
        with pytest.raises(NotPermitted):
            services.ask_to_join(person, group)


def test_leaving_keeps_the_membership_with_its_dates(admin, group, delegate):
    services.set_open(admin, group, True)
    membership = services.ask_to_join(delegate, group)
    services.leave_group(delegate, group)
    left = db.session.get(Membership, membership.id)
    assert left.status == MembershipStatus.LEFT and left.ended_at >= left.started_at
    assert not queries.is_participant(delegate, group)
    assert services.ask_to_join(delegate, group).is_active  # and may come back
    assert db.session.scalar(select(func.count()).select_from(Membership)
                             .where(Membership.user_id == delegate.id)) == 2


def test_withdrawing_a_request(group, delegate):
    membership = services.ask_to_join(delegate, group)
    services.leave_group(delegate, group)
    assert db.session.get(Membership, membership.id).status == MembershipStatus.WITHDRAWN
    with pytest.raises(DomainError):
        services.leave_group(delegate, group)


def test_coordinator_removes_a_member_but_not_a_coordinator(admin, group, coordinator, delegate,
                                                            signatory):
    services.set_open(admin, group, True)
    membership = services.ask_to_join(delegate, group)
    with pytest.raises(NotPermitted):
        services.remove_member(signatory, membership)
    services.remove_member(coordinator, membership)
    assert db.session.get(Membership, membership.id).status == MembershipStatus.REMOVED
    own = queries.open_membership(coordinator, group)
    with pytest.raises(DomainError):
        services.remove_member(admin, own)


def test_ending_coordination_keeps_membership(admin, group, coordinator):
    coordination = queries.current_coordination(coordinator, group)
    services.end_coordination(admin, coordination)
    assert not queries.is_coordinator(coordinator, group)
    assert queries.is_participant(coordinator, group)
    with pytest.raises(DomainError):
        services.end_coordination(admin, coordination)


def test_former_delegate_no_longer_takes_part(admin, group, delegate):
    services.set_open(admin, group, True)
    services.ask_to_join(delegate, group)
    from lab.accounts.services import end_role

    end_role(admin, delegate.role_assignments[0])
    assert not queries.is_participant(delegate, group)


def test_members_grouped_by_region_and_regions_missing(admin, group, coordinator, delegate,
                                                       signatory, puglia_delegate):
    services.set_open(admin, group, True)
    for person in (delegate, signatory, puglia_delegate):
        services.ask_to_join(person, group)
    by_region = [(r.slug, [m.user.full_name for m in ms]) for r, ms in queries.members_by_region(group)]
    assert by_region == [("piemonte", ["Dario Delegato", "Fiorella Firma"]),
                         ("puglia", ["Paola Puglia"]), ("toscana", ["Cora Coordina"])]
    missing = {r.slug for r in queries.unrepresented_regions(group)}
    assert len(missing) == 18 and "piemonte" not in missing and "lombardia" in missing
    summary = next(s for s in queries.group_summaries() if s.group.id == group.id)
    assert (summary.members, summary.regions) == (4, 3)
