"""Who is told what by email, in their own language, after the change is committed.

Each receiver below answers a signal of another domain; ``send_digests`` is run daily by
``flask --app wsgi lab send-digests``.
"""
from collections import defaultdict
from datetime import timedelta

from flask_babel import force_locale, gettext as _
from sqlalchemy import or_, select, update

from lab.accounts.models import Role, RoleAssignment, User
from lab.core.links import external_url
from lab.core.mail import send_mail
from lab.core.timeutil import utcnow
from lab.extensions import db
from lab.groups.models import Group
from lab.groups.queries import coordinators
from lab.groups.signals import coordinator_appointed, join_requested, request_decided
from lab.notifications.models import NotificationSettings
from lab.notifications.services import settings_of, wants
from lab.pact.signals import entry_recorded
from lab.rooms.models import Mention, Message, Room
from lab.rooms.services import can_read
from lab.rooms.events import mentioned

EXCERPT = 300  # characters of a message quoted in a mail
DIGEST_PERIOD = timedelta(days=1)


def _tell(person: User, kind: str, compose) -> bool:
    """Mail ``person`` what ``compose(language)`` writes, if they want this kind of notice."""
    if not wants(person, kind):
        return False
    language = person.locale or "it"
    with force_locale(language):
        subject, body = compose(language)
        body += "\n-- \n" + _("Scegli quali notifiche ricevere dal tuo account: %(link)s",
                              link=external_url("accounts.account"))
    send_mail(person.email, subject, body)
    return True


def _group_link(group: Group) -> str:
    return external_url("groups.show", slug=group.slug)


@join_requested.connect
def _on_join_requested(group: Group, membership=None, **_extra) -> None:
    person = membership.user

    def compose(language):
        region = membership.region.name(language) if membership.region else "–"
        return (_("Richiesta di partecipazione al gruppo «%(group)s»", group=group.name(language)),
                _("%(name)s (%(region)s) chiede di partecipare al gruppo «%(group)s».\n\n"
                  "Accetta o rifiuta la richiesta dalla pagina del gruppo:\n%(link)s\n",
                  name=person.full_name, region=region, group=group.name(language),
                  link=_group_link(group)))

    for coordination in coordinators(group):
        _tell(coordination.user, "join_requests", compose)


@request_decided.connect
def _on_request_decided(group: Group, membership=None, reason="", **_extra) -> None:
    def compose(language):
        name = group.name(language)
        if membership.is_active:
            return (_("Sei entrato nel gruppo «%(group)s»", group=name),
                    _("La tua richiesta di partecipare al gruppo «%(group)s» è stata accolta.\n\n"
                      "La pagina e la stanza del gruppo:\n%(link)s\n", group=name,
                      link=_group_link(group)))
        body = _("La tua richiesta di partecipare al gruppo «%(group)s» non è stata accolta.",
                 group=name)
        if reason:
            body += "\n\n" + _("Il motivo indicato dai coordinatori: %(reason)s", reason=reason)
        return (_("Richiesta non accolta: gruppo «%(group)s»", group=name),
                body + "\n\n" + _group_link(group) + "\n")

    _tell(membership.user, "decisions", compose)


@coordinator_appointed.connect
def _on_coordinator_appointed(group: Group, coordination=None, **_extra) -> None:
    def compose(language):
        name = group.name(language)
        return (_("Coordini il gruppo «%(group)s»", group=name),
                _("Sei stato nominato coordinatore del gruppo «%(group)s»: decidi sulle richieste "
                  "di partecipazione e moderi le stanze del gruppo.\n\n%(link)s\n",
                  group=name, link=_group_link(group)))

    _tell(coordination.user, "appointments", compose)


@entry_recorded.connect
def _on_entry_recorded(entry, **_extra) -> None:
    recipients = db.session.scalars(select(User).join(
        RoleAssignment, RoleAssignment.user_id == User.id).where(
        RoleAssignment.ended_at.is_(None),
        or_(RoleAssignment.role == Role.PLATFORM_ADMIN.value,
            (RoleAssignment.role == Role.REGION_ADMIN.value)
            & (RoleAssignment.region_id == entry.region_id))).distinct())

    def compose(language):
        kind = _("adesione") if entry.kind == "adhesion" else _("recesso")
        region = entry.region.name(language)
        return (_("Registro del Patto: %(kind)s di %(region)s", kind=kind, region=region),
                _("Nel registro del Patto per l'innovazione sociale è stata iscritta la voce "
                  "n. %(seq)d (%(kind)s) per %(region)s, firmata da %(name)s.\n\n"
                  "Hash della voce: %(hash)s\n%(link)s\n",
                  seq=entry.seq, kind=kind, region=region, name=entry.signer_name,
                  hash=entry.entry_hash, link=external_url("pact.entry", seq=entry.seq)))

    for person in list(recipients):
        _tell(person, "pact_entries", compose)


# --- mentions -----------------------------------------------------------------------------------

def _message_link(message: Message) -> str:
    return external_url("rooms.show", room_id=message.room_id) + f"#m-{message.seq}"


def _excerpt(message: Message) -> str:
    text = " ".join(message.body_source.split())
    return text if len(text) <= EXCERPT else text[:EXCERPT - 1] + "…"


@mentioned.connect
def _on_mentioned(room_id: int, seq=None, user_ids=(), connected=(), **_extra) -> None:
    """Mail at once those not connected who want each mention; the digest takes the rest."""
    message = db.session.scalar(select(Message).where(Message.room_id == room_id,
                                                      Message.seq == seq))
    told = set(connected)
    for person in db.session.scalars(select(User).where(User.id.in_(set(user_ids) - told))):
        if settings_of(person).mention_digest:
            continue

        def compose(language):
            return (_("%(name)s ti ha citato in «%(room)s»", name=message.author.full_name,
                      room=message.room.title()),
                    f"{_excerpt(message)}\n\n{_message_link(message)}\n")

        if _tell(person, "mentions", compose):
            told.add(person.id)
    _mark_told(message.id, told)


def _mark_told(message_id: int, user_ids) -> None:
    if user_ids:
        db.session.execute(update(Mention).where(
            Mention.message_id == message_id, Mention.user_id.in_(list(user_ids)),
            Mention.notified_at.is_(None)).values(notified_at=utcnow()))
        db.session.commit()


def send_digests(now=None) -> int:
    """Mail each person who chose the digest the mentions of the last day not yet told or seen.

    Idempotent: a mention, once in a digest, is marked as told and never sent again.
    """
    now = now or utcnow()
    rows = db.session.execute(
        select(Mention, Message).join(Message, Message.id == Mention.message_id)
        .join(NotificationSettings, NotificationSettings.user_id == Mention.user_id)
        .where(Mention.notified_at.is_(None), Mention.seen_at.is_(None),
               Message.deleted_at.is_(None), Message.created_at >= now - DIGEST_PERIOD,
               NotificationSettings.mentions, NotificationSettings.mention_digest)
        .order_by(Mention.user_id, Message.created_at))
    by_person: dict[int, list[tuple[Mention, Message]]] = defaultdict(list)
    for mention, message in rows:
        by_person[mention.user_id].append((mention, message))
    sent = 0
    for user_id, items in by_person.items():
        person = db.session.get(User, user_id)
        readable = [(m, message) for m, message in items
                    if can_read(person, db.session.get(Room, message.room_id))]
        if readable and _tell(person, "mentions", lambda language: _digest(readable)):
            sent += 1
        for mention, _message in items:
            mention.notified_at = now
        db.session.commit()
    return sent


def _digest(items) -> tuple[str, str]:
    lines = []
    for _mention, message in items:
        lines.append(_("%(name)s in «%(room)s»:", name=message.author.full_name,
                       room=message.room.title()))
        lines.append(f"  {_excerpt(message)}\n  {_message_link(message)}\n")
    return (_("Le menzioni nelle stanze del Laboratorio (ultime 24 ore)"), "\n".join(lines))
