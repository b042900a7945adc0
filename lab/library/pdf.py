"""The one-page PDF "scheda" of a practice, drawn from the same document as the sheet."""
from decimal import Decimal

from flask_babel import force_locale, format_decimal, gettext as _

from lab.core.links import external_url
from lab.core.timeutil import format_day
from lab.library import labels

# Long fields are cut so that the sheet stays on one A4 page; the full text is online.
LIMITS = {"summary": 900, "problem": 350, "lessons": 350, "transfer_conditions": 350}
MAX_ROWS = 4


def _cut(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _pdf_text(text: str) -> str:
    """The PDF core fonts cover Latin-1: keep accented Italian, replace anything else."""
    return text.replace("…", "...").replace("–", "-").encode("latin-1", "replace").decode("latin-1")


def sheet_pdf(sheet: dict, revised_at, locale: str) -> bytes:
    """Return the PDF of a practice's sheet (a snapshot) in the reader's language."""
    from fpdf import FPDF  # imported here: it is slow to load and only this download needs it
    from fpdf.enums import XPos, YPos

    next_line = {"new_x": XPos.LMARGIN, "new_y": YPos.NEXT}
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_margins(15, 12, 15)
    pdf.add_page()
    name = "name_en" if locale == "en" else "name_it"

    def heading(text):
        pdf.ln(1.5)
        pdf.set_font("Helvetica", "B", 10.5)
        pdf.cell(0, 5.5, _pdf_text(text), **next_line)

    def paragraph(text, size=9.5):
        pdf.set_font("Helvetica", size=size)
        pdf.multi_cell(0, 4.6, _pdf_text(text), align="L", **next_line)

    with force_locale(locale):
        pdf.set_title(_pdf_text(sheet["title"]))
        pdf.set_font("Helvetica", "B", 15)
        pdf.multi_cell(0, 7, _pdf_text(_cut(sheet["title"], 200)), **next_line)
        level = sheet["confirmed_evidence_level"] or sheet["evidence_level"]
        places = [sheet["lead_region"][name], *(r[name] for r in sheet["partner_regions"])]
        paragraph(" · ".join([str(labels.KINDS[sheet["kind"]]), ", ".join(places)[:200],
                              str(labels.SCALES[sheet["scale"]]), _period(sheet)]), 9)
        paragraph(_("Tema: %(theme)s · Livello di evidenza: %(level)s",
                    theme=sheet["primary_group"][name], level=labels.EVIDENCE_LEVELS[level]), 9)
        heading(_("Sintesi"))
        paragraph(_cut(sheet["summary"], LIMITS["summary"]))
        if sheet["indicators"]:
            heading(_("Risultati"))
            for row in sheet["indicators"][:MAX_ROWS]:
                paragraph("- " + _cut(_indicator(row), 180))
        for key, title in (("problem", _("Problema affrontato")),
                           ("lessons", _("Lezioni apprese e difficoltà")),
                           ("transfer_conditions", _("Condizioni per trasferirla altrove"))):
            if sheet[key].strip():
                heading(title)
                paragraph(_cut(sheet[key], LIMITS[key]))
        if sheet["fundings"]:
            heading(_("Finanziamenti"))
            for row in sheet["fundings"][:MAX_ROWS]:
                amount = (f" - {format_decimal(Decimal(row['amount']), '#,##0.00')} EUR"
                          if row["amount"] else "")
                paragraph("- " + _cut(f"{labels.FUNDING_SOURCES[row['source']]} "
                                      f"{row['measure']}{amount}", 180))
        contact = [sheet["contact"][k] for k in ("role", "office", "email") if sheet["contact"][k]]
        if contact:
            heading(_("Contatto"))
            paragraph(_cut(" · ".join(contact), 300))
        pdf.set_y(-20)
        url = external_url("library.sheet", practice_id=sheet["id"], slug=sheet["slug"])
        paragraph(_("Scheda completa: %(url)s", url=url), 8)
        paragraph(_("Ultima revisione: %(date)s", date=format_day(revised_at, "long")), 8)
    return bytes(pdf.output())


def _period(sheet: dict) -> str:
    start = sheet["started_on"][:4]
    return f"{start}-{sheet['ended_on'][:4]}" if sheet["ended_on"] else _("dal %(year)s (in corso)",
                                                                         year=start)


def _indicator(row: dict) -> str:
    values = [f"{label}: {row[key]}" for key, label in (
        ("baseline", _("partenza")), ("target", _("obiettivo")), ("achieved", _("raggiunto")))
        if row[key] is not None]
    unit = f" ({row['unit']})" if row["unit"] else ""
    return f"{row['name']}{unit}: " + ", ".join(values)
