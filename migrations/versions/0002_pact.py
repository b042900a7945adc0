"""pact: versions, the append-only register and its signed checkpoints

The register (pact_ledger) and its checkpoints are append-only: besides the application never
updating or deleting them, triggers make the database refuse UPDATE, DELETE (and, on
PostgreSQL, TRUNCATE) on both tables.

Revision ID: 0002_pact
Revises: 0001_accounts
Create Date: 2026-11-22

"""
import sqlalchemy as sa
from alembic import op

revision = "0002_pact"
down_revision = "0001_accounts"
branch_labels = None
depends_on = None

APPEND_ONLY = ("pact_ledger", "pact_checkpoints")


def _create_append_only_triggers():
    if op.get_bind().dialect.name == "postgresql":
        op.execute("""
            CREATE FUNCTION refuse_change_append_only() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP;
            END
            $$ LANGUAGE plpgsql
        """)
        for table in APPEND_ONLY:
            op.execute(f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                       "FOR EACH ROW EXECUTE FUNCTION refuse_change_append_only()")
            op.execute(f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                       "FOR EACH STATEMENT EXECUTE FUNCTION refuse_change_append_only()")
    else:
        for table in APPEND_ONLY:
            for operation in ("UPDATE", "DELETE"):
                op.execute(f"CREATE TRIGGER {table}_no_{operation.lower()} BEFORE {operation} "
                           f"ON {table} BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END")


def _drop_append_only_triggers():
    if op.get_bind().dialect.name == "postgresql":
        for table in APPEND_ONLY:
            op.execute(f"DROP TRIGGER {table}_append_only ON {table}")
            op.execute(f"DROP TRIGGER {table}_no_truncate ON {table}")
        op.execute("DROP FUNCTION refuse_change_append_only()")
    else:
        for table in APPEND_ONLY:
            op.execute(f"DROP TRIGGER {table}_no_update")
            op.execute(f"DROP TRIGGER {table}_no_delete")


def upgrade():
    op.create_table('pact_checkpoints',
    sa.Column('seq', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('head_hash', sa.String(length=64), nullable=False),
    sa.Column('signed_at', sa.DateTime(), nullable=False),
    sa.Column('public_key', sa.String(length=64), nullable=False),
    sa.Column('signature', sa.String(length=128), nullable=False),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_pact_checkpoints'))
    )
    op.create_table('pact_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('text_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('published_at', sa.DateTime(), nullable=True),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("status IN ('draft', 'published', 'superseded')", name=op.f('ck_pact_versions_status')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_pact_versions_created_by_id_users')),
    sa.ForeignKeyConstraint(['published_by_id'], ['users.id'], name=op.f('fk_pact_versions_published_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pact_versions')),
    sa.UniqueConstraint('number', name=op.f('uq_pact_versions_number'))
    )
    op.create_table('pact_ledger',
    sa.Column('seq', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=False),
    sa.Column('region_code', sa.String(length=3), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('version_number', sa.Integer(), nullable=False),
    sa.Column('text_hash', sa.String(length=64), nullable=False),
    sa.Column('signer_id', sa.Integer(), nullable=True),
    sa.Column('signer_name', sa.String(length=120), nullable=False),
    sa.Column('signer_title', sa.String(length=200), nullable=False),
    sa.Column('mandate_act', sa.String(length=300), nullable=False),
    sa.Column('place', sa.String(length=120), nullable=False),
    sa.Column('event', sa.String(length=200), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('demo', sa.Boolean(), nullable=False),
    sa.Column('signed_at', sa.DateTime(), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('entry_hash', sa.String(length=64), nullable=False),
    sa.CheckConstraint("kind IN ('adhesion', 'withdrawal')", name=op.f('ck_pact_ledger_kind')),
    sa.CheckConstraint('seq > 0', name=op.f('ck_pact_ledger_seq_positive')),
    sa.ForeignKeyConstraint(['region_id'], ['regions.id'], name=op.f('fk_pact_ledger_region_id_regions')),
    sa.ForeignKeyConstraint(['signer_id'], ['users.id'], name=op.f('fk_pact_ledger_signer_id_users')),
    sa.ForeignKeyConstraint(['version_id'], ['pact_versions.id'], name=op.f('fk_pact_ledger_version_id_pact_versions')),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_pact_ledger')),
    sa.UniqueConstraint('entry_hash', name=op.f('uq_pact_ledger_entry_hash'))
    )
    with op.batch_alter_table('pact_ledger', schema=None) as batch_op:
        batch_op.create_index('ix_pact_ledger_region_seq', ['region_id', 'seq'], unique=False)
        batch_op.create_index(batch_op.f('ix_pact_ledger_signed_at'), ['signed_at'], unique=False)

    _create_append_only_triggers()


def downgrade():
    _drop_append_only_triggers()
    with op.batch_alter_table('pact_ledger', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pact_ledger_signed_at'))
        batch_op.drop_index('ix_pact_ledger_region_seq')

    op.drop_table('pact_ledger')
    op.drop_table('pact_versions')
    op.drop_table('pact_checkpoints')
