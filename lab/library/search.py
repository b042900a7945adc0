"""Search the public practices: full text (Italian terms), facets with live counts, sorting, pages.

Reads only the index (``lab.library.index``). Queries are built from the terms that
``lab.library.stemming`` makes, never from what the user typed, so no input can be an FTS or
tsquery syntax error: a term is letters and digits only.
"""
from dataclasses import dataclass, field, replace
from itertools import islice

from flask_babel import gettext as _
from sqlalchemy import select

from lab.accounts.models import Region
from lab.extensions import db
from lab.groups.models import Group
from lab.library.bitsets import IndexCopy, Matches, current_copy, members
from lab.library.index import PERIODS, Facet, PracticeSearchEntry as Entry
from lab.library.facet_labels import facet_label
from lab.library.models import FundingSource, PracticeKind, TargetGroup
from lab.library.snippets import highlight, snippet
from lab.library.stemming import terms as terms_of

PAGE_SIZE = 20
QUERY_MAX = 200  # characters
TERMS_MAX = 12
VALUES_MAX = 30  # selected values per facet
SORTS = ("relevance", "newest", "revised")


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
    def chosen(self) -> list[tuple[str, FacetOption]]:
        """The facet values the search is narrowed to, to show (and undo) above the results."""
        return [(facet, option) for facet, options in self.facets.items()
                for option in options if option.selected]

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


def _either(copy: IndexCopy, facet: str, values: tuple) -> int:
    """The practices with any of the values of one facet."""
    bits = 0
    for value in values:
        bits |= copy.values.get((facet, value), 0)
    return bits


def _all_of(sets) -> int | None:
    result = None
    for bits in sets:
        result = bits if result is None else result & bits
    return result


def _facet_counts(copy: IndexCopy, matched: int, chosen: dict) -> dict[str, dict[str, int]]:
    """Count each facet value among the matches that the other facets' choices leave."""
    counts = {facet.value: {} for facet in Facet}
    for facet in Facet:
        others = _all_of(bits for name, bits in chosen.items() if name != facet.value)
        base = matched if others is None else matched & others
        for (name, value), bits in copy.values.items():
            if name == facet.value and (count := (base & bits).bit_count()):
                counts[name][value] = count
    return counts


def _page_ids(copy: IndexCopy, selected: int, total: int, found: Matches | None,
              request: SearchRequest) -> list[int]:
    """The ids of the page asked for, in the order asked for."""
    first = (request.page - 1) * PAGE_SIZE
    if first >= total:
        return []
    if request.sort == "relevance" and found:
        order = found.ranked
    else:
        name = "revised" if request.sort == "revised" else "newest"
        if total * 20 < len(copy.newest):  # few: sort them rather than walk the whole order
            return sorted(members(selected), key=copy.positions[name].__getitem__)[
                first:first + PAGE_SIZE]
        order = getattr(copy, name)
    marks = selected.to_bytes((selected.bit_length() + 7) // 8, "little")
    kept = (i for i in order if i >> 3 < len(marks) and marks[i >> 3] >> (i & 7) & 1)
    return list(islice(kept, first, first + PAGE_SIZE))


def search_practices(request: SearchRequest, locale: str = "it") -> Results:
    """Find the public practices a search asks for, with a page of results and the facet counts."""
    known = known_values()
    request, terms, notices = _checked(request, known)
    if len(request.text) > QUERY_MAX:
        return Results(request, [], 0, _options({}, request, known, locale), notices)
    copy = current_copy()
    found = copy.matches(tuple(terms)) if terms else None
    matched = found.bits if found else copy.everything
    chosen = {facet: _either(copy, facet, values)
              for facet, values in request.filters.items() if values}
    narrowed = _all_of(chosen.values())
    selected = matched if narrowed is None else matched & narrowed
    total = selected.bit_count()
    ids = _page_ids(copy, selected, total, found, request)
    entries = {entry.practice_id: entry for entry in db.session.scalars(
        select(Entry).where(Entry.practice_id.in_(ids)))} if ids else {}
    regions = {region.id: region for region in known[Facet.REGION].values()}
    marked = frozenset(terms)
    hits = [Hit(entry.practice_id, entry.slug, highlight(entry.title, marked),
                snippet(entry.summary, entry.body, marked), regions[entry.lead_region_id],
                entry.kind, entry.evidence_level, entry.published_at, entry.revised_at)
            for entry in (entries[i] for i in ids if i in entries)]
    if request.page > 1 and not hits:
        notices.append(_("Questa pagina non esiste: i risultati hanno %(pages)d pagine.",
                         pages=max(1, -(-total // PAGE_SIZE))))
    counts = _facet_counts(copy, matched, chosen)
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
