"""Parts of the Pact's pages that only a new register entry or a new text can change.

Each is rendered once per process and kept under a key that changes whenever what it shows
can: the register's head (its seq and entry hash, which chains every entry before it), the
day asked for, the version in force and the language. Several processes each check the head,
one indexed query, so a new signature shows on the very next request whichever serves it.
Regions are reference data put there by the migrations, so their names need no key.

Both pay, measured in one run (``bench/pages.py --fast-paths``: Flask's test client, the demo
data, median of 3 x 50 requests): GET /pact took 36 ms with neither kept, 23 ms with only the
text kept, 31 ms with only the map and table kept, 5.6 ms with both; ``?as_of=`` 40 ms and
4.8 ms; /pact/versions/1 24 ms and 5.4 ms.
"""
from datetime import date
from functools import lru_cache
from typing import NamedTuple

from flask import render_template
from flask_babel import get_locale
from markupsafe import Markup

from lab.core.markup import render_markdown
from lab.pact import bp, ledger, services
from lab.pact.italy_map import italy_map
from lab.pact.models import PactVersion


@bp.app_template_filter("pact_text")
@lru_cache(maxsize=8)
def text_html(body: str) -> Markup:
    """Render a version's text once: a published text never changes (the register holds its
    hash), and keyed by the text itself a draft being edited is never served stale."""
    return Markup(render_markdown(body))


class Standings(NamedTuple):
    map: Markup
    table: Markup


def standings(as_of: date | None, version: PactVersion | None) -> Standings:
    """Return the map and the table of the regions' standing in the register on ``as_of``."""
    seq, entry_hash = ledger.head()  # read first: what is rendered below is at least as new
    return rendered_standings(seq, entry_hash, as_of, version.number if version else None,
                              str(get_locale()))


@lru_cache(maxsize=64)  # a day asked for is a key: the oldest go first
def rendered_standings(seq: int, entry_hash: str, as_of: date | None,
                       version_number: int | None, locale: str) -> Standings:
    """Render the map and the table for one key of ``standings`` (kept per process)."""
    shown = services.register_as_of(as_of)
    by_slug = {s.region.slug: s for s in shown}
    return Standings(Markup(render_template("pact/_map.html", italy=italy_map(), by_slug=by_slug)),
                     Markup(render_template("pact/_standings_table.html", standings=shown)))
