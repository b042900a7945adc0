"""Mail about an event, in the recipient's language, with the event's calendar entry attached."""
from flask_babel import force_locale, gettext as _

from lab.accounts.models import User
from lab.core.links import external_url
from lab.core.mail import send_mail
from lab.core.timeutil import format_moment
from lab.events.calendar import calendar_bytes
from lab.events.models import Event

LONG = "EEEE d MMMM y, HH:mm z"  # CLDR pattern: "venerdì 29 gennaio 2027, 09:30 CET"
# The kinds of mail that go to people holding a seat: they carry the online link.
SEATED = ("registered", "promoted", "changed", "reminder")


def _subject(kind: str, event: Event) -> str:
    return {
        "registered": _("Iscrizione confermata: %(title)s", title=event.title),
        "waiting": _("Sei in lista d'attesa: %(title)s", title=event.title),
        "promoted": _("Si è liberato un posto: %(title)s", title=event.title),
        "changed": _("Evento modificato: %(title)s", title=event.title),
        "cancelled": _("Evento annullato: %(title)s", title=event.title),
        "reminder": _("Promemoria: %(title)s", title=event.title),
    }[kind]


def _opening(kind: str, event: Event) -> str:
    return {
        "registered": _("la tua iscrizione all'evento «%(title)s» è confermata.", title=event.title),
        "waiting": _("l'evento «%(title)s» è al completo: sei in lista d'attesa. Ti scriveremo "
                     "se si libera un posto.", title=event.title),
        "promoted": _("si è liberato un posto all'evento «%(title)s»: ora sei iscritto.",
                      title=event.title),
        "changed": _("l'evento «%(title)s» è cambiato: trovi qui sotto e nel calendario allegato "
                     "gli orari e il luogo aggiornati.", title=event.title),
        "cancelled": _("l'evento «%(title)s» è stato annullato. Motivo: %(reason)s",
                       title=event.title, reason=event.cancel_reason),
        "reminder": _("ti ricordiamo l'evento «%(title)s», a cui sei iscritto.", title=event.title),
    }[kind]


def _body(person: User, event: Event, kind: str) -> str:
    lines = [_("Gentile %(name)s,", name=person.full_name), "", _opening(kind, event), "",
             _("Quando: %(start)s – %(end)s (ora italiana)",
               start=format_moment(event.starts_at, LONG),
               end=format_moment(event.ends_at, "HH:mm z" if event.ends_same_day else LONG))]
    if event.has_place:
        place = ", ".join(part for part in (event.venue, event.address) if part)
        lines.append(_("Dove: %(place)s", place=place))
    if kind in SEATED and event.is_online:
        lines.append(_("Collegamento: %(url)s", url=event.online_url))
    lines += ["", external_url("events.show", event_id=event.id), "",
              _("Laboratorio interregionale per l'innovazione sociale")]
    return "\n".join(lines)


def notify(person: User, event: Event, kind: str) -> None:
    """Queue the mail of that kind; it leaves when the caller's transaction commits."""
    with force_locale(person.locale or "it"):
        subject, body = _subject(kind, event), _body(person, event, kind)
    calendar = calendar_bytes([event], with_link=kind in SEATED, with_sessions=True)
    attachment = ("evento.ics", "text/calendar", calendar)
    send_mail(person.email, subject, body, attachments=[attachment])
