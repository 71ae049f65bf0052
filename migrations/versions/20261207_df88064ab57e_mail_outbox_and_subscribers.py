"""Sending mail: the outbox (mailings, messages, attachments), people who asked on a published
page to hear about the next forums, and the nonce that signs a contact's withdrawal link.

Revision ID: df88064ab57e
Revises: a41c7e2d9b10
Create Date: 2026-12-07 15:33:37.575254
"""
from alembic import op
import sqlalchemy as sa
import pinnwand.db


revision = 'df88064ab57e'
down_revision = 'a41c7e2d9b10'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('mailings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('lang', sa.String(length=2), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', pinnwand.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by'], ['moderators.id'], name=op.f('fk_mailings_created_by_moderators'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_mailings_event_id_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mailings'))
    )
    with op.batch_alter_table('mailings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mailings_event_id'), ['event_id'], unique=False)

    op.create_table('subscribers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('email_key', sa.String(length=254), nullable=False),
    sa.Column('organisation', sa.String(length=200), nullable=True),
    sa.Column('lang', sa.String(length=2), nullable=False),
    sa.Column('consent_text', sa.Text(), nullable=False),
    sa.Column('requested_at', pinnwand.db.UTCDateTime(), nullable=False),
    sa.Column('confirm_sent_at', pinnwand.db.UTCDateTime(), nullable=True),
    sa.Column('confirmed_at', pinnwand.db.UTCDateTime(), nullable=True),
    sa.Column('link_nonce', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_subscribers_event_id_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_subscribers')),
    sa.UniqueConstraint('event_id', 'email_key', name=op.f('uq_subscribers_event_id_email_key'))
    )
    with op.batch_alter_table('subscribers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_subscribers_event_id'), ['event_id'], unique=False)

    op.create_table('mail_attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('mailing_id', sa.Integer(), nullable=True),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', pinnwand.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['mailing_id'], ['mailings.id'], name=op.f('fk_mail_attachments_mailing_id_mailings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mail_attachments'))
    )
    with op.batch_alter_table('mail_attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mail_attachments_mailing_id'), ['mailing_id'], unique=False)

    op.create_table('mail_outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('mailing_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('sender', sa.String(length=254), nullable=False),
    sa.Column('recipient', sa.String(length=254), nullable=False),
    sa.Column('lang', sa.String(length=2), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('text_body', sa.Text(), nullable=False),
    sa.Column('html_body', sa.Text(), nullable=True),
    sa.Column('headers', sa.JSON(), nullable=False),
    sa.Column('message_id', sa.String(length=200), nullable=False),
    sa.Column('attachment_id', sa.Integer(), nullable=True),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', pinnwand.db.UTCDateTime(), nullable=False),
    sa.Column('claimed_by', sa.String(length=40), nullable=True),
    sa.Column('claimed_until', pinnwand.db.UTCDateTime(), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('sent_at', pinnwand.db.UTCDateTime(), nullable=True),
    sa.Column('created_at', pinnwand.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['attachment_id'], ['mail_attachments.id'], name=op.f('fk_mail_outbox_attachment_id_mail_attachments'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['mailing_id'], ['mailings.id'], name=op.f('fk_mail_outbox_mailing_id_mailings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mail_outbox'))
    )
    with op.batch_alter_table('mail_outbox', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mail_outbox_mailing_id'), ['mailing_id'], unique=False)
        batch_op.create_index('ix_mail_outbox_state_next_attempt_at', ['state', 'next_attempt_at'], unique=False)

    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('link_nonce', sa.String(length=32), nullable=True))



def downgrade():
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.drop_column('link_nonce')

    with op.batch_alter_table('mail_outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_mail_outbox_state_next_attempt_at')
        batch_op.drop_index(batch_op.f('ix_mail_outbox_mailing_id'))

    op.drop_table('mail_outbox')
    with op.batch_alter_table('mail_attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mail_attachments_mailing_id'))

    op.drop_table('mail_attachments')
    with op.batch_alter_table('subscribers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_subscribers_event_id'))

    op.drop_table('subscribers')
    with op.batch_alter_table('mailings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mailings_event_id'))

    op.drop_table('mailings')
