"""pact register: find a region's entries by the hashed region_code, not by region_id

The register page, the map and the signing rules look up each region's latest entry by
``region_code``, which the entry's hash covers; ``region_id`` stays as a foreign key that
``pact verify`` checks against it. The index follows the look-up. Plain CREATE/DROP INDEX
(no batch): rebuilding pact_ledger on SQLite would drop its append-only triggers.

Revision ID: 0007_pact_region_code_index
Revises: 0006_grants_and_text
Create Date: 2026-11-30

"""
from alembic import op

revision = "0007_pact_region_code_index"
down_revision = "0006_grants_and_text"
branch_labels = None
depends_on = None


def upgrade():
    op.drop_index("ix_pact_ledger_region_seq", table_name="pact_ledger")
    op.create_index("ix_pact_ledger_region_code_seq", "pact_ledger", ["region_code", "seq"])


def downgrade():
    op.drop_index("ix_pact_ledger_region_code_seq", table_name="pact_ledger")
    op.create_index("ix_pact_ledger_region_seq", "pact_ledger", ["region_id", "seq"])
