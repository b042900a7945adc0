"""Mail about an event, in the recipient's language, with the event's calendar entry attached."""
from dataclasses import dataclass

from flask_babel import force_locale, gettext as _

from lab.core import jobs
from lab.core.links import external_url
from lab.core.mail import send_mail
from lab.core.timeutil import format_day, format_moment
from lab.events.calendar import calendar_bytes
from lab.events.models import Event, Registration, Signup
from lab.events.tokens import new_token
from lab.extensions import db

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


@dataclass
class Guest:
    """Someone without an account, written to in Italian, the platform's first language."""

    full_name: str
    email: str
    locale: str = "it"


def _body(person, event: Event, kind: str, cancel_url: str | None = None) -> str:
    lines = [_("Gentile %(name)s,", name=person.full_name), "", _opening(kind, event), "",
             _("Quando: %(start)s – %(end)s (ora italiana)",
               start=format_moment(event.starts_at, LONG),
               end=format_moment(event.ends_at, "HH:mm z" if event.ends_same_day else LONG))]
    if event.has_place:
        place = ", ".join(part for part in (event.venue, event.address) if part)
        lines.append(_("Dove: %(place)s", place=place))
    if kind in SEATED and event.is_online:
        lines.append(_("Collegamento: %(url)s", url=event.online_url))
    lines += ["", external_url("events.show", event_id=event.id)]
    if cancel_url and kind != "cancelled":
        lines += ["", _("Per annullare l'iscrizione apri questo collegamento (sostituisce quelli "
                        "delle email precedenti):"), cancel_url]
    lines += ["", _("Laboratorio interregionale per l'innovazione sociale")]
    return "\n".join(lines)


def notify(person, event: Event, kind: str, cancel_url: str | None = None) -> None:
    """Queue the mail of that kind to a ``User`` or a ``Guest``; it leaves when the caller's
    transaction commits."""
    with force_locale(person.locale or "it"):
        subject, body = _subject(kind, event), _body(person, event, kind, cancel_url)
    calendar = calendar_bytes([event], with_link=kind in SEATED, with_sessions=True)
    attachment = ("evento.ics", "text/calendar", calendar)
    send_mail(person.email, subject, body, attachments=[attachment])


def notify_registration(registration: Registration, kind: str) -> None:
    """Ask for the mail of that kind to whoever holds the registration, once the caller commits.

    Only the registration's id goes to the queue: the mail and its calendar are built by the
    job, outside the caller's transaction and the event's lock it may hold. A person without an
    account gets a fresh cancel link: its hash is stored now, in the caller's transaction (each
    mail's link replaces the previous ones), and the token itself travels with the job.
    """
    db.session.flush()  # the new registration's id
    token = None
    if registration.user_id is None and registration.guest_email:
        token, registration.cancel_token_hash = new_token()
    jobs.enqueue(send_registration_mail, registration.id, kind, token)


def _describe_registration_mail(registration_id: int, kind: str, token: str | None) -> str:
    return f"event registration {registration_id}: {kind} mail"


@jobs.job(describe=_describe_registration_mail)
def send_registration_mail(registration_id: int, kind: str, token: str | None) -> None:
    """Build and send a registration's mail; once a guest's address is erased there is nobody
    to write to."""
    registration = db.session.get(Registration, registration_id)
    if registration.user is not None:
        notify(registration.user, registration.event, kind)
    elif registration.guest_email:
        notify(Guest(registration.guest_name or "", registration.guest_email), registration.event,
               kind, cancel_url=external_url("events.guest_cancel", token=token))


def ask_confirmation(signup: Signup, token: str, hours: int, retention_day) -> None:
    """Queue the mail with the link that confirms a registration without an account."""
    event = signup.event
    with force_locale("it"):
        subject = _("Conferma la tua iscrizione: %(title)s", title=event.title)
        body = "\n".join([
            _("Gentile %(name)s,", name=signup.name), "",
            _("per completare l'iscrizione all'evento «%(title)s» apri questo collegamento entro "
              "%(hours)d ore:", title=event.title, hours=hours), "",
            external_url("events.confirm_signup", token=token), "",
            _("Finché non lo apri l'iscrizione non occupa un posto. Se non l'hai chiesta tu, "
              "ignora questa email."),
            _("Le tue risposte al modulo saranno cancellate dopo il %(day)s.",
              day=format_day(retention_day, "long")), "",
            _("Laboratorio interregionale per l'innovazione sociale")])
    send_mail(signup.email, subject, body)
