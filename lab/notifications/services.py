"""Each person's notification settings: read them, change them."""
from lab.accounts.models import User
from lab.extensions import db
from lab.notifications.models import KINDS, NotificationSettings


def settings_of(person: User) -> NotificationSettings:
    """Return the person's settings, or the defaults (not stored) if they never changed them."""
    stored = db.session.get(NotificationSettings, person.id)
    if stored is not None:
        return stored
    defaults = {column.name: column.default.arg for column in NotificationSettings.__table__.columns
                if column.name in KINDS or column.name == "mention_digest"}
    return NotificationSettings(user_id=person.id, **defaults)


def wants(person: User, kind: str) -> bool:
    """Tell whether the person wants email of this kind."""
    return bool(person.active and getattr(settings_of(person), kind))


def change_settings(person: User, choices: dict[str, bool]) -> NotificationSettings:
    """Save which notices the person wants by email, and whether mentions come as a digest."""
    settings = settings_of(person)
    for name in (*KINDS, "mention_digest"):
        setattr(settings, name, bool(choices.get(name)))
    settings = db.session.merge(settings)
    db.session.commit()
    return settings
