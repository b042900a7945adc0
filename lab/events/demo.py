"""Demo events: the Turin Forum of 2019 (where the Pact was signed), a coming yearly forum with
regional seats, a group meeting."""
from datetime import datetime, time, timedelta

from sqlalchemy import select

from lab.accounts.services import region_by_slug, user_by_email
from lab.core.timeutil import rome_day_bounds, rome_to_utc, rome_today, to_rome_date
from lab.events import agenda, occasions, registrations, services
from lab.events.models import Adhesion, Event, Format, Kind
from lab.extensions import db
from lab.groups.queries import group_by_slug
from lab.pact.models import LedgerEntry

ORGANISER = "organizzatrice@laboratorio.example"
TURIN = "Forum dell'innovazione sociale – Torino 2019"
YEARLY = "Forum annuale del Laboratorio"
MEETING = "Riunione online del gruppo sulla domiciliarità"
# In arrival order: Piemonte takes its two reserved seats, Toscana and Puglia the general pool,
# Trento and Lazio wait.
YEARLY_PEOPLE = ["firma.piemonte@laboratorio.example", "delegato.piemonte@laboratorio.example",
                 "delegata.toscana@laboratorio.example", "delegato.puglia@laboratorio.example",
                 "delegata.trento@laboratorio.example", "firma.lazio@laboratorio.example"]

YEARLY_AGENDA = [
    ("Plenaria di apertura", (9, 30), (11, 0), "Sala grande", False),
    ("Pausa caffè", (11, 0), (11, 30), "", True),
    ("Presentazioni regionali per tema", (11, 30), (13, 0), "Sale tematiche", False),
    ("Tavola rotonda: il Laboratorio nei prossimi anni", (14, 30), (16, 30), "Sala grande", False),
]


def _local(day, hour: int, minute: int = 0) -> datetime:
    return rome_to_utc(datetime.combine(day, time(hour, minute)))


def _exists(title: str) -> bool:
    return db.session.scalar(select(Event.id).where(Event.title == title, Event.demo)) is not None


def _publish(organiser, draft: services.EventDraft) -> Event:
    event = services.create_event(organiser, draft)
    event.demo = True
    services.publish_event(organiser, event)
    return event


def _link_founding_adhesions() -> None:
    """Make the Turin Forum a signing occasion, with the demo adhesions signed that day linked."""
    turin = db.session.scalar(select(Event).where(Event.title == TURIN, Event.demo))
    turin.signing_occasion = True
    start, end = rome_day_bounds(to_rome_date(turin.starts_at))
    founding = list(db.session.scalars(select(LedgerEntry).where(
        LedgerEntry.kind == "adhesion", LedgerEntry.demo, LedgerEntry.signed_at >= start,
        LedgerEntry.signed_at < end, LedgerEntry.seq.not_in(select(Adhesion.entry_seq)))))
    for entry in founding:
        occasions.link_adhesion(entry, turin.id)
    db.session.commit()


def load() -> list[str]:
    """Create the three demo events unless they exist."""
    organiser = user_by_email(ORGANISER)
    if organiser is None:
        return []
    piemonte = region_by_slug("piemonte")
    if not _exists(TURIN):
        day = datetime(2019, 1, 23).date()
        _publish(organiser, services.EventDraft(
            title=TURIN, kind=Kind.FORUM.value, format=Format.IN_PERSON.value,
            starts_at=_local(day, 9, 30), ends_at=_local(day, 17), venue="Torino",
            region_id=piemonte.id, signing_occasion=True,
            description="Il forum in cui le Regioni hanno firmato il **Patto per l'innovazione "
                        "sociale** (orari e sede: dati dimostrativi)."))
    _link_founding_adhesions()
    if not _exists(YEARLY):
        day = rome_today() + timedelta(days=60)
        event = _publish(organiser, services.EventDraft(
            title=YEARLY, kind=Kind.FORUM.value, format=Format.HYBRID.value,
            starts_at=_local(day, 9, 30), ends_at=_local(day, 17, 30),
            venue="Sala dimostrativa", address="Via dell'Esempio 1, Torino",
            online_url="https://meet.example.org/forum-annuale", region_id=piemonte.id,
            capacity=4, description="Plenaria, presentazioni regionali per tema e tavola rotonda "
                                    "(dato dimostrativo)."))
        for title, start, end, place, is_break in YEARLY_AGENDA:
            agenda.add_session(organiser, event, agenda.SessionDraft(
                title, _local(day, *start), _local(day, *end), place=place, is_break=is_break))
        services.set_quotas(organiser, event, {piemonte.id: 2})
        for email in YEARLY_PEOPLE:
            person = user_by_email(email)
            if person is not None:
                registrations.register(person, event)
    if not _exists(MEETING):
        day = rome_today() + timedelta(days=14)
        group = group_by_slug("prossimita-domiciliarita")
        _publish(organiser, services.EventDraft(
            title=MEETING, kind=Kind.WORKING_GROUP.value, format=Format.ONLINE.value,
            starts_at=_local(day, 15), ends_at=_local(day, 16, 30), group_ids=[group.id],
            online_url="https://meet.example.org/prossimita",
            description="Riunione online del gruppo di lavoro (dato dimostrativo)."))
    return [f"Demo events: '{TURIN}' (past, with the founding adhesions), '{YEARLY}' with a "
            "waiting list, an online meeting."]
