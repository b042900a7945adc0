"""The group directory, a page per group, and the forms that change membership."""
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from lab.accounts.forms import ButtonForm
from lab.accounts.models import User
from lab.core.errors import DomainError
from lab.core.i18n import shown_name
from lab.core.pagecache import kept_for_visitors
from lab.core.refusals import attempt
from lab.core.security import platform_admin_required
from lab.extensions import db
from lab.groups import bp, queries, services
from lab.groups.forms import CoordinatorForm, DeclineForm, GroupForm, OpennessForm


def _back(slug: str):
    return redirect(url_for("groups.show", slug=slug))


@bp.app_template_global()
def my_groups(person):
    """Give the home and welcome pages the groups a person takes part in."""
    return queries.groups_of(person)


@bp.app_template_global()
def theme_groups():
    """Give the home page the groups of the Pact's themes (the core knows no groups)."""
    return queries.theme_groups()


@bp.get("/groups")
@kept_for_visitors
def index():
    """List the working groups with their members and regions, the person's own first."""
    return render_template("groups/index.html", summaries=queries.group_summaries(),
                           mine=queries.groups_of(current_user))


@bp.route("/groups/new", methods=["GET", "POST"])
@platform_admin_required
def new():
    """Create a working group."""
    form = GroupForm()
    if form.validate_on_submit():
        draft = services.GroupDraft(form.name_it.data, form.name_en.data, form.description_it.data,
                                    form.description_en.data, form.is_open.data)
        try:
            group = services.create_group(current_user, draft)
        except DomainError as error:
            form.name_it.errors.append(error.message)
        else:
            flash(_("Gruppo creato."), "success")
            return _back(group.slug)
    return render_template("groups/new.html", form=form), 400 if form.errors else 200


@bp.get("/groups/<slug>")
@kept_for_visitors
def show(slug: str):
    """Show a group's purpose, coordinators, members by region and what they share."""
    group = queries.group_by_slug(slug)
    manager = current_user.is_authenticated and queries.can_manage(current_user, group)
    coordinators = queries.coordinators(group)
    context = {
        "group": group,
        "coordinators": coordinators,
        "members_by_region": queries.members_by_region(group),
        "unrepresented": queries.unrepresented_regions(group),
        "membership": queries.open_membership(current_user, group) if current_user.is_authenticated else None,
        "declined": queries.last_decline(current_user, group) if current_user.is_authenticated else None,
        "no_coordinator": None if group.is_open or coordinators else services.no_coordinator_message(),
        "participant": queries.is_participant(current_user, group),
        "manager": manager,
        "requests": queries.pending_requests(group) if manager else [],
        "decline_form": DeclineForm(),
        "button": ButtonForm(),
        "openness_form": OpennessForm(is_open=group.is_open),
    }
    if current_user.is_authenticated and current_user.is_platform_admin:
        context["coordinator_form"] = _coordinator_form(group)
    return render_template("groups/show.html", **context)


def _coordinator_form(group) -> CoordinatorForm:
    form = CoordinatorForm()
    form.person.choices = [
        SelectChoice(p.id, f"{p.full_name} ({shown_name(p.region) if p.region else '–'})")
                           for p in queries.delegates_not_coordinating(group)]
    return form


@bp.post("/groups/<slug>/join")
@login_required
def join(slug: str):
    """Ask to join the group (or join at once if it is open)."""
    group = queries.group_by_slug(slug)
    success = _("Sei entrato nel gruppo.") if group.is_open else _("Richiesta inviata ai coordinatori.")
    attempt(lambda: services.ask_to_join(current_user, group), success)
    return _back(slug)


@bp.post("/groups/<slug>/leave")
@login_required
def leave(slug: str):
    """Leave the group or withdraw a pending request."""
    group = queries.group_by_slug(slug)
    attempt(lambda: services.leave_group(current_user, group), _("Hai lasciato il gruppo."))
    return _back(slug)


@bp.post("/groups/<slug>/requests/<int:membership_id>/accept")
@login_required
def accept(slug: str, membership_id: int):
    """Accept a request to join."""
    group = queries.group_by_slug(slug)
    membership = services.membership_in(group, membership_id)
    attempt(lambda: services.accept_request(current_user, membership), _("Richiesta accettata."))
    return _back(slug)


@bp.post("/groups/<slug>/requests/<int:membership_id>/decline")
@login_required
def decline(slug: str, membership_id: int):
    """Decline a request to join."""
    group = queries.group_by_slug(slug)
    membership = services.membership_in(group, membership_id)
    reason = DeclineForm().reason.data or ""
    attempt(lambda: services.decline_request(current_user, membership, reason),
            _("Richiesta rifiutata."))
    return _back(slug)


@bp.post("/groups/<slug>/members/<int:membership_id>/remove")
@login_required
def remove(slug: str, membership_id: int):
    """Remove a member from the group."""
    group = queries.group_by_slug(slug)
    membership = services.membership_in(group, membership_id)
    attempt(lambda: services.remove_member(current_user, membership), _("Membro rimosso dal gruppo."))
    return _back(slug)


@bp.post("/groups/<slug>/openness")
@login_required
def openness(slug: str):
    """Open the group to every delegate, or ask for a decision again."""
    group = queries.group_by_slug(slug)
    is_open = OpennessForm().is_open.data
    attempt(lambda: services.set_open(current_user, group, is_open), _("Impostazione salvata."))
    return _back(slug)


@bp.post("/groups/<slug>/coordinators")
@platform_admin_required
def appoint(slug: str):
    """Appoint a delegate as coordinator of the group."""
    group = queries.group_by_slug(slug)
    form = _coordinator_form(group)
    if not form.validate_on_submit():
        flash(_("Scegli il delegato da nominare."), "danger")
        return _back(slug)
    person = db.get_or_404(User, form.person.data)
    attempt(lambda: services.appoint_coordinator(current_user, group, person), _("Coordinatore nominato."))
    return _back(slug)


@bp.post("/groups/<slug>/coordinators/<int:coordination_id>/end")
@platform_admin_required
def end_coordination(slug: str, coordination_id: int):
    """End a coordinator's appointment."""
    group = queries.group_by_slug(slug)
    coordination = services.coordination_in(group, coordination_id)
    attempt(lambda: services.end_coordination(current_user, coordination), _("Incarico terminato."))
    return _back(slug)
