"""Forms of the Pact: drafting a version, signing, withdrawing."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from lab.accounts.forms import code_field
from lab.core.forms import Form


class VersionForm(Form):
    title = StringField(_l("Titolo"), validators=[DataRequired(), Length(max=200)])
    body = TextAreaField(_l("Testo (Markdown)"), validators=[DataRequired(), Length(max=200_000)],
                         render_kw={"rows": 20, "lang": "it"})  # the Pact is written in Italian


class SignatoryConfirmation(Form):
    """The signer's password and their authenticator's code, asked again for every act."""

    password = PasswordField(_l("Conferma con la tua password"), validators=[DataRequired()],
                             render_kw={"autocomplete": "current-password"})
    code = code_field(_l("Le 6 cifre che l'app mostra ora."),
                      label=_l("Codice dell'app di autenticazione"))


class SignForm(SignatoryConfirmation):
    title = StringField(_l("La tua carica"), validators=[DataRequired(), Length(max=200)],
                        description=_l("Per esempio: Assessore alle Politiche sociali"))
    place = StringField(_l("Luogo della firma"), validators=[DataRequired(), Length(max=120)])
    # Choices: the signing occasions of lab.pact.occasions, set by the route.
    occasion = SelectField(_l("Evento del Laboratorio in cui firmi (facoltativo)"), coerce=int,
                           default=0, validators=[Optional()],
                           description=_l("La firma comparirà nella pagina dell'evento."))
    event = StringField(_l("Evento (facoltativo)"), validators=[Optional(), Length(max=200)])
    declared = BooleanField(_l("Dichiaro di firmare per conto della Regione in forza dell'atto indicato"))


class WithdrawForm(SignatoryConfirmation):
    reason = TextAreaField(_l("Motivazione del recesso"),
                           validators=[DataRequired(), Length(max=2000)], render_kw={"rows": 4})
    place = StringField(_l("Luogo"), validators=[DataRequired(), Length(max=120)])
    declared = BooleanField(_l("Dichiaro di recedere per conto della Regione in forza dell'atto indicato"))
