"""The practice form: fieldsets of plain fields and lists of rows ("add row" is a submit button,
handled on the server, so the page needs no script)."""
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    BooleanField, DateField, DecimalField, EmailField, FieldList, FormField, RadioField,
    SelectField, SelectMultipleField, StringField, TextAreaField, URLField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    URL, DataRequired, Email, InputRequired, Length, NumberRange, Optional, ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget, TextInput

from lab.core.forms import Form
from lab.library import labels
from lab.library.models import AttachmentRole
from lab.library.services import Funding, Indicator, Organisation, PracticeDraft

LONG_TEXT = 20000
ROW_LISTS = ("organisations", "fundings", "indicators", "links")
MAX_ROWS = 30


def _choices(mapping, blank=None) -> list[SelectChoice]:
    rows = [SelectChoice(str(value), label) for value, label in mapping.items()]
    return [SelectChoice("", blank), *rows] if blank is not None else rows


class AmountField(DecimalField):
    """An exact decimal that also accepts the Italian way of writing it (1.234,56), so a text
    box: a number box would refuse the comma."""

    widget = TextInput()

    def process_formdata(self, valuelist):
        if valuelist and isinstance(valuelist[0], str) and "," in valuelist[0]:
            valuelist = [valuelist[0].replace(".", "").replace(" ", "").replace(",", ".")]
        super().process_formdata(valuelist)


def places(n: int):
    def check(form, field):
        if isinstance(field.data, Decimal) and field.data.as_tuple().exponent < -n:
            raise ValidationError(_l("Al massimo %(n)d cifre decimali.", n=n))
    return check


def _needs_name(form, field):
    """A row left blank is dropped; a row with something in it needs its name."""
    filled = any(f.data not in (None, "", False) for f in form if f is not field)
    if filled and not (field.data or "").strip():
        raise ValidationError(_l("Completa il nome di questa riga, o svuotala."))


def web_address(form, field):
    """Only links a reader can follow safely: http and https, never javascript: or data:."""
    if field.data and not field.data.strip().lower().startswith(("https://", "http://")):
        raise ValidationError(_l("Il collegamento deve iniziare con https:// o http://."))


class Checkboxes(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class RowForm(Form):
    class Meta:
        csrf = False


class OrganisationRow(RowForm):
    name = StringField(_l("Nome dell'organizzazione"), validators=[_needs_name, Length(max=200)])
    org_type = SelectField(_l("Tipo"), choices=_choices(labels.ORGANISATION_TYPES))
    is_lead = BooleanField(_l("Capofila"))


class FundingRow(RowForm):
    source = SelectField(_l("Fonte"), choices=_choices(labels.FUNDING_SOURCES, _l("— scegli —")),
                         validators=[_needs_name])
    measure = StringField(_l("Misura o bando"), validators=[Length(max=200)],
                          description=_l("Per esempio «WECARE – Misura FSE1»."))
    amount = AmountField(_l("Importo in euro"), validators=[
        Optional(), NumberRange(min=0, max=Decimal("999999999999.99")), places(2)])


class IndicatorRow(RowForm):
    name = StringField(_l("Indicatore"), validators=[_needs_name, Length(max=200)])
    unit = StringField(_l("Unità di misura"), validators=[Length(max=60)])
    baseline = AmountField(_l("Valore di partenza"), validators=[
        Optional(), NumberRange(min=Decimal("-999999999999"), max=Decimal("999999999999")), places(4)])
    target = AmountField(_l("Obiettivo"), validators=[
        Optional(), NumberRange(min=Decimal("-999999999999"), max=Decimal("999999999999")), places(4)])
    achieved = AmountField(_l("Valore raggiunto"), validators=[
        Optional(), NumberRange(min=Decimal("-999999999999"), max=Decimal("999999999999")), places(4)])
    measured_on = DateField(_l("Data della misura"), validators=[Optional()])


class LinkRow(RowForm):
    url = URLField(_l("Indirizzo (https://…)"), validators=[_needs_name, Optional(), Length(max=500),
                                                           web_address, URL(require_tld=True)])
    label = StringField(_l("Descrizione"), validators=[Length(max=200)])


class PracticeForm(Form):
    title = StringField(_l("Titolo"), validators=[DataRequired(), Length(max=200)],
                        description=_l("Un titolo che dica che cosa fa la pratica."))
    kind = RadioField(_l("Tipo di scheda"), choices=_choices(labels.KINDS),
                      default="good_practice", validators=[InputRequired()])
    summary = TextAreaField(_l("Sintesi"), validators=[DataRequired(), Length(max=3000)],
                            description=_l("Un paragrafo: che cosa, per chi, con quali risultati."))
    problem = TextAreaField(_l("Il problema affrontato"), validators=[Length(max=LONG_TEXT)])
    intervention = TextAreaField(_l("L'intervento"), validators=[Length(max=LONG_TEXT)],
                                 description=_l("Come funziona, passo per passo. Puoi usare Markdown."))
    lessons = TextAreaField(_l("Lezioni apprese e difficoltà"), validators=[Length(max=LONG_TEXT)])
    transfer_conditions = TextAreaField(_l("Condizioni per trasferirla in un altro territorio"),
                                        validators=[Length(max=LONG_TEXT)])
    primary_group = SelectField(_l("Tema principale (gruppo di lavoro)"), coerce=int,
                                validators=[DataRequired()],
                                description=_l("I coordinatori di questo gruppo approvano la scheda."))
    secondary_groups = Checkboxes(_l("Altri temi"), coerce=int)
    targets = Checkboxes(_l("Destinatari"), choices=_choices(labels.TARGETS))
    partner_regions = Checkboxes(_l("Regioni partner"), coerce=int)
    scale = SelectField(_l("Scala territoriale"), choices=_choices(labels.SCALES))
    started_on = DateField(_l("Inizio"), validators=[DataRequired()])
    ended_on = DateField(_l("Fine"), validators=[Optional()],
                         description=_l("Lascia vuoto se la pratica è in corso."))
    organisations = FieldList(FormField(OrganisationRow), min_entries=1, max_entries=MAX_ROWS)
    fundings = FieldList(FormField(FundingRow), min_entries=1, max_entries=MAX_ROWS)
    indicators = FieldList(FormField(IndicatorRow), min_entries=1, max_entries=MAX_ROWS)
    evidence_level = RadioField(_l("Livello di evidenza dichiarato"), coerce=int, default=1,
                                choices=[SelectChoice(level, label)
                                         for level, label in labels.EVIDENCE_LEVELS.items()])
    evidence_justification = TextAreaField(_l("Perché questo livello"),
                                           validators=[Length(max=5000)])
    upload = FileField(_l("Aggiungi un allegato"),
                       description=_l("PDF, ODT, DOCX, XLSX, PNG o JPEG."))
    upload_role = SelectField(_l("Il file è"), choices=[
        SelectChoice(AttachmentRole.DOCUMENT.value, _l("un documento")),
        SelectChoice(AttachmentRole.EVALUATION.value, _l("un documento di valutazione"))])
    links = FieldList(FormField(LinkRow), min_entries=1, max_entries=MAX_ROWS)
    contact_role = StringField(_l("Ruolo o ufficio da contattare"), validators=[Length(max=200)],
                               description=_l("Per esempio «Settore politiche sociali»."))
    contact_office = StringField(_l("Indirizzo dell'ufficio"), validators=[Length(max=300)])
    contact_email = EmailField(_l("Email"), validators=[Optional(), Email(), Length(max=254)])
    contact_email_public = BooleanField(_l("Questa email può essere mostrata a chi legge la scheda"))

    def set_choices(self, groups, regions, locale: str) -> None:
        self.primary_group.choices = [SelectChoice(g.id, g.name(locale)) for g in groups]
        self.secondary_groups.choices = self.primary_group.choices
        self.partner_regions.choices = [SelectChoice(r.id, r.name(locale)) for r in regions]

    def add_row(self, name: str) -> bool:
        """Add an empty row to one of the lists; say whether the name was one of them."""
        if name not in ROW_LISTS or len(self[name]) >= MAX_ROWS:
            return False
        self[name].append_entry()
        return True

    def to_draft(self, upload) -> PracticeDraft:
        def rows(name):
            return [row.data for row in self[name]
                    if any(v not in (None, "", False) for v in row.data.values())]

        return PracticeDraft(
            title=self.title.data.strip(), summary=self.summary.data.strip(),
            primary_group_id=self.primary_group.data, scale=self.scale.data,
            started_on=self.started_on.data, ended_on=self.ended_on.data, kind=self.kind.data,
            problem=self.problem.data, intervention=self.intervention.data,
            lessons=self.lessons.data, transfer_conditions=self.transfer_conditions.data,
            secondary_group_ids=self.secondary_groups.data or [],
            partner_region_ids=self.partner_regions.data or [], targets=self.targets.data or [],
            organisations=[Organisation(r["name"].strip(), r["org_type"], r["is_lead"])
                           for r in rows("organisations")],
            fundings=[Funding(r["source"], r["measure"].strip(), r["amount"])
                      for r in rows("fundings")],
            indicators=[Indicator(r["name"].strip(), r["unit"].strip(), r["baseline"],
                                  r["target"], r["achieved"], r["measured_on"])
                        for r in rows("indicators")],
            links=[(r["url"].strip(), r["label"].strip()) for r in rows("links")],
            evidence_level=self.evidence_level.data,
            evidence_justification=self.evidence_justification.data,
            contact_role=self.contact_role.data.strip(),
            contact_office=self.contact_office.data.strip(),
            contact_email=(self.contact_email.data or "").strip() or None,
            contact_email_public=self.contact_email_public.data,
            upload=upload, upload_role=self.upload_role.data)


def practice_data(practice) -> dict:
    """The form's data for editing a practice's working copy."""
    def numbers(row, *names):
        return {name: getattr(row, name) for name in names}

    return {
        **{name: getattr(practice, name) for name in (
            "title", "kind", "summary", "problem", "intervention", "lessons",
            "transfer_conditions", "scale", "started_on", "ended_on", "evidence_level",
            "evidence_justification", "contact_role", "contact_office", "contact_email",
            "contact_email_public")},
        "primary_group": practice.primary_group_id,
        "secondary_groups": [g.id for g in practice.secondary_groups],
        "partner_regions": [r.id for r in practice.partner_regions],
        "targets": practice.target_values,
        "organisations": [numbers(o, "name", "org_type", "is_lead") for o in practice.organisations],
        "fundings": [numbers(f, "source", "measure", "amount") for f in practice.fundings],
        "indicators": [numbers(i, "name", "unit", "baseline", "target", "achieved", "measured_on")
                       for i in practice.indicators],
        "links": [numbers(link, "url", "label") for link in practice.links],
    }


class ApprovalForm(Form):
    confirmed_level = SelectField(_l("Livello di evidenza confermato"), coerce=int,
                                  choices=[SelectChoice(level, label)
                                           for level, label in labels.EVIDENCE_LEVELS.items()])
    note = TextAreaField(_l("Commento per l'autore"), validators=[Length(max=5000)])


class CommentForm(Form):
    comment = TextAreaField(_l("Che cosa cambiare"), validators=[DataRequired(), Length(max=5000)])
