"""The registration form (the organiser's questions, needs, consent) and the questions editor."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, Optional

from lab.core.forms import Form
from lab.events.models import Question, QuestionKind
from lab.events.questions import MAX_ANSWER, NO, YES, Details

QUESTION_KINDS = {
    QuestionKind.TEXT: _l("Testo libero"),
    QuestionKind.CHOICE: _l("Scelta tra opzioni"),
    QuestionKind.YES_NO: _l("Sì o no"),
}


class QuestionForm(Form):
    label = StringField(_l("Domanda"), validators=[DataRequired(), Length(max=300)])
    kind = SelectField(_l("Tipo di risposta"),
                       choices=[SelectChoice(k.value, label) for k, label in QUESTION_KINDS.items()])
    options = TextAreaField(_l("Opzioni"), validators=[Length(max=5000)], render_kw={"rows": 4},
                            description=_l("Una per riga; solo per le domande a scelta."))
    required = BooleanField(_l("Risposta obbligatoria"))


def question_form(question: Question | None = None) -> QuestionForm:
    """The editor's form, filled in from ``question``; each question's form has its own ids."""
    if question is None:
        return QuestionForm(prefix="new")
    return QuestionForm(prefix=f"q{question.id}", data={
        "label": question.label, "kind": question.kind, "options": question.options,
        "required": question.required})


def registration_form(questions: list[Question], guest: bool) -> Form:
    """The form to register: who one is (without an account), the questions, needs, consent.

    Required answers and known choices are checked by ``questions.check_details``, the one
    place that rule lives; the form only reads what was sent.
    """
    fields = {}
    if guest:
        fields["name"] = StringField(_l("Nome e cognome"), validators=[DataRequired(), Length(max=200)])
        fields["email"] = EmailField(
            _l("Email"), validators=[DataRequired(), Email(), Length(max=254)],
            description=_l("Ti scriveremo un collegamento per confermare l'iscrizione."))
        fields["organisation"] = StringField(_l("Ente o organizzazione"),
                                             validators=[Optional(), Length(max=200)])
    for question in questions:
        fields[f"question_{question.id}"] = _answer_field(question)
    fields["accessibility"] = TextAreaField(
        _l("Esigenze di accessibilità"), validators=[Length(max=MAX_ANSWER)],
        description=_l("Per esempio: accesso in sedia a ruote, interprete LIS, sottotitoli."))
    fields["dietary"] = TextAreaField(
        _l("Esigenze alimentari"), validators=[Length(max=MAX_ANSWER)],
        description=_l("Allergie, intolleranze o scelte alimentari per i pasti dell'evento."))
    fields["listed_publicly"] = BooleanField(
        _l("Acconsento a comparire nell'elenco pubblico dei partecipanti (nome e regione o ente)"))
    return type("RegistrationForm", (Form,), fields)()


def _answer_field(question: Question):
    if question.kind == QuestionKind.TEXT:
        return TextAreaField(question.label, validators=[Length(max=MAX_ANSWER)])
    choices = ([SelectChoice(YES, _l("Sì")), SelectChoice(NO, _l("No"))]
               if question.kind == QuestionKind.YES_NO
               else [SelectChoice(choice, choice) for choice in question.choices])
    return RadioField(question.label, choices=choices, validate_choice=False)


def details_from(form: Form, questions: list[Question]) -> Details:
    return Details(
        answers={q.id: form[f"question_{q.id}"].data or "" for q in questions},
        accessibility=form.accessibility.data or "", dietary=form.dietary.data or "",
        listed_publicly=bool(form.listed_publicly.data))
