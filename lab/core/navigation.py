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


_ITEMS: list[NavItem] = []


def add_nav_item(endpoint: str, label, order: int, visible=lambda user: True) -> None:
    if all(item.endpoint != endpoint for item in _ITEMS):
        _ITEMS.append(NavItem(endpoint, label, visible, order))
        _ITEMS.sort(key=lambda item: item.order)


def nav_items() -> list[tuple[str, str]]:
    """Return (endpoint, label) for the entries the current person may see."""
    return [(item.endpoint, str(item.label)) for item in _ITEMS if item.visible(current_user)]


def signed_in(user) -> bool:
    return user.is_authenticated


def platform_admin(user) -> bool:
    return user.is_authenticated and user.is_platform_admin


def any_admin(user) -> bool:
    return user.is_authenticated and (user.is_platform_admin or user.is_region_admin)
