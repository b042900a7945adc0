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
    # Registering, with or without an account: the form is public (a draft's would be 404).
    "events.join": ("GET", "/events/{event}/join", everyone(200)),
    "events.confirm_signup": ("GET", "/events/signup/{signup_token}", everyone(200)),
    "events.guest_cancel": ("GET", "/events/cancel/{cancel_token}", everyone(200)),
    "events.add_question": ("POST", "/events/{event}/questions", organisers(302)),
    "events.update_question": ("POST", "/events/{event}/questions/{question}", organisers(302)),
    "events.remove_question": ("POST", "/events/{event}/questions/{question}/delete",
                               {**organisers(302), "admin": 404}),  # the organiser removed it
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
    from lab.events import agenda, questions, registrations, signup
    from lab.events.models import Signup
    from lab.events.tokens import digest
    from lab.extensions import db
    from tests.events.conftest import publish

    event = publish(people["organiser"], capacity=1)
    seat = registrations.register(people["delegate"], event)
    other = make_person("waiting@example.org", "Waiting", "delegate", "piemonte")
    waiting = registrations.register(other, event)
    session = agenda.add_session(people["organiser"], event, agenda.SessionDraft(
        "Plenaria", event.starts_at, event.starts_at + timedelta(hours=1)))
    question = questions.add_question(people["organiser"], event, questions.QuestionDraft(
        "Ente", "text"))
    # Requests made as the join form would, with tokens known here instead of mailed.
    for token in ("matrix-confirmed", "matrix-pending"):
        db.session.add(Signup(event=event, name="Ospite", email=f"{token}@example.org",
                              token_hash=digest(token), details={},
                              expires_at=event.starts_at))
    db.session.commit()
    guest = signup.confirm_signup("matrix-confirmed")
    guest.cancel_token_hash = digest("matrix-cancel")
    db.session.commit()
    return {"event": event.id, "registration": seat.id, "waiting": waiting.id,
            "session": session.id, "question": question.id, "signup_token": "matrix-pending",
            "cancel_token": "matrix-cancel"}
