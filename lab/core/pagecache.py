"""Public pages kept whole, per process, for visitors who are not signed in.

A page is kept under its address, the language and the public data's version (lab/core/
changes.py), read from the database at each request: any process's commit that may change it
moves the version, so the next request renders it anew. Kept pages hold nothing personal: only
requests with no signed-in person and nothing in the session but the CSRF token are served
from, or stored in, them. The token itself is per visitor: it is taken out of the kept page and
the visitor's own put back in on each request. Pages that the clock alone changes (what is
upcoming, the day's representatives) are kept until the next such moment: the next midnight in
Rome, or the earliest that ``add_clock`` functions give.

Measured by bench/pages.py (wrk, no cookie: each request a new visitor; the previous commit then
this one, load average 6-9): CPU per request 2.7-3.2 ms on every public page against 4.0-16.6
ms rendered each time, 0.18-0.20 of the bare page's instead of 0.03-0.13 (bench/README.md).
"""
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import wraps

from flask import current_app, make_response, request, session
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from lab.core.changes import public_version
from lab.core.timeutil import rome_day_bounds, rome_today, utcnow

MAX_PAGES = 256
TOKEN_MARK = "\0csrf-token\0"  # cannot be in a page: text holding NUL is refused on the way in
_UNKEPT_HEADERS = {"set-cookie", "content-length"}


@dataclass(frozen=True)
class KeptPage:
    body: str
    headers: list[tuple[str, str]]
    until: datetime  # naive UTC: what the page shows may change then by the clock alone


_pages: dict[tuple[str, str, str], KeptPage] = {}
_kept_version: list[int | None] = [None]
_clocks: list[Callable[[datetime], datetime | None]] = []


def add_clock(next_change: Callable[[datetime], datetime | None]) -> None:
    """Let a domain say when its public pages next change with no write (``next_change(now)``)."""
    if next_change not in _clocks:
        _clocks.append(next_change)


def forget_kept_pages() -> None:
    """Drop every kept page (``bench/pages.py --fast-paths`` times the parts beneath them)."""
    _pages.clear()


def kept_for_visitors(view):
    """Serve the view's page to visitors from the pages kept under the public data's version."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not _visitor():
            return view(*args, **kwargs)
        key = (request.full_path, request.script_root, str(get_locale()))
        version = public_version()
        page = _kept(key, version)
        if page is not None:
            return current_app.response_class(
                page.body.replace(TOKEN_MARK, generate_csrf()), headers=page.headers)
        response = make_response(view(*args, **kwargs))
        if _keepable(response):
            _keep(key, version, response)
        return response

    return wrapped


def _visitor() -> bool:
    """Tell whether the request is a visitor's with nothing of their own in the session but the
    CSRF token (and Flask-Login's mark that nobody signed in afresh): no message waiting."""
    shared = (current_app.config["WTF_CSRF_FIELD_NAME"], "_fresh")
    return (request.method == "GET" and not current_user.is_authenticated
            and all(name in shared for name in session))


def _kept(key, version: int) -> KeptPage | None:
    if _kept_version[0] != version:
        _pages.clear()
        _kept_version[0] = version
        return None
    page = _pages.get(key)
    return page if page is not None and utcnow() < page.until else None


def _keepable(response) -> bool:
    return (response.status_code == 200 and response.mimetype == "text/html"
            and not response.is_streamed and "Set-Cookie" not in response.headers
            and _visitor())


def _keep(key, version: int, response) -> None:
    body = response.get_data(as_text=True)
    token = generate_csrf()
    headers = [(name, value) for name, value in response.headers
               if name.lower() not in _UNKEPT_HEADERS]
    now = utcnow()
    moments = [rome_day_bounds(rome_today())[1], *(clock(now) for clock in _clocks)]
    if _kept_version[0] != version:
        return  # the version moved while the page was rendered: keep nothing of the older one
    if len(_pages) >= MAX_PAGES:
        _pages.pop(next(iter(_pages)))
    _pages[key] = KeptPage(body.replace(token, TOKEN_MARK), headers,
                           min(moment for moment in moments if moment is not None))
