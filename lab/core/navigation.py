"""The main menu: each domain adds its entries, shown to the people allowed to use them."""
from dataclasses import dataclass
from typing import Callable

from flask_login import current_user


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: object  # a lazy string, translated when the menu is drawn
    visible: Callable[[object], bool]
    order: int
    # What waits for the person there (a number shown beside the label), if the entry counts any.
    badge: Callable[[object], int] | None = None


_ITEMS: list[NavItem] = []


def add_nav_item(endpoint: str, label, order: int, visible=lambda user: True, badge=None) -> None:
    if all(item.endpoint != endpoint for item in _ITEMS):
        _ITEMS.append(NavItem(endpoint, label, visible, order, badge))
        _ITEMS.sort(key=lambda item: item.order)


def nav_items() -> list[tuple[str, str, int]]:
    """Return (endpoint, label, waiting) for the entries the current person may see."""
    return [(item.endpoint, str(item.label), item.badge(current_user) if item.badge else 0)
            for item in _ITEMS if item.visible(current_user)]


def signed_in(user) -> bool:
    return user.is_authenticated


def platform_admin(user) -> bool:
    return user.is_authenticated and user.is_platform_admin


def any_admin(user) -> bool:
    return user.is_authenticated and (user.is_platform_admin or user.is_region_admin)
