"""two-factor sign-in: each person's authenticator secret and grace period, and recovery codes

``two_factor_settings`` has at most one row per person: the authenticator's secret (encrypted
by the application), when it was turned on, the newest 30-second step whose code was accepted
(so no code is taken twice), and when two-factor sign-in first became required of the person.
Recovery codes are stored as SHA-256 hashes and marked when used.

Revision ID: 0005_two_factor
Revises: 0004_user_sessions
Create Date: 2026-11-30

"""
import sqlalchemy as sa
from alembic import op

revision = "0005_two_factor"
down_revision = "0004_user_sessions"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "two_factor_settings",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("secret", sa.String(length=255), nullable=True),
        sa.Column("enabled_at", sa.DateTime(), nullable=True),
        sa.Column("last_step", sa.Integer(), nullable=True),
        sa.Column("required_since", sa.DateTime(), nullable=True),
        sa.CheckConstraint("enabled_at IS NULL OR secret IS NOT NULL",
                           name=op.f("ck_two_factor_settings_enabled_has_secret")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"],
                                name=op.f("fk_two_factor_settings_user_id_users")),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_two_factor_settings")),
    )
    op.create_table(
        "recovery_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"],
                                name=op.f("fk_recovery_codes_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recovery_codes")),
        sa.UniqueConstraint("user_id", "code_hash", name=op.f("uq_recovery_codes_user_id")),
    )
    with op.batch_alter_table("recovery_codes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_recovery_codes_user_id"), ["user_id"], unique=False)


def downgrade():
    with op.batch_alter_table("recovery_codes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_recovery_codes_user_id"))
    op.drop_table("recovery_codes")
    op.drop_table("two_factor_settings")
