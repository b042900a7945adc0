"""Events for forum organisers: forums, meetings, trainings, webinars and their registrations."""
from flask import Blueprint
from flask_babel import lazy_gettext as _l

from lab.accounts.audit import ACTION_LABELS
from lab.core.navigation import add_nav_item

bp = Blueprint("events", __name__)
add_nav_item("events.index", _l("Eventi"), order=25)

# The audit log's words for what the events record (the log's labels live with accounts).
ACTION_LABELS.update({
    "event.created": _l("Evento creato"),
    "event.updated": _l("Evento modificato"),
    "event.published": _l("Evento pubblicato"),
    "event.cancelled": _l("Evento annullato"),
    "event.organiser_added": _l("Co-organizzatore aggiunto a un evento"),
    "event.quotas_set": _l("Posti riservati alle regioni salvati"),
    "event.registration_closed": _l("Iscrizioni a un evento chiuse"),
    "event.session_added": _l("Sessione aggiunta al programma"),
    "event.session_removed": _l("Sessione tolta dal programma"),
    "event.registered": _l("Iscrizione a un evento"),
    "event.waitlisted": _l("Iscrizione in lista d'attesa"),
    "event.registration_cancelled": _l("Iscrizione a un evento annullata"),
    "event.promoted": _l("Persona promossa dalla lista d'attesa"),
    "event.signup_requested": _l("Richiesta d'iscrizione senza account"),
    "event.question_added": _l("Domanda aggiunta al modulo d'iscrizione"),
    "event.question_updated": _l("Domanda del modulo d'iscrizione modificata"),
    "event.question_removed": _l("Domanda tolta dal modulo d'iscrizione"),
    "event.personal_data_erased": _l("Dati personali delle iscrizioni cancellati"),
    "event.message_sent": _l("Messaggio inviato agli iscritti a un evento"),
})

# Registering the routes on bp, and lending the Pact its signing occasions.
from lab.events import occasions, organiser_routes, routes, signup_routes  # noqa: E402,F401
