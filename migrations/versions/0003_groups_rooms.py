"""groups and rooms: working groups, coordinators, memberships, rooms and their messages

The eight themes that section 5 of the Pact proposes to the Laboratory are groups in every
install, inserted here with their Italian and English names and descriptions (a frozen copy of
lab/groups/themes.py), together with the Laboratory-wide room and one room per theme.

Memberships and coordination are never deleted, only ended; two partial unique indexes keep at
most one request-or-membership in progress, and one current coordination, per person and group.
A message's ``seq`` numbers it within its room (unique per room); its idempotency key is unique
per room and author.

Revision ID: 0003_groups_rooms
Revises: 0002_pact
Create Date: 2026-11-22

"""
from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op

revision = "0003_groups_rooms"
down_revision = "0002_pact"
branch_labels = None
depends_on = None


THEMES = [
    # slug, Italian name, English name, Italian description, English description
    ("prossimita-domiciliarita",
     "Politiche di prossimità e domiciliarità",
     "Proximity and home-care policies",
     "Servizi che riconoscono la persona nella sua globalità, con il suo «interno» e il suo "
     "«intorno»: sostenere le relazioni di prossimità e la domiciliarità, anche nei contesti "
     "istituzionalizzati.",
     "Services that see the person as a whole, with their 'inside' and their 'surroundings': "
     "supporting neighbourhood relationships and life at home, also in institutional settings."),
    ("ambiti-territoriali-governance",
     "Ambiti territoriali e governance locale",
     "Territorial districts and local governance",
     "Forme di gestione e di governance su più livelli, orientate ai diversi portatori di "
     "interesse e adeguate ai valori e alle capacità di ciascun territorio.",
     "Multi-level management and governance, geared to the different stakeholders and suited to "
     "the values and capacities of each territory."),
    ("patti-sussidiarieta",
     "Creazione di patti di sussidiarietà territoriali",
     "Territorial subsidiarity pacts",
     "Patti che impegnano pubblica amministrazione, economia e società civile di uno stesso "
     "territorio a concorrere al bene comune, secondo il principio di sussidiarietà circolare.",
     "Pacts that commit the public administration, businesses and civil society of a territory to "
     "work for the common good, following the principle of circular subsidiarity."),
    ("integrazione-sociale-lavoro-sviluppo-sanita",
     "Integrazione di servizi e politiche tra sociale, lavoro, sviluppo e sanità",
     "Integrating social, employment, development and health policies",
     "Coniugare politiche sociali, politiche del lavoro, sviluppo economico e sanità, pensando "
     "alla coesione sociale come occasione di sviluppo del territorio.",
     "Bringing together social, employment, economic development and health policies, with social "
     "cohesion seen as an opportunity for the territory's development."),
    ("dati-nel-sociale",
     "Informatizzazione e utilizzo intelligente dei dati nel sociale",
     "Digitalisation and smart use of data in social policy",
     "Sistemi informativi e uso dei dati per conoscere i bisogni, programmare gli interventi e "
     "valutarne gli effetti.",
     "Information systems and data for understanding needs, planning interventions and assessing "
     "their effects."),
    ("tecnologie-servizi",
     "Integrazione di tecnologie nell'erogazione dei servizi",
     "Technology in the delivery of services",
     "Tecnologie che avvicinano i servizi alle persone e ne migliorano l'accesso, la qualità e il "
     "coordinamento.",
     "Technologies that bring services closer to people and improve their access, quality and "
     "coordination."),
    ("finanza-impatto-sociale",
     "Forme innovative di finanza ad impatto sociale",
     "Innovative social impact finance",
     "Strumenti finanziari che legano le risorse ai risultati sociali raggiunti e coinvolgono "
     "investitori pubblici e privati.",
     "Financial instruments that tie resources to the social outcomes achieved and involve public "
     "and private investors."),
    ("formazione-operatori",
     "Formazione degli operatori sociali",
     "Training for social workers",
     "Approfondimento e formazione tecnica sui temi dell'innovazione sociale, anche in vista "
     "delle sperimentazioni concrete delle Regioni.",
     "In-depth technical training on social innovation, also with a view to the regions' own "
     "pilot projects."),
]


def upgrade():
    groups = op.create_table('groups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('name_it', sa.String(length=160), nullable=False),
    sa.Column('name_en', sa.String(length=160), nullable=False),
    sa.Column('description_it', sa.Text(), nullable=False),
    sa.Column('description_en', sa.Text(), nullable=False),
    sa.Column('is_open', sa.Boolean(), nullable=False),
    sa.Column('is_theme', sa.Boolean(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_groups_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_groups')),
    sa.UniqueConstraint('slug', name=op.f('uq_groups_slug'))
    )
    op.create_table('group_coordinators',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('ended_at', sa.DateTime(), nullable=True),
    sa.Column('appointed_by_id', sa.Integer(), nullable=True),
    sa.Column('ended_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('ended_at IS NULL OR ended_at >= started_at', name=op.f('ck_group_coordinators_ends_after_start')),
    sa.ForeignKeyConstraint(['appointed_by_id'], ['users.id'], name=op.f('fk_group_coordinators_appointed_by_id_users')),
    sa.ForeignKeyConstraint(['ended_by_id'], ['users.id'], name=op.f('fk_group_coordinators_ended_by_id_users')),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_group_coordinators_group_id_groups')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_group_coordinators_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_group_coordinators'))
    )
    with op.batch_alter_table('group_coordinators', schema=None) as batch_op:
        batch_op.create_index('ix_group_coordinators_current', ['group_id', 'user_id'], unique=True, sqlite_where=sa.text('ended_at IS NULL'), postgresql_where=sa.text('ended_at IS NULL'))
        batch_op.create_index(batch_op.f('ix_group_coordinators_group_id'), ['group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_group_coordinators_user_id'), ['user_id'], unique=False)

    op.create_table('group_memberships',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('requested_at', sa.DateTime(), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('started_at', sa.DateTime(), nullable=True),
    sa.Column('ended_at', sa.DateTime(), nullable=True),
    sa.Column('ended_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("status <> 'active' OR (started_at IS NOT NULL AND ended_at IS NULL)", name=op.f('ck_group_memberships_active_has_dates')),
    sa.CheckConstraint("status IN ('requested', 'active', 'declined', 'withdrawn', 'left', 'removed')", name=op.f('ck_group_memberships_status')),
    sa.CheckConstraint('ended_at IS NULL OR started_at IS NULL OR ended_at >= started_at', name=op.f('ck_group_memberships_ends_after_start')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_group_memberships_decided_by_id_users')),
    sa.ForeignKeyConstraint(['ended_by_id'], ['users.id'], name=op.f('fk_group_memberships_ended_by_id_users')),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_group_memberships_group_id_groups')),
    sa.ForeignKeyConstraint(['region_id'], ['regions.id'], name=op.f('fk_group_memberships_region_id_regions')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_group_memberships_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_group_memberships'))
    )
    with op.batch_alter_table('group_memberships', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_group_memberships_group_id'), ['group_id'], unique=False)
        batch_op.create_index('ix_group_memberships_open', ['group_id', 'user_id'], unique=True, sqlite_where=sa.text("status IN ('requested', 'active')"), postgresql_where=sa.text("status IN ('requested', 'active')"))
        batch_op.create_index(batch_op.f('ix_group_memberships_region_id'), ['region_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_group_memberships_user_id'), ['user_id'], unique=False)

    rooms = op.create_table('rooms',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=120), nullable=True),
    sa.Column('main_key', sa.String(length=40), nullable=True),
    sa.Column('last_seq', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("(kind = 'laboratory') = (group_id IS NULL)", name=op.f('ck_rooms_group_room_has_group')),
    sa.CheckConstraint("kind IN ('laboratory', 'group', 'extra')", name=op.f('ck_rooms_kind')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_rooms_created_by_id_users')),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_rooms_group_id_groups')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rooms')),
    sa.UniqueConstraint('main_key', name=op.f('uq_rooms_main_key'))
    )
    with op.batch_alter_table('rooms', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rooms_group_id'), ['group_id'], unique=False)

    op.create_table('room_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('room_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('author_region_id', sa.Integer(), nullable=True),
    sa.Column('client_key', sa.String(length=64), nullable=False),
    sa.Column('body_source', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('edited_at', sa.DateTime(), nullable=True),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('deleted_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('length(body_source) <= 5000', name=op.f('ck_room_messages_body_length')),
    sa.CheckConstraint('seq > 0', name=op.f('ck_room_messages_seq_positive')),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_room_messages_author_id_users')),
    sa.ForeignKeyConstraint(['author_region_id'], ['regions.id'], name=op.f('fk_room_messages_author_region_id_regions')),
    sa.ForeignKeyConstraint(['deleted_by_id'], ['users.id'], name=op.f('fk_room_messages_deleted_by_id_users')),
    sa.ForeignKeyConstraint(['room_id'], ['rooms.id'], name=op.f('fk_room_messages_room_id_rooms')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_room_messages')),
    sa.UniqueConstraint('room_id', 'author_id', 'client_key', name='uq_room_messages_client_key'),
    sa.UniqueConstraint('room_id', 'seq', name='uq_room_messages_room_seq')
    )
    with op.batch_alter_table('room_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_room_messages_author_id'), ['author_id'], unique=False)

    op.create_table('room_mutes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('room_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('muted_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('until', sa.DateTime(), nullable=False),
    sa.Column('lifted_at', sa.DateTime(), nullable=True),
    sa.Column('lifted_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('until > created_at', name=op.f('ck_room_mutes_until_after_start')),
    sa.ForeignKeyConstraint(['lifted_by_id'], ['users.id'], name=op.f('fk_room_mutes_lifted_by_id_users')),
    sa.ForeignKeyConstraint(['muted_by_id'], ['users.id'], name=op.f('fk_room_mutes_muted_by_id_users')),
    sa.ForeignKeyConstraint(['room_id'], ['rooms.id'], name=op.f('fk_room_mutes_room_id_rooms')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_room_mutes_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_room_mutes'))
    )
    with op.batch_alter_table('room_mutes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_room_mutes_room_id'), ['room_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_room_mutes_user_id'), ['user_id'], unique=False)

    op.create_table('room_read_states',
    sa.Column('room_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('last_read_seq', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['room_id'], ['rooms.id'], name=op.f('fk_room_read_states_room_id_rooms')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_room_read_states_user_id_users')),
    sa.PrimaryKeyConstraint('room_id', 'user_id', name=op.f('pk_room_read_states'))
    )
    with op.batch_alter_table('room_read_states', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_room_read_states_user_id'), ['user_id'], unique=False)

    op.create_table('room_mentions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('message_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('seen_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['message_id'], ['room_messages.id'], name=op.f('fk_room_mentions_message_id_room_messages')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_room_mentions_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_room_mentions')),
    sa.UniqueConstraint('message_id', 'user_id', name='uq_room_mentions_message_user')
    )
    with op.batch_alter_table('room_mentions', schema=None) as batch_op:
        batch_op.create_index('ix_room_mentions_user_unseen', ['user_id', 'seen_at'], unique=False)

    op.create_table('room_message_edits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('message_id', sa.Integer(), nullable=False),
    sa.Column('previous_source', sa.Text(), nullable=False),
    sa.Column('previous_html', sa.Text(), nullable=False),
    sa.Column('edited_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['message_id'], ['room_messages.id'], name=op.f('fk_room_message_edits_message_id_room_messages')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_room_message_edits'))
    )
    with op.batch_alter_table('room_message_edits', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_room_message_edits_message_id'), ['message_id'], unique=False)

    _insert_themes_and_rooms(groups, rooms)


def _insert_themes_and_rooms(groups, rooms):
    """Insert the eight themes, the Laboratory-wide room and each theme's room."""
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    op.bulk_insert(groups, [
        {"slug": slug, "name_it": name_it, "name_en": name_en, "description_it": desc_it,
         "description_en": desc_en, "is_open": False, "is_theme": True, "position": position,
         "created_at": now}
        for position, (slug, name_it, name_en, desc_it, desc_en) in enumerate(THEMES, start=1)
    ])
    op.bulk_insert(rooms, [{"kind": "laboratory", "main_key": "laboratory", "last_seq": 0,
                            "created_at": now}])
    op.get_bind().execute(
        sa.text("INSERT INTO rooms (kind, group_id, main_key, last_seq, created_at) "
                "SELECT 'group', id, 'group-' || id, 0, :now FROM groups ORDER BY position"),
        {"now": now},
    )


def downgrade():
    with op.batch_alter_table('room_message_edits', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_room_message_edits_message_id'))

    op.drop_table('room_message_edits')
    with op.batch_alter_table('room_mentions', schema=None) as batch_op:
        batch_op.drop_index('ix_room_mentions_user_unseen')

    op.drop_table('room_mentions')
    with op.batch_alter_table('room_read_states', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_room_read_states_user_id'))

    op.drop_table('room_read_states')
    with op.batch_alter_table('room_mutes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_room_mutes_user_id'))
        batch_op.drop_index(batch_op.f('ix_room_mutes_room_id'))

    op.drop_table('room_mutes')
    with op.batch_alter_table('room_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_room_messages_author_id'))

    op.drop_table('room_messages')
    with op.batch_alter_table('rooms', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rooms_group_id'))

    op.drop_table('rooms')
    with op.batch_alter_table('group_memberships', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_group_memberships_user_id'))
        batch_op.drop_index(batch_op.f('ix_group_memberships_region_id'))
        batch_op.drop_index('ix_group_memberships_open', sqlite_where=sa.text("status IN ('requested', 'active')"), postgresql_where=sa.text("status IN ('requested', 'active')"))
        batch_op.drop_index(batch_op.f('ix_group_memberships_group_id'))

    op.drop_table('group_memberships')
    with op.batch_alter_table('group_coordinators', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_group_coordinators_user_id'))
        batch_op.drop_index(batch_op.f('ix_group_coordinators_group_id'))
        batch_op.drop_index('ix_group_coordinators_current', sqlite_where=sa.text('ended_at IS NULL'), postgresql_where=sa.text('ended_at IS NULL'))

    op.drop_table('group_coordinators')
    op.drop_table('groups')
