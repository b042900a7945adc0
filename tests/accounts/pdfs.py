"""PDF files for the upload tests: plain ones, and ones carrying active content."""
import io

from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject


def name(value: str) -> NameObject:
    return NameObject(value)


def plain_pdf(change=None) -> bytes:
    """A one-page PDF written by pypdf, after ``change(writer)`` if given."""
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    if change:
        change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def hand_written(*objects: bytes, trailer_extra: bytes = b"") -> bytes:
    """A PDF assembled byte by byte, with a correct cross-reference table."""
    out, offsets = bytearray(b"%PDF-1.7\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, trailer_extra, xref)
    return bytes(out)


CATALOG, PAGES = b"/Type /Catalog /Pages 2 0 R", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>"
# The report's file: a JavaScript action run when the document opens.
JAVASCRIPT_OPEN_ACTION = hand_written(
    b"<< " + CATALOG + b" /OpenAction << /S /JavaScript /JS (app.alert\\(1\\)) >> >>", PAGES, PAGE)
# The same, with the names spelt with #xx escapes as PDF allows.
ESCAPED_JAVASCRIPT = hand_written(
    b"<< " + CATALOG + b" /OpenAction 4 0 R >>", PAGES, PAGE,
    b"<< /S /J#61vaScript /J#53 (app.alert\\(1\\)) >>")
# A script that no page points to, only listed in the cross-reference table.
UNREFERENCED_SCRIPT = hand_written(
    b"<< " + CATALOG + b" >>", PAGES, PAGE, b"<< /S /JavaScript /JS (app.alert\\(1\\)) >>")
HAND_WRITTEN_PLAIN = hand_written(b"<< " + CATALOG + b" >>", PAGES, PAGE)


def with_launch(writer):
    writer.root_object[name("/OpenAction")] = DictionaryObject({
        name("/S"): name("/Launch"), name("/F"): TextStringObject("calc.exe")})


def with_attachment(writer):
    writer.add_attachment("istruzioni.txt", b"nothing to see")


def with_page_action(writer):
    writer.pages[0][name("/AA")] = DictionaryObject({name("/O"): DictionaryObject({
        name("/S"): name("/JavaScript"), name("/JS"): TextStringObject("app.alert(1)")})})


def with_link_to_script(writer):
    writer.pages[0][name("/Annots")] = ArrayObject([DictionaryObject({
        name("/Type"): name("/Annot"), name("/Subtype"): name("/Link"),
        name("/A"): DictionaryObject({name("/S"): name("/JavaScript"),
                                      name("/JS"): TextStringObject("app.alert(1)")})})])
