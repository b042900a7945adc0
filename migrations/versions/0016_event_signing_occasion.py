"""events as signing occasions of the Pact, and the adhesions signed at them

The register's entries are hashed and append-only, so an adhesion is linked to its event in a
table of its own rather than by a column of the entry.

Revision ID: 0016_event_signing_occasion
Revises: 0015_event_registration_details
Create Date: 2026-11-30

"""
import sqlalchemy as sa
from alembic import op

revision = "0016_event_signing_occasion"
down_revision = "0015_event_registration_details"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("signing_occasion", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    op.create_table(
        "event_adhesions",
        sa.Column("entry_seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("linked_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["entry_seq"], ["pact_ledger.seq"],
                                name=op.f("fk_event_adhesions_entry_seq_pact_ledger")),
        sa.ForeignKeyConstraint(["event_id"], ["events.id"],
                                name=op.f("fk_event_adhesions_event_id_events")),
        sa.PrimaryKeyConstraint("entry_seq", name=op.f("pk_event_adhesions")),
    )
    with op.batch_alter_table("event_adhesions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_event_adhesions_event_id"), ["event_id"], unique=False)


def downgrade():
    with op.batch_alter_table("event_adhesions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_adhesions_event_id"))
    op.drop_table("event_adhesions")
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_column("signing_occasion")
