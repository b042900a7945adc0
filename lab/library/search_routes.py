"""The library's search page: words, facets, order and page, all in the URL."""
from flask import render_template, request
from flask_babel import get_locale, lazy_gettext as _l

from lab.core.navigation import add_nav_item
from lab.core.pagecache import kept_for_visitors
from lab.core.params import page_arg
from lab.library import bp
from lab.library.index import Facet
from lab.library.facet_labels import FACET_NAMES
from lab.library.search import SearchRequest, search_practices

add_nav_item("library.index", _l("Buone pratiche"), order=25)


@bp.get("/library")
@kept_for_visitors
def index():
    """Search the published practices and narrow them down by facets."""
    search = SearchRequest(
        text=request.args.get("q", ""),
        filters={facet.value: tuple(request.args.getlist(facet.value)) for facet in Facet},
        sort=request.args.get("sort", "relevance"),
        page=page_arg(),
    )
    results = search_practices(search, get_locale().language)
    return render_template("library/index.html", results=results, facet_names=FACET_NAMES)
