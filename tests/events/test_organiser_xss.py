"""Script and HTML in the organisers' message, in registrants' names and in the adhesions listed
at an event stay text or are removed, on the pages and in the mail."""
import re
from datetime import timedelta

from lab.core.timeutil import utcnow
from lab.events import mailing, registrations
from lab.extensions import db
from lab.pact import services as pact_services, versions
from tests.conftest import sign_in
from tests.events.conftest import publish
from tests.events.test_mailing import _parts
from tests.events.test_xss import ACCEPTED
from tests.factories import make_person
from tests.pact.conftest import TEXT, declaration
from tests.rooms.test_xss import dangers


def test_payloads_in_the_message_are_harmless_in_its_html_mail(organiser, delegate, smtp):
    event = publish(organiser)
    registrations.register(delegate, event)
    for payload in ACCEPTED:
        smtp.clear()
        mailing.message_registrants(organiser, event, mailing.MessageDraft(payload[:150], payload))
        [message] = smtp.to(delegate.email)
        page = _parts(message)["text/html"]
        body = page[page.index("<body>") + len("<body>"):page.index("</body>")]
        assert dangers(body) == [], payload
        assert "<" not in re.search(r"<title>(.*)</title>", page, re.S).group(1), payload


def test_payloads_as_registrants_names_are_text_on_the_list_of_registrations(client, organiser):
    event = publish(organiser, capacity=None)
    people = [make_person(f"p{n}@example.org", f"P{n}", "delegate", "piemonte") for n in range(10)]
    for person in people:
        registrations.register(person, event)
    sign_in(client, organiser)
    for start in range(0, len(ACCEPTED), len(people)):
        for person, payload in zip(people, ACCEPTED[start:start + len(people)]):
            person.full_name = payload[:120]
        db.session.commit()
        page = client.get(f"/events/{event.id}/registrations").get_data(as_text=True)
        assert dangers(page[page.index("<table"):page.index("</table>")]) == [], start


def test_payloads_in_a_signer_s_words_are_text_on_the_event_page(client, organiser, admin,
                                                                 authenticator_clock):
    versions.publish(admin, versions.save_draft(admin, "Patto", TEXT))
    event = publish(organiser, starts_at=utcnow() - timedelta(hours=1),
                    ends_at=utcnow() + timedelta(hours=4), signing_occasion=True)
    for payload, region in zip(ACCEPTED[:3], ("piemonte", "toscana", "puglia")):
        signer = make_person(f"firma.{region}@example.org", payload[:120], "delegate", region,
                             mandate=True)
        pact_services.sign_pact(signer, versions.current_version(), declaration(
            signer, title=payload[:200], occasion_id=event.id))
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    section = page[page.index('id="adhesions-title"'):page.index("<aside")]
    assert section.count('href="/pact/ledger/') == 3 and dangers(section) == []
