"""The notification settings form on the account page."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField

from lab.core.forms import Form


class NotificationForm(Form):
    join_requests = BooleanField(_l("Richieste di partecipazione ai gruppi che coordino"))
    decisions = BooleanField(_l("Risposte alle mie richieste di partecipazione"))
    appointments = BooleanField(_l("Nomine a coordinatore di un gruppo"))
    mentions = BooleanField(_l("Menzioni nelle stanze mentre non sono collegato"))
    mention_digest = BooleanField(_l("Menzioni raccolte in un riepilogo quotidiano invece di "
                                     "un'email ciascuna"))
    pact_entries = BooleanField(_l("Nuove voci del registro del Patto per la mia Regione"))
