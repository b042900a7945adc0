"""No GET route answers 500, whatever path values and query string it is sent.

Hypothesis walks every GET rule of the URL map, anonymous and as a platform admin. Each rule
first gets every value that once answered 500 (ids from 2^63, dates at the ends of the
calendar, huge pages and regions, CR/LF in ``next``) in all its placeholders and every query
parameter at once, then a few generated ones: ids, huge ints, dates, control characters and
other unicode. Examples are few and derandomised, so the suite stays quick and a failure repeats.
"""
import re
from datetime import date
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.conftest import sign_in

GENERATED_PER_ROUTE = 8
PLACEHOLDER = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")
QUERY_NAMES = ["page", "region", "as_of", "since", "until", "after", "before", "limit", "next",
               "q", "email", "action", "actor", "lang", "id", "seq"]
HUGE = [2**31, 2**63 - 1, 2**63, 2**64, 10**30]
REPORTED = ["2147483648", "9223372036854775808", "99999999999999999999", "0001-01-01", "9999-12-31",
            "/\r\n/evil.example", "/%09/evil.example", "-1", "2019-02-30", "\x00", "١٢٣", "😀"]

ints = st.one_of(st.integers(0, 5), st.sampled_from(HUGE), st.integers(-(2**70), 2**70))
texts = st.text(alphabet=st.characters(codec="utf-8"), max_size=20)
values = st.one_of(ints.map(str), st.dates(date.min, date.max).map(date.isoformat),
                   st.sampled_from(REPORTED), texts)
query = st.dictionaries(st.sampled_from(QUERY_NAMES), values, max_size=4)


def path_values(converter: str | None):
    if converter == "int":
        return ints.map(str)
    segment = values.filter(lambda value: value not in ("", ".", ".."))
    return segment.map(lambda value: quote(value, safe="" if converter != "path" else "/"))


def build(rule: str, drawn: dict[str, str]) -> str:
    return PLACEHOLDER.sub(lambda match: drawn[match.group(2)], rule)


def get_rules(app) -> list[str]:
    rules = {rule.rule for rule in app.url_map.iter_rules() if "GET" in rule.methods}
    return sorted(rules)


def fuzz(client, rule: str) -> None:
    placeholders = {name: path_values(converter) for converter, name in PLACEHOLDER.findall(rule)}

    @settings(max_examples=GENERATED_PER_ROUTE, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(drawn=st.fixed_dictionaries(placeholders), args=query)
    def no_server_error(drawn, args):
        url = build(rule, drawn)
        response = client.get(url, query_string=args)
        assert response.status_code < 500, (url, args, response.status_code)

    for value in REPORTED:
        no_server_error = example(drawn={name: quote(value, safe="") for name in placeholders},
                                  args=dict.fromkeys(QUERY_NAMES, value))(no_server_error)
    no_server_error()


@pytest.mark.parametrize("role", ["anonymous", "platform admin"])
def test_no_get_route_answers_500(app, client, admin, role):
    if role == "platform admin":
        sign_in(client, admin)
    for rule in get_rules(app):
        fuzz(client, rule)
