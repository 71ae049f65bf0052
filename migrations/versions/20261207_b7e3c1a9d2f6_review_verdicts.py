"""review step: verdicts on the open actions of a series' earlier forums

Revision ID: b7e3c1a9d2f6
Revises: 7c3a9e51d2b8
Create Date: 2026-12-07 21:40:00
"""
import pinnwand.db
import sqlalchemy as sa
from alembic import op

revision = 'b7e3c1a9d2f6'
down_revision = '7c3a9e51d2b8'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'review_verdicts',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('workshop_id', sa.Integer(), nullable=False),
        sa.Column('action_id', sa.Integer(), nullable=False),
        sa.Column('participant_id', sa.Integer(), nullable=True),
        sa.Column('moderator_id', sa.Integer(), nullable=True),
        sa.Column('verdict', sa.String(length=8), nullable=False),
        sa.Column('comment', sa.Text(), nullable=True),
        sa.Column('at', pinnwand.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['action_id'], ['actions.id'],
                                name=op.f('fk_review_verdicts_action_id_actions'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['moderator_id'], ['moderators.id'],
                                name=op.f('fk_review_verdicts_moderator_id_moderators'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['participant_id'], ['participants.id'],
                                name=op.f('fk_review_verdicts_participant_id_participants'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['workshop_id'], ['workshops.id'],
                                name=op.f('fk_review_verdicts_workshop_id_workshops'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_review_verdicts')),
        sa.UniqueConstraint('workshop_id', 'action_id', 'moderator_id',
                            name=op.f('uq_review_verdicts_workshop_id_action_id_moderator_id')),
        sa.UniqueConstraint('workshop_id', 'action_id', 'participant_id',
                            name=op.f('uq_review_verdicts_workshop_id_action_id_participant_id')),
    )
    with op.batch_alter_table('review_verdicts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_verdicts_action_id'), ['action_id'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_review_verdicts_workshop_id'), ['workshop_id'],
                              unique=False)
    with op.batch_alter_table('workshops', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reviews_revealed', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))


def downgrade():
    with op.batch_alter_table('workshops', schema=None) as batch_op:
        batch_op.drop_column('reviews_revealed')
    with op.batch_alter_table('review_verdicts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_verdicts_workshop_id'))
        batch_op.drop_index(batch_op.f('ix_review_verdicts_action_id'))
    op.drop_table('review_verdicts')
