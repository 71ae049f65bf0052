"""voting_started: secret totals are withheld once a workshop has reached the vote step

Revision ID: 5c2e9d7a4b13
Revises: df88064ab57e
Create Date: 2026-12-07 18:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '5c2e9d7a4b13'
down_revision = 'df88064ab57e'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('workshops', schema=None) as batch_op:
        batch_op.add_column(sa.Column('voting_started', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    # Workshops that voted, or are in a step from voting on, have started.
    op.execute("UPDATE workshops SET voting_started = true WHERE step IN ('vote', 'act', 'closed')"
               " OR EXISTS (SELECT 1 FROM votes WHERE votes.workshop_id = workshops.id)")


def downgrade():
    with op.batch_alter_table('workshops', schema=None) as batch_op:
        batch_op.drop_column('voting_started')
