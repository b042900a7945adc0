"""The public list and calendars of events, an event's page, its editing and its registrations."""
from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from lab.accounts.models import Region, User
from lab.core.errors import DomainError, NotFound
from lab.core.forms import Form
from lab.core.pagecache import add_clock, kept_for_visitors
from lab.core.params import date_arg, id_arg, page_arg
from lab.core.refusals import attempt
from lab.core.security import permission_required
from lab.core.timeutil import rome_to_utc, rome_today, to_rome
from lab.events import agenda, bp, calendar, queries, registrations, services
from lab.events.forms import (FORMAT_LABELS, KIND_LABELS, CancelForm, EventForm, MessageForm,
                              PersonForm, SessionForm, quota_form)
from lab.events.models import Kind, Status
from lab.extensions import db
from lab.groups.queries import all_groups

organiser_required = permission_required(lambda user: user.is_organiser)


# Lists of events change when an event starts or ends, or its registrations open or close.
add_clock(queries.next_change)


@bp.app_context_processor
def upcoming():
    """Let the home page show the next events, and every page name kinds and formats."""
    return {"upcoming_events": queries.upcoming_events, "event_kinds": KIND_LABELS,
            "event_formats": FORMAT_LABELS}


@bp.get("/events")
@kept_for_visitors
def index():
    """List public events, upcoming first, with filters by kind, region, group and month."""
    kind = request.args.get("kind") or None
    filters = queries.Filters(kind=kind if kind in set(Kind) else None,
                              region_id=id_arg("region"), group_id=id_arg("group"),
                              month=date_arg("month"), past=request.args.get("when") == "past")
    page = page_arg()
    events, more = queries.public_events(filters, page)
    return render_template("events/index.html", events=events, more=more, page=page,
                           filters=filters, regions=_regions(), groups=all_groups(),
                           months=queries.months_around(rome_today()))


@bp.get("/events.ics")
def feed():
    """Serve every public event as one iCalendar feed."""
    return _ics(calendar.calendar_bytes(queries.all_public_events()), "eventi.ics")


@bp.route("/events/new", methods=["GET", "POST"])
@organiser_required
def new():
    """Create an event as a draft."""
    form = _event_form()
    if form.validate_on_submit():
        try:
            event = services.create_event(current_user, _draft(form))
        except services.InvalidField as error:
            form[error.field].errors.append(error.message)
        else:
            flash(_("Evento creato come bozza."), "success")
            return redirect(url_for("events.manage", event_id=event.id))
    return render_template("events/edit.html", form=form, event=None), 400 if form.errors else 200


@bp.get("/events/<int:event_id>")
def show(event_id: int):
    """Show an event: when, where, what, and the person's registration."""
    event = queries.event_for(current_user, event_id)
    manager = queries.can_manage(current_user, event)
    registration = queries.registration_of(current_user, event)
    general, regional = queries.seat_counts(event.id)
    delegate_form = PersonForm()
    delegate_form.person.choices = [SelectChoice(p.id, p.full_name)
                                    for p in queries.region_delegates(current_user, event)]
    return render_template(
        "events/show.html", event=event, manager=manager, registration=registration,
        may_register=queries.is_open_for_registration(event), delegate_form=delegate_form,
        taken=general + sum(regional.values()), button=Form(), days=agenda.agenda_by_day(event),
        show_link=bool(manager or (registration and registration.is_registered)))


@bp.get("/events/<int:event_id>.ics")
def event_ics(event_id: int):
    """Serve one event as an iCalendar file."""
    event = queries.event_for(current_user, event_id)
    return _ics(calendar.calendar_bytes([event], with_sessions=True), f"evento-{event.id}.ics")


@bp.route("/events/<int:event_id>/edit", methods=["GET", "POST"])
@login_required
def edit(event_id: int):
    """Change an event's details."""
    event = queries.event_managed_by(current_user, event_id)
    form = _event_form(event)
    if form.validate_on_submit():
        try:
            services.update_event(current_user, event, _draft(form))
        except services.InvalidField as error:
            form[error.field].errors.append(error.message)
        except DomainError as error:
            form.title.errors.append(error.message)
        else:
            flash(_("Evento aggiornato."), "success")
            return redirect(url_for("events.manage", event_id=event.id))
    return render_template("events/edit.html", form=form, event=event), 400 if form.errors else 200


@bp.get("/events/<int:event_id>/manage")
@login_required
def manage(event_id: int):
    """Show organisers the seats per region, the registrations and the waiting list."""
    event = queries.event_managed_by(current_user, event_id)
    co_form = PersonForm()
    co_form.person.choices = [SelectChoice(p.id, p.full_name)
                           for p in queries.possible_co_organisers(event)]
    general, regional = queries.seat_counts(event.id)
    return render_template(
        "events/manage.html", event=event, rows=queries.region_table(event),
        registered=queries.registrations(event, Status.REGISTERED),
        waiting=queries.registrations(event, Status.WAITING), general_taken=general,
        reserved=queries.quota_total(event), button=Form(), cancel_form=CancelForm(),
        co_form=co_form, session_form=SessionForm(), quotas=quota_form(_regions(), {q.region_id: q.seats for q in event.quotas}),
        open=queries.is_open_for_registration(event),
        message_form=MessageForm())


@bp.post("/events/<int:event_id>/publish")
@login_required
def publish(event_id: int):
    """Publish a draft."""
    event = queries.event_managed_by(current_user, event_id)
    attempt(lambda: services.publish_event(current_user, event), _("Evento pubblicato."))
    return _to_manage(event)


@bp.post("/events/<int:event_id>/cancel")
@login_required
def cancel(event_id: int):
    """Cancel the event, with a reason sent to everyone registered."""
    event = queries.event_managed_by(current_user, event_id)
    reason = CancelForm().reason.data or ""
    attempt(lambda: services.cancel_event(current_user, event, reason), _("Evento annullato."))
    return _to_manage(event)


@bp.post("/events/<int:event_id>/organisers")
@login_required
def add_organiser(event_id: int):
    """Name a co-organiser."""
    event = queries.event_managed_by(current_user, event_id)
    person = db.session.get(User, PersonForm().person.data or 0)
    if person is None:
        raise NotFound(_("Persona non trovata."))
    attempt(lambda: services.add_organiser(current_user, event, person), _("Co-organizzatore aggiunto."))
    return _to_manage(event)


@bp.post("/events/<int:event_id>/quotas")
@login_required
def quotas(event_id: int):
    """Reserve seats for member regions."""
    event = queries.event_managed_by(current_user, event_id)
    regions = _regions()
    form = quota_form(regions, {})
    if form.validate():
        seats = {region.id: form[f"region_{region.id}"].data or 0 for region in regions}
        attempt(lambda: services.set_quotas(current_user, event, seats), _("Posti riservati salvati."))
    else:
        flash(_("I posti riservati devono essere numeri interi non negativi."), "danger")
    return _to_manage(event)


@bp.post("/events/<int:event_id>/close-registration")
@login_required
def close_registration(event_id: int):
    """Stop taking registrations now."""
    event = queries.event_managed_by(current_user, event_id)
    attempt(lambda: services.close_registration(current_user, event), _("Iscrizioni chiuse."))
    return _to_manage(event)


@bp.post("/events/<int:event_id>/delegates")
@login_required
def register_delegate(event_id: int):
    """Register a delegate of the region one administers."""
    event = queries.event_for(current_user, event_id)
    person = db.session.get(User, PersonForm().person.data or 0)
    if person is None:
        raise NotFound(_("Persona non trovata."))
    attempt(lambda: registrations.register(current_user, event, person), _("Delegato iscritto."))
    return redirect(url_for("events.show", event_id=event.id))


@bp.post("/events/<int:event_id>/registrations/<int:registration_id>/cancel")
@login_required
def cancel_registration(event_id: int, registration_id: int):
    """Give up a seat or a waiting place."""
    event = queries.event_for(current_user, event_id)
    registration = queries.registration_in(event, registration_id)
    attempt(lambda: registrations.cancel_registration(current_user, registration),
            _("Iscrizione annullata."))
    return redirect(url_for("events.manage" if queries.can_manage(current_user, event)
                            else "events.show", event_id=event.id))


@bp.post("/events/<int:event_id>/registrations/<int:registration_id>/promote")
@login_required
def promote(event_id: int, registration_id: int):
    """Give a waiting person a seat."""
    event = queries.event_managed_by(current_user, event_id)
    registration = queries.registration_in(event, registration_id)
    attempt(lambda: registrations.promote(current_user, registration), _("Persona iscritta."))
    return _to_manage(event)


@bp.post("/events/<int:event_id>/sessions")
@login_required
def add_session(event_id: int):
    """Add a session or a break to the agenda."""
    event = queries.event_managed_by(current_user, event_id)
    form = SessionForm()
    if not form.validate_on_submit():
        flash(_("Controlla il titolo e gli orari della sessione."), "danger")
        return _to_manage(event)
    draft = agenda.SessionDraft(
        title=form.title.data, starts_at=rome_to_utc(form.starts_at.data),
        ends_at=rome_to_utc(form.ends_at.data), place=form.place.data or "",
        speakers=form.speakers.data or "", description=form.description.data or "",
        is_break=form.is_break.data)
    attempt(lambda: agenda.add_session(current_user, event, draft), _("Sessione aggiunta."))
    return _to_manage(event)


@bp.post("/events/<int:event_id>/sessions/<int:session_id>/delete")
@login_required
def remove_session(event_id: int, session_id: int):
    """Take a session off the agenda."""
    event = queries.event_managed_by(current_user, event_id)
    session = agenda.session_in(event, session_id)
    attempt(lambda: agenda.remove_session(current_user, session), _("Sessione tolta dal programma."))
    return _to_manage(event)


def _to_manage(event):
    return redirect(url_for("events.manage", event_id=event.id))


def _regions() -> list[Region]:
    return list(db.session.scalars(select(Region).order_by(Region.name_it)))


def _ics(data: bytes, filename: str) -> Response:
    return Response(data, mimetype="text/calendar",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def _event_form(event=None) -> EventForm:
    form = EventForm()
    form.region.choices = [SelectChoice(0, "—")] + [SelectChoice(r.id, r.name_it) for r in _regions()]
    form.groups.choices = [SelectChoice(g.id, g.name_it) for g in all_groups()]
    if event is not None and request.method == "GET":
        for name in ("title", "kind", "description", "format", "venue", "address", "online_url",
                     "capacity", "signing_occasion"):
            form[name].data = getattr(event, name)
        for name in ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at"):
            moment = getattr(event, name)
            form[name].data = to_rome(moment).replace(tzinfo=None) if moment else None
        form.region.data = event.region_id or 0
        form.groups.data = [group.id for group in event.groups]
    return form


def _draft(form: EventForm) -> services.EventDraft:
    def utc(moment):
        return rome_to_utc(moment) if moment else None

    return services.EventDraft(
        title=form.title.data, kind=form.kind.data, format=form.format.data,
        starts_at=utc(form.starts_at.data), ends_at=utc(form.ends_at.data),
        description=form.description.data or "", venue=form.venue.data or "",
        address=form.address.data or "", online_url=(form.online_url.data or "").strip(),
        region_id=form.region.data or None, group_ids=form.groups.data or [],
        capacity=form.capacity.data, registration_opens_at=utc(form.registration_opens_at.data),
        registration_closes_at=utc(form.registration_closes_at.data),
        signing_occasion=form.signing_occasion.data)
