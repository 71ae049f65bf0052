"""tokens: a projector link of an event's plenary names the event

Revision ID: 1053eab729f5
Revises: d661c38ccaa6
Create Date: 2026-12-07 19:20:00
"""
import sqlalchemy as sa
from alembic import op

revision = '1053eab729f5'
down_revision = 'd661c38ccaa6'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('tokens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('event_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_tokens_event_id'), ['event_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_tokens_event_id_events'), 'events',
                                    ['event_id'], ['id'], ondelete='CASCADE')


def downgrade():
    with op.batch_alter_table('tokens', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_tokens_event_id_events'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_tokens_event_id'))
        batch_op.drop_column('event_id')
