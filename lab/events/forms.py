"""Forms of the events domain; labels in Italian, translated by Flask-Babel."""
from flask_babel import lazy_gettext as _l
from wtforms import (BooleanField, DateTimeLocalField, IntegerField, SelectField, SelectMultipleField,
                     StringField, TextAreaField)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from lab.core.forms import Form
from lab.events.models import Format, Kind

KIND_LABELS = {
    Kind.FORUM: _l("Forum"),
    Kind.WORKING_GROUP: _l("Riunione di gruppo di lavoro"),
    Kind.TRAINING: _l("Formazione"),
    Kind.WEBINAR: _l("Webinar"),
}
FORMAT_LABELS = {
    Format.IN_PERSON: _l("In presenza"),
    Format.ONLINE: _l("Online"),
    Format.HYBRID: _l("Ibrido (in presenza e online)"),
}
LOCAL = "%Y-%m-%dT%H:%M"
ROME_HINT = _l("Ora italiana.")


class EventForm(Form):
    title = StringField(_l("Titolo"), validators=[DataRequired(), Length(max=200)])
    kind = SelectField(_l("Tipo"), choices=[SelectChoice(k.value, label) for k, label in KIND_LABELS.items()])
    description = TextAreaField(_l("Descrizione"), validators=[Length(max=20000)],
                                description=_l("Puoi usare Markdown."))
    format = SelectField(_l("Formato"), choices=[SelectChoice(k.value, label) for k, label in FORMAT_LABELS.items()])
    venue = StringField(_l("Sede"), validators=[Length(max=200)])
    address = StringField(_l("Indirizzo"), validators=[Length(max=300)])
    online_url = StringField(_l("Collegamento online"), validators=[Length(max=500)],
                             description=_l("Visibile solo agli iscritti."))
    starts_at = DateTimeLocalField(_l("Inizio"), format=LOCAL, validators=[DataRequired()],
                                   description=ROME_HINT)
    ends_at = DateTimeLocalField(_l("Fine"), format=LOCAL, validators=[DataRequired()],
                                 description=ROME_HINT)
    region = SelectField(_l("Regione ospitante"), coerce=int, validators=[Optional()])
    groups = SelectMultipleField(_l("Gruppi di lavoro collegati"), coerce=int)
    capacity = IntegerField(_l("Posti disponibili"), validators=[Optional(), NumberRange(min=0)],
                            description=_l("Vuoto: nessun limite."))
    registration_opens_at = DateTimeLocalField(_l("Apertura delle iscrizioni"), format=LOCAL,
                                               validators=[Optional()], description=ROME_HINT)
    registration_closes_at = DateTimeLocalField(_l("Chiusura delle iscrizioni"), format=LOCAL,
                                                validators=[Optional()], description=ROME_HINT)
    signing_occasion = BooleanField(
        _l("Occasione di firma del Patto"),
        description=_l("Dal giorno prima al giorno dopo l'evento, chi firma il Patto per la sua "
                       "Regione potrà indicare di firmare qui."))


class CancelForm(Form):
    reason = TextAreaField(_l("Motivo dell'annullamento"),
                           validators=[DataRequired(), Length(max=2000)])


class PersonForm(Form):
    person = SelectField(_l("Persona"), coerce=int, validators=[DataRequired()])


class SessionForm(Form):
    title = StringField(_l("Titolo della sessione"), validators=[DataRequired(), Length(max=200)])
    starts_at = DateTimeLocalField(_l("Inizio"), format=LOCAL, validators=[DataRequired()],
                                   description=ROME_HINT)
    ends_at = DateTimeLocalField(_l("Fine"), format=LOCAL, validators=[DataRequired()],
                                 description=ROME_HINT)
    place = StringField(_l("Sala"), validators=[Length(max=200)])
    speakers = StringField(_l("Relatori e moderatori"), validators=[Length(max=500)],
                           description=_l("Nomi ed enti di appartenenza."))
    description = TextAreaField(_l("Descrizione"), validators=[Length(max=5000)],
                                description=_l("Puoi usare Markdown."))
    is_break = BooleanField(_l("Pausa"))


def quota_form(regions, seats: dict[int, int]) -> Form:
    """A form with one number of reserved seats per member region."""
    fields = {f"region_{region.id}": IntegerField(
        region.name_it, default=seats.get(region.id, 0),
        validators=[Optional(), NumberRange(min=0, max=100_000)]) for region in regions}
    return type("QuotaForm", (Form,), fields)()


class MessageForm(Form):
    subject = StringField(_l("Oggetto"), validators=[DataRequired(), Length(max=150)])
    body = TextAreaField(_l("Testo"), validators=[DataRequired(), Length(max=20000)],
                         description=_l("Puoi usare Markdown."), render_kw={"rows": 6})
    include_waiting = BooleanField(_l("Scrivi anche a chi è in lista d'attesa"))
