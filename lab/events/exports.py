"""The organisers' list of an event's registrations: filters, and its rows for CSV and XLSX."""
from dataclasses import dataclass
from datetime import datetime

from flask_babel import get_locale, gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from lab.core.timeutil import format_moment
from lab.events.models import ACTIVE_STATUSES, Event, Pool, Registration, Status
from lab.events.questions import answer_columns, answers_of_each
from lab.extensions import db


@dataclass
class RosterFilters:
    status: str | None = None  # None: seated and waiting people, not the cancelled
    region_id: int | None = None
    pool: str | None = None

    @property
    def as_args(self) -> dict:
        """The filters as query-string arguments, for the export links."""
        return {name: value for name, value in (("status", self.status),
                                                ("region", self.region_id), ("pool", self.pool))
                if value}


def status_labels() -> dict[str, str]:
    return {Status.REGISTERED.value: _("Iscritto"), Status.WAITING.value: _("In lista d'attesa"),
            Status.CANCELLED.value: _("Annullata")}


def pool_labels() -> dict[str, str]:
    return {Pool.REGION.value: _("Riservato alla regione"), Pool.GENERAL.value: _("Generale")}


def roster(event: Event, filters: RosterFilters) -> list[Registration]:
    """The event's registrations matching the filters, in arrival order."""
    query = select(Registration).where(Registration.event_id == event.id)
    if filters.status:
        query = query.where(Registration.status == filters.status)
    else:
        query = query.where(Registration.status.in_(ACTIVE_STATUSES))
    if filters.region_id:
        query = query.where(Registration.region_id == filters.region_id)
    if filters.pool:
        query = query.where(Registration.pool == filters.pool)
    return list(db.session.scalars(query.options(
        selectinload(Registration.user), selectinload(Registration.region),
        selectinload(Registration.registered_by)).order_by(Registration.id)))


def roster_table(event: Event, filters: RosterFilters) -> tuple[list[str], list[list]]:
    """The header and rows of the export: one row per registration matching the filters."""
    locale = str(get_locale() or "it")
    statuses, pools = status_labels(), pool_labels()
    header = [_("N."), _("Nome"), _("Email"), _("Regione"), _("Stato"), _("Posto"),
              _("Richiesta (ora italiana)"), _("Posto assegnato (ora italiana)"),
              _("Iscritto da"), _("Organizzazione (senza account)"), *answer_columns(event)]
    rows, listed = [], roster(event, filters)
    answers = answers_of_each(event, listed)
    for registration in listed:
        by = registration.registered_by
        rows.append([
            registration.id, registration.name or "", registration.email or "",
            registration.region.name(locale) if registration.region else "",
            statuses[registration.status], pools.get(registration.pool or "", ""),
            _local(registration.created_at), _local(registration.seated_at),
            by.full_name if by and by.id != registration.user_id else "",
            registration.guest_organisation or "",
            *(text for _label, text in answers[registration.id])])
    return header, rows


def export_filename(event: Event, extension: str) -> str:
    return f"iscrizioni-evento-{event.id}.{extension}"


def _local(moment: datetime | None) -> str:
    return format_moment(moment, "yyyy-MM-dd HH:mm") if moment else ""  # sorts as text
