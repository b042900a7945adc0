"""The one rule that turns Italian text into search terms, for what is indexed and for queries.

Both databases index and query the terms this module makes (SQLite's FTS5 with a plain
tokenizer, PostgreSQL's ``tsvector`` with the ``simple`` configuration), so a query finds the
same practices on either: accents folded ("città" and "citta" are one word), stop words
dropped, and every word reduced by the Snowball Italian stemmer ("cooperativa" and
"cooperative" share the stem "cooper").
"""
import re
import unicodedata
from functools import lru_cache

import snowballstemmer

WORD = re.compile(r"[^\W_]+")

# Snowball's Italian stop-word list (snowballstem.org/algorithms/italian/stop.txt), folded.
STOP_WORDS = frozenset("""
ad al allo ai agli all agl alla alle con col coi da dal dallo dai dagli dall dagl dalla dalle
di del dello dei degli dell degl della delle in nel nello nei negli nell negl nella nelle su
sul sullo sui sugli sull sugl sulla sulle per tra contro io tu lui lei noi voi loro mio mia
miei mie tuo tua tuoi tue suo sua suoi sue nostro nostra nostri nostre vostro vostra vostri
vostre mi ti ci vi lo la li le gli ne il un uno una ma ed se perche anche come dov dove che
chi cui non piu quale quanto quanti quanta quante quello quelli quella quelle questo questi
questa queste si tutto tutti a c e i l o ho hai ha abbiamo avete hanno abbia abbiate abbiano
avro avrai avra avremo avrete avranno avrei avresti avrebbe avremmo avreste avrebbero avevo
avevi aveva avevamo avevate avevano ebbi avesti ebbe avemmo aveste ebbero avessi avesse
avessimo avessero avendo avuto avuta avuti avute sono sei siamo siete sia siate siano saro
sarai sara saremo sarete saranno sarei saresti sarebbe saremmo sareste sarebbero ero eri era
eravamo eravate erano fui fosti fu fummo foste furono fossi fosse fossimo fossero essendo
faccio fai facciamo fanno faccia facciate facciano faro farai fara faremo farete faranno
farei faresti farebbe faremmo fareste farebbero facevo facevi faceva facevamo facevate
facevano feci facesti fece facemmo faceste fecero facessi facesse facessimo facessero
facendo sto stai sta stiamo stanno stia stiate stiano staro starai stara staremo starete
staranno starei staresti starebbe staremmo stareste starebbero stavo stavi stava stavamo
stavate stavano stetti stesti stette stemmo steste stettero stessi stesse stessimo stessero
stando
""".split())

_stemmer = snowballstemmer.stemmer("italian")


def fold(text: str) -> str:
    """Lower-case the text and strip its accents."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@lru_cache(maxsize=65536)
def stem(word: str) -> str | None:
    """Return the search term of one folded word, or None for a stop word."""
    if word in STOP_WORDS:
        return None
    if word.endswith("iano"):
        # Snowball reads "-iano" as a verb ending: "anziano" became "anzi" while "anziani",
        # "anziana" and "anziane" are "anzian". Stemming the plural joins them again.
        word = word[:-1] + "i"
    return _stemmer.stemWord(word)


def terms(text: str) -> list[str]:
    """Return the search terms of a text, in order (stop words left out).

    Each word is folded on its own through ``term_of``'s cache: a text repeats its words, and
    folding whole texts character by character was most of the time indexing took (7.7 of
    41.7 s building 10,000 practices in bench/library_search.py).
    """
    return [term for word in WORD.findall(text) if (term := term_of(word))]


def words(text: str) -> list[str]:
    """Split a text into words and what lies between them, so that joined they give it back."""
    return re.split(r"([^\W_]+)", text)


@lru_cache(maxsize=65536)
def term_of(word: str) -> str | None:
    """Return the search term of one word as written (with capitals or accents)."""
    return stem(fold(word))
