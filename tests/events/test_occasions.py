"""Events as occasions for signing the Pact: offered while they run, linked beside the register."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from lab.core.errors import DomainError
from lab.core.timeutil import to_rome, utcnow
from lab.events import occasions, services
from lab.events.models import Adhesion
from lab.extensions import db
from lab.pact import integrity, services as pact_services, versions
from lab.pact.models import LedgerEntry
from tests.conftest import sign_in, sign_in_with_code
from tests.events.conftest import draft, publish
from tests.factories import PASSWORD, make_person, next_code
from tests.pact.conftest import TEXT, declaration


@pytest.fixture(autouse=True)
def _codes_as_needed(authenticator_clock):
    """Signers use their authenticator's codes as often as a test needs."""


@pytest.fixture
def version(admin):
    return versions.publish(admin, versions.save_draft(admin, "Patto", TEXT))


def _occasion(organiser, starts_in: timedelta, hours: int = 8, **changes):
    start = utcnow() + starts_in
    return publish(organiser, starts_at=start, ends_at=start + timedelta(hours=hours),
                   signing_occasion=True, **changes)


def _sign(person, at=None, **changes):
    """Sign for the person's region at the event ``at``."""
    return pact_services.sign_pact(person, versions.current_version(), declaration(
        person, occasion_id=at.id if at else None, **changes))


def test_an_event_is_offered_from_the_day_before_it_starts_to_the_day_after_it_ends(organiser):
    tomorrow = _occasion(organiser, timedelta(hours=20), title="Domani")
    ended = _occasion(organiser, timedelta(hours=-30), hours=8, title="Finito ieri")
    _occasion(organiser, timedelta(hours=30), title="Dopodomani")
    _occasion(organiser, timedelta(days=-3), title="Tre giorni fa")
    publish(organiser, starts_at=utcnow(), ends_at=utcnow() + timedelta(hours=2), title="Normale")
    services.create_event(organiser, draft(title="Bozza", signing_occasion=True,
                                           starts_at=utcnow(), ends_at=utcnow() + timedelta(hours=2)))
    cancelled = _occasion(organiser, timedelta(hours=1), title="Annullato")
    services.cancel_event(organiser, cancelled, "Maltempo")
    assert [event.title for event in occasions.current_occasions()] == ["Finito ieri", "Domani"]
    assert {o.id for o in pact_services.occasions.current_occasions()} == {tomorrow.id, ended.id}


def test_an_adhesion_signed_at_an_occasion_is_linked_and_names_it_in_the_register(
        organiser, signatory, version):
    event = _occasion(organiser, timedelta(hours=-2))
    entry = _sign(signatory, event)
    assert [linked.seq for linked in occasions.adhesions_at(event)] == [entry.seq]
    assert entry.event == event.title  # the hashed record names it too
    assert integrity.verify_ledger().ok


def test_the_signer_s_own_words_for_the_event_are_kept(organiser, signatory, version):
    event = _occasion(organiser, timedelta(hours=-2))
    entry = _sign(signatory, event, event="Sessione plenaria del forum")
    assert entry.event == "Sessione plenaria del forum"
    assert occasions.adhesions_at(event)[0].seq == entry.seq


def test_an_event_that_is_no_longer_an_occasion_is_refused_and_nothing_is_signed(
        organiser, signatory, version):
    past = _occasion(organiser, timedelta(days=-5))
    with pytest.raises(DomainError, match="non è più"):
        _sign(signatory, past)
    assert db.session.scalar(select(func.count()).select_from(LedgerEntry)) == 0


def test_the_link_is_written_with_the_entry_or_not_at_all(organiser, signatory, version,
                                                          monkeypatch):
    event = _occasion(organiser, timedelta(hours=-2))

    def broken_link(entry, event_id):
        db.session.add(Adhesion(entry_seq=entry.seq, event_id=event_id + 1000))  # no such event

    monkeypatch.setattr(occasions, "link_adhesion", broken_link)
    with pytest.raises(Exception):
        _sign(signatory, event)
    assert db.session.scalar(select(func.count()).select_from(LedgerEntry)) == 0
    assert db.session.scalar(select(func.count()).select_from(Adhesion)) == 0


def test_the_signing_form_offers_current_occasions_and_links_the_chosen_one(
        client, organiser, signatory, version):
    event = _occasion(organiser, timedelta(hours=-1), title="Forum di Torino")
    sign_in_with_code(client, signatory, next_code(signatory))
    page = client.get("/pact/sign").get_data(as_text=True)
    assert f'<option value="{event.id}">Forum di Torino (' in page
    response = client.post("/pact/sign", data={
        "title": "Assessore", "place": "Torino", "declared": "y", "password": PASSWORD,
        "code": next_code(signatory), "occasion": str(event.id)})
    assert response.status_code == 302
    [entry] = occasions.adhesions_at(event)
    assert response.location.endswith(f"/pact/ledger/{entry.seq}")


def test_the_signing_form_without_occasions_shows_no_choice_and_refuses_an_unknown_one(
        client, signatory, version):
    sign_in_with_code(client, signatory, next_code(signatory))
    assert 'name="occasion"' not in client.get("/pact/sign").get_data(as_text=True)
    response = client.post("/pact/sign", data={
        "title": "Assessore", "place": "Torino", "declared": "y", "password": PASSWORD,
        "code": next_code(signatory), "occasion": "999"})
    assert response.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(LedgerEntry)) == 0


def test_the_event_page_lists_the_adhesions_signed_there(client, organiser, signatory, version):
    event = _occasion(organiser, timedelta(hours=-1))
    other = make_person("firma.toscana@example.org", "Tosca Firma", "delegate", "toscana",
                        mandate=True)
    entries = [_sign(signatory, event), _sign(other, event, title="Presidente")]
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    section = page[page.index('id="adhesions-title"'):page.index("</section>", page.index('id="adhesions-title"'))]
    for entry in entries:
        assert f'href="/pact/ledger/{entry.seq}"' in section
    assert "Piemonte" in section and "Toscana" in section and "Presidente" in section


def test_an_organiser_marks_the_event_as_a_signing_occasion_in_its_form(client, organiser, forum):
    sign_in(client, organiser)
    page = client.get(f"/events/{forum.id}/edit").get_data(as_text=True)
    assert 'name="signing_occasion"' in page and 'id="signing_occasion-help"' in page
    data = {"title": forum.title, "kind": forum.kind, "format": forum.format,
            "venue": forum.venue, "starts_at": _local(forum.starts_at),
            "ends_at": _local(forum.ends_at), "capacity": "10", "region": "0",
            "signing_occasion": "y"}
    assert client.post(f"/events/{forum.id}/edit", data=data).status_code == 302
    db.session.refresh(forum)
    assert forum.signing_occasion
    data.pop("signing_occasion")
    assert client.post(f"/events/{forum.id}/edit", data=data).status_code == 302
    db.session.refresh(forum)
    assert not forum.signing_occasion


def _local(moment) -> str:
    return to_rome(moment).isoformat(timespec="minutes")[:16]  # as a datetime-local input sends
