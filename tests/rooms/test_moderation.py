"""Mute notices reach the muted person in their own language, whatever the coordinator's."""
from sqlalchemy import select

from lab.accounts.models import User
from lab.extensions import db
from lab.rooms.models import Mute
from tests.conftest import sign_in


def set_locales(**locales):
    for email, locale in locales.items():
        db.session.scalar(select(User).where(User.email == email)).locale = locale
    db.session.commit()


def test_mute_notices_are_in_the_muted_persons_language(client, connect, room, delegate, coordinator):
    set_locales(**{coordinator.email: "en", delegate.email: None})
    member = connect(delegate)
    sign_in(client, coordinator)
    client.post(f"/rooms/{room.id}/mutes", data={"person": delegate.id, "minutes": 15})
    assert member.received("muted")[-1]["message"].startswith("Un coordinatore ti ha silenziato")

    set_locales(**{coordinator.email: "it", delegate.email: "en"})
    mute = db.session.scalar(select(Mute))
    client.post(f"/rooms/{room.id}/mutes/{mute.id}/lift")
    assert member.received("muted")[-1]["message"] == "You may post in this room again."


def test_a_muted_member_is_refused_in_their_own_language(connect, room, delegate, coordinator):
    """The room's writer reads the posting rule with no person's language; the refusal the
    sender gets is in theirs."""
    from lab.rooms import moderation

    set_locales(**{delegate.email: "en"})
    member = connect(delegate)
    moderation.mute_member(coordinator, room, delegate, 30)
    ack = member.send(room, "Posso parlare?")
    assert ack["code"] == "forbidden" and ack["message"].startswith("A coordinator has muted you")
