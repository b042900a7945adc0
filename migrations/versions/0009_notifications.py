"""notifications: each person's email settings, when a mention was told, a decline's reason

``notification_settings`` holds one row per person who changed the defaults (every kind on,
mentions one by one). ``room_mentions.notified_at`` records when a mention was told to its
person (live in a room, or by email), so the daily digest sends each one once.
``group_memberships.decision_note`` keeps the reason a coordinator gave for a decline.

Revision ID: 0009_notifications
Revises: 0008_job_failures
Create Date: 2026-11-30

"""
import sqlalchemy as sa
from alembic import op

revision = "0009_notifications"
down_revision = "0008_job_failures"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('notification_settings',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('join_requests', sa.Boolean(), nullable=False),
    sa.Column('decisions', sa.Boolean(), nullable=False),
    sa.Column('appointments', sa.Boolean(), nullable=False),
    sa.Column('mentions', sa.Boolean(), nullable=False),
    sa.Column('mention_digest', sa.Boolean(), nullable=False),
    sa.Column('pact_entries', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notification_settings_user_id_users')),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_notification_settings'))
    )
    with op.batch_alter_table('room_mentions') as batch_op:
        batch_op.add_column(sa.Column('notified_at', sa.DateTime(), nullable=True))
    with op.batch_alter_table('group_memberships') as batch_op:
        batch_op.add_column(sa.Column('decision_note', sa.String(length=500), nullable=True))


def downgrade():
    with op.batch_alter_table('group_memberships') as batch_op:
        batch_op.drop_column('decision_note')
    with op.batch_alter_table('room_mentions') as batch_op:
        batch_op.drop_column('notified_at')
    op.drop_table('notification_settings')
