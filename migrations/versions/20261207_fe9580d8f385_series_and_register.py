"""series and the action register: series, their moderators and events, the status and dated
updates of actions, personal update links

Links between existing tables get tables of their own (``series_events``, ``update_links``):
adding a column with a foreign key to ``events`` or ``tokens`` would rebuild that table on
SQLite, and dropping the old table (foreign keys on) deletes the rows that refer to it.

Revision ID: fe9580d8f385
Revises: 1053eab729f5
Create Date: 2026-12-07 19:00:00.000000
"""
from alembic import op
import sqlalchemy as sa
import pinnwand.db


revision = 'fe9580d8f385'
down_revision = '1053eab729f5'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('series',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', pinnwand.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by'], ['moderators.id'], name=op.f('fk_series_created_by_moderators'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_series'))
    )
    op.create_table('series_moderators',
    sa.Column('series_id', sa.Integer(), nullable=False),
    sa.Column('moderator_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['moderator_id'], ['moderators.id'], name=op.f('fk_series_moderators_moderator_id_moderators'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['series_id'], ['series.id'], name=op.f('fk_series_moderators_series_id_series'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('series_id', 'moderator_id', name=op.f('pk_series_moderators'))
    )
    op.create_table('series_events',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('series_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_series_events_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['series_id'], ['series.id'], name=op.f('fk_series_events_series_id_series'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('event_id', name=op.f('pk_series_events'))
    )
    with op.batch_alter_table('series_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_series_events_series_id'), ['series_id'], unique=False)

    # A plain ADD COLUMN on SQLite (a constant default rebuilds nothing).
    with op.batch_alter_table('actions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status', sa.String(length=16), server_default='planned', nullable=False))

    op.create_table('action_updates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('link', sa.String(length=500), nullable=True),
    sa.Column('by', sa.String(length=80), nullable=True),
    sa.Column('token_id', sa.Integer(), nullable=True),
    sa.Column('at', pinnwand.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['action_id'], ['actions.id'], name=op.f('fk_action_updates_action_id_actions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['token_id'], ['tokens.id'], name=op.f('fk_action_updates_token_id_tokens'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_action_updates'))
    )
    with op.batch_alter_table('action_updates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_action_updates_action_id'), ['action_id'], unique=False)

    op.create_table('update_links',
    sa.Column('token_id', sa.Integer(), nullable=False),
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['action_id'], ['actions.id'], name=op.f('fk_update_links_action_id_actions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['token_id'], ['tokens.id'], name=op.f('fk_update_links_token_id_tokens'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('token_id', name=op.f('pk_update_links'))
    )
    with op.batch_alter_table('update_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_update_links_action_id'), ['action_id'], unique=False)


def downgrade():
    # The links' tokens go first: without their action they would stand for nothing.
    op.execute("DELETE FROM tokens WHERE kind = 'updater'")
    with op.batch_alter_table('update_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_update_links_action_id'))
    op.drop_table('update_links')
    with op.batch_alter_table('action_updates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_action_updates_action_id'))
    op.drop_table('action_updates')
    # ALTER TABLE … DROP COLUMN (SQLite 3.35+): a rebuilt ``actions`` would lose its sign-ups.
    op.drop_column('actions', 'status')
    with op.batch_alter_table('series_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_series_events_series_id'))
    op.drop_table('series_events')
    op.drop_table('series_moderators')
    op.drop_table('series')
