"""Who sees and who changes a practice, and the lists each person works from.

One rule per question, used by the pages, the services and the tests:
- the public sees only what was published (``published_revision``) while not archived;
- the working copy is seen by its author and the delegates of its lead region, and, once it left
  the draft state, by the coordinators of its primary group and the editorial board.
"""
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from lab.accounts.models import Region, Role, RoleAssignment, User
from lab.core.errors import NotFound
from lab.core.timeutil import utcnow
from lab.extensions import db
from lab.groups.models import Coordination, Group
from lab.groups.queries import is_coordinator
from lab.library.models import Practice, PracticeStatus as Status

EDITABLE = frozenset({Status.DRAFT, Status.CHANGES_REQUESTED, Status.PUBLISHED})


def is_public(practice: Practice) -> bool:
    return practice.published_revision_id is not None and practice.status != Status.ARCHIVED


def may_draft(user: User) -> bool:
    """Delegates (every working-group member is one) write practices for their region."""
    return bool(user.is_authenticated and user.active and user.is_delegate and user.region_id)


def is_board_member(user: User) -> bool:
    return bool(user.is_authenticated and user.active and user.is_editorial_board)


def may_see_working_copy(user: User, practice: Practice) -> bool:
    if not (user.is_authenticated and user.active):
        return False
    if user.id == practice.author_id or user.has_role(Role.DELEGATE, practice.lead_region_id):
        return True
    if practice.status == Status.DRAFT:
        return False
    return is_board_member(user) or is_coordinator(user, practice.primary_group_id)


def may_edit(user: User, practice: Practice) -> bool:
    return (user.is_authenticated and user.active and user.id == practice.author_id
            and practice.status in EDITABLE)


def may_submit(user: User, practice: Practice) -> bool:
    """The author sends a draft, or a practice sent back, to the coordinators."""
    return may_edit(user, practice) and practice.status != Status.PUBLISHED


def may_review(user: User, practice: Practice) -> bool:
    """A current coordinator of the practice's primary group decides on a submitted practice."""
    return (user.is_authenticated and user.active and practice.status == Status.SUBMITTED
            and is_coordinator(user, practice.primary_group_id))


def may_publish(user: User, practice: Practice) -> bool:
    return is_board_member(user) and practice.status == Status.APPROVED


def may_archive(user: User, practice: Practice) -> bool:
    return is_board_member(user) and is_public(practice)


def practice_by_id(practice_id: int) -> Practice:
    """Return a practice whatever the person; the caller checks what they may see of it."""
    practice = db.session.get(Practice, practice_id)
    if practice is None:
        raise NotFound(_("Pratica non trovata."))
    return practice


def visible_practice(user: User, practice_id: int) -> Practice:
    """Return a practice the person may see (public or its working copy), or say it is not found."""
    practice = practice_by_id(practice_id)
    if not (is_public(practice) or may_see_working_copy(user, practice)):
        raise NotFound(_("Pratica non trovata."))
    return practice


def authored_by(user: User) -> list[Practice]:
    """The author's practices and, for a delegate, every practice of their region."""
    query = select(Practice).order_by(Practice.revised_at.desc())
    if user.region_id and user.has_role(Role.DELEGATE, user.region_id):
        query = query.where((Practice.author_id == user.id)
                            | (Practice.lead_region_id == user.region_id))
    else:
        query = query.where(Practice.author_id == user.id)
    return list(db.session.scalars(query))


def coordinator_queue(user: User) -> list[Practice]:
    """Submitted practices whose primary group the person coordinates."""
    groups = select(Coordination.group_id).where(Coordination.user_id == user.id,
                                                 Coordination.ended_at.is_(None))
    return list(db.session.scalars(select(Practice).where(
        Practice.status == Status.SUBMITTED, Practice.primary_group_id.in_(groups))
        .order_by(Practice.revised_at)))


def board_queue() -> list[Practice]:
    """Approved practices waiting for publication, oldest first."""
    return list(db.session.scalars(select(Practice).where(Practice.status == Status.APPROVED)
                                   .order_by(Practice.revised_at)))


def board_members() -> list[User]:
    now = utcnow()
    return list(db.session.scalars(select(User).where(
        User.active, RoleAssignment.held(User.id, Role.EDITORIAL_BOARD, now))))


def _public():
    """Published practices, with what their lists show (one query, not one more per practice)."""
    return select(Practice).where(Practice.published_revision_id.is_not(None),
                                  Practice.status != Status.ARCHIVED).options(
        joinedload(Practice.published_revision), joinedload(Practice.lead_region))


def published_in_group(group: Group) -> list[Practice]:
    return list(db.session.scalars(_public().where(Practice.primary_group_id == group.id)
                                   .order_by(Practice.published_at.desc())))


def published_in_region(region: Region) -> list[Practice]:
    return list(db.session.scalars(_public().where(Practice.lead_region_id == region.id)
                                   .order_by(Practice.published_at.desc())))
