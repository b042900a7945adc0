"""A message from an event's organisers to everyone holding a seat (and, if they say so, waiting)."""
from dataclasses import dataclass

from flask_babel import force_locale, gettext as _
from markupsafe import Markup

from lab.accounts.audit import record
from lab.accounts.models import User
from lab.core.errors import DomainError
from lab.core.links import external_url
from lab.core.mail import send_mail
from lab.core.markup import render_markdown
from lab.events.models import Event, Status
from lab.events.queries import registrations
from lab.events.services import check_manager
from lab.extensions import db

HTML = Markup('<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{subject}'
              '</title></head><body><p>{greeting}</p>{body}<hr><p>{signature} '
              '<a href="{url}">{url}</a></p></body></html>')


@dataclass
class MessageDraft:
    subject: str
    body: str  # Markdown
    include_waiting: bool = False


@dataclass(frozen=True)
class _Recipient:
    email: str
    name: str
    locale: str


def message_registrants(actor: User, event: Event, draft: MessageDraft) -> int:
    """Mail the organisers' message to the people registered (and waiting, if asked); say how many.

    The mails are queued only once the audit entry is committed, one per person.
    """
    check_manager(actor, event)
    subject, body = " ".join(draft.subject.split()), draft.body.strip()  # a header is one line
    if not subject or not body:
        raise DomainError(_("Scrivi l'oggetto e il testo del messaggio."))
    statuses = [Status.REGISTERED] + ([Status.WAITING] if draft.include_waiting else [])
    recipients = [_Recipient(r.email, r.name or "", r.locale)
                  for status in statuses for r in registrations(event, status)
                  if r.email]  # a guest's address is gone once their personal data is erased
    if not recipients:
        raise DomainError(_("Non c'è nessuno a cui scrivere: l'evento non ha iscritti."))
    record("event.message_sent", actor=actor, event=event.id, message_subject=subject,
           recipients=len(recipients), waiting_included=draft.include_waiting)
    db.session.commit()
    html_body = Markup(render_markdown(body))
    for recipient in recipients:
        _mail(recipient, event, subject, body, html_body)
    return len(recipients)


def _mail(recipient: _Recipient, event: Event, subject: str, body: str, html_body: Markup) -> None:
    url = external_url("events.show", event_id=event.id)
    with force_locale(recipient.locale):
        greeting = _("Gentile %(name)s,", name=recipient.name)
        signature = _("Messaggio degli organizzatori dell'evento «%(title)s».", title=event.title)
        full_subject = " ".join(f"[{event.title}] {subject}".split())
    text = "\n".join([greeting, "", body, "", "-- ", signature, url])
    html = HTML.format(lang=recipient.locale, subject=full_subject, greeting=greeting,
                       body=html_body, signature=signature, url=url)
    send_mail(recipient.email, full_subject, text, html=str(html))
