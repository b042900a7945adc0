"""Files attached to practices: the type read from the content, never from the name or the
browser's word, and kept outside the database under the upload folder.

The request's size is capped by ``MAX_CONTENT_LENGTH`` (``MAX_UPLOAD_BYTES``), which answers 413.
"""
import io
import uuid
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _

from lab.accounts.uploads import check_passive
from lab.core.errors import DomainError

PDF, PNG, JPEG = "application/pdf", "image/png", "image/jpeg"
ODT = "application/vnd.oasis.opendocument.text"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXTENSIONS = {PDF: "pdf", PNG: "png", JPEG: "jpg", ODT: "odt", DOCX: "docx", XLSX: "xlsx"}
# The part that an office file of each kind must contain.
_ZIP_MARKERS = {"word/document.xml": DOCX, "xl/workbook.xml": XLSX}


class UploadRefused(DomainError):
    """The file sent is not one the library keeps."""


@dataclass(frozen=True)
class Upload:
    filename: str
    mimetype: str
    data: bytes


def sniff(data: bytes) -> str | None:
    """Return the type that the bytes themselves show, or None for any other content."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"PK\x03\x04"):
        return _office_type(data)
    return None


def _office_type(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and archive.read("mimetype").strip() == ODT.encode():
                return ODT
    except (zipfile.BadZipFile, OSError, KeyError):
        return None
    return next((kind for part, kind in _ZIP_MARKERS.items() if part in names), None)


def read_upload(file_storage) -> Upload | None:
    """Return the uploaded file if its content is of an accepted type; None if none was sent."""
    if not file_storage or not getattr(file_storage, "filename", ""):
        return None
    data = file_storage.read()
    mimetype = sniff(data)
    if mimetype is None:
        raise UploadRefused(_("Il file non è di un tipo accettato (PDF, ODT, DOCX, XLSX, PNG, JPEG): "
                            "il tipo si riconosce dal contenuto, non dal nome."))
    if mimetype == PDF:
        try:
            check_passive(data)  # the same scrutiny as a mandate's act: no scripts, no actions
        except DomainError as error:
            raise UploadRefused(error.message) from error
    filename = Path(file_storage.filename).name.strip()[:200] or f"allegato.{EXTENSIONS[mimetype]}"
    return Upload(filename, mimetype, data)


def attachment_dir() -> Path:
    folder = Path(current_app.config["UPLOAD_DIR"]) / "library"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@contextmanager
def stored_file(upload: Upload | None):
    """Store the file and yield its name (None for no file); remove it if the block fails."""
    if upload is None:
        yield None
        return
    name = f"{uuid.uuid4().hex}.{EXTENSIONS[upload.mimetype]}"
    path = attachment_dir() / name
    path.write_bytes(upload.data)
    try:
        yield name
    except BaseException:
        path.unlink(missing_ok=True)
        raise
