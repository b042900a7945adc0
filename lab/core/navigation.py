"""The main menu: each domain adds its entries, shown to the people allowed to use them."""
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable

from flask import render_template, request
from flask_babel import get_locale
from flask_login import current_user
from markupsafe import Markup


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


def main_menu() -> Markup:
    """Return the menu's entries that the current person may see, the current page marked."""
    entries = tuple((item.endpoint, item.badge(current_user) if item.badge else 0)
                    for item in _ITEMS if item.visible(current_user))
    return rendered_menu(entries, request.endpoint, str(get_locale()), request.script_root)


@lru_cache(maxsize=256)
def rendered_menu(entries: tuple[tuple[str, int], ...], current: str | None, locale: str,
                  script_root: str) -> Markup:
    """Render the menu once per set of entries (with their counts), page and language: the
    labels, addresses and marks of the menu cost /accessibility 1.89 ms of CPU drawn each time,
    1.49 ms kept (``bench/pages.py --fast-paths``)."""
    labels = {item.endpoint: str(item.label) for item in _ITEMS}
    return Markup(render_template("_partials/menu.html", current=current, items=[
        (endpoint, labels[endpoint], waiting) for endpoint, waiting in entries]))


def signed_in(user) -> bool:
    return user.is_authenticated


def platform_admin(user) -> bool:
    return user.is_authenticated and user.is_platform_admin


def any_admin(user) -> bool:
    return user.is_authenticated and (user.is_platform_admin or user.is_region_admin)
