"""Dates and times: Rome's time with its zone, days as days, UTC records said as UTC."""
import re
from datetime import date, datetime
from pathlib import Path

from flask_babel import refresh

from lab.core.timeutil import format_day, format_moment, format_utc
from tests.conftest import sign_in

ROOT = Path(__file__).resolve().parents[2]


def test_a_moment_is_shown_in_rome_with_its_zone_winter_and_summer(app):
    with app.test_request_context():
        assert format_moment(datetime(2019, 1, 23, 10, 0)) == "23 gen 2019, 11:00 CET"
        summer = datetime(2026, 7, 1, 22, 0, 5)
        assert format_moment(summer, seconds=True) == "2 lug 2026, 00:00:05 CEST"
    with app.test_request_context(headers={"Cookie": "lab_lang=en"}):
        refresh()  # the suite's app context would keep the Italian of the first request
        assert format_moment(datetime(2019, 1, 23, 10, 0)) == "23 Jan 2019, 11:00 CET"


def test_a_day_is_the_day_in_rome_without_a_time(app):
    with app.test_request_context():
        assert format_day(datetime(2019, 1, 1, 0, 0), "short") == "01/01/19"
        assert format_day(datetime(2019, 6, 30, 22, 30)) == "1 lug 2019"  # already July in Rome
        assert format_day(date(2019, 1, 18), "long") == "18 gennaio 2019"


def test_a_utc_record_says_utc():
    assert format_utc(datetime(2019, 1, 23, 10, 0)) == "2019-01-23 10:00:00 UTC"


def test_templates_and_code_format_time_only_through_the_core_filters():
    other_ways = re.compile(
        r"datetimeformat|dateformat|timeformat|strftime|format_datetime|format_date\(")
    found = [f"{path.relative_to(ROOT)}:{number}"
             for folder, pattern in (("templates", "**/*.html"), ("lab", "**/*.py"))
             for path in (ROOT / folder).glob(pattern) if path.name != "timeutil.py"
             for number, line in enumerate(path.read_text().splitlines(), start=1)
             if other_ways.search(line)]
    assert found == []


def test_a_role_from_midnight_utc_is_shown_as_its_day(client, admin, delegate):
    sign_in(client, admin)
    page = client.get(f"/admin/people/{delegate.id}").get_data(as_text=True)
    assert "<td>01/01/19</td>" in page and "01:00" not in page
