"""job failures: background jobs that failed every attempt, for a platform admin to act upon

A row holds the job's name, a line saying what it was for, its pickled arguments (to run it
again), the last error and when it failed. Retrying or dismissing deletes the row.

Revision ID: 0008_job_failures
Revises: 0007_pact_region_code_index
Create Date: 2026-11-30

"""
import sqlalchemy as sa
from alembic import op

revision = "0008_job_failures"
down_revision = "0007_pact_region_code_index"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "job_failures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("job", sa.String(length=200), nullable=False),
        sa.Column("summary", sa.String(length=300), nullable=False),
        sa.Column("arguments", sa.LargeBinary(), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("failed_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_failures")),
    )
    with op.batch_alter_table("job_failures", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_job_failures_failed_at"), ["failed_at"], unique=False)


def downgrade():
    with op.batch_alter_table("job_failures", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_job_failures_failed_at"))
    op.drop_table("job_failures")
