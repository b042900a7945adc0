"""Forms of the rooms domain; labels in Italian, translated by Flask-Babel."""
from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange

from lab.core.forms import Form
from lab.rooms.models import BODY_MAX, KEY_MAX
from lab.rooms.moderation import MAX_MUTE_MINUTES


class MessageForm(Form):
    body = TextAreaField(_l("Messaggio"), validators=[DataRequired(), Length(max=BODY_MAX)])
    key = HiddenField(validators=[DataRequired(), Length(min=8, max=KEY_MAX)])


class RoomForm(Form):
    name = StringField(_l("Nome della nuova stanza"), validators=[DataRequired(), Length(max=120)])


class MuteForm(Form):
    person = SelectField(_l("Membro"), coerce=int, validators=[DataRequired()])
    minutes = IntegerField(_l("Durata in minuti"), default=60,
                           validators=[DataRequired(), NumberRange(min=1, max=MAX_MUTE_MINUTES)])
