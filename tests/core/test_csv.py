"""The shared CSV writer neutralises cells a spreadsheet would run as formulas."""
import csv
import io

import pytest

from lab.core.csv import csv_text, safe_cell


@pytest.mark.parametrize("text", ["=1+1", "+39 011", "-2+3", "@SUM(A1)", "\t=1", "\r=1"])
def test_text_a_spreadsheet_would_run_is_quoted(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["Piemonte", "a=b", "", -3, 2.5, None, True])
def test_other_values_are_written_as_they_are(value):
    assert safe_cell(value) == value


def test_header_and_rows_go_through_the_same_rule():
    rows = list(csv.reader(io.StringIO(csv_text(["=name", "n"], [["=HYPERLINK(\"x\")", -1]]))))
    assert rows == [["'=name", "n"], ["'=HYPERLINK(\"x\")", "-1"]]
