"""The one XLSX writer: text a spreadsheet could run is stored as text, the rest as it is."""
import io

import openpyxl

from lab.core.xlsx import xlsx_bytes


def _cells(data: bytes) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    return [[(cell.value, cell.data_type) for cell in row] for row in sheet.iter_rows()]


def test_text_starting_like_a_formula_is_stored_as_text_not_as_a_formula():
    risky = ['=HYPERLINK("https://evil.example","clic")', "+39 011 123", "-2+3", "@SUM(A1)",
             "\t=1+1", "=cmd|' /C calc'!A0"]
    cells = _cells(xlsx_bytes("Foglio", ["testo"], [[value] for value in risky]))
    assert cells[1:] == [[(value, "s")] for value in risky]


def test_numbers_stay_numbers_and_plain_text_stays_as_typed():
    cells = _cells(xlsx_bytes("Foglio", ["n", "testo", "vuoto"], [[-3, "Però sì", None]]))
    assert cells == [[("n", "s"), ("testo", "s"), ("vuoto", "s")],
                     [(-3, "n"), ("Però sì", "s"), (None, "n")]]


def test_control_characters_that_xml_cannot_hold_are_dropped_not_a_failure():
    assert _cells(xlsx_bytes("Foglio", ["x"], [["a\x01b\x1fc"]]))[1] == [("abc", "s")]
