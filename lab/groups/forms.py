"""Forms of the groups domain; labels in Italian, translated by Flask-Babel."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from lab.core.forms import Form


class GroupForm(Form):
    name_it = StringField(_l("Nome in italiano"), validators=[DataRequired(), Length(max=160)])
    name_en = StringField(_l("Nome in inglese"), validators=[DataRequired(), Length(max=160)])
    description_it = TextAreaField(_l("Finalità in italiano"), validators=[Length(max=5000)],
                                   description=_l("Puoi usare Markdown."))
    description_en = TextAreaField(_l("Finalità in inglese"), validators=[Length(max=5000)])
    is_open = BooleanField(_l("Gruppo aperto: i delegati entrano senza attendere una decisione"))


class CoordinatorForm(Form):
    person = SelectField(_l("Delegato da nominare"), coerce=int, validators=[DataRequired()])


class OpennessForm(Form):
    is_open = BooleanField(_l("Gruppo aperto: i delegati entrano senza attendere una decisione"))


class DeclineForm(Form):
    reason = StringField(_l("Motivo (facoltativo, lo vedrà chi ha chiesto)"),
                         validators=[Length(max=500)])
