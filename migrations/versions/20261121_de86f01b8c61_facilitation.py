"""facilitation

Revision ID: de86f01b8c61
Revises: f708a9f00e5a
Create Date: 2026-11-21 07:22:31.345532
"""
from alembic import op
import sqlalchemy as sa
import pinnwand.db


revision = 'de86f01b8c61'
down_revision = 'f708a9f00e5a'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('actions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('what', sa.Text(), nullable=True),
    sa.Column('owner', sa.String(length=200), nullable=True),
    sa.Column('due', sa.Date(), nullable=True),
    sa.Column('prospects', sa.Text(), nullable=True),
    sa.Column('idea_ids', sa.JSON(), nullable=False),
    sa.Column('cluster_ids', sa.JSON(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('created_at', pinnwand.db.UTCDateTime(), nullable=False),
    sa.Column('deleted_at', pinnwand.db.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshops.id'], name=op.f('fk_actions_workshop_id_workshops'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_actions'))
    )
    with op.batch_alter_table('actions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_actions_workshop_id'), ['workshop_id'], unique=False)

    op.create_table('categories',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshops.id'], name=op.f('fk_categories_workshop_id_workshops'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_categories'))
    )
    with op.batch_alter_table('categories', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_categories_workshop_id'), ['workshop_id'], unique=False)

    op.create_table('messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.String(length=200), nullable=False),
    sa.Column('sender_name', sa.String(length=80), nullable=True),
    sa.Column('created_at', pinnwand.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshops.id'], name=op.f('fk_messages_workshop_id_workshops'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_messages'))
    )
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_messages_workshop_id'), ['workshop_id'], unique=False)

    op.create_table('votes',
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('target_type', sa.String(length=8), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_votes_participant_id_participants'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshops.id'], name=op.f('fk_votes_workshop_id_workshops'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('workshop_id', 'participant_id', 'target_type', 'target_id', name=op.f('pk_votes'))
    )
    op.create_table('action_contributors',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('brings', sa.String(length=200), nullable=True),
    sa.Column('created_at', pinnwand.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['action_id'], ['actions.id'], name=op.f('fk_action_contributors_action_id_actions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_action_contributors_participant_id_participants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_action_contributors'))
    )
    with op.batch_alter_table('action_contributors', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_action_contributors_action_id'), ['action_id'], unique=False)

    op.create_table('clusters',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('position', sa.Double(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=True),
    sa.Column('votes', sa.Integer(), nullable=False),
    sa.Column('created_at', pinnwand.db.UTCDateTime(), nullable=False),
    sa.Column('deleted_at', pinnwand.db.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['category_id'], ['categories.id'], name=op.f('fk_clusters_category_id_categories'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshops.id'], name=op.f('fk_clusters_workshop_id_workshops'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_clusters'))
    )
    with op.batch_alter_table('clusters', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_clusters_workshop_id'), ['workshop_id'], unique=False)

    op.create_table('plenary_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('idea_id', sa.Integer(), nullable=True),
    sa.Column('cluster_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('votes', sa.Integer(), nullable=False),
    sa.Column('created_at', pinnwand.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['cluster_id'], ['clusters.id'], name=op.f('fk_plenary_items_cluster_id_clusters'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_plenary_items_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['idea_id'], ['ideas.id'], name=op.f('fk_plenary_items_idea_id_ideas'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshops.id'], name=op.f('fk_plenary_items_workshop_id_workshops'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plenary_items'))
    )
    with op.batch_alter_table('plenary_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plenary_items_event_id'), ['event_id'], unique=False)

    op.create_table('plenary_votes',
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['plenary_items.id'], name=op.f('fk_plenary_votes_item_id_plenary_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_plenary_votes_participant_id_participants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('item_id', 'participant_id', name=op.f('pk_plenary_votes'))
    )
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('plenary_seq', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('plenary_open', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('plenary_voting', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('plenary_vote_budget', sa.Integer(), nullable=False, server_default='3'))

    with op.batch_alter_table('ideas', schema=None) as batch_op:
        batch_op.add_column(sa.Column('hidden', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('position', sa.Double(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('category_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('cluster_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('merged_into_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('deleted_at', pinnwand.db.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('withdrawn_by_author', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('updated_at', pinnwand.db.UTCDateTime(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_ideas_cluster_id_clusters'), 'clusters', ['cluster_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_ideas_merged_into_id_ideas'), 'ideas', ['merged_into_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_ideas_category_id_categories'), 'categories', ['category_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('tokens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name', sa.String(length=80), nullable=True))

    with op.batch_alter_table('workshop_changes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('withheld', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('owner_participant_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('owner_payload', sa.JSON(), nullable=True))

    with op.batch_alter_table('workshops', schema=None) as batch_op:
        batch_op.add_column(sa.Column('template', sa.String(length=16), nullable=False, server_default='free'))
        batch_op.add_column(sa.Column('private_writing', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('cluster_by', sa.String(length=16), nullable=False, server_default='staff'))
        batch_op.add_column(sa.Column('vote_budget', sa.Integer(), nullable=False, server_default='3'))
        batch_op.add_column(sa.Column('vote_max_per_target', sa.Integer(), nullable=False, server_default='3'))
        batch_op.add_column(sa.Column('votes_secret', sa.Boolean(), nullable=False, server_default=sa.true()))
        batch_op.add_column(sa.Column('votes_revealed', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('timer_state', sa.String(length=16), nullable=False, server_default='idle'))
        batch_op.add_column(sa.Column('timer_duration', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('timer_ends_at', pinnwand.db.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('timer_remaining', sa.Double(), nullable=True))
        batch_op.add_column(sa.Column('timer_lock_at_end', sa.Boolean(), nullable=False, server_default=sa.false()))

    # ### end Alembic commands ###


def downgrade():
    with op.batch_alter_table('workshops', schema=None) as batch_op:
        batch_op.drop_column('timer_lock_at_end')
        batch_op.drop_column('timer_remaining')
        batch_op.drop_column('timer_ends_at')
        batch_op.drop_column('timer_duration')
        batch_op.drop_column('timer_state')
        batch_op.drop_column('votes_revealed')
        batch_op.drop_column('votes_secret')
        batch_op.drop_column('vote_max_per_target')
        batch_op.drop_column('vote_budget')
        batch_op.drop_column('cluster_by')
        batch_op.drop_column('private_writing')
        batch_op.drop_column('template')

    with op.batch_alter_table('workshop_changes', schema=None) as batch_op:
        batch_op.drop_column('owner_payload')
        batch_op.drop_column('owner_participant_id')
        batch_op.drop_column('withheld')

    with op.batch_alter_table('tokens', schema=None) as batch_op:
        batch_op.drop_column('name')

    with op.batch_alter_table('ideas', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_ideas_category_id_categories'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_ideas_merged_into_id_ideas'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_ideas_cluster_id_clusters'), type_='foreignkey')
        batch_op.drop_column('updated_at')
        batch_op.drop_column('withdrawn_by_author')
        batch_op.drop_column('deleted_at')
        batch_op.drop_column('merged_into_id')
        batch_op.drop_column('cluster_id')
        batch_op.drop_column('category_id')
        batch_op.drop_column('position')
        batch_op.drop_column('hidden')

    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_column('plenary_vote_budget')
        batch_op.drop_column('plenary_voting')
        batch_op.drop_column('plenary_open')
        batch_op.drop_column('plenary_seq')

    op.drop_table('plenary_votes')
    with op.batch_alter_table('plenary_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plenary_items_event_id'))

    op.drop_table('plenary_items')
    with op.batch_alter_table('clusters', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_clusters_workshop_id'))

    op.drop_table('clusters')
    with op.batch_alter_table('action_contributors', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_action_contributors_action_id'))

    op.drop_table('action_contributors')
    op.drop_table('votes')
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_messages_workshop_id'))

    op.drop_table('messages')
    with op.batch_alter_table('categories', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_categories_workshop_id'))

    op.drop_table('categories')
    with op.batch_alter_table('actions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_actions_workshop_id'))

    op.drop_table('actions')
    # ### end Alembic commands ###
