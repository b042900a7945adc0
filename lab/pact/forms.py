"""Forms of the Pact: drafting a version, signing, withdrawing."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional


class VersionForm(FlaskForm):
    title = StringField(_l("Titolo"), validators=[DataRequired(), Length(max=200)])
    body = TextAreaField(_l("Testo (Markdown)"), validators=[DataRequired(), Length(max=200_000)],
                         render_kw={"rows": 20, "lang": "it"})  # the Pact is written in Italian


class SignForm(FlaskForm):
    title = StringField(_l("La tua carica"), validators=[DataRequired(), Length(max=200)],
                        description=_l("Per esempio: Assessore alle Politiche sociali"))
    place = StringField(_l("Luogo della firma"), validators=[DataRequired(), Length(max=120)])
    event = StringField(_l("Evento (facoltativo)"), validators=[Optional(), Length(max=200)])
    declared = BooleanField(_l("Dichiaro di firmare per conto della Regione in forza dell'atto indicato"))
    password = PasswordField(_l("Conferma con la tua password"), validators=[DataRequired()],
                             render_kw={"autocomplete": "current-password"})


class WithdrawForm(FlaskForm):
    reason = TextAreaField(_l("Motivazione del recesso"),
                           validators=[DataRequired(), Length(max=2000)], render_kw={"rows": 4})
    place = StringField(_l("Luogo"), validators=[DataRequired(), Length(max=120)])
    declared = BooleanField(_l("Dichiaro di recedere per conto della Regione in forza dell'atto indicato"))
    password = PasswordField(_l("Conferma con la tua password"), validators=[DataRequired()],
                             render_kw={"autocomplete": "current-password"})
