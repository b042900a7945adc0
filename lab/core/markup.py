"""The one place where user Markdown becomes HTML: render, then sanitize with bleach."""
import re
from contextlib import contextmanager
from functools import partial

import markdown as md
from bleach.linkifier import LinkifyFilter
from bleach.sanitizer import Cleaner
from markupsafe import Markup

ALLOWED_TAGS = frozenset({
    "a", "abbr", "blockquote", "br", "code", "em", "h2", "h3", "h4", "hr", "li", "ol", "p",
    "pre", "strong", "table", "tbody", "td", "th", "thead", "tr", "ul", "del",
})
ALLOWED_ATTRIBUTES = {"a": ["href", "title"], "abbr": ["title"], "th": ["align"], "td": ["align"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
MARKDOWN_OPTIONS = {"extensions": ["extra", "sane_lists"], "output_format": "html"}
CLEANER_OPTIONS = {"strip": True, "strip_comments": True}
LINK_REL = "nofollow noopener"
LINKIFY_SKIP_TAGS = frozenset({"pre", "code"})
# Stored HTML records the version that rendered it, and HTML of an older version is rendered
# again when read (and by ``flask lab rerender``). Bump it with any change to what the output
# can be: the lists and options above, or the markdown and bleach packages' versions;
# tests/core/test_markup.py pins a fingerprint of all of it to this number.
RENDERER_VERSION = 1


class _Pool:
    """Objects that serve one caller at a time, kept for reuse because building one is slow.

    A Markdown converter or a bleach cleaner takes about a millisecond to build and must not
    be shared by two callers at once. A thread-local copy would not do: under gevent every
    Socket.IO event runs in a new greenlet, with its own "thread" locals.
    """

    def __init__(self, make):
        self._make, self._idle = make, []

    @contextmanager
    def borrow(self):
        try:
            item = self._idle.pop()  # list.pop and list.append are atomic
        except IndexError:
            item = self._make()
        try:
            yield item
        finally:
            self._idle.append(item)


def _nofollow(attrs, new=False):
    attrs[(None, "rel")] = LINK_REL
    return attrs


_converters = _Pool(lambda: md.Markdown(**MARKDOWN_OPTIONS))
# Sanitizing and turning bare addresses into links in one parse of the HTML.
_cleaners = _Pool(lambda: Cleaner(
    tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, protocols=ALLOWED_PROTOCOLS,
    **CLEANER_OPTIONS,
    filters=[partial(LinkifyFilter, callbacks=[_nofollow], skip_tags=LINKIFY_SKIP_TAGS)]))


# Text in which neither Markdown nor the link finder has anything to do: one line starting with
# a letter, of letters, digits, spaces and punctuation that means nothing to Markdown, with no
# dot followed by a letter (that could be a web address). Most chat messages are such text, and
# rendering and sanitizing them would only wrap them in a paragraph, at a third of a chat
# message's cost; tests/core/test_markup.py checks the two ways agree.
_PLAIN = re.compile(r"[^\W\d_](?:[^\W_]|[ ,;:!?'\"()%/|’«»–…-]|\.(?![^\W\d_]))*")


def render_markdown(source: str) -> str:
    """Return safe HTML for a Markdown text written by a user."""
    if source and _PLAIN.fullmatch(source):
        return f"<p>{source}</p>"
    return _render_and_clean(source or "")


def _render_and_clean(source: str) -> str:
    with _converters.borrow() as converter:
        html = converter.reset().convert(source)
    with _cleaners.borrow() as cleaner:
        return cleaner.clean(html)


def markdown_filter(source: str) -> Markup:
    """Jinja filter ``|markdown``: the sanitized HTML, marked safe because bleach cleaned it."""
    return Markup(render_markdown(source))
