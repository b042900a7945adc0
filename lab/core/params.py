"""The one way each id, date and page number is read from a URL, so none reaches a query unchecked.

Ids in paths go through ``IdConverter`` (registered as ``int`` for every rule), other path
segments through ``TextConverter``; ids, dates and pages in query strings through ``id_arg``,
``date_arg`` and ``page_arg``. A value out of range is a 404 in a path and a 400 in a query
string, never an overflow in the database. Control characters in query strings are refused by
``lab.core.text``, the one rule for text from outside.
"""
from datetime import date

from flask import abort, request
from flask_babel import gettext as _
from werkzeug.routing import BaseConverter, IntegerConverter

ID_MAX = 2**31 - 1  # every id column is an integer, 4 bytes on PostgreSQL
PAGE_MAX = 10_000
# Far enough for any record, near enough that a day's bounds in Europe/Rome and UTC still exist.
DATE_MIN, DATE_MAX = date(1900, 1, 1), date(2999, 12, 31)


class IdConverter(IntegerConverter):
    """``<int:...>`` limited to what the database can hold."""

    def __init__(self, url_map, fixed_digits=0, min=0, max=ID_MAX, signed=False):
        super().__init__(url_map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


class TextConverter(BaseConverter):
    """A path segment (slug, token) without control characters and of a sane length."""

    regex = r"[^/\x00-\x1f\x7f]{1,500}"  # reset tokens are under 100


def _number(name: str, first: int, last: int) -> int | None:
    value = request.args.get(name, "")
    if not value:
        return None
    if not value.isascii() or not value.isdigit() or not first <= int(value) <= last:
        abort(400, _("Il parametro «%(name)s» deve essere un numero.", name=name))
    return int(value)


def id_arg(name: str) -> int | None:
    """Read an id (or a count) from the query string; absent or empty is None."""
    return _number(name, 0, ID_MAX)


def page_arg(name: str = "page") -> int:
    """Read a page number from the query string, 1 when absent."""
    return _number(name, 1, PAGE_MAX) or 1


def date_arg(name: str) -> date | None:
    """Read a YYYY-MM-DD date from the query string; absent or empty is None."""
    value = request.args.get(name, "")
    if not value:
        return None
    try:
        day = date.fromisoformat(value) if len(value) == 10 else None
    except ValueError:
        day = None
    if day is None or not DATE_MIN <= day <= DATE_MAX:
        abort(400, _("La data deve essere nel formato AAAA-MM-GG, tra il %(first)s e il %(last)s.",
                     first=DATE_MIN.isoformat(), last=DATE_MAX.isoformat()))
    return day


def init_app(app) -> None:
    # Before any blueprint adds its rules, so every <int:...> and <slug> is bounded.
    app.url_map.converters.update(int=IdConverter, default=TextConverter, string=TextConverter)
