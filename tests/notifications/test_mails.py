"""Who is told what by email, in their language, and what they chose on their account page."""
from email.header import decode_header, make_header

from sqlalchemy import select

import pytest

from lab.core.errors import DomainError
from lab.extensions import db
from lab.groups import services as groups
from lab.notifications.services import change_settings
from lab.groups.models import Membership
from lab.rooms.models import Mention
from tests.conftest import sign_in

ALL = {"join_requests": True, "decisions": True, "appointments": True, "mentions": True,
       "mention_digest": False, "pact_entries": True}


def only(smtp, address):
    """Return the subject and text of the one message sent to an address."""
    messages = smtp.to(address)
    assert len(messages) == 1, [m["Subject"] for m in messages]
    subject = str(make_header(decode_header(messages[0]["Subject"])))
    return subject, messages[0].get_payload(decode=True).decode()


def test_a_join_request_mails_the_coordinators_in_their_language(group, coordinator, outsider,
                                                                 smtp):
    coordinator.locale = "en"
    db.session.commit()
    smtp.clear()
    groups.ask_to_join(outsider, group)
    subject, body = only(smtp, coordinator.email)
    assert subject == "Request to join the group «Open regional data»"
    assert "Paola Puglia (Apulia) asks to join" in body and f"/groups/{group.slug}" in body


def test_a_decline_tells_the_requester_why_by_mail_and_on_the_group_page(client, app, group,
                                                                         coordinator, outsider,
                                                                         smtp):
    groups.ask_to_join(outsider, group)
    smtp.clear()
    sign_in(client, coordinator)
    membership = db.session.scalar(select(Membership).where(
        Membership.user_id == outsider.id))
    client.post(f"/groups/{group.slug}/requests/{membership.id}/decline",
                data={"reason": "Il gruppo è <b>al completo</b>"})
    subject, body = only(smtp, outsider.email)
    assert "non accolta" in subject and "Il gruppo è <b>al completo</b>" in body

    other = app.test_client()
    sign_in(other, outsider)
    page = other.get(f"/groups/{group.slug}").get_data(as_text=True)
    assert "richiesta non accolta" in page and "Chiedi di nuovo di partecipare" in page
    assert "Il gruppo è &lt;b&gt;al completo&lt;/b&gt;" in page and "<b>al completo" not in page


def test_a_pending_request_shows_to_the_requester_and_as_a_badge_to_coordinators(
        client, app, group, coordinator, outsider):
    groups.ask_to_join(outsider, group)
    sign_in(client, outsider)
    assert "richiesta in attesa" in client.get(f"/groups/{group.slug}").get_data(as_text=True)
    lead = app.test_client()
    sign_in(lead, coordinator)
    assert '1<span class="visually-hidden"> richiesta da decidere</span>' in lead.get("/").get_data(
        as_text=True)


def test_acceptance_and_appointment_are_mailed_to_the_person(admin, group, coordinator, outsider,
                                                           smtp):
    membership = groups.ask_to_join(outsider, group)
    smtp.clear()
    groups.accept_request(coordinator, membership)
    assert only(smtp, outsider.email)[0] == "Sei entrato nel gruppo «Dati aperti regionali»"
    smtp.clear()
    groups.appoint_coordinator(admin, group, outsider)
    assert only(smtp, outsider.email)[0] == "Coordini il gruppo «Dati aperti regionali»"


def test_a_request_to_a_group_without_coordinator_is_refused_saying_who_appoints(client, admin,
                                                                               delegate):
    group = groups.create_group(admin, groups.GroupDraft("Senza guida", "Leaderless"))
    with pytest.raises(DomainError, match="amministratori della piattaforma: Ada Admin"):
        groups.ask_to_join(delegate, group)
    sign_in(client, delegate)
    page = client.get(f"/groups/{group.slug}").get_data(as_text=True)
    assert "non ha ancora un coordinatore" in page and "Chiedi di partecipare" not in page


def test_a_kind_turned_off_on_the_account_page_is_not_mailed(client, group, coordinator, outsider,
                                                            smtp):
    sign_in(client, coordinator)
    page = client.get("/account").get_data(as_text=True)
    assert "Notifiche via email" in page and 'id="join_requests" name="join_requests" type="checkbox" value="y"' in page
    response = client.post("/account/notifications",
                           data={name: "y" for name, on in ALL.items() if on and name != "join_requests"})
    assert response.status_code == 302
    smtp.clear()
    groups.ask_to_join(outsider, group)
    assert smtp.to(coordinator.email) == []


def test_a_mention_is_mailed_only_to_a_person_not_connected(connect, room, delegate, coordinator,
                                                           smtp):
    smtp.clear()
    author = connect(coordinator)
    assert author.emit("join", {"room": room.id})["ok"]
    author.send(room, "Ne parliamo con @Dario Delegato domani?")
    subject, body = only(smtp, delegate.email)
    assert subject == "Cora Coordina ti ha citato in «Dati aperti regionali»"
    assert "Ne parliamo con @Dario Delegato domani?" in body and f"/rooms/{room.id}#m-1" in body

    smtp.clear()
    assert connect(delegate).emit("join", {"room": room.id})["ok"]
    author.send(room, "@Dario Delegato ora ci sei")
    assert smtp.to(delegate.email) == []
    assert all(db.session.scalars(select(Mention.notified_at)))


def test_the_daily_digest_collects_the_mentions_and_sends_each_once(runner, connect, room, delegate,
                                                                   coordinator, smtp):
    change_settings(delegate, {**ALL, "mention_digest": True})
    smtp.clear()
    author = connect(coordinator)
    author.send(room, "Prima domanda per @Dario Delegato")
    author.send(room, "Seconda domanda per @Dario Delegato")
    assert smtp.to(delegate.email) == []
    assert runner.invoke(args=["lab", "send-digests"]).output == "Digests sent: 1\n"
    subject, body = only(smtp, delegate.email)
    assert "Prima domanda" in body and "Seconda domanda" in body and "#m-2" in body
    assert runner.invoke(args=["lab", "send-digests"]).output == "Digests sent: 0\n"
    assert len(smtp.to(delegate.email)) == 1


def test_a_pact_entry_is_mailed_in_each_admins_language_unless_turned_off(admin, region_admin,
                                                                         signatory, smtp):
    from tests.pact.conftest import TEXT, declaration
    from lab.pact import services, versions

    version = versions.publish(admin, versions.save_draft(admin, "Patto", TEXT))
    region_admin.locale = "en"
    db.session.commit()
    change_settings(admin, {**ALL, "pact_entries": False})
    stated = declaration(signatory)  # sets the signatory's authenticator up, which mails nothing
    smtp.clear()
    services.sign_pact(signatory, version, stated)
    subject, body = only(smtp, region_admin.email)
    assert subject == "Pact register: adhesion by Piedmont" and "/pact/ledger/1" in body
    assert smtp.to(admin.email) == []
