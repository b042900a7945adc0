"""Creating people outside the invitation flow: the first admin and the demo accounts."""
from datetime import date, datetime

from sqlalchemy import select

from lab.accounts.models import Mandate, Region, Role, RoleAssignment, User
from lab.accounts.passwords import check_password_strength, hash_password
from lab.accounts.services import normalise_email, user_by_email
from lab.accounts.audit import record
from lab.core.timeutil import utcnow
from lab.extensions import db


def ensure_platform_admin(email: str, full_name: str, password: str) -> User:
    """Create the person if needed and make sure they hold the platform admin role."""
    user = user_by_email(email)
    if user is None:
        check_password_strength(password, email, full_name)
        user = User(email=normalise_email(email), full_name=full_name,
                    password_hash=hash_password(password))
        db.session.add(user)
        db.session.flush()
    if not user.has_role(Role.PLATFORM_ADMIN):
        db.session.add(RoleAssignment(user=user, role=Role.PLATFORM_ADMIN.value))
        record("role.granted", subject=user, role=Role.PLATFORM_ADMIN.value, via="cli")
    db.session.commit()
    return user


def ensure_person(email: str, full_name: str, password: str, roles: list[Role],
                  region_slug: str | None = None, since: datetime | None = None,
                  mandate: tuple[str, date] | None = None) -> User:
    """Create a demo person with roles (and a mandate) unless they exist; demo data only."""
    user = user_by_email(email)
    if user is not None:
        return user
    region = db.session.scalar(select(Region).where(Region.slug == region_slug)) if region_slug else None
    user = User(email=normalise_email(email), full_name=full_name,
                password_hash=hash_password(password), region=region)
    db.session.add(user)
    for role in roles:
        regional = role in (Role.DELEGATE, Role.REGION_ADMIN)
        db.session.add(RoleAssignment(user=user, role=role.value,
                                      region=region if regional else None,
                                      started_at=since or datetime(2019, 1, 1)))
    if mandate:
        act, starts_on = mandate
        # Set-up data, like a platform admin's grant, needs no second person's confirmation.
        db.session.add(Mandate(user=user, region=region, act=act, starts_on=starts_on,
                               confirmed_at=utcnow()))
    db.session.commit()
    return user
