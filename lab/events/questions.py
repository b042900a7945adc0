"""The organiser's questions, the answers given when registering, and how long they are kept.

Answers, accessibility and dietary needs are personal data: they are kept until the event's
retention date (its end plus ``EVENT_PERSONAL_DATA_DAYS``), then ``erase_personal_data``
removes them, with the names and addresses of people without an account, and keeps the
registrations themselves, so the counts stay right.
"""
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, func, select
from sqlalchemy.orm import selectinload

from lab.accounts.audit import record
from lab.accounts.models import User
from lab.core.errors import DomainError, NotFound
from lab.core.timeutil import to_rome_date, utcnow
from lab.events.models import Answer, Event, Question, QuestionKind, Registration, Signup, Status
from lab.events.queries import visible_to
from lab.events.services import check_manager
from lab.extensions import db

YES, NO = "yes", "no"
MAX_ANSWER = 2000


class InvalidAnswer(DomainError):
    """An answer breaks a rule; ``field`` names the form field to mark."""

    def __init__(self, field_name: str, message: str):
        super().__init__(message)
        self.field = field_name


@dataclass
class QuestionDraft:
    label: str
    kind: str
    options: str = ""  # one choice per line
    required: bool = False


@dataclass
class Details:
    """What a person says when registering, besides who they are."""

    answers: dict[int, str] = field(default_factory=dict)  # question id → text as typed or chosen
    accessibility: str = ""
    dietary: str = ""
    listed_publicly: bool = False

    def to_json(self) -> dict:
        return {"answers": {str(key): value for key, value in self.answers.items()},
                "accessibility": self.accessibility, "dietary": self.dietary,
                "listed_publicly": self.listed_publicly}

    @classmethod
    def from_json(cls, data: dict) -> "Details":
        return cls({int(key): value for key, value in data.get("answers", {}).items()},
                   data.get("accessibility", ""), data.get("dietary", ""),
                   bool(data.get("listed_publicly")))


def questions_of(event: Event) -> list[Question]:
    return list(db.session.scalars(select(Question).where(Question.event_id == event.id)
                                   .order_by(Question.position, Question.id)))


def event_with_questions(viewer: User, event_id: int) -> tuple[Event, list[Question]]:
    """``event_for`` and ``questions_of`` in one round trip: the registration form's, which
    every registration posts (its figure is in ``lab.events.signup_routes.join``)."""
    rows = db.session.execute(
        select(Event, Question).outerjoin(Question, Question.event_id == Event.id)
        .where(Event.id == event_id).order_by(Question.position, Question.id)).all()
    event = visible_to(viewer, rows[0].Event if rows else None)
    return event, [row.Question for row in rows if row.Question is not None]


def question_in(event: Event, question_id: int) -> Question:
    question = db.session.get(Question, question_id)
    if question is None or question.event_id != event.id:
        raise NotFound(_("Domanda non trovata."))
    return question


def add_question(actor: User, event: Event, draft: QuestionDraft) -> Question:
    """Ask everyone who registers from now on one more question."""
    check_manager(actor, event)
    _check_question(draft)
    last = db.session.scalar(select(func.max(Question.position)).where(Question.event_id == event.id))
    question = Question(event_id=event.id, position=(last or 0) + 1)
    _apply(question, draft)
    db.session.add(question)
    record("event.question_added", actor=actor, event=event.id)
    db.session.commit()
    return question


def update_question(actor: User, question: Question, draft: QuestionDraft) -> None:
    """Reword a question, change its choices or whether it must be answered."""
    event = db.session.get(Event, question.event_id)
    check_manager(actor, event)
    _check_question(draft)
    _apply(question, draft)
    record("event.question_updated", actor=actor, event=event.id)
    db.session.commit()


def remove_question(actor: User, question: Question) -> None:
    """Stop asking a question; the answers already given to it go with it."""
    event = db.session.get(Event, question.event_id)
    check_manager(actor, event)
    db.session.delete(question)
    record("event.question_removed", actor=actor, event=event.id)
    db.session.commit()


def _check_question(draft: QuestionDraft) -> None:
    if not draft.label.strip():
        raise InvalidAnswer("label", _("Scrivi la domanda."))
    if draft.kind not in set(QuestionKind):
        raise InvalidAnswer("kind", _("Scegli il tipo di domanda."))
    choices = [line.strip() for line in draft.options.splitlines() if line.strip()]
    if draft.kind == QuestionKind.CHOICE and len(choices) < 2:
        raise InvalidAnswer("options", _("Una domanda a scelta ha almeno due opzioni, una per riga."))
    if len(set(choices)) != len(choices):
        raise InvalidAnswer("options", _("Le opzioni devono essere diverse tra loro."))


def _apply(question: Question, draft: QuestionDraft) -> None:
    question.label, question.kind, question.required = draft.label.strip(), draft.kind, draft.required
    question.options = "\n".join(line.strip() for line in draft.options.splitlines() if line.strip()) \
        if draft.kind == QuestionKind.CHOICE else ""


def check_details(asked: list[Question], details: Details) -> Details:
    """Return the details cleaned up, or refuse a missing required answer or an unknown choice.

    ``asked`` is the event's ``questions_of``, read by the caller once and before any lock.
    """
    answers = {}
    for question in asked:
        value = (details.answers.get(question.id) or "").strip()
        name = f"question_{question.id}"
        if not value:
            if question.required:
                raise InvalidAnswer(name, _("Rispondi alla domanda «%(label)s».", label=question.label))
            continue
        if question.kind == QuestionKind.CHOICE and value not in question.choices:
            raise InvalidAnswer(name, _("«%(value)s» non è tra le opzioni della domanda «%(label)s».",
                                        value=value[:80], label=question.label))
        if question.kind == QuestionKind.YES_NO and value not in (YES, NO):
            raise InvalidAnswer(name, _("Rispondi sì o no alla domanda «%(label)s».",
                                        label=question.label))
        if len(value) > MAX_ANSWER:
            raise InvalidAnswer(name, _("La risposta supera i %(max)d caratteri.", max=MAX_ANSWER))
        answers[question.id] = value
    for name, value in (("accessibility", details.accessibility), ("dietary", details.dietary)):
        if len(value or "") > MAX_ANSWER:
            raise InvalidAnswer(name, _("La risposta supera i %(max)d caratteri.", max=MAX_ANSWER))
    return Details(answers, (details.accessibility or "").strip(), (details.dietary or "").strip(),
                   details.listed_publicly)


def apply_details(registration: Registration, details: Details, asked: list[Question]) -> None:
    """Store checked details on a registration, in the caller's transaction (``asked`` as above)."""
    registration.accessibility_needs = details.accessibility
    registration.dietary_needs = details.dietary
    registration.listed_publicly = details.listed_publicly
    known = {question.id for question in asked}
    for question_id, value in details.answers.items():
        if question_id in known:  # a question removed since a guest filled in the form
            db.session.add(Answer(registration=registration, question_id=question_id, value=value))


def answer_text(question: Question, value: str) -> str:
    if question.kind == QuestionKind.YES_NO:
        return _("Sì") if value == YES else _("No")
    return value


def answer_columns(event: Event) -> list[str]:
    """The labels of ``answers_of``'s pairs, in the same order, for a table's header."""
    return [question.label for question in questions_of(event)] + [
        _("Esigenze di accessibilità"), _("Esigenze alimentari"),
        _("Nell'elenco pubblico dei partecipanti")]


def answers_of(registration: Registration) -> list[tuple[str, str]]:
    """The registration's answers as (question label, answer text), one pair per question.

    Unanswered questions, and everything once erased, give an empty text.
    """
    return answers_of_each(registration.event, [registration])[registration.id]


def answers_of_each(event: Event, registrations: list[Registration]) -> dict[int, list[tuple[str, str]]]:
    """``answers_of`` for every registration of a list, by registration id, in two queries."""
    asked = questions_of(event)
    given: dict[int, dict[int, str]] = {registration.id: {} for registration in registrations}
    for answer in db.session.scalars(select(Answer).where(Answer.registration_id.in_(list(given)))):
        given[answer.registration_id][answer.question_id] = answer.value
    return {registration.id: [
        *((question.label, answer_text(question, given[registration.id][question.id])
           if question.id in given[registration.id] else "") for question in asked),
        (_("Esigenze di accessibilità"), registration.accessibility_needs),
        (_("Esigenze alimentari"), registration.dietary_needs),
        (_("Nell'elenco pubblico dei partecipanti"),
         _("Sì") if registration.listed_publicly else _("No"))] for registration in registrations}


def retention_date(event: Event) -> date:
    """The day (in Rome) after which the registrations' personal answers are erased."""
    return to_rome_date(event.ends_at + timedelta(days=current_app.config["EVENT_PERSONAL_DATA_DAYS"]))


def erase_personal_data() -> int:
    """Erase answers, needs and guests' names and addresses of events past their retention date.

    Registrations stay (cancelled ones too), so every count is kept; those already erased are
    skipped, so a second run erases nothing. Return how many registrations were erased.
    """
    cutoff = utcnow() - timedelta(days=current_app.config["EVENT_PERSONAL_DATA_DAYS"])
    expired = select(Event.id).where(Event.ends_at <= cutoff)
    unerased = (Registration.event_id.in_(expired), Registration.personal_data_erased_at.is_(None))
    due = list(db.session.scalars(select(Registration).where(*unerased)
                                  .with_for_update(skip_locked=True)))
    now = utcnow()
    db.session.execute(delete(Answer).where(Answer.registration_id.in_(
        select(Registration.id).where(*unerased))))
    for registration in due:
        registration.accessibility_needs = registration.dietary_needs = ""
        registration.guest_name = registration.guest_email = registration.guest_organisation = None
        registration.cancel_token_hash = None
        registration.personal_data_erased_at = now
    # Requests to register carry a name, an address and answers: none is needed any more.
    db.session.execute(delete(Signup).where(Signup.event_id.in_(expired)))
    if due:
        record("event.personal_data_erased", registrations=len(due))
    db.session.commit()
    return len(due)


def public_participants(event: Event) -> list[Registration]:
    """The seated people who agreed to be listed (and whose name is still kept), in arrival order."""
    rows = db.session.scalars(
        select(Registration).where(Registration.event_id == event.id,
                                   Registration.status == Status.REGISTERED.value,
                                   Registration.listed_publicly.is_(True))
        .options(selectinload(Registration.user), selectinload(Registration.region))
        .order_by(Registration.id))
    return [row for row in rows if row.name]
