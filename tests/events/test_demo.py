"""The demo events: Turin 2019 in the past, a coming forum with a waiting list, a group meeting."""
from sqlalchemy import func, select

from lab.events import occasions
from lab.events.models import Event, Registration, Status
from lab.extensions import db
from lab.pact.demo import FOUNDERS


def test_seed_demo_makes_the_three_events_once(runner):
    assert runner.invoke(args=["lab", "seed-demo"]).exit_code == 0
    assert runner.invoke(args=["lab", "seed-demo"]).exit_code == 0
    events = {event.title: event for event in db.session.scalars(select(Event))}
    assert len(events) == 3 and all(event.demo for event in events.values())
    turin = events["Forum dell'innovazione sociale – Torino 2019"]
    assert turin.is_past and turin.starts_at.date().isoformat() == "2019-01-23"
    assert turin.signing_occasion
    founders = {entry.region.slug for entry in occasions.adhesions_at(turin)}
    assert founders == set(FOUNDERS)
    yearly = events["Forum annuale del Laboratorio"]
    counts = dict(db.session.execute(select(Registration.status, func.count())
                                     .where(Registration.event_id == yearly.id)
                                     .group_by(Registration.status)).all())
    assert counts == {Status.REGISTERED.value: 4, Status.WAITING.value: 2}
    assert [quota.seats for quota in yearly.quotas] == [2]
    assert [session.title for session in yearly.sessions][0] == "Plenaria di apertura"
    assert len(yearly.sessions) == 4


def test_the_turin_forum_page_lists_the_founding_adhesions(runner, client):
    assert runner.invoke(args=["lab", "seed-demo"]).exit_code == 0
    turin = db.session.scalar(select(Event).where(Event.title.startswith("Forum dell'innovazione")))
    page = client.get(f"/events/{turin.id}").get_data(as_text=True)
    section = page[page.index('id="adhesions-title"'):]
    assert section.count('href="/pact/ledger/') == len(FOUNDERS)
    assert "Piemonte" in section and "Trento" in section
