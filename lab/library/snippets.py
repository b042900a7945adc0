"""Highlight the words of a text that a search matched: escaped text, only ``<mark>`` added."""
from markupsafe import Markup, escape

from lab.library.stemming import term_of, words

SNIPPET_WORDS = 32
SNIPPET_LEAD = 8  # words shown before the first match, for context
SCANNED_CHARS = 6000  # a match further in is not worth the reader's scroll: show the start


def highlight(text: str, terms: frozenset[str], limit: int | None = None) -> Markup:
    """Return the text (or ``limit`` words around its first match) with matched words marked."""
    pieces = words(text[:SCANNED_CHARS] if limit else text)
    # pieces alternate: separator, word, separator, word, ..., separator
    positions = range(1, len(pieces), 2)
    matched = {index for index in positions if term_of(pieces[index]) in terms}
    first, last = 0, len(pieces)
    if limit:
        start = max(0, min(matched, default=1) // 2 - SNIPPET_LEAD)
        first, last = start * 2 + 1, min(len(pieces), (start + limit) * 2)
    parts = [Markup("… ") if first > 1 else Markup("")]
    for index in range(first, last):
        piece = pieces[index]
        parts.append(Markup("<mark>%s</mark>") % piece if index in matched else escape(piece))
    if last < len(pieces) or len(text) > SCANNED_CHARS and limit:
        parts.append(Markup(" …"))
    return Markup("").join(parts)


def snippet(summary: str, body: str, terms: frozenset[str]) -> Markup:
    """Return a passage of the practice's text around the first word the search matched."""
    return highlight(" ".join(f"{summary}\n{body}".split()), terms, SNIPPET_WORDS)
