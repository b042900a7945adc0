"""The register in other forms: open-data CSV, the full JSON chain, QR codes and PDF receipts."""
import io
from functools import lru_cache

import segno
from flask_babel import gettext as _

from lab.pact.canonical import ENTRY_FIELDS, timestamp
from lab.pact.models import LedgerEntry

CSV_COLUMNS = (*ENTRY_FIELDS, "region_name", "prev_hash", "entry_hash")


def registry_rows(entries):
    """The register's CSV rows, one per entry, in the order of ``CSV_COLUMNS``."""
    for entry in entries:
        yield [_field(entry, name) for name in CSV_COLUMNS]


def _field(entry: LedgerEntry, name: str):
    if name == "region_name":
        return entry.region.name_it
    if name == "signed_at":
        return timestamp(entry.signed_at)
    return getattr(entry, name)


def entry_document(row) -> dict:
    """One entry of ``ledger.json``: the hashed fields plus both hashes."""
    document = {name: row[name] for name in (*ENTRY_FIELDS, "prev_hash", "entry_hash")}
    document["signed_at"] = timestamp(row["signed_at"])
    document["demo"] = bool(document["demo"])
    return document


@lru_cache(maxsize=256)
def qr_svg(url: str) -> str:
    """Draw the QR code of an address; the drawing depends on the address alone, so each is drawn
    once per process: an entry's page took 8.5 ms of CPU drawing it, 4.6 ms keeping it
    (``bench/pages.py --fast-paths``)."""
    return segno.make(url, error="m").svg_inline(scale=4, title=url, omitsize=True)


def certificate_pdf(entry: LedgerEntry, url: str, checkpoint: dict | None) -> bytes:
    """A one-page certificate of an entry with its hashes and a QR code of its address."""
    from fpdf import FPDF  # imported here: it is slow to load and only certificates need it
    from fpdf.enums import XPos, YPos

    next_line = {"new_x": XPos.LMARGIN, "new_y": YPos.NEXT}
    pdf = FPDF(format="A4")
    pdf.set_title(_("Registro del Patto per l'innovazione sociale"))
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.multi_cell(0, 9, _latin(_("Patto per l'innovazione sociale - voce n. %(seq)d del registro",
                                    seq=entry.seq)), **next_line)
    pdf.ln(4)
    pdf.set_font("Helvetica", size=11)
    kind = _("Adesione") if entry.kind == "adhesion" else _("Recesso")
    rows = [
        (_("Tipo"), kind), (_("Regione"), entry.region.name_it),
        (_("Versione del Patto"), str(entry.version_number)),
        (_("Firmatario"), f"{entry.signer_name}, {entry.signer_title}"),
        (_("Atto di conferimento"), entry.mandate_act), (_("Luogo"), entry.place),
        (_("Data e ora (UTC)"), timestamp(entry.signed_at)),
    ]
    if entry.event:
        rows.append((_("Evento"), entry.event))
    if entry.reason:
        rows.append((_("Motivazione"), entry.reason))
    if entry.demo:
        rows.append((_("Nota"), _("dato dimostrativo")))
    for label, value in rows:
        pdf.set_font("Helvetica", "B", 11)
        pdf.cell(55, 7, _latin(label))
        pdf.set_font("Helvetica", size=11)
        pdf.multi_cell(0, 7, _latin(value), **next_line)
    pdf.ln(3)
    pdf.set_font("Courier", size=9)
    for label, value in ((_("Hash del testo"), entry.text_hash),
                         (_("Hash precedente"), entry.prev_hash),
                         (_("Hash della voce"), entry.entry_hash)):
        pdf.multi_cell(0, 5, _latin(f"{label}: {value}"), align="L", **next_line)
    if checkpoint:
        pdf.multi_cell(0, 5, _latin(_("Checkpoint firmato") + f" {checkpoint['seq']}: "
                                    f"{checkpoint['signature']}"), align="L", **next_line)
    image = io.BytesIO()
    segno.make(url, error="m").save(image, kind="png", scale=5)
    image.seek(0)
    pdf.image(image, x=pdf.l_margin, y=pdf.get_y() + 4, w=45)
    pdf.set_xy(pdf.l_margin + 50, pdf.get_y() + 8)
    pdf.set_font("Helvetica", size=9)
    pdf.multi_cell(0, 5, _latin(url), **next_line)
    return bytes(pdf.output())


def _latin(text: str) -> str:
    """The PDF core fonts cover Latin-1: keep accented Italian, replace anything else."""
    return text.encode("latin-1", "replace").decode("latin-1")
