"""carry forward / drop, organisations, reminders: the decisions a later forum takes about
the series' open actions, the organisation of an action's owner and of each contributor, the
address a personal link's reminders go to, and the reminders already queued

Plain ADD COLUMNs (nullable, no foreign key) on SQLite: nothing is rebuilt.

Revision ID: 7c3a9e51d2b8
Revises: fe9580d8f385
Create Date: 2026-12-07 21:40:00.000000
"""
from alembic import op
import sqlalchemy as sa
import pinnwand.db


revision = '7c3a9e51d2b8'
down_revision = 'fe9580d8f385'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('actions', sa.Column('owner_organisation', sa.String(length=200), nullable=True))
    op.add_column('action_contributors', sa.Column('organisation', sa.String(length=200), nullable=True))
    op.add_column('update_links', sa.Column('email', sa.String(length=254), nullable=True))
    op.create_table('action_carries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('due_before', sa.Date(), nullable=True),
    sa.Column('due', sa.Date(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('at', pinnwand.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['action_id'], ['actions.id'], name=op.f('fk_action_carries_action_id_actions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshops.id'], name=op.f('fk_action_carries_workshop_id_workshops'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_action_carries')),
    sa.UniqueConstraint('action_id', 'workshop_id', name=op.f('uq_action_carries_action_id_workshop_id'))
    )
    with op.batch_alter_table('action_carries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_action_carries_action_id'), ['action_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_action_carries_workshop_id'), ['workshop_id'], unique=False)
    op.create_table('action_reminders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('action_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('occasion', sa.String(length=40), nullable=False),
    sa.Column('queued_at', pinnwand.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['action_id'], ['actions.id'], name=op.f('fk_action_reminders_action_id_actions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_action_reminders')),
    sa.UniqueConstraint('action_id', 'email', 'occasion', name=op.f('uq_action_reminders_action_id_email_occasion'))
    )
    with op.batch_alter_table('action_reminders', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_action_reminders_action_id'), ['action_id'], unique=False)


def downgrade():
    with op.batch_alter_table('action_reminders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_action_reminders_action_id'))
    op.drop_table('action_reminders')
    with op.batch_alter_table('action_carries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_action_carries_workshop_id'))
        batch_op.drop_index(batch_op.f('ix_action_carries_action_id'))
    op.drop_table('action_carries')
    # ALTER TABLE … DROP COLUMN (SQLite 3.35+): a rebuilt table would lose the rows that refer to it.
    op.drop_column('update_links', 'email')
    op.drop_column('action_contributors', 'organisation')
    op.drop_column('actions', 'owner_organisation')
