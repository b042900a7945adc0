"""iCalendar (RFC 5545) files of events: one event, or the feed of every public one.

Times are written in Europe/Rome with its VTIMEZONE, so calendars keep the local hours across
the changes to and from daylight saving time; the UID is stable and SEQUENCE grows with each
change, so a calendar replaces its copy instead of adding another.
"""
from urllib.parse import urlsplit

import icalendar
from flask import current_app

from lab.core.links import external_url
from lab.core.timeutil import to_rome
from lab.events.models import Event, Session

PRODID = "-//Laboratorio interregionale per l'innovazione sociale//Eventi//IT"


def _host() -> str:
    return urlsplit(current_app.config["SITE_URL"]).hostname


def uid(event: Event) -> str:
    return f"event-{event.id}@{_host()}"


def _entry(event: Event, entry_uid: str, part, summary: str, description: str,
           location: str) -> icalendar.Event:
    """One VEVENT; ``part`` (the event or one of its sessions) gives the times."""
    entry = icalendar.Event()
    entry.add("uid", entry_uid)
    entry.add("sequence", event.sequence)
    entry.add("dtstamp", to_rome(event.updated_at))
    entry.add("dtstart", to_rome(part.starts_at))
    entry.add("dtend", to_rome(part.ends_at))
    entry.add("summary", summary)
    if description:
        entry.add("description", description)
    if location:
        entry.add("location", location)
    entry.add("status", "CANCELLED" if event.is_cancelled else "CONFIRMED")
    return entry


def _joined(separator: str, *parts: str) -> str:
    return separator.join(part for part in parts if part)


def _component(event: Event, with_link: bool) -> icalendar.Event:
    page = external_url("events.show", event_id=event.id)
    place = _joined(", ", event.venue, event.address)
    if with_link:
        place = _joined(" – ", place, event.online_url)
    entry = _entry(event, uid(event), event, event.title,
                   _joined("\n\n", event.description, page), place)
    entry.add("url", page)
    return entry


def _session_component(event: Event, session: Session) -> icalendar.Event:
    entry = _entry(event, f"event-{event.id}-session-{session.id}@{_host()}", session,
                   session.title, _joined("\n\n", session.speakers, session.description),
                   session.place)
    entry.add("related-to", uid(event))
    return entry


def calendar_bytes(events: list[Event], with_link: bool = False,
                   with_sessions: bool = False) -> bytes:
    """Return the .ics of the events; ``with_link`` adds the online link (registered people),
    ``with_sessions`` each session of the agenda as an entry of its own."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    for event in events:
        calendar.add_component(_component(event, with_link))
        for session in event.sessions if with_sessions else ():
            calendar.add_component(_session_component(event, session))
    calendar.add_missing_timezones()
    return calendar.to_ical()
