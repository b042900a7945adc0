"""Mandate acts uploaded as PDF, kept outside the database under the upload folder.

A file is checked before anything else happens and stored last, once the grant is accepted.
"""
import io
import uuid
from contextlib import contextmanager
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

from lab.core.errors import DomainError

# What makes a PDF do something when opened or clicked (scripts, launching programs, forms
# sent elsewhere) or carry other files: an act's copy needs none of it.
ACTIVE_KEYS = frozenset({"/JavaScript", "/JS", "/AA", "/Launch", "/EmbeddedFile",
                         "/EmbeddedFiles", "/RichMedia"})
ACTIVE_ACTIONS = frozenset({"/JavaScript", "/Launch", "/SubmitForm", "/ImportData",
                            "/RichMediaExecute"})


def pdf_dir() -> Path:
    folder = Path(current_app.config["UPLOAD_DIR"]) / "mandates"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def read_pdf(file_storage) -> bytes | None:
    """Return the uploaded file's bytes if it is a plain PDF; None when nothing was uploaded."""
    if not file_storage or not getattr(file_storage, "filename", ""):
        return None
    data = file_storage.read()
    if not data.startswith(b"%PDF-"):
        raise DomainError(_("Il file caricato non è un PDF."))
    check_passive(data)
    return data


def check_passive(data: bytes) -> None:
    """Refuse a PDF that cannot be read whole, or that holds scripts, actions or attachments."""
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise DomainError(_("Il PDF è cifrato: carica una copia senza password."))
        if not reader.pages:
            raise ValueError("no pages")
        active = _active_content(reader)
    except DomainError:
        raise
    except Exception as error:  # noqa: BLE001 - any parser failure means an unreadable file
        raise DomainError(_("Il PDF non è leggibile: caricane una copia integra.")) from error
    if active:
        raise DomainError(_(
            "Il PDF contiene script, azioni automatiche o file allegati (%(what)s): "
            "carica una copia semplice dell'atto, per esempio stampandolo in PDF.", what=active))


def _active_content(reader: PdfReader) -> str | None:
    """Walk every object of the file; name the first active element found.

    The walk starts from the trailer and from every object the cross-reference tables list,
    so an object no page points to is checked too.
    """
    stack: list = [reader.trailer]
    stack += [IndirectObject(number, generation, reader)
              for generation, table in reader.xref.items() for number in table]
    stack += [IndirectObject(number, 0, reader) for number in reader.xref_objStm]
    seen = set()
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            if (item.idnum, item.generation) in seen:
                continue
            seen.add((item.idnum, item.generation))
            item = item.get_object()
        if isinstance(item, DictionaryObject):  # streams are dictionaries too
            for key, value in item.items():
                if key in ACTIVE_KEYS:
                    return key[1:]
                if key == "/S" and isinstance(value, NameObject) and value in ACTIVE_ACTIONS:
                    return value[1:]
                stack.append(value)
        elif isinstance(item, ArrayObject):
            stack.extend(item)
    return None


@contextmanager
def stored_pdf(data: bytes | None):
    """Store the file and yield its name (None for no file); remove it if the block fails."""
    if data is None:
        yield None
        return
    name = f"{uuid.uuid4().hex}.pdf"
    path = pdf_dir() / name
    path.write_bytes(data)
    try:
        yield name
    except BaseException:
        path.unlink(missing_ok=True)
        raise
