"""Time helpers: the database stores naive UTC; pages show Europe/Rome."""
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

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
