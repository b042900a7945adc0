"""Time helpers: the database stores naive UTC; pages show Europe/Rome."""
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel import dates as babel_dates
from flask_babel import get_locale

ROME = ZoneInfo("Europe/Rome")


def utcnow() -> datetime:
    """Return the current time as naive UTC, the form every ``*_at`` column stores."""
    return datetime.now(UTC).replace(tzinfo=None)


def rome_day_bounds(day: date) -> tuple[datetime, datetime]:
    """Return the naive-UTC start and end of a calendar day in Rome."""
    start = datetime.combine(day, time.min, tzinfo=ROME)
    end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=ROME)
    return (start.astimezone(UTC).replace(tzinfo=None), end.astimezone(UTC).replace(tzinfo=None))


def rome_today() -> date:
    return datetime.now(ROME).date()


def to_rome_date(moment: datetime) -> date:
    """The calendar day in Rome of a naive-UTC moment."""
    return moment.replace(tzinfo=UTC).astimezone(ROME).date()


def rome_to_utc(local: datetime) -> datetime:
    """The naive-UTC moment of a wall-clock time in Rome (as typed in a form)."""
    return local.replace(tzinfo=ROME).astimezone(UTC).replace(tzinfo=None)


def to_rome(moment: datetime) -> datetime:
    """The wall-clock time in Rome of a naive-UTC moment, aware of its zone."""
    return moment.replace(tzinfo=UTC).astimezone(ROME)


# How pages show time, as Jinja filters (lab.core.i18n registers them) and for messages built in
# Python: a moment in Rome's time with its zone, a day without a time, a UTC record said as UTC.

def format_moment(moment: datetime, pattern: str | None = None, seconds: bool = False) -> str:
    """Show a naive-UTC moment in Rome's time with its zone: "23 gen 2019, 11:00 CET".

    ``pattern`` (a CLDR pattern) is for pages that say the zone once, such as an agenda.
    """
    pattern = pattern or ("d MMM y, HH:mm:ss z" if seconds else "d MMM y, HH:mm z")
    return _formatted_moment(moment, pattern, get_locale())


# Kept by all that makes the text (moment, pattern, language): pages show the same moments again
# and again (a room's latest messages, the audit log's entries). 50 moments cost 2.93 ms of CPU
# formatted each time, 0.42 ms kept (the same process, alternating 7 x 20 pages, load 7.3);
# /admin/audit 19.4 ms formatted each time, 16.6 ms kept (bench/pages.py --fast-paths).
@lru_cache(maxsize=4096)
def _formatted_moment(moment: datetime, pattern: str, locale) -> str:
    return babel_dates.format_datetime(moment.replace(tzinfo=UTC), pattern, tzinfo=ROME,
                                       locale=locale)


def format_day(value: date | datetime, style: str = "medium") -> str:
    """Show a date, or the day in Rome of a naive-UTC moment, without a time."""
    day = to_rome_date(value) if isinstance(value, datetime) else value
    return babel_dates.format_date(day, style, locale=get_locale())


def format_utc(moment: datetime) -> str:
    """Show a moment that a record keeps in UTC as it is kept: "2019-01-23 10:00:00 UTC"."""
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC")
