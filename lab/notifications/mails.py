"""Who is told what by email, in their own language, after the change is committed.

Each receiver below answers a signal of another domain; other domains call ``tell`` for what
only they can word (the rooms' mentions: lab/rooms/mentions.py).
"""

from flask_babel import force_locale, gettext as _
from sqlalchemy import or_, select

from lab.accounts.models import Role, RoleAssignment, User
from lab.core.links import external_url
from lab.core.mail import send_mail
from lab.extensions import db
from lab.groups.models import Group
from lab.groups.queries import coordinators
from lab.groups.signals import coordinator_appointed, join_requested, request_decided
from lab.notifications.services import wants
from lab.pact.signals import entry_recorded


def tell(person: User, kind: str, compose) -> bool:
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
        tell(coordination.user, "join_requests", compose)


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

    tell(membership.user, "decisions", compose)


@coordinator_appointed.connect
def _on_coordinator_appointed(group: Group, coordination=None, **_extra) -> None:
    def compose(language):
        name = group.name(language)
        return (_("Coordini il gruppo «%(group)s»", group=name),
                _("Sei stato nominato coordinatore del gruppo «%(group)s»: decidi sulle richieste "
                  "di partecipazione e moderi le stanze del gruppo.\n\n%(link)s\n",
                  group=name, link=_group_link(group)))

    tell(coordination.user, "appointments", compose)


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
        tell(person, "pact_entries", compose)
