"""Parts of every page that only the language can change, rendered once per process.

The footer and the header's brand hold no person, no request and no data: translated text and
the app's own addresses only; the regions' table holds reference data that only the migrations
change. Kept per language and script root (which prefixes every address), they change with a
deploy, which starts new processes. Measured by ``bench/pages.py --fast-paths`` (CPU time per
request): /accessibility 1.82 ms with the footer and brand rendered each time, 1.49 ms kept;
/regions 3.95 ms with its table rendered each time, 1.53 ms kept.
"""
from functools import lru_cache

from flask import render_template, request
from flask_babel import get_locale
from markupsafe import Markup


def once_per_language(template: str) -> Markup:
    """Return ``template`` as rendered for the current language, rendering it the first time."""
    return rendered_part(template, str(get_locale()), request.script_root)


@lru_cache(maxsize=32)
def rendered_part(template: str, locale: str, script_root: str) -> Markup:
    return Markup(render_template(template))
