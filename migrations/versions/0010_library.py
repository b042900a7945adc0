"""library: good practices, their revisions and review steps

A practice's working copy and its structured parts (themes, target groups, partner regions,
organisations, funding lines, indicators, attachments, links); every saved change keeps a
revision (a JSON snapshot), and the public sees the revision last published
(``practices.published_revision_id``, added after both tables exist).

Revision ID: 0010_library
Revises: 0009_notifications
Create Date: 2026-11-30

"""
import sqlalchemy as sa
from alembic import op

revision = '0010_library'
down_revision = "0009_notifications"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('practices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=120), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('problem', sa.Text(), nullable=False),
    sa.Column('intervention', sa.Text(), nullable=False),
    sa.Column('lessons', sa.Text(), nullable=False),
    sa.Column('transfer_conditions', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('primary_group_id', sa.Integer(), nullable=False),
    sa.Column('lead_region_id', sa.Integer(), nullable=False),
    sa.Column('scale', sa.String(length=20), nullable=False),
    sa.Column('started_on', sa.Date(), nullable=False),
    sa.Column('ended_on', sa.Date(), nullable=True),
    sa.Column('evidence_level', sa.Integer(), nullable=False),
    sa.Column('evidence_justification', sa.Text(), nullable=False),
    sa.Column('confirmed_evidence_level', sa.Integer(), nullable=True),
    sa.Column('contact_role', sa.String(length=200), nullable=False),
    sa.Column('contact_office', sa.String(length=300), nullable=False),
    sa.Column('contact_email', sa.String(length=254), nullable=True),
    sa.Column('contact_email_public', sa.Boolean(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('revised_at', sa.DateTime(), nullable=False),
    sa.Column('published_at', sa.DateTime(), nullable=True),
    sa.Column('published_revision_id', sa.Integer(), nullable=True),
    sa.Column('source_message_id', sa.Integer(), nullable=True),
    sa.Column('demo', sa.Boolean(), nullable=False),
    sa.CheckConstraint("kind IN ('good_practice', 'lesson')", name=op.f('ck_practices_kind')),
    sa.CheckConstraint("scale IN ('municipal', 'district', 'provincial', 'regional', 'interregional')", name=op.f('ck_practices_scale')),
    sa.CheckConstraint("status IN ('draft', 'submitted', 'changes_requested', 'approved', 'published', 'archived')", name=op.f('ck_practices_status')),
    sa.CheckConstraint('confirmed_evidence_level IS NULL OR confirmed_evidence_level BETWEEN 1 AND evidence_level', name=op.f('ck_practices_confirmed_evidence_level')),
    sa.CheckConstraint('contact_email IS NOT NULL OR NOT contact_email_public', name=op.f('ck_practices_public_email_given')),
    sa.CheckConstraint('ended_on IS NULL OR ended_on >= started_on', name=op.f('ck_practices_ends_after_start')),
    sa.CheckConstraint('evidence_level BETWEEN 1 AND 4', name=op.f('ck_practices_evidence_level')),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_practices_author_id_users')),
    sa.ForeignKeyConstraint(['lead_region_id'], ['regions.id'], name=op.f('fk_practices_lead_region_id_regions')),
    sa.ForeignKeyConstraint(['primary_group_id'], ['groups.id'], name=op.f('fk_practices_primary_group_id_groups')),
    sa.ForeignKeyConstraint(['source_message_id'], ['room_messages.id'], name=op.f('fk_practices_source_message_id_room_messages')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_practices'))
    )
    with op.batch_alter_table('practices', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_practices_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_practices_lead_region_id'), ['lead_region_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_practices_primary_group_id'), ['primary_group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_practices_status'), ['status'], unique=False)

    op.create_table('practice_attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('practice_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('stored_name', sa.String(length=80), nullable=False),
    sa.Column('mimetype', sa.String(length=100), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(), nullable=False),
    sa.Column('removed_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("role IN ('document', 'evaluation')", name=op.f('ck_practice_attachments_role')),
    sa.ForeignKeyConstraint(['practice_id'], ['practices.id'], name=op.f('fk_practice_attachments_practice_id_practices'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_practice_attachments_uploaded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_practice_attachments')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_practice_attachments_stored_name'))
    )
    with op.batch_alter_table('practice_attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_practice_attachments_practice_id'), ['practice_id'], unique=False)

    op.create_table('practice_fundings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('practice_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('measure', sa.String(length=200), nullable=False),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.CheckConstraint("source IN ('fse', 'fesr', 'pnrr', 'fsc', 'regional_budget', 'local_budget', 'foundation', 'private', 'impact_finance')", name=op.f('ck_practice_fundings_source')),
    sa.CheckConstraint('amount IS NULL OR amount >= 0', name=op.f('ck_practice_fundings_amount_not_negative')),
    sa.ForeignKeyConstraint(['practice_id'], ['practices.id'], name=op.f('fk_practice_fundings_practice_id_practices'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_practice_fundings'))
    )
    with op.batch_alter_table('practice_fundings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_practice_fundings_practice_id'), ['practice_id'], unique=False)

    op.create_table('practice_groups',
    sa.Column('practice_id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_practice_groups_group_id_groups')),
    sa.ForeignKeyConstraint(['practice_id'], ['practices.id'], name=op.f('fk_practice_groups_practice_id_practices'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('practice_id', 'group_id', name=op.f('pk_practice_groups'))
    )
    op.create_table('practice_indicators',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('practice_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('unit', sa.String(length=60), nullable=False),
    sa.Column('baseline', sa.Numeric(precision=16, scale=4), nullable=True),
    sa.Column('target', sa.Numeric(precision=16, scale=4), nullable=True),
    sa.Column('achieved', sa.Numeric(precision=16, scale=4), nullable=True),
    sa.Column('measured_on', sa.Date(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['practice_id'], ['practices.id'], name=op.f('fk_practice_indicators_practice_id_practices'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_practice_indicators'))
    )
    with op.batch_alter_table('practice_indicators', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_practice_indicators_practice_id'), ['practice_id'], unique=False)

    op.create_table('practice_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('practice_id', sa.Integer(), nullable=False),
    sa.Column('url', sa.String(length=500), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['practice_id'], ['practices.id'], name=op.f('fk_practice_links_practice_id_practices'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_practice_links'))
    )
    with op.batch_alter_table('practice_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_practice_links_practice_id'), ['practice_id'], unique=False)

    op.create_table('practice_organisations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('practice_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('org_type', sa.String(length=20), nullable=False),
    sa.Column('is_lead', sa.Boolean(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.CheckConstraint("org_type IN ('public_body', 'third_sector', 'social_enterprise', 'company', 'foundation', 'university')", name=op.f('ck_practice_organisations_org_type')),
    sa.ForeignKeyConstraint(['practice_id'], ['practices.id'], name=op.f('fk_practice_organisations_practice_id_practices'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_practice_organisations'))
    )
    with op.batch_alter_table('practice_organisations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_practice_organisations_practice_id'), ['practice_id'], unique=False)

    op.create_table('practice_partner_regions',
    sa.Column('practice_id', sa.Integer(), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['practice_id'], ['practices.id'], name=op.f('fk_practice_partner_regions_practice_id_practices'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['region_id'], ['regions.id'], name=op.f('fk_practice_partner_regions_region_id_regions')),
    sa.PrimaryKeyConstraint('practice_id', 'region_id', name=op.f('pk_practice_partner_regions'))
    )
    op.create_table('practice_revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('practice_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('snapshot', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_practice_revisions_author_id_users')),
    sa.ForeignKeyConstraint(['practice_id'], ['practices.id'], name=op.f('fk_practice_revisions_practice_id_practices')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_practice_revisions')),
    sa.UniqueConstraint('practice_id', 'number', name=op.f('uq_practice_revisions_practice_id'))
    )
    with op.batch_alter_table('practice_revisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_practice_revisions_practice_id'), ['practice_id'], unique=False)
    with op.batch_alter_table('practices', schema=None) as batch_op:
        batch_op.create_foreign_key(batch_op.f('fk_practices_published_revision_id_practice_revisions'),
                                    'practice_revisions', ['published_revision_id'], ['id'])

    op.create_table('practice_targets',
    sa.Column('practice_id', sa.Integer(), nullable=False),
    sa.Column('target', sa.String(length=20), nullable=False),
    sa.CheckConstraint("target IN ('older_people', 'disabilities', 'minors_families', 'poverty', 'migrants', 'unemployed', 'care_workers', 'community')", name=op.f('ck_practice_targets_target')),
    sa.ForeignKeyConstraint(['practice_id'], ['practices.id'], name=op.f('fk_practice_targets_practice_id_practices'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('practice_id', 'target', name=op.f('pk_practice_targets'))
    )
    op.create_table('practice_reviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('practice_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=30), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('revision_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_practice_reviews_actor_id_users')),
    sa.ForeignKeyConstraint(['practice_id'], ['practices.id'], name=op.f('fk_practice_reviews_practice_id_practices')),
    sa.ForeignKeyConstraint(['revision_id'], ['practice_revisions.id'], name=op.f('fk_practice_reviews_revision_id_practice_revisions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_practice_reviews'))
    )
    with op.batch_alter_table('practice_reviews', schema=None) as batch_op:
        batch_op.create_index('ix_practice_reviews_practice_created', ['practice_id', 'created_at'], unique=False)



def downgrade():
    with op.batch_alter_table('practice_reviews', schema=None) as batch_op:
        batch_op.drop_index('ix_practice_reviews_practice_created')

    op.drop_table('practice_reviews')
    op.drop_table('practice_targets')
    with op.batch_alter_table('practice_revisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_practice_revisions_practice_id'))

    with op.batch_alter_table('practices', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_practices_published_revision_id_practice_revisions'),
                                 type_='foreignkey')
    op.drop_table('practice_revisions')
    op.drop_table('practice_partner_regions')
    with op.batch_alter_table('practice_organisations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_practice_organisations_practice_id'))

    op.drop_table('practice_organisations')
    with op.batch_alter_table('practice_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_practice_links_practice_id'))

    op.drop_table('practice_links')
    with op.batch_alter_table('practice_indicators', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_practice_indicators_practice_id'))

    op.drop_table('practice_indicators')
    op.drop_table('practice_groups')
    with op.batch_alter_table('practice_fundings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_practice_fundings_practice_id'))

    op.drop_table('practice_fundings')
    with op.batch_alter_table('practice_attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_practice_attachments_practice_id'))

    op.drop_table('practice_attachments')
    with op.batch_alter_table('practices', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_practices_status'))
        batch_op.drop_index(batch_op.f('ix_practices_primary_group_id'))
        batch_op.drop_index(batch_op.f('ix_practices_lead_region_id'))
        batch_op.drop_index(batch_op.f('ix_practices_author_id'))

    op.drop_table('practices')
