"""Mandate acts uploaded as PDF, kept outside the database under the upload folder."""
import uuid
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _

from lab.core.errors import DomainError


def pdf_dir() -> Path:
    folder = Path(current_app.config["UPLOAD_DIR"]) / "mandates"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def read_pdf(file_storage) -> bytes | None:
    """Return the uploaded file's bytes if it is really a PDF; None when nothing was uploaded."""
    if not file_storage or not getattr(file_storage, "filename", ""):
        return None
    data = file_storage.read()
    if not data.startswith(b"%PDF-"):
        raise DomainError(_("Il file caricato non è un PDF."))
    return data


def store_pdf(data: bytes) -> str:
    name = f"{uuid.uuid4().hex}.pdf"
    (pdf_dir() / name).write_bytes(data)
    return name
