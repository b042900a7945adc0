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
from lab.events.models import Event

PRODID = "-//Laboratorio interregionale per l'innovazione sociale//Eventi//IT"


def uid(event: Event) -> str:
    return f"event-{event.id}@{urlsplit(current_app.config['SITE_URL']).hostname}"


def _component(event: Event, with_link: bool) -> icalendar.Event:
    page = external_url("events.show", event_id=event.id)
    entry = icalendar.Event()
    entry.add("uid", uid(event))
    entry.add("sequence", event.sequence)
    entry.add("dtstamp", to_rome(event.updated_at))
    entry.add("dtstart", to_rome(event.starts_at))
    entry.add("dtend", to_rome(event.ends_at))
    entry.add("summary", event.title)
    entry.add("description", "\n\n".join(part for part in (event.description, page) if part))
    entry.add("url", page)
    place = ", ".join(part for part in (event.venue, event.address) if part)
    if with_link and event.online_url:
        place = " – ".join(part for part in (place, event.online_url) if part)
    if place:
        entry.add("location", place)
    entry.add("status", "CANCELLED" if event.is_cancelled else "CONFIRMED")
    return entry


def calendar_bytes(events: list[Event], with_link: bool = False) -> bytes:
    """Return the .ics of the events; ``with_link`` adds the online link (registered people)."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    for event in events:
        calendar.add_component(_component(event, with_link))
    calendar.add_missing_timezones()
    return calendar.to_ical()
