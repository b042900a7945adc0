"""Demo groups: the eight themes, with Piemonte, Toscana and Puglia delegates taking part."""
from lab.accounts.services import user_by_email
from lab.groups import queries, services
from lab.groups.themes import ensure_themes

ADMIN = "admin@laboratorio.example"
# group slug -> (coordinator, members, pending requests, open)
DEMO_GROUPS = {
    "prossimita-domiciliarita": ("firma.piemonte@laboratorio.example",
                                 ["delegato.piemonte@laboratorio.example",
                                  "delegata.toscana@laboratorio.example"],
                                 ["delegato.puglia@laboratorio.example"], False),
    "dati-nel-sociale": ("delegata.toscana@laboratorio.example",
                         ["delegato.puglia@laboratorio.example"], [], True),
}


def load() -> list[str]:
    """Create the themes and the demo memberships unless they exist."""
    ensure_themes()
    admin = user_by_email(ADMIN)
    for slug, (coordinator, members, requests, is_open) in DEMO_GROUPS.items():
        group = queries.group_by_slug(slug)
        lead = user_by_email(coordinator)
        if admin is None or lead is None:
            continue
        if not queries.is_coordinator(lead, group):
            services.appoint_coordinator(admin, group, lead)
        for email in members + requests:
            person = user_by_email(email)
            if person is not None and queries.open_membership(person, group) is None:
                membership = services.ask_to_join(person, group)
                if email in members and membership.is_pending:
                    services.accept_request(lead, membership)
        if group.is_open != is_open:
            services.set_open(admin, group, is_open)
    return ["Demo groups: the eight themes; Elena Bianchi coordinates "
            "'Politiche di prossimità e domiciliarità'."]
