"""The one CSV writer: every CSV the platform serves goes through it, formula-safe.

A spreadsheet opening a cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage
return, which some of them skip before looking) runs it as a formula, so text a person typed,
such as a signer's name, could compute or fetch something on the reader's machine. As OWASP
recommends, such a text cell gets a leading apostrophe, which spreadsheets show as text.
Numbers are written as they are: ``-3`` is a number, not a formula.
"""
import csv
import io
from typing import Iterable, Sequence

from flask import Response

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Return ``value`` ready for a CSV cell: text that a spreadsheet would run is quoted."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_text(header: Sequence[str], rows: Iterable[Sequence]) -> str:
    """Write ``header`` and ``rows`` as CSV text, every cell through ``safe_cell``."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([safe_cell(name) for name in header])
    writer.writerows([safe_cell(value) for value in row] for row in rows)
    return out.getvalue()


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> Response:
    """Serve ``rows`` as a CSV download named ``filename``."""
    return Response(csv_text(header, rows), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{filename}"'})
