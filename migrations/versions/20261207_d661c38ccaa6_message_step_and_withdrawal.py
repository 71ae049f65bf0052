"""messages: the step they were sent in, and when they were withdrawn

Revision ID: d661c38ccaa6
Revises: b5d2f3e0c8a4
Create Date: 2026-12-07 19:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = 'd661c38ccaa6'
down_revision = 'b5d2f3e0c8a4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('step', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('withdrawn_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.drop_column('withdrawn_at')
        batch_op.drop_column('step')
