"""grants and text: mandates confirmed by a second person, nobody grants themselves, the
renderer version of stored message HTML

A mandate is in force only once ``confirmed_at`` is set: a region admin's grant waits for a
platform admin or another admin of the region. Mandates already recorded were in force, so
they count as confirmed when they were granted. Nobody may grant a role or a mandate to
themselves, nor confirm their own. A mandate ended before it starts (``ended_at`` set) never
takes effect, so its end may precede its start.

``room_messages.html_version`` is the ``RENDERER_VERSION`` of ``lab/core/markup.py`` that
rendered ``body_html``; rows written before this revision hold version 1.

Revision ID: 0006_grants_and_text
Revises: 0005_two_factor
Create Date: 2026-11-30

"""
import sqlalchemy as sa
from alembic import op

revision = "0006_grants_and_text"
down_revision = "0005_two_factor"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("mandates", schema=None) as batch_op:
        batch_op.add_column(sa.Column("confirmed_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("confirmed_at", sa.DateTime(), nullable=True))
        batch_op.create_foreign_key(batch_op.f("fk_mandates_confirmed_by_id_users"), "users",
                                    ["confirmed_by_id"], ["id"])
        batch_op.drop_constraint(batch_op.f("ck_mandates_ends_after_start"), type_="check")
        batch_op.create_check_constraint(
            "ends_after_start", "ends_on IS NULL OR ends_on >= starts_on OR ended_at IS NOT NULL")
        batch_op.create_check_constraint(
            "not_self_granted", "granted_by_id IS NULL OR granted_by_id <> user_id")
        batch_op.create_check_constraint(
            "not_self_confirmed",
            "confirmed_by_id IS NULL OR (confirmed_by_id <> user_id AND confirmed_at IS NOT NULL)")
    op.execute("UPDATE mandates SET confirmed_at = granted_at")
    with op.batch_alter_table("role_assignments", schema=None) as batch_op:
        batch_op.create_check_constraint(
            "not_self_granted", "granted_by_id IS NULL OR granted_by_id <> user_id")
    with op.batch_alter_table("room_messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("html_version", sa.Integer(), nullable=False,
                                      server_default="1"))


def downgrade():
    with op.batch_alter_table("room_messages", schema=None) as batch_op:
        batch_op.drop_column("html_version")
    with op.batch_alter_table("role_assignments", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_role_assignments_not_self_granted"), type_="check")
    # Ended before they started: still never in force under the older rule, and kept.
    op.execute("UPDATE mandates SET ends_on = starts_on WHERE ends_on < starts_on")
    with op.batch_alter_table("mandates", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_mandates_not_self_confirmed"), type_="check")
        batch_op.drop_constraint(batch_op.f("ck_mandates_not_self_granted"), type_="check")
        batch_op.drop_constraint(batch_op.f("ck_mandates_ends_after_start"), type_="check")
        batch_op.create_check_constraint("ends_after_start",
                                         "ends_on IS NULL OR ends_on >= starts_on")
        batch_op.drop_constraint(batch_op.f("fk_mandates_confirmed_by_id_users"),
                                 type_="foreignkey")
        batch_op.drop_column("confirmed_at")
        batch_op.drop_column("confirmed_by_id")
