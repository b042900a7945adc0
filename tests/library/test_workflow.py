"""The review of a practice: who moves it, what the public sees, who is told."""
import pytest
from sqlalchemy import event

from lab.accounts.audit import AuditEntry
from lab.core.errors import DomainError, NotPermitted
from lab.extensions import db
from lab.library import access, services, workflow
from lab.library.models import PracticeStatus as Status
from lab.library.signals import public_version_changed
from tests.library.conftest import make_draft


def test_a_draft_is_seen_by_its_author_and_its_regions_delegates_only(draft, author, colleague,
                                                                     coordinator, board):
    assert access.may_see_working_copy(author, draft)
    assert access.may_see_working_copy(colleague, draft)
    assert not access.may_see_working_copy(coordinator, draft)
    assert not access.may_see_working_copy(board, draft)
    assert not access.is_public(draft)


def test_submitting_tells_the_groups_coordinators(draft, author, coordinator, smtp):
    workflow.submit_practice(author, draft)
    assert draft.status == Status.SUBMITTED
    assert "Custodi di quartiere" in smtp.to(coordinator.email)[-1]["Subject"]
    assert "/library/" in smtp.last_link(coordinator.email)
    assert db.session.query(AuditEntry).filter_by(action="practice.submitted").count() == 1


def test_only_the_author_submits(draft, colleague):
    with pytest.raises(NotPermitted):
        workflow.submit_practice(colleague, draft)


def test_coordinator_of_another_group_cannot_approve(submitted, author, admin):
    from lab.groups.queries import group_by_slug
    from lab.groups import services as groups
    other = group_by_slug("dati-nel-sociale")
    groups.appoint_coordinator(admin, other, author)
    with pytest.raises(NotPermitted):
        workflow.approve_practice(author, submitted, 1)


def test_changes_requested_then_submitted_again(submitted, author, coordinator, smtp):
    with pytest.raises(DomainError):
        workflow.request_changes(coordinator, submitted, "  ")
    workflow.request_changes(coordinator, submitted, "Aggiungi i costi.")
    assert submitted.status == Status.CHANGES_REQUESTED
    assert "Aggiungi i costi." in smtp.to(author.email)[-1].get_payload(decode=True).decode()
    services.update_practice(author, submitted, make_draft(submitted.primary_group,
                                                           lessons="Costi: 10 euro/ora."))
    workflow.submit_practice(author, submitted)
    assert submitted.status == Status.SUBMITTED


def test_approval_may_lower_but_not_raise_the_level(submitted, coordinator):
    with pytest.raises(DomainError):
        workflow.approve_practice(coordinator, submitted, 3)
    workflow.approve_practice(coordinator, submitted, 1, "Indicatori da consolidare.")
    assert submitted.status == Status.APPROVED
    assert submitted.confirmed_evidence_level == 1


def test_only_the_board_publishes(approved, coordinator, admin, board):
    for person in (coordinator, admin):
        with pytest.raises(NotPermitted):
            workflow.publish_practice(person, approved)
    workflow.publish_practice(board, approved)
    assert access.is_public(approved)


def test_publishing_signals_inside_the_transaction(approved, board):
    seen, commits = [], []

    def listener(practice, published):
        seen.append((practice.id, published, practice.published_revision is not None,
                     len(commits)))

    def count_commit(_session):
        commits.append(1)

    event.listen(db.session, "after_commit", count_commit)
    try:
        with public_version_changed.connected_to(listener):
            workflow.publish_practice(board, approved)
    finally:
        event.remove(db.session, "after_commit", count_commit)
    assert seen and seen[0][:3] == (approved.id, True, True)
    assert seen[0][3] == 0 and commits, "the signal must come before the commit"


def test_editing_a_published_practice_keeps_the_public_version(published, author, board):
    public = published.published_revision
    services.update_practice(author, published, make_draft(published.primary_group,
                                                           title="Custodi di quartiere 2.0"))
    assert published.status == Status.DRAFT
    assert access.is_public(published)
    assert published.published_revision.snapshot["title"] == "Custodi di quartiere"
    assert published.published_revision == public


def test_archiving_withdraws_it_from_the_public(published, board):
    seen = []
    with public_version_changed.connected_to(lambda p, published: seen.append(published)):
        workflow.archive_practice(board, published)
    assert seen == [False]
    assert not access.is_public(published)


def test_mail_goes_out_in_the_recipients_language(draft, author, coordinator, smtp):
    coordinator.locale = "en"
    db.session.commit()
    workflow.submit_practice(author, draft)
    assert smtp.to(coordinator.email)[-1]["Subject"].startswith("A practice")


def test_approval_tells_the_board_and_the_author(submitted, coordinator, board, author, smtp):
    workflow.approve_practice(coordinator, submitted, 2)
    assert smtp.to(board.email) and smtp.to(author.email)
    assert "/library/" in smtp.last_link(board.email)
