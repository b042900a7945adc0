"""What the search page calls each facet and each facet value."""
from flask_babel import lazy_gettext as _l

from lab.library import labels
from lab.library.index import Facet

FACET_NAMES = {
    Facet.THEME: _l("Tema"),
    Facet.REGION: _l("Regione"),
    Facet.TARGET: _l("Destinatari"),
    Facet.FUNDING: _l("Fonte di finanziamento"),
    Facet.EVIDENCE: _l("Livello di evidenza"),
    Facet.KIND: _l("Tipo"),
    Facet.PERIOD: _l("Periodo di programmazione"),
}
VALUE_NAMES = {
    Facet.TARGET: labels.TARGETS,
    Facet.FUNDING: labels.FUNDING_SOURCES,
    Facet.EVIDENCE: labels.EVIDENCE_LEVELS,
    Facet.KIND: labels.KINDS,
}


def facet_label(facet: Facet, thing, locale: str) -> str:
    """Name one facet value: a group or a region by its name, the rest from the library's lists."""
    if facet in (Facet.THEME, Facet.REGION):
        return thing.name(locale)
    if facet == Facet.PERIOD:
        return thing.replace("-", "–")
    return str(VALUE_NAMES[facet][thing])
