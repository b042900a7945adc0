"""Reading a practice: its sheet, its files, its revisions and their diff, its PDF."""
from datetime import date
from decimal import Decimal

from flask import abort, redirect, render_template, request, send_file, url_for
from flask_babel import format_currency, format_decimal, get_locale, gettext as _
from flask_login import current_user

from lab.accounts.forms import ButtonForm
from lab.core.errors import NotFound
from lab.core.params import id_arg
from lab.library import access, bp, labels, pdf, services
from lab.library.attachments import attachment_dir
from lab.library.forms import ApprovalForm, CommentForm
from lab.library.models import PracticeRevision
from lab.library.snapshot import diff_snapshots, take_snapshot


@bp.app_template_filter("euro")
def euro(value) -> str:
    return "" if value in (None, "") else format_currency(Decimal(value), "EUR")


@bp.app_template_filter("quantity")
def quantity(value) -> str:
    return "" if value in (None, "") else format_decimal(Decimal(value))


@bp.app_template_filter("isodate")
def isodate(value) -> date | None:
    return date.fromisoformat(value) if value else None


def _sheet_of(practice):
    """The document to show and when it was revised: the working copy for those who may see it
    (unless they ask for the public version), else the published revision."""
    wants_public = request.args.get("version") == "public" and access.is_public(practice)
    if access.may_see_working_copy(current_user, practice) and not wants_public:
        return take_snapshot(practice), practice.revised_at, True
    revision = practice.published_revision
    return revision.snapshot, revision.created_at, False


@bp.get("/library/<int:practice_id>-<slug>")
def sheet(practice_id: int, slug: str):
    """Show a practice's sheet: summary and results first, then how it works and who to ask."""
    practice = access.visible_practice(current_user, practice_id)
    if slug != practice.slug:
        return redirect(url_for("library.sheet", practice_id=practice.id, slug=practice.slug,
                                version=request.args.get("version")), 301)
    snapshot, revised_at, working = _sheet_of(practice)
    return render_template("library/sheet.html", practice=practice, sheet=snapshot,
                           revised_at=revised_at, working=working, labels=labels, access=access,
                           approval_form=ApprovalForm(confirmed_level=practice.evidence_level),
                           comment_form=CommentForm(), button=ButtonForm())


@bp.get("/library/<int:practice_id>/scheda.pdf")
def sheet_pdf(practice_id: int):
    """Download the practice's one-page sheet as a PDF."""
    practice = access.visible_practice(current_user, practice_id)
    snapshot, revised_at, _working = _sheet_of(practice)
    data = pdf.sheet_pdf(snapshot, revised_at, str(get_locale() or "it"))
    return data, 200, {"Content-Type": "application/pdf",
                       "Content-Disposition": f'attachment; filename="scheda-{practice.id}.pdf"'}


@bp.get("/library/<int:practice_id>/attachments/<int:attachment_id>")
def attachment(practice_id: int, attachment_id: int):
    """Download a file of the practice (only those of the version the person may see)."""
    practice = access.visible_practice(current_user, practice_id)
    item = services.attachment_of(practice, attachment_id)
    if not access.may_see_working_copy(current_user, practice):
        shown = {a["id"] for a in practice.published_revision.snapshot["attachments"]}
        if item.id not in shown:
            raise NotFound(_("Allegato non trovato."))
    response = send_file(attachment_dir() / item.stored_name, mimetype=item.mimetype,
                         as_attachment=True, download_name=item.filename)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _revisions(practice) -> list[PracticeRevision]:
    """Every revision for those who see the working copy; up to the published one for others."""
    if access.may_see_working_copy(current_user, practice):
        return list(practice.revisions)
    return [r for r in practice.revisions if r.number <= practice.published_revision.number]


@bp.get("/library/<int:practice_id>/revisions")
def revisions(practice_id: int):
    """List the practice's revisions: who saved each, when, and in which state."""
    practice = access.visible_practice(current_user, practice_id)
    return render_template("library/revisions.html", practice=practice, labels=labels,
                           revisions=list(reversed(_revisions(practice))))


@bp.get("/library/<int:practice_id>/diff")
def diff(practice_id: int):
    """Show what changed between two revisions, field by field."""
    practice = access.visible_practice(current_user, practice_id)
    by_number = {r.number: r for r in _revisions(practice)}
    old, new = by_number.get(id_arg("from")), by_number.get(id_arg("to"))
    if old is None or new is None:
        abort(404)
    return render_template("library/diff.html", practice=practice, old=old, new=new,
                           changes=diff_snapshots(old.snapshot, new.snapshot))


def practice_lists():
    """The published practices of a group or region, for their pages (see those templates)."""
    return {"published_in_group": access.published_in_group,
            "published_in_region": access.published_in_region}


# A context processor, so that the groups and accounts domains (which the library depends on)
# need not import it to list a group's or a region's practices.
bp.app_context_processor(practice_lists)
