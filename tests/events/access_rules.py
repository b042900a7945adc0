"""Expected status per role for the events routes (see tests/test_access_matrix.py).

``make_targets`` builds a published forum organised by the matrix's ``organiser``, with the
matrix's Piemonte ``delegate`` holding a seat and another Piemonte delegate on the waiting list.
"""
from datetime import timedelta

from tests.access import ROLES, everyone, signed_in
from tests.factories import make_person


def organisers(allowed):
    """The event's organiser and platform admins get ``allowed``; the others 403."""
    return {**{role: 403 for role in ROLES}, "anonymous": 302, "organiser": allowed, "admin": allowed}


RULES = {
    "events.index": ("GET", "/events", everyone(200)),
    "events.feed": ("GET", "/events.ics", everyone(200)),
    "events.show": ("GET", "/events/{event}", everyone(200)),
    "events.event_ics": ("GET", "/events/{event}.ics", everyone(200)),
    "events.new": ("GET", "/events/new",
                   {**{role: 403 for role in ROLES}, "anonymous": 302, "organiser": 200}),
    "events.edit": ("GET", "/events/{event}/edit", organisers(200)),
    "events.manage": ("GET", "/events/{event}/manage", organisers(200)),
    "events.publish": ("POST", "/events/{event}/publish", organisers(302)),
    "events.cancel": ("POST", "/events/{event}/cancel", organisers(302)),
    "events.add_organiser": ("POST", "/events/{event}/organisers", organisers(404)),
    "events.quotas": ("POST", "/events/{event}/quotas", organisers(302)),
    "events.close_registration": ("POST", "/events/{event}/close-registration", organisers(302)),
    # Without a CSRF token every change is refused with a flash: a redirect for everyone.
    "events.register": ("POST", "/events/{event}/register", signed_in(302)),
    "events.register_delegate": ("POST", "/events/{event}/delegates", signed_in(404)),
    # The person, their region's admin and the organisers; another delegate is refused.
    "events.cancel_registration": ("POST", "/events/{event}/registrations/{registration}/cancel",
                                   {**signed_in(302), "signatory": 403,
                                    "other_region_admin": 403}),
    "events.add_session": ("POST", "/events/{event}/sessions", organisers(302)),
    "events.remove_session": ("POST", "/events/{event}/sessions/{session}/delete",
                              {**organisers(302), "admin": 404}),  # the organiser removed it
    "events.promote": ("POST", "/events/{event}/registrations/{waiting}/promote", organisers(302)),
    # The list of registrations, its exports and the message to everyone: organisers only.
    "events.roster": ("GET", "/events/{event}/registrations", organisers(200)),
    "events.roster_csv": ("GET", "/events/{event}/registrations.csv", organisers(200)),
    "events.roster_xlsx": ("GET", "/events/{event}/registrations.xlsx", organisers(200)),
    "events.message": ("POST", "/events/{event}/message", organisers(302)),
}


def make_targets(people):
    from lab.events import agenda, registrations
    from tests.events.conftest import publish

    event = publish(people["organiser"], capacity=1)
    seat = registrations.register(people["delegate"], event)
    other = make_person("waiting@example.org", "Waiting", "delegate", "piemonte")
    waiting = registrations.register(other, event)
    session = agenda.add_session(people["organiser"], event, agenda.SessionDraft(
        "Plenaria", event.starts_at, event.starts_at + timedelta(hours=1)))
    return {"event": event.id, "registration": seat.id, "waiting": waiting.id,
            "session": session.id}
