"""Registration for public events by people without an account, confirmed by a mailed link.

A request (``Signup``) holds no seat: the registration is made, under the event's lock, only
when the link is opened, so the waiting list follows the order of confirmation. The link's
token is stored hashed, works once and expires; the cancel link of every later mail works the
same way (see ``mails.notify_registration``).
"""
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from lab.accounts.audit import record
from lab.accounts.models import User
from lab.accounts.services import normalise_email
from lab.core.errors import Conflict, DomainError, NotFound
from lab.core.timeutil import utcnow
from lab.events import mails
from lab.events.models import ACTIVE_STATUSES, Event, Registration, Signup
from lab.events.questions import (Details, InvalidAnswer, check_details, questions_of,
                                  retention_date)
from lab.events.registrations import check_open, refusing_doubles, release, take_place
from lab.events.services import lock_event
from lab.events.tokens import digest, new_token
from lab.extensions import db



class LinkClosed(DomainError):
    """The confirmation link was already used or has expired; ``title`` heads the page."""

    def __init__(self, title: str, message: str):
        super().__init__(message)
        self.title = title


def request_signup(event: Event, name: str, email: str, organisation: str,
                   details: Details) -> Signup:
    """Record a request to register without an account and mail the link that confirms it."""
    if not event.is_public:
        raise NotFound(_("Evento non trovato."))
    check_open(event)
    name, email, organisation = (name or "").strip(), normalise_email(email), (organisation or "").strip()
    if not name:
        raise InvalidAnswer("name", _("Indica nome e cognome."))
    if "@" not in email:
        raise InvalidAnswer("email", _("Indica un indirizzo email valido."))
    details = check_details(questions_of(event), details)
    token, token_hash = new_token()
    hours = current_app.config["EVENT_SIGNUP_LINK_HOURS"]
    data = details.to_json() | {"organisation": organisation}
    signup = Signup(event=event, name=name, email=email, token_hash=token_hash, details=data,
                    expires_at=utcnow() + timedelta(hours=hours))
    db.session.add(signup)
    record("event.signup_requested", event=event.id)
    mails.ask_confirmation(signup, token, hours, retention_date(event))
    db.session.commit()
    return signup


def signup_for(token: str) -> Signup:
    """Return the request a confirmation link points to, if it can still be confirmed."""
    signup = db.session.scalar(select(Signup).where(Signup.token_hash == digest(token))
                               .execution_options(populate_existing=True))
    if signup is None:
        raise NotFound(_("Questo collegamento di conferma non esiste o i dati della richiesta "
                         "sono stati cancellati."))
    if signup.confirmed_at is not None:
        raise LinkClosed(_("Collegamento già usato"),
                         _("Questa iscrizione è già stata confermata: trovi nella seconda email "
                           "il collegamento per annullarla."))
    if signup.expires_at <= utcnow():
        raise LinkClosed(_("Collegamento scaduto"),
                         _("Il collegamento di conferma è scaduto: ripeti l'iscrizione dalla "
                           "pagina dell'evento."))
    return signup


def confirm_signup(token: str) -> Registration:
    """Turn a confirmed request into a seat or a waiting place, in order of confirmation."""
    signup = signup_for(token)
    asked = questions_of(signup.event)
    event = lock_event(signup.event)
    signup = signup_for(token)  # read again under the lock: a second click waits, then fails
    check_open(event)
    already = _("L'indirizzo %(email)s è già iscritto a questo evento o in lista d'attesa.",
                email=signup.email)
    if _already_registered(event, signup.email):
        raise Conflict(already)
    details = Details.from_json(signup.details)
    registration = Registration(event=event, guest_name=signup.name, guest_email=signup.email,
                                guest_organisation=signup.details.get("organisation") or None)
    with refusing_doubles(already):
        take_place(event, registration, None, details, asked)
        signup.confirmed_at, signup.registration, signup.details = utcnow(), registration, {}
    return registration


def guest_registration_for(token: str) -> Registration:
    """Return the active registration a cancel link points to."""
    registration = db.session.scalar(select(Registration).where(
        Registration.cancel_token_hash == digest(token), Registration.status.in_(ACTIVE_STATUSES)))
    if registration is None:
        raise NotFound(_("Questo collegamento non vale più: l'iscrizione è già annullata, oppure "
                         "un'email più recente ne contiene uno nuovo."))
    return registration


def cancel_by_link(token: str) -> None:
    """Give up a guest's seat or waiting place from the link in their mail."""
    release(guest_registration_for(token), None)


def _already_registered(event: Event, email: str) -> bool:
    """Whether the address holds a seat or a waiting place, as a guest or through an account."""
    return bool(db.session.scalar(select(Registration.id).outerjoin(User, Registration.user_id == User.id)
                                  .where(Registration.event_id == event.id,
                                         Registration.status.in_(ACTIVE_STATUSES),
                                         (Registration.guest_email == email) | (User.email == email))))
