"""Highlight the words of a text that a search matched: escaped text, only ``<mark>`` added."""
from markupsafe import Markup, escape

from lab.library.stemming import term_of, words

SNIPPET_WORDS = 32
SNIPPET_LEAD = 8  # words shown before the first match, for context
SCANNED_CHARS = 6000  # a match further in is not worth the reader's scroll: show the start


def _marked(pieces: list[str], first: int, last: int, terms: frozenset[str]) -> Markup:
    # pieces alternate: separator, word, separator, word, ..., separator. Plain runs are
    # escaped whole rather than piece by piece, and the escaped parts joined as plain strings:
    # a page has 40 of these, and for a word found everywhere every other piece is marked.
    parts, plain = [], []
    for index in range(first, last):
        piece = pieces[index]
        if index % 2 and term_of(piece) in terms:
            parts += [escape("".join(plain)), "<mark>", escape(piece), "</mark>"]
            plain = []
        else:
            plain.append(piece)
    parts.append(escape("".join(plain)))
    return Markup("".join(parts))  # every text part escaped above


def highlight(text: str, terms: frozenset[str]) -> Markup:
    """Return the text with the words the search matched marked."""
    pieces = words(text)
    return _marked(pieces, 0, len(pieces), terms)


def snippet(summary: str, body: str, terms: frozenset[str]) -> Markup:
    """Return a passage of the practice's text around the first word the search matched."""
    text = " ".join(f"{summary}\n{body}"[:SCANNED_CHARS].split())
    pieces = words(text)
    found = next((index for index in range(1, len(pieces), 2)
                  if term_of(pieces[index]) in terms), 1)
    first = max(1, found - 2 * SNIPPET_LEAD)
    last = min(len(pieces), first + 2 * SNIPPET_WORDS)
    passage = _marked(pieces, first, last, terms)
    before = Markup("… ") if first > 1 else Markup("")
    after = Markup(" …") if last < len(pieces) or len(summary) + len(body) >= SCANNED_CHARS else ""
    return before + passage + after
