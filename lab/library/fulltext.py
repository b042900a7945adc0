"""The full-text condition and ranking on each database, from terms only (never raw input).

A term is letters and digits only (``lab.library.stemming``), so quoting it makes a valid FTS5
expression and ``plainto_tsquery`` a valid tsquery: no input can be a syntax error.
"""
from sqlalchemy import column, func, literal_column, select, table

from lab.extensions import db
from lab.library.index import FTS_TABLE, PracticeSearchEntry as Entry

# bm25 weights of the FTS5 columns: title over summary over body, as PostgreSQL's A/B/C.
FTS_WEIGHTS = (10.0, 4.0, 1.0)


class FullText:
    """Practices whose text has every one of the terms."""

    def __init__(self, terms: list[str]):
        self.sqlite = db.session.get_bind().dialect.name == "sqlite"
        if self.sqlite:
            self.fts = table(FTS_TABLE, column("rowid"))
            self.condition = literal_column(FTS_TABLE).op("MATCH")(
                " ".join(f'"{term}"' for term in terms))
        else:
            document = literal_column(f"{Entry.__tablename__}.document")
            query = func.plainto_tsquery("simple", " ".join(terms))
            self.condition = document.op("@@")(query)
            self.rank = func.ts_rank(document, query)

    def ids(self):
        """Select the matching practices' ids."""
        if self.sqlite:
            return select(self.fts.c.rowid).where(self.condition)
        return select(Entry.practice_id).where(self.condition)

    def ranked(self):
        """Select the matching practices' ids, most relevant first."""
        if self.sqlite:
            return self.ids().order_by(func.bm25(literal_column(FTS_TABLE), *FTS_WEIGHTS),
                                       self.fts.c.rowid.desc())
        return self.ids().order_by(self.rank.desc(), Entry.practice_id.desc())
