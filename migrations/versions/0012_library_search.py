"""library search: the index of public practices, its facets and its full-text structures

The index holds the public version of every published practice (``practice_search_entries``,
with the text already turned into search terms by ``lab.library.stemming``) and its facet
values (``practice_search_facets``), and a token that changes with it (``practice_search_versions``),
so each process knows when its in-memory facet sets are old. The full-text structure depends on the database and is
built from the term columns: on SQLite an FTS5 table with external content, kept current by
triggers; on PostgreSQL a generated ``tsvector`` column, weighted A/B/C by field, with a GIN
index. The models do not describe these (``lab.library.index.outside_models``).

Revision ID: 0012_library_search
Revises: 0011_editorial_board
Create Date: 2026-11-30

"""
import sqlalchemy as sa
from alembic import op

revision = "0012_library_search"
down_revision = "0011_editorial_board"
branch_labels = None
depends_on = None

TERM_COLUMNS = "title_terms, summary_terms, body_terms"
SQLITE_FTS = [
    f"CREATE VIRTUAL TABLE practice_search_fts USING fts5({TERM_COLUMNS}, "
    "content='practice_search_entries', content_rowid='practice_id', "
    "tokenize='unicode61 remove_diacritics 0')",
    "CREATE TRIGGER practice_search_fts_insert AFTER INSERT ON practice_search_entries BEGIN "
    f"INSERT INTO practice_search_fts(rowid, {TERM_COLUMNS}) "
    "VALUES (new.practice_id, new.title_terms, new.summary_terms, new.body_terms); END",
    "CREATE TRIGGER practice_search_fts_delete AFTER DELETE ON practice_search_entries BEGIN "
    f"INSERT INTO practice_search_fts(practice_search_fts, rowid, {TERM_COLUMNS}) "
    "VALUES ('delete', old.practice_id, old.title_terms, old.summary_terms, old.body_terms); END",
    "CREATE TRIGGER practice_search_fts_update AFTER UPDATE ON practice_search_entries BEGIN "
    f"INSERT INTO practice_search_fts(practice_search_fts, rowid, {TERM_COLUMNS}) "
    "VALUES ('delete', old.practice_id, old.title_terms, old.summary_terms, old.body_terms); "
    f"INSERT INTO practice_search_fts(rowid, {TERM_COLUMNS}) "
    "VALUES (new.practice_id, new.title_terms, new.summary_terms, new.body_terms); END",
]
POSTGRESQL_DOCUMENT = [
    "ALTER TABLE practice_search_entries ADD COLUMN document tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('simple', title_terms), 'A') || "
    "setweight(to_tsvector('simple', summary_terms), 'B') || "
    "setweight(to_tsvector('simple', body_terms), 'C')) STORED",
    "CREATE INDEX ix_practice_search_entries_document ON practice_search_entries "
    "USING gin (document)",
]


def upgrade():
    op.create_table('practice_search_entries',
    sa.Column('practice_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('slug', sa.String(length=120), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('lead_region_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('evidence_level', sa.Integer(), nullable=False),
    sa.Column('started_year', sa.Integer(), nullable=False),
    sa.Column('ended_year', sa.Integer(), nullable=True),
    sa.Column('published_at', sa.DateTime(), nullable=False),
    sa.Column('revised_at', sa.DateTime(), nullable=False),
    sa.Column('title_terms', sa.Text(), nullable=False),
    sa.Column('summary_terms', sa.Text(), nullable=False),
    sa.Column('body_terms', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['lead_region_id'], ['regions.id'], name=op.f('fk_practice_search_entries_lead_region_id_regions')),
    sa.ForeignKeyConstraint(['practice_id'], ['practices.id'], name=op.f('fk_practice_search_entries_practice_id_practices'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('practice_id', name=op.f('pk_practice_search_entries'))
    )
    with op.batch_alter_table('practice_search_entries', schema=None) as batch_op:
        batch_op.create_index('ix_practice_search_entries_published', ['published_at', 'practice_id'], unique=False)
        batch_op.create_index('ix_practice_search_entries_revised', ['revised_at', 'practice_id'], unique=False)

    op.create_table('practice_search_facets',
    sa.Column('facet', sa.String(length=20), nullable=False),
    sa.Column('value', sa.String(length=80), nullable=False),
    sa.Column('practice_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("facet IN ('theme', 'region', 'target', 'funding', 'evidence', 'kind', 'period')", name=op.f('ck_practice_search_facets_facet')),
    sa.ForeignKeyConstraint(['practice_id'], ['practice_search_entries.practice_id'], name=op.f('fk_practice_search_facets_practice_id_practice_search_entries'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('facet', 'value', 'practice_id', name=op.f('pk_practice_search_facets'))
    )
    with op.batch_alter_table('practice_search_facets', schema=None) as batch_op:
        batch_op.create_index('ix_practice_search_facets_practice', ['practice_id'], unique=False)

    op.create_table('practice_search_versions',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('token', sa.BigInteger(), nullable=False),
    sa.CheckConstraint('id = 1', name=op.f('ck_practice_search_versions_single_row')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_practice_search_versions'))
    )

    statements = SQLITE_FTS if op.get_bind().dialect.name == "sqlite" else POSTGRESQL_DOCUMENT
    for statement in statements:
        op.execute(statement)


def downgrade():
    op.drop_table('practice_search_versions')
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE practice_search_fts")  # its triggers go with the entries table
    with op.batch_alter_table('practice_search_facets', schema=None) as batch_op:
        batch_op.drop_index('ix_practice_search_facets_practice')
    op.drop_table('practice_search_facets')
    with op.batch_alter_table('practice_search_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_practice_search_entries_revised')
        batch_op.drop_index('ix_practice_search_entries_published')
    op.drop_table('practice_search_entries')
