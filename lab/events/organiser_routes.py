"""Organisers' pages of an event: its registrations filtered and exported, a message to them all."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lab.accounts.services import all_regions
from lab.core.csv import csv_response
from lab.core.params import id_arg
from lab.core.refusals import flash_outcome
from lab.core.xlsx import xlsx_response
from lab.events import bp, exports, mailing, occasions, queries
from lab.events.forms import MessageForm
from lab.events.models import Pool, Status


@bp.app_context_processor
def adhesions():
    """Let the event page list the adhesions to the Pact signed at the event."""
    return {"adhesions_at": occasions.adhesions_at}


@bp.get("/events/<int:event_id>/registrations")
@login_required
def roster(event_id: int):
    """List the event's registrations, filtered by status, region and kind of seat."""
    event = queries.event_managed_by(current_user, event_id)
    filters = _roster_filters()
    return render_template("events/registrations.html", event=event, filters=filters,
                           registrations=exports.roster(event, filters), regions=all_regions(),
                           statuses=exports.status_labels(), pools=exports.pool_labels())


@bp.get("/events/<int:event_id>/registrations.csv")
@login_required
def roster_csv(event_id: int):
    """Download the filtered registrations as CSV."""
    event = queries.event_managed_by(current_user, event_id)
    return csv_response(exports.export_filename(event, "csv"),
                        *exports.roster_table(event, _roster_filters()))


@bp.get("/events/<int:event_id>/registrations.xlsx")
@login_required
def roster_xlsx(event_id: int):
    """Download the filtered registrations as an Excel workbook."""
    event = queries.event_managed_by(current_user, event_id)
    return xlsx_response(exports.export_filename(event, "xlsx"), _("Iscrizioni"),
                         *exports.roster_table(event, _roster_filters()))


@bp.post("/events/<int:event_id>/message")
@login_required
def message(event_id: int):
    """Mail a message to everyone registered, and to the waiting list if asked."""
    event = queries.event_managed_by(current_user, event_id)
    form = MessageForm()
    if form.validate_on_submit():
        draft = mailing.MessageDraft(form.subject.data, form.body.data, form.include_waiting.data)
        flash_outcome(lambda: mailing.message_registrants(current_user, event, draft),
                      _("Messaggio inviato: parte ora, una mail per persona."))
    else:
        flash(_("Il messaggio non è partito: scrivi l'oggetto (al massimo 150 caratteri) e il "
                "testo."), "danger")
    return redirect(url_for("events.manage", event_id=event.id, _anchor="message-title"))


def _roster_filters() -> exports.RosterFilters:
    """The filters in the query string; a value that is not one of the choices is ignored."""
    status, pool = request.args.get("status"), request.args.get("pool")
    return exports.RosterFilters(status=status if status in set(Status) else None,
                                 region_id=id_arg("region"),
                                 pool=pool if pool in set(Pool) else None)
