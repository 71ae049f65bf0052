"""Reports, publishing and privacy: report settings, idea redactions, published results
pages, contact addresses with consent, retention of personal data.

Revision ID: f708a9f00e5a
Revises: 3f937373b421
Create Date: 2026-11-21 05:38:54.439774
"""
from alembic import op
import sqlalchemy as sa
import pinnwand.db


revision = 'f708a9f00e5a'
down_revision = '3f937373b421'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('event_privacy',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('retention_days', sa.Integer(), nullable=True),
    sa.Column('purged_at', pinnwand.db.UTCDateTime(), nullable=True),
    sa.Column('updated_at', pinnwand.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_privacy_event_id_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('event_id', name=op.f('pk_event_privacy'))
    )
    op.create_table('publications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('nonce', sa.String(length=64), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('lang', sa.String(length=2), nullable=False),
    sa.Column('authors', sa.Boolean(), nullable=False),
    sa.Column('snapshot', sa.JSON(), nullable=True),
    sa.Column('published_by', sa.Integer(), nullable=True),
    sa.Column('published_at', pinnwand.db.UTCDateTime(), nullable=False),
    sa.Column('withdrawn_at', pinnwand.db.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_publications_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['published_by'], ['moderators.id'], name=op.f('fk_publications_published_by_moderators'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_publications')),
    sa.UniqueConstraint('digest', name=op.f('uq_publications_digest')),
    sa.UniqueConstraint('event_id', name=op.f('uq_publications_event_id'))
    )
    op.create_table('report_settings',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('organiser', sa.String(length=200), nullable=True),
    sa.Column('updated_at', pinnwand.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_report_settings_event_id_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('event_id', name=op.f('pk_report_settings'))
    )
    op.create_table('contacts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('send_results', sa.Boolean(), nullable=False),
    sa.Column('follow_up', sa.Boolean(), nullable=False),
    sa.Column('consent_text', sa.Text(), nullable=False),
    sa.Column('consent_lang', sa.String(length=2), nullable=False),
    sa.Column('consented_at', pinnwand.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_contacts_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['participant_id'], ['participants.id'], name=op.f('fk_contacts_participant_id_participants'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contacts')),
    sa.UniqueConstraint('participant_id', name=op.f('uq_contacts_participant_id'))
    )
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contacts_event_id'), ['event_id'], unique=False)

    op.create_table('idea_redactions',
    sa.Column('idea_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('moderator_id', sa.Integer(), nullable=True),
    sa.Column('created_at', pinnwand.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['idea_id'], ['ideas.id'], name=op.f('fk_idea_redactions_idea_id_ideas'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['moderator_id'], ['moderators.id'], name=op.f('fk_idea_redactions_moderator_id_moderators'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('idea_id', name=op.f('pk_idea_redactions'))
    )


def downgrade():
    op.drop_table('idea_redactions')
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contacts_event_id'))

    op.drop_table('contacts')
    op.drop_table('report_settings')
    op.drop_table('publications')
    op.drop_table('event_privacy')
