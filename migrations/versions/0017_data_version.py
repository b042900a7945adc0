"""the public data's version, which the pages kept for visitors are keyed by

Revision ID: 0017_data_version
Revises: 0016_event_signing_occasion
Create Date: 2026-11-30

"""
import sqlalchemy as sa
from alembic import op

revision = "0017_data_version"
down_revision = "0016_event_signing_occasion"
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table(
        "data_versions",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_versions")),
    )
    op.bulk_insert(table, [{"id": 1, "version": 0}])


def downgrade():
    op.drop_table("data_versions")
