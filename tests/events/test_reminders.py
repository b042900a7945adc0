"""``flask --app wsgi events send-reminders`` mails each registered person once."""
from datetime import timedelta

from lab.core.timeutil import utcnow
from lab.events import registrations
from tests.events.conftest import delegates, publish


def test_reminders_go_once_to_registered_people_of_coming_events(runner, organiser, smtp):
    soon = utcnow() + timedelta(days=1)
    coming = publish(organiser, starts_at=soon, ends_at=soon + timedelta(hours=2), capacity=1)
    later = publish(organiser)  # a month away
    seated, waiting, other = delegates("liguria", 3)
    registrations.register(seated, coming)
    registrations.register(waiting, coming)
    registrations.register(other, later)
    smtp.clear()
    result = runner.invoke(args=["events", "send-reminders", "--days", "2"])
    assert result.exit_code == 0 and "1 reminders sent" in result.output
    [message] = smtp.to(seated.email)
    assert "Promemoria" in message["Subject"]
    assert smtp.to(waiting.email) == [] and smtp.to(other.email) == []
    again = runner.invoke(args=["events", "send-reminders", "--days", "2"])
    assert "0 reminders sent" in again.output and len(smtp.to(seated.email)) == 1


def test_a_reminder_is_in_the_person_s_language(runner, organiser, smtp):
    from lab.extensions import db

    soon = utcnow() + timedelta(days=1)
    event = publish(organiser, starts_at=soon, ends_at=soon + timedelta(hours=2))
    [person] = delegates("veneto", 1)
    person.locale = "en"
    db.session.commit()
    registrations.register(person, event)
    runner.invoke(args=["events", "send-reminders"])
    subjects = [m["Subject"] for m in smtp.to(person.email)]
    assert subjects == ["Registration confirmed: " + event.title, "Reminder: " + event.title]
