"""accounts: regions, people, roles, mandates, invitations, audit log

The 21 members of the Conference of Regions are reference data, inserted here so every
install has them. Their ISTAT codes: regions use the two-digit region code; the autonomous
provinces of Bolzano and Trento, members in their own right, use their province codes.

Revision ID: 0001_accounts
Revises:
Create Date: 2026-11-22

"""
import sqlalchemy as sa
from alembic import op

revision = "0001_accounts"
down_revision = None
branch_labels = None
depends_on = None


REGIONS = [
    # istat_code, slug, Italian name, English name, kind
    ("01", "piemonte", "Piemonte", "Piedmont", "region"),
    ("02", "valle-d-aosta", "Valle d'Aosta", "Aosta Valley", "region"),
    ("03", "lombardia", "Lombardia", "Lombardy", "region"),
    ("05", "veneto", "Veneto", "Veneto", "region"),
    ("06", "friuli-venezia-giulia", "Friuli Venezia Giulia", "Friuli Venezia Giulia", "region"),
    ("07", "liguria", "Liguria", "Liguria", "region"),
    ("08", "emilia-romagna", "Emilia-Romagna", "Emilia-Romagna", "region"),
    ("09", "toscana", "Toscana", "Tuscany", "region"),
    ("10", "umbria", "Umbria", "Umbria", "region"),
    ("11", "marche", "Marche", "Marche", "region"),
    ("12", "lazio", "Lazio", "Lazio", "region"),
    ("13", "abruzzo", "Abruzzo", "Abruzzo", "region"),
    ("14", "molise", "Molise", "Molise", "region"),
    ("15", "campania", "Campania", "Campania", "region"),
    ("16", "puglia", "Puglia", "Apulia", "region"),
    ("17", "basilicata", "Basilicata", "Basilicata", "region"),
    ("18", "calabria", "Calabria", "Calabria", "region"),
    ("19", "sicilia", "Sicilia", "Sicily", "region"),
    ("20", "sardegna", "Sardegna", "Sardinia", "region"),
    ("021", "bolzano", "Provincia autonoma di Bolzano", "Autonomous Province of Bolzano",
     "autonomous_province"),
    ("022", "trento", "Provincia autonoma di Trento", "Autonomous Province of Trento",
     "autonomous_province"),
]


def upgrade():
    regions = op.create_table('regions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('istat_code', sa.String(length=3), nullable=False),
    sa.Column('slug', sa.String(length=40), nullable=False),
    sa.Column('name_it', sa.String(length=80), nullable=False),
    sa.Column('name_en', sa.String(length=80), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.CheckConstraint("kind IN ('region', 'autonomous_province')", name=op.f('ck_regions_kind')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_regions')),
    sa.UniqueConstraint('istat_code', name=op.f('uq_regions_istat_code')),
    sa.UniqueConstraint('slug', name=op.f('uq_regions_slug'))
    )
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('full_name', sa.String(length=120), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=True),
    sa.Column('locale', sa.String(length=5), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('session_version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_sign_in_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['region_id'], ['regions.id'], name=op.f('fk_users_region_id_regions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('email', name=op.f('uq_users_email'))
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_users_region_id'), ['region_id'], unique=False)

    op.create_table('audit_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('action', sa.String(length=60), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('subject_id', sa.Integer(), nullable=True),
    sa.Column('region_id', sa.Integer(), nullable=True),
    sa.Column('address', sa.String(length=45), nullable=True),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_audit_entries_actor_id_users')),
    sa.ForeignKeyConstraint(['region_id'], ['regions.id'], name=op.f('fk_audit_entries_region_id_regions')),
    sa.ForeignKeyConstraint(['subject_id'], ['users.id'], name=op.f('fk_audit_entries_subject_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_entries'))
    )
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_entries_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_entries_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_entries_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_entries_region_id'), ['region_id'], unique=False)

    op.create_table('invitations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=True),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('invited_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('send_count', sa.Integer(), nullable=False),
    sa.Column('last_sent_at', sa.DateTime(), nullable=True),
    sa.Column('accepted_at', sa.DateTime(), nullable=True),
    sa.Column('accepted_user_id', sa.Integer(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.Column('revoked_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("(role IN ('delegate', 'region_admin')) = (region_id IS NOT NULL)", name=op.f('ck_invitations_regional_role_region')),
    sa.CheckConstraint("role IN ('platform_admin', 'region_admin', 'delegate', 'organiser')", name=op.f('ck_invitations_role')),
    sa.ForeignKeyConstraint(['accepted_user_id'], ['users.id'], name=op.f('fk_invitations_accepted_user_id_users')),
    sa.ForeignKeyConstraint(['invited_by_id'], ['users.id'], name=op.f('fk_invitations_invited_by_id_users')),
    sa.ForeignKeyConstraint(['region_id'], ['regions.id'], name=op.f('fk_invitations_region_id_regions')),
    sa.ForeignKeyConstraint(['revoked_by_id'], ['users.id'], name=op.f('fk_invitations_revoked_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_invitations')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_invitations_token_hash'))
    )
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_invitations_email'), ['email'], unique=False)
        batch_op.create_index(batch_op.f('ix_invitations_region_id'), ['region_id'], unique=False)

    op.create_table('mandates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=False),
    sa.Column('act', sa.String(length=300), nullable=False),
    sa.Column('act_pdf', sa.String(length=80), nullable=True),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('granted_by_id', sa.Integer(), nullable=True),
    sa.Column('granted_at', sa.DateTime(), nullable=False),
    sa.Column('ended_by_id', sa.Integer(), nullable=True),
    sa.Column('ended_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint('ends_on IS NULL OR ends_on >= starts_on', name=op.f('ck_mandates_ends_after_start')),
    sa.ForeignKeyConstraint(['ended_by_id'], ['users.id'], name=op.f('fk_mandates_ended_by_id_users')),
    sa.ForeignKeyConstraint(['granted_by_id'], ['users.id'], name=op.f('fk_mandates_granted_by_id_users')),
    sa.ForeignKeyConstraint(['region_id'], ['regions.id'], name=op.f('fk_mandates_region_id_regions')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_mandates_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mandates'))
    )
    with op.batch_alter_table('mandates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mandates_region_id'), ['region_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mandates_user_id'), ['user_id'], unique=False)

    op.create_table('role_assignments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=True),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('ended_at', sa.DateTime(), nullable=True),
    sa.Column('granted_by_id', sa.Integer(), nullable=True),
    sa.Column('ended_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("(role IN ('delegate', 'region_admin')) = (region_id IS NOT NULL)", name=op.f('ck_role_assignments_regional_role_region')),
    sa.CheckConstraint("role IN ('platform_admin', 'region_admin', 'delegate', 'organiser')", name=op.f('ck_role_assignments_role')),
    sa.CheckConstraint('ended_at IS NULL OR ended_at >= started_at', name=op.f('ck_role_assignments_ends_after_start')),
    sa.ForeignKeyConstraint(['ended_by_id'], ['users.id'], name=op.f('fk_role_assignments_ended_by_id_users')),
    sa.ForeignKeyConstraint(['granted_by_id'], ['users.id'], name=op.f('fk_role_assignments_granted_by_id_users')),
    sa.ForeignKeyConstraint(['region_id'], ['regions.id'], name=op.f('fk_role_assignments_region_id_regions')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_role_assignments_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_role_assignments'))
    )
    with op.batch_alter_table('role_assignments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_role_assignments_region_id'), ['region_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_role_assignments_user_id'), ['user_id'], unique=False)

    op.bulk_insert(regions, [
        dict(istat_code=code, slug=slug, name_it=name_it, name_en=name_en, kind=kind)
        for code, slug, name_it, name_en, kind in REGIONS
    ])


def downgrade():
    with op.batch_alter_table('role_assignments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_role_assignments_user_id'))
        batch_op.drop_index(batch_op.f('ix_role_assignments_region_id'))

    op.drop_table('role_assignments')
    with op.batch_alter_table('mandates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mandates_user_id'))
        batch_op.drop_index(batch_op.f('ix_mandates_region_id'))

    op.drop_table('mandates')
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_invitations_region_id'))
        batch_op.drop_index(batch_op.f('ix_invitations_email'))

    op.drop_table('invitations')
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_entries_region_id'))
        batch_op.drop_index(batch_op.f('ix_audit_entries_at'))
        batch_op.drop_index(batch_op.f('ix_audit_entries_actor_id'))
        batch_op.drop_index(batch_op.f('ix_audit_entries_action'))

    op.drop_table('audit_entries')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_users_region_id'))

    op.drop_table('users')
    op.drop_table('regions')
