"""editorial board: a role whose members publish the library's approved practices

The role check constraints of ``role_assignments`` and ``invitations`` gain the value
``editorial_board`` (not a regional role: it is held without a region).

Revision ID: 0011_editorial_board
Revises: 0010_library
Create Date: 2026-11-30

"""
from alembic import op

revision = "0011_editorial_board"
down_revision = "0010_library"
branch_labels = None
depends_on = None

OLD_ROLES = "role IN ('platform_admin', 'region_admin', 'delegate', 'organiser')"
NEW_ROLES = "role IN ('platform_admin', 'region_admin', 'delegate', 'organiser', 'editorial_board')"


def _replace_role_check(condition: str) -> None:
    for table in ("role_assignments", "invitations"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f"ck_{table}_role"), type_="check")
            batch_op.create_check_constraint("role", condition)


def upgrade():
    _replace_role_check(NEW_ROLES)


def downgrade():
    _replace_role_check(OLD_ROLES)
