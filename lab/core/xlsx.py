"""The one XLSX writer: every spreadsheet the platform serves goes through it, formula-safe.

openpyxl stores a text starting with ``=`` as a formula, and a spreadsheet may treat other
starts (``+``, ``-``, ``@``, tab, carriage return) as one when a cell is edited; so text with a
start that ``lab.core.csv`` quotes is typed as a plain string here, which no spreadsheet runs.
The text itself is kept as typed (no apostrophe: the cell's type already says "text").
"""
import io
from typing import Iterable, Sequence

from flask import Response
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, TYPE_STRING

from lab.core.csv import FORMULA_STARTS

MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_bytes(title: str, header: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """Write ``header`` and ``rows`` as a one-sheet workbook; text cells are never formulas."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]  # the longest sheet name spreadsheets accept
    for row in [header, *rows]:
        sheet.append([_storable(value) for value in row])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                cell.data_type = TYPE_STRING
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _storable(value):
    # XML 1.0 cannot hold most control characters; openpyxl refuses them rather than drop them.
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def xlsx_response(filename: str, title: str, header: Sequence[str],
                  rows: Iterable[Sequence]) -> Response:
    """Serve ``rows`` as an XLSX download named ``filename``."""
    return Response(xlsx_bytes(title, header, rows), mimetype=MIMETYPE, headers={
        "Content-Disposition": f'attachment; filename="{filename}"'})
