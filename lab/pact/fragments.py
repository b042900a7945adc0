"""Parts of the Pact's pages that only a new register entry or a new version can change.

Each is rendered once per process and kept under a key that changes whenever what it shows
can: the register's head (its seq and entry hash, which chains every entry before it) and the
version in force (its number and text hash), all read in one statement, then the day asked
for and the language. Several processes each read that key, so a new signature or a newly
published version shows on the very next request whichever serves it. Regions are reference
data put there by the migrations, so their names need no key.

Measured in one run (``bench/pages.py --fast-paths``: Flask's test client, the demo data, CPU
time per request, median of 5 x 30 requests, a loaded machine): GET /pact took 17.2 ms with
neither the text nor the map and table kept, 7.1 ms with only the text kept, 12.8 ms with only
the map and table kept, 2.6 ms with both; ``?as_of=`` 18.2 ms and 2.7 ms; /pact/versions/1
13.7 ms and 3.6 ms. Reading the key in one statement and keeping the text in force by it (the
version is no longer loaded) took part in GET /pact going from 3.5 to 2.6 ms (bench/README.md).
"""
from datetime import date, datetime
from functools import lru_cache
from typing import NamedTuple

from flask import render_template
from flask_babel import get_locale
from markupsafe import Markup
from sqlalchemy import select

from lab.core.markup import render_markdown
from lab.extensions import db
from lab.pact import bp, services, versions
from lab.pact.italy_map import italy_map
from lab.pact.models import GENESIS_HASH, LedgerEntry, PactVersion


class RegisterKey(NamedTuple):
    """What the register shows depends on: its head and the version in force."""

    seq: int
    entry_hash: str
    version_number: int | None
    text_hash: str | None


def _register_key_statement():
    head = select(LedgerEntry).order_by(LedgerEntry.seq.desc()).limit(1)
    in_force = select(PactVersion).where(PactVersion.status == "published")
    return select(head.with_only_columns(LedgerEntry.seq).scalar_subquery(),
                  head.with_only_columns(LedgerEntry.entry_hash).scalar_subquery(),
                  in_force.with_only_columns(PactVersion.number).scalar_subquery(),
                  in_force.with_only_columns(PactVersion.text_hash).scalar_subquery())


# Built once, since every page of the Pact and every region's page reads it: building it took
# as long as running it (0.4 ms of CPU each, bench/pages.py --profile).
_REGISTER_KEY = _register_key_statement()


def register_key() -> RegisterKey:
    """Read the register's head and the version in force in one statement."""
    seq, entry_hash, number, text_hash = db.session.execute(_REGISTER_KEY).one()
    return RegisterKey(seq or 0, entry_hash or GENESIS_HASH, number, text_hash)


@bp.app_template_filter("pact_text")
@lru_cache(maxsize=8)
def text_html(body: str) -> Markup:
    """Render a version's text once: a published text never changes (the register holds its
    hash), and keyed by the text itself a draft being edited is never served stale."""
    return Markup(render_markdown(body))


def text_in_force(key: RegisterKey) -> Markup:
    """Return the section of the register's page that shows the version in force."""
    return rendered_text_in_force(key.version_number, key.text_hash, str(get_locale()))


@lru_cache(maxsize=8)
def rendered_text_in_force(number: int | None, text_hash: str | None, locale: str) -> Markup:
    version = versions.version_by_number(number) if number is not None else None
    return Markup(render_template("pact/_text_in_force.html", version=version))


class Standings(NamedTuple):
    map: Markup
    table: Markup


def standings(as_of: date | None, key: RegisterKey) -> Standings:
    """Return the map and the table of the regions' standing in the register on ``as_of``."""
    return rendered_standings(key, as_of, str(get_locale()))


@lru_cache(maxsize=64)  # a day asked for is a key: the oldest go first
def rendered_standings(key: RegisterKey, as_of: date | None, locale: str) -> Standings:
    """Render the map and the table for one key of ``standings`` (kept per process)."""
    shown = services.register_as_of(as_of)
    by_slug = {s.region.slug: s for s in shown}
    return Standings(Markup(render_template("pact/_map.html", italy=italy_map(), by_slug=by_slug)),
                     Markup(render_template("pact/_standings_table.html", standings=shown)))


class Standing(NamedTuple):
    """A region's standing in the register today, as its page and the welcome cards show it."""

    status: str
    founding: bool
    seq: int | None
    signed_at: datetime | None


def standing_of(region) -> Standing:
    """Return a region's standing in the register today."""
    return standings_today(register_key())[region.istat_code]


@lru_cache(maxsize=4)
def standings_today(key: RegisterKey) -> dict[str, Standing]:
    """Every region's standing today by ISTAT code, for one key (kept per process): a region's
    page took 9.4 ms of CPU finding it each time, 7.2 ms keeping it (--fast-paths)."""
    return {s.region.istat_code: Standing(s.status, s.founding, s.entry and s.entry.seq,
                                          s.entry and s.entry.signed_at)
            for s in services.register_as_of(None)}
