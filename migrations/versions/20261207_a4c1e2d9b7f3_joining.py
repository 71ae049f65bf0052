"""joining: a secret link key per event, a join window, closing and retired codes

Revision ID: a4c1e2d9b7f3
Revises: 5c2e9d7a4b13
Create Date: 2026-12-07 16:00:00.000000
"""
import secrets

from alembic import op
import sqlalchemy as sa
import pinnwand.db


revision = 'a4c1e2d9b7f3'
down_revision = '5c2e9d7a4b13'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('join_key', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('join_opened_at', pinnwand.db.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('join_closed_at', pinnwand.db.UTCDateTime(), nullable=True))

    events = sa.table('events', sa.column('id', sa.Integer), sa.column('created_at', sa.DateTime),
                      sa.column('join_key', sa.String), sa.column('join_opened_at', sa.DateTime))
    connection = op.get_bind()
    for (event_id,) in connection.execute(sa.select(events.c.id)).all():
        connection.execute(events.update().where(events.c.id == event_id)
                           .values(join_key=secrets.token_urlsafe(16)))
    connection.execute(events.update().values(join_opened_at=events.c.created_at))

    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.alter_column('join_key', existing_type=sa.String(length=32), nullable=False)
        batch_op.alter_column('join_opened_at', existing_type=pinnwand.db.UTCDateTime(),
                              nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_events_join_key'), ['join_key'])

    op.create_table('retired_join_codes',
    sa.Column('code', sa.String(length=6), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('retired_at', pinnwand.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_retired_join_codes_event_id_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_retired_join_codes'))
    )
    with op.batch_alter_table('retired_join_codes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_retired_join_codes_event_id'), ['event_id'], unique=False)


def downgrade():
    with op.batch_alter_table('retired_join_codes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_retired_join_codes_event_id'))
    op.drop_table('retired_join_codes')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_events_join_key'), type_='unique')
        batch_op.drop_column('join_closed_at')
        batch_op.drop_column('join_opened_at')
        batch_op.drop_column('join_key')
