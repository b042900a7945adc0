"""The review of a practice, one verb per step, each audited and mailed to the next people:

draft → submitted → (changes requested ↔ submitted) → approved by a coordinator of its primary
group → published by the editorial board → archived. The board may also send an approved
practice back. ``public_version_changed`` goes out inside the transaction, just before the
commit, whenever what the public sees changes.
"""
from flask_babel import force_locale, gettext as _

from lab.accounts.audit import record
from lab.accounts.models import User
from lab.core.errors import DomainError, NotPermitted
from lab.core.links import external_url
from lab.core.mail import send_mail
from lab.core.timeutil import utcnow
from lab.extensions import db
from lab.groups.queries import coordinators
from lab.library import access
from lab.library.models import Practice, PracticeReview, PracticeStatus as Status
from lab.library.services import check_evidence, save_revision
from lab.library.signals import public_version_changed

COMMENT_MAX = 5000


def submit_practice(author: User, practice: Practice) -> None:
    """Send a draft (or a changed practice) to the coordinators of its primary group."""
    if not access.may_submit(author, practice):
        raise NotPermitted(_("Solo l'autore può inviare una bozza o una pratica da modificare."))
    check_evidence(practice, practice.evidence_level)
    _step(author, practice, Status.SUBMITTED, "submitted")
    for coordination in coordinators(practice.primary_group):
        _tell(coordination.user, practice,
              lambda: _("Una pratica attende la tua revisione: %(title)s", title=practice.title),
              lambda: _("%(name)s ha inviato la pratica «%(title)s» al gruppo che coordini.",
                        name=author.full_name, title=practice.title))
    db.session.commit()


def request_changes(coordinator: User, practice: Practice, comment: str) -> None:
    """Send a submitted practice back to its author with what to change."""
    if not access.may_review(coordinator, practice):
        raise NotPermitted(_("Solo un coordinatore del gruppo può chiedere modifiche."))
    _send_back(coordinator, practice, comment, "changes_requested")


def approve_practice(coordinator: User, practice: Practice, confirmed_level: int,
                     comment: str = "") -> None:
    """Approve a submitted practice, confirming its evidence level or a lower one."""
    if not access.may_review(coordinator, practice):
        raise NotPermitted(_("Solo un coordinatore del gruppo può approvare la pratica."))
    if not 1 <= confirmed_level <= practice.evidence_level:
        raise DomainError(_("Puoi confermare il livello dichiarato o uno più basso."))
    practice.confirmed_evidence_level = confirmed_level
    _step(coordinator, practice, Status.APPROVED, "approved", _comment(comment), revise=True)
    for person in [*access.board_members(), practice.author]:
        _tell(person, practice,
              lambda: _("Pratica approvata: %(title)s", title=practice.title),
              lambda: _("La pratica «%(title)s» è stata approvata dal coordinamento del gruppo ed "
                        "è pronta per la pubblicazione.", title=practice.title))
    db.session.commit()


def publish_practice(board_member: User, practice: Practice) -> None:
    """Make the approved practice, as it is now, the version the public sees."""
    if not access.may_publish(board_member, practice):
        raise NotPermitted(_("Solo il comitato editoriale pubblica le pratiche approvate."))
    revision = _step(board_member, practice, Status.PUBLISHED, "published", revise=True)
    practice.published_revision = revision
    practice.published_at = practice.published_at or revision.created_at
    _tell(practice.author, practice,
          lambda: _("Pratica pubblicata: %(title)s", title=practice.title),
          lambda: _("La pratica «%(title)s» è ora pubblica nella biblioteca del Laboratorio.",
                    title=practice.title))
    public_version_changed.send(practice, published=True)
    db.session.commit()


def send_back(board_member: User, practice: Practice, comment: str) -> None:
    """Return an approved practice to its author instead of publishing it."""
    if not access.may_publish(board_member, practice):
        raise NotPermitted(_("Solo il comitato editoriale può rimandare indietro una pratica."))
    _send_back(board_member, practice, comment, "sent_back")


def archive_practice(board_member: User, practice: Practice, comment: str = "") -> None:
    """Withdraw a published practice from the public library; its history stays."""
    if not access.may_archive(board_member, practice):
        raise NotPermitted(_("Solo il comitato editoriale archivia le pratiche pubblicate."))
    _step(board_member, practice, Status.ARCHIVED, "archived", _comment(comment))
    public_version_changed.send(practice, published=False)
    db.session.commit()


def _send_back(actor: User, practice: Practice, comment: str, action: str) -> None:
    comment = _comment(comment)
    if not comment:
        raise DomainError(_("Scrivi all'autore che cosa cambiare."))
    _step(actor, practice, Status.CHANGES_REQUESTED, action, comment)
    _tell(practice.author, practice,
          lambda: _("Modifiche richieste: %(title)s", title=practice.title),
          lambda: _("%(name)s chiede modifiche alla pratica «%(title)s»:\n\n%(comment)s",
                    name=actor.full_name, title=practice.title, comment=comment))
    db.session.commit()


def _comment(comment: str) -> str:
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        raise DomainError(_("Il commento è troppo lungo (al massimo %(n)d caratteri).", n=COMMENT_MAX))
    return comment


def _step(actor: User, practice: Practice, status: Status, action: str, comment: str = "",
          revise: bool = False):
    """Move the practice to ``status``, note the step and audit it; keep a revision if asked."""
    practice.status = status.value
    revision = save_revision(actor, practice) if revise else None
    db.session.flush()
    db.session.add(PracticeReview(practice_id=practice.id, actor_id=actor.id, action=action,
                                  comment=comment, revision_id=revision.id if revision else None,
                                  created_at=utcnow()))
    record(f"practice.{action}", actor=actor, subject=practice.author,
           region_id=practice.lead_region_id, practice=practice.id)
    return revision


def _tell(person: User, practice: Practice, subject, body) -> None:
    """Mail a person in their language; the mail leaves when the transaction commits."""
    if not person.active or person.erased_at is not None:
        return
    with force_locale(person.locale or "it"):
        link = external_url("library.sheet", practice_id=practice.id, slug=practice.slug)
        send_mail(person.email, str(subject()), f"{body()}\n\n{link}\n")
