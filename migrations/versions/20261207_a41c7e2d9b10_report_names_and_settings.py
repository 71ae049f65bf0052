"""Report names and settings: contributors' consent to be named in the results, which names a
publication shows, the report's time zone and page size.

Revision ID: a41c7e2d9b10
Revises: de86f01b8c61
Create Date: 2026-12-07 15:11:27.015101
"""
from alembic import op
import sqlalchemy as sa


revision = 'a41c7e2d9b10'
down_revision = 'de86f01b8c61'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('action_contributors', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name_in_results', sa.Boolean(), server_default=sa.false(), nullable=False))

    with op.batch_alter_table('publications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contributors', sa.Boolean(), server_default=sa.false(), nullable=False))

    with op.batch_alter_table('report_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('time_zone', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('page_size', sa.String(length=10), nullable=True))


def downgrade():
    with op.batch_alter_table('report_settings', schema=None) as batch_op:
        batch_op.drop_column('page_size')
        batch_op.drop_column('time_zone')

    with op.batch_alter_table('publications', schema=None) as batch_op:
        batch_op.drop_column('contributors')

    with op.batch_alter_table('action_contributors', schema=None) as batch_op:
        batch_op.drop_column('name_in_results')
