"""Search the public practices: full text (Italian terms), facets with live counts, sorting, pages.

Reads only the index (``lab.library.index``). Queries are built from the terms that
``lab.library.stemming`` makes, never from what the user typed, so no input can be an FTS or
tsquery syntax error: a term is letters and digits only.
"""
from dataclasses import dataclass, field, replace

from flask_babel import gettext as _
from sqlalchemy import column, func, literal_column, select, table

from lab.accounts.models import Region
from lab.extensions import db
from lab.groups.models import Group
from lab.library.index import PERIODS, Facet, FTS_TABLE, PracticeSearchEntry as Entry
from lab.library.index import PracticeSearchFacet as FacetRow
from lab.library.facet_labels import facet_label
from lab.library.models import FundingSource, PracticeKind, TargetGroup
from lab.library.snippets import highlight, snippet
from lab.library.stemming import terms as terms_of

PAGE_SIZE = 20
QUERY_MAX = 200  # characters
TERMS_MAX = 12
VALUES_MAX = 30  # selected values per facet
SORTS = ("relevance", "newest", "revised")
# bm25 weights of the FTS5 columns: title over summary over body, as PostgreSQL's A/B/C.
FTS_WEIGHTS = (10.0, 4.0, 1.0)


@dataclass(frozen=True)
class SearchRequest:
    """Everything a search is: the words, the facet values chosen, the order and the page."""

    text: str = ""
    filters: dict = field(default_factory=dict)  # facet name -> tuple of values
    sort: str = "relevance"
    page: int = 1

    def args(self, **changes) -> dict:
        """Return the query-string arguments of this search (with changes), for links."""
        wanted = replace(self, **changes)
        args = {"q": wanted.text or None, **{f: list(v) for f, v in wanted.filters.items() if v}}
        args["sort"] = wanted.sort if wanted.sort != "relevance" else None
        args["page"] = wanted.page if wanted.page > 1 else None
        return {key: value for key, value in args.items() if value}

    def toggled(self, facet: str, value: str) -> dict:
        """Return the arguments with one facet value added or removed (back to page 1)."""
        chosen = self.filters.get(facet, ())
        values = tuple(v for v in chosen if v != value) if value in chosen else (*chosen, value)
        return self.args(filters={**self.filters, facet: values}, page=1)


@dataclass
class Hit:
    practice_id: int
    slug: str
    title: object  # Markup
    snippet: object  # Markup
    region: Region
    kind: str
    evidence_level: int
    published_at: object
    revised_at: object


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class Results:
    request: SearchRequest
    hits: list
    total: int
    facets: dict  # facet name -> list of FacetOption
    notices: list

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PAGE_SIZE))


def known_values() -> dict[str, dict[str, object]]:
    """Map each facet to its possible values and what names them (a group, a region, a label)."""
    groups = db.session.scalars(select(Group).order_by(Group.position, Group.id))
    regions = db.session.scalars(select(Region).order_by(Region.name_it))
    return {
        Facet.THEME: {group.slug: group for group in groups},
        Facet.REGION: {region.slug: region for region in regions},
        Facet.TARGET: {target.value: target for target in TargetGroup},
        Facet.FUNDING: {source.value: source for source in FundingSource},
        Facet.EVIDENCE: {str(level): level for level in (1, 2, 3, 4)},
        Facet.KIND: {kind.value: kind for kind in PracticeKind},
        Facet.PERIOD: {name: name for name, _first, _last in PERIODS},
    }


def _checked(request: SearchRequest, known: dict) -> tuple[SearchRequest, list[str], list[str]]:
    """Drop what cannot be searched, saying why; return the request, its terms and the notices."""
    notices, text = [], request.text.strip()
    if len(text) > QUERY_MAX:
        notices.append(_("La ricerca è troppo lunga: al massimo %(max)d caratteri.", max=QUERY_MAX))
        return replace(request, text=text), [], notices
    terms = list(dict.fromkeys(terms_of(text)))
    if len(terms) > TERMS_MAX:
        notices.append(_("Sono state cercate solo le prime %(max)d parole.", max=TERMS_MAX))
        terms = terms[:TERMS_MAX]
    if text and not terms:
        notices.append(_("La ricerca non contiene parole da cercare: sono mostrate tutte le "
                         "pratiche."))
    filters = {}
    for facet in Facet:
        values = tuple(dict.fromkeys(request.filters.get(facet, ())))[:VALUES_MAX]
        unknown = [value for value in values if value not in known[facet]]
        if unknown:
            notices.append(_("Filtro sconosciuto ignorato: %(values)s.", values=", ".join(unknown)))
        filters[facet.value] = tuple(value for value in values if value in known[facet])
    sort = request.sort if request.sort in SORTS else "relevance"
    return replace(request, text=text, filters=filters, sort=sort), terms, notices


class _Match:
    """The full-text condition and ranking of one database."""

    def __init__(self, terms: list[str]):
        self.terms = terms
        self.sqlite = db.session.get_bind().dialect.name == "sqlite"
        if self.sqlite:
            self.fts = table(FTS_TABLE, column("rowid"))
            # Each term quoted: letters and digits only, so the expression is always valid.
            self.condition = literal_column(FTS_TABLE).op("MATCH")(
                " ".join(f'"{term}"' for term in terms))
        else:
            document = literal_column(f"{Entry.__tablename__}.document")
            query = func.plainto_tsquery("simple", " ".join(terms))
            self.condition = document.op("@@")(query)
            self.rank = func.ts_rank(document, query)

    def ids(self):
        if self.sqlite:
            return select(self.fts.c.rowid).where(self.condition)
        return select(Entry.practice_id).where(self.condition)

    def ranked(self, statement):
        if self.sqlite:
            statement = statement.join(self.fts, self.fts.c.rowid == Entry.practice_id)
            return statement.where(self.condition).order_by(
                func.bm25(literal_column(FTS_TABLE), *FTS_WEIGHTS), Entry.practice_id.desc())
        return statement.where(self.condition).order_by(self.rank.desc(),
                                                        Entry.practice_id.desc())


def _facet_condition(facet: str, values: tuple):
    return Entry.practice_id.in_(select(FacetRow.practice_id).where(
        FacetRow.facet == facet, FacetRow.value.in_(values)))


def _conditions(match: _Match | None, filters: dict, leaving_out: str | None = None) -> list:
    conditions = [Entry.practice_id.in_(match.ids())] if match else []
    return conditions + [_facet_condition(facet, values) for facet, values in filters.items()
                         if values and facet != leaving_out]


def _facet_counts(match: _Match | None, filters: dict) -> dict[str, dict[str, int]]:
    """Count each facet value among the practices the other facets' choices leave.

    Facets with nothing chosen share the same practices, so one query counts them all.
    """
    counts = {facet.value: {} for facet in Facet}
    chosen = [facet for facet, values in filters.items() if values]
    groups = [(facet, [facet]) for facet in chosen]
    groups.append((None, [facet.value for facet in Facet if facet.value not in chosen]))
    for leaving_out, facets in groups:
        statement = select(FacetRow.facet, FacetRow.value, func.count()).where(
            FacetRow.facet.in_(facets)).group_by(FacetRow.facet, FacetRow.value)
        conditions = _conditions(match, filters, leaving_out)
        if conditions:
            statement = statement.where(
                FacetRow.practice_id.in_(select(Entry.practice_id).where(*conditions)))
        for facet, value, count in db.session.execute(statement):
            counts[facet][value] = count
    return counts


def _page(match: _Match | None, filters: dict, sort: str):
    """Select the matching index rows in the order asked for."""
    if sort == "relevance" and match:
        return match.ranked(select(Entry).where(*_conditions(None, filters)))
    column_ = Entry.revised_at if sort == "revised" else Entry.published_at
    return select(Entry).where(*_conditions(match, filters)).order_by(
        column_.desc(), Entry.practice_id.desc())


def search_practices(request: SearchRequest, locale: str = "it") -> Results:
    """Find the public practices a search asks for, with a page of results and the facet counts."""
    known = known_values()
    request, terms, notices = _checked(request, known)
    if notices and len(request.text) > QUERY_MAX:
        return Results(request, [], 0, _options({}, request, known, locale), notices)
    match = _Match(terms) if terms else None
    total = db.session.scalar(select(func.count()).select_from(Entry).where(
        *_conditions(match, request.filters)))
    entries = db.session.scalars(
        _page(match, request.filters, request.sort).limit(PAGE_SIZE).offset((request.page - 1) * PAGE_SIZE)).all()
    regions = {region.id: region for region in known[Facet.REGION].values()}
    marked = frozenset(terms)
    hits = [Hit(entry.practice_id, entry.slug, highlight(entry.title, marked),
                snippet(entry.summary, entry.body, marked), regions[entry.lead_region_id],
                entry.kind, entry.evidence_level, entry.published_at, entry.revised_at)
            for entry in entries]
    if request.page > 1 and not hits:
        notices.append(_("Questa pagina non esiste: i risultati hanno %(pages)d pagine.",
                         pages=max(1, -(-total // PAGE_SIZE))))
    counts = _facet_counts(match, request.filters)
    return Results(request, hits, total, _options(counts, request, known, locale), notices)


def _options(counts: dict, request: SearchRequest, known: dict, locale: str) -> dict:
    """List each facet's values worth showing: those with practices, and those chosen."""
    options = {}
    for facet in Facet:
        chosen = request.filters.get(facet.value, ())
        found = counts.get(facet.value, {})
        options[facet.value] = [
            FacetOption(value, facet_label(facet, thing, locale), found.get(value, 0),
                        value in chosen)
            for value, thing in known[facet].items() if found.get(value) or value in chosen]
    return options
