"""event registration details: people without an account, organisers' questions, answers

People without an account register with their name and address after opening a mailed link
(``event_signups`` until then, so an unconfirmed request holds no seat); a partial unique index
keeps one active registration per address and event. Answers and needs are erased after the
retention date, keeping the registrations (and so the counts).

Revision ID: 0015_event_registration_details
Revises: 0013_events
Create Date: 2026-11-30 09:11:36.836795

"""
import sqlalchemy as sa
from alembic import op

revision = '0015_event_registration_details'
down_revision = '0013_events'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('event_questions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=300), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('options', sa.Text(), nullable=False),
    sa.Column('required', sa.Boolean(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.CheckConstraint("kind <> 'choice' OR options <> ''", name=op.f('ck_event_questions_choice_has_options')),
    sa.CheckConstraint("kind IN ('text', 'choice', 'yes_no')", name=op.f('ck_event_questions_kind')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_questions_event_id_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_questions'))
    )
    with op.batch_alter_table('event_questions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_questions_event_id'), ['event_id'], unique=False)

    op.create_table('event_answers',
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['question_id'], ['event_questions.id'], name=op.f('fk_event_answers_question_id_event_questions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['registration_id'], ['event_registrations.id'], name=op.f('fk_event_answers_registration_id_event_registrations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('registration_id', 'question_id', name=op.f('pk_event_answers'))
    )
    with op.batch_alter_table('event_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_answers_question_id'), ['question_id'], unique=False)

    op.create_table('event_signups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(), nullable=True),
    sa.Column('registration_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_signups_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['registration_id'], ['event_registrations.id'], name=op.f('fk_event_signups_registration_id_event_registrations'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_signups')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_event_signups_token_hash'))
    )
    with op.batch_alter_table('event_signups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_signups_event_id'), ['event_id'], unique=False)

    with op.batch_alter_table('event_registrations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('guest_name', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('guest_email', sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column('guest_organisation', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('cancel_token_hash', sa.String(length=64), nullable=True))
        # Server defaults fill the rows already there, then go: the models set the values.
        batch_op.add_column(sa.Column('accessibility_needs', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('dietary_needs', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('listed_publicly', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('personal_data_erased_at', sa.DateTime(), nullable=True))
        batch_op.alter_column('user_id',
               existing_type=sa.INTEGER(),
               nullable=True)
        batch_op.create_index('ix_event_registrations_active_guest', ['event_id', 'guest_email'], unique=True, sqlite_where=sa.text("status IN ('registered', 'waiting')"), postgresql_where=sa.text("status IN ('registered', 'waiting')"))
        batch_op.create_unique_constraint(batch_op.f('uq_event_registrations_cancel_token_hash'), ['cancel_token_hash'])
        batch_op.create_check_constraint(op.f('ck_event_registrations_member_or_guest'), "user_id IS NULL OR guest_email IS NULL")
        batch_op.create_check_constraint(op.f('ck_event_registrations_someone'), "user_id IS NOT NULL OR guest_email IS NOT NULL OR personal_data_erased_at IS NOT NULL")
    with op.batch_alter_table('event_registrations', schema=None) as batch_op:
        for column in ('accessibility_needs', 'dietary_needs', 'listed_publicly'):
            batch_op.alter_column(column, server_default=None)



def downgrade():
    with op.batch_alter_table('event_registrations', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_event_registrations_someone'), type_='check')
        batch_op.drop_constraint(op.f('ck_event_registrations_member_or_guest'), type_='check')
        batch_op.drop_constraint(batch_op.f('uq_event_registrations_cancel_token_hash'), type_='unique')
        batch_op.drop_index('ix_event_registrations_active_guest', sqlite_where=sa.text("status IN ('registered', 'waiting')"), postgresql_where=sa.text("status IN ('registered', 'waiting')"))
        batch_op.alter_column('user_id',
               existing_type=sa.INTEGER(),
               nullable=False)
        batch_op.drop_column('personal_data_erased_at')
        batch_op.drop_column('listed_publicly')
        batch_op.drop_column('dietary_needs')
        batch_op.drop_column('accessibility_needs')
        batch_op.drop_column('cancel_token_hash')
        batch_op.drop_column('guest_organisation')
        batch_op.drop_column('guest_email')
        batch_op.drop_column('guest_name')

    with op.batch_alter_table('event_signups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_signups_event_id'))

    op.drop_table('event_signups')
    with op.batch_alter_table('event_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_answers_question_id'))

    op.drop_table('event_answers')
    with op.batch_alter_table('event_questions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_questions_event_id'))

    op.drop_table('event_questions')
