"""The one place where user Markdown becomes HTML: render, then sanitize with bleach."""
import threading

import bleach
import markdown as md
from markupsafe import Markup

ALLOWED_TAGS = frozenset({
    "a", "abbr", "blockquote", "br", "code", "em", "h2", "h3", "h4", "hr", "li", "ol", "p",
    "pre", "strong", "table", "tbody", "td", "th", "thead", "tr", "ul", "del",
})
ALLOWED_ATTRIBUTES = {"a": ["href", "title"], "abbr": ["title"], "th": ["align"], "td": ["align"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
_EXTENSIONS = ["extra", "sane_lists"]
# Building a Markdown converter loads its extensions (about 1 ms); each thread keeps one and
# resets it between texts, since a converter is not safe to share across threads.
_local = threading.local()


def _converter() -> md.Markdown:
    if not hasattr(_local, "converter"):
        _local.converter = md.Markdown(extensions=_EXTENSIONS, output_format="html")
    return _local.converter.reset()


def render_markdown(source: str) -> str:
    """Return safe HTML for a Markdown text written by a user."""
    html = _converter().convert(source or "")
    clean = bleach.clean(
        html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, protocols=ALLOWED_PROTOCOLS,
        strip=True, strip_comments=True,
    )
    return bleach.linkify(clean, callbacks=[_nofollow], skip_tags={"pre", "code"})


def _nofollow(attrs, new=False):
    attrs[(None, "rel")] = "nofollow noopener"
    return attrs


def markdown_filter(source: str) -> Markup:
    """Jinja filter ``|markdown``: the sanitized HTML, marked safe because bleach cleaned it."""
    return Markup(render_markdown(source))
