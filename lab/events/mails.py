"""Mail about an event, in the recipient's language, with the event's calendar entry attached."""
from flask import render_template
from flask_babel import force_locale, gettext as _

from lab.accounts.models import User
from lab.core.links import external_url
from lab.core.mail import send_mail
from lab.events.calendar import calendar_bytes
from lab.events.models import Event


def _subjects(event: Event) -> dict[str, str]:
    return {
        "registered": _("Iscrizione confermata: %(title)s", title=event.title),
        "waiting": _("Sei in lista d'attesa: %(title)s", title=event.title),
        "promoted": _("Si è liberato un posto: %(title)s", title=event.title),
        "changed": _("Evento modificato: %(title)s", title=event.title),
        "cancelled": _("Evento annullato: %(title)s", title=event.title),
        "reminder": _("Promemoria: %(title)s", title=event.title),
    }


def notify(person: User, event: Event, kind: str) -> None:
    """Queue the mail of that kind; it leaves when the caller's transaction commits."""
    seated = kind in ("registered", "promoted", "changed", "reminder")
    with force_locale(person.locale or "it"):
        subject = _subjects(event)[kind]
        body = render_template("events/mail/notice.txt", kind=kind, person=person, event=event,
                               seated=seated, page=external_url("events.show", event_id=event.id))
    attachment = ("evento.ics", "text/calendar", calendar_bytes([event], with_link=seated))
    send_mail(person.email, subject, body, attachments=[attachment])
