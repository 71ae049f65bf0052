"""published files: the published results PDF, rendered once per version and language

Revision ID: b5d2f3e0c8a4
Revises: a4c1e2d9b7f3
Create Date: 2026-12-07 17:00:00.000000
"""
from alembic import op
import sqlalchemy as sa
import pinnwand.db


revision = 'b5d2f3e0c8a4'
down_revision = 'a4c1e2d9b7f3'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('publications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='0', nullable=False))

    op.create_table('published_files',
    sa.Column('publication_id', sa.Integer(), nullable=False),
    sa.Column('lang', sa.String(length=2), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=120), nullable=False),
    sa.Column('body', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', pinnwand.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['publication_id'], ['publications.id'], name=op.f('fk_published_files_publication_id_publications'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('publication_id', 'lang', name=op.f('pk_published_files'))
    )


def downgrade():
    op.drop_table('published_files')
    with op.batch_alter_table('publications', schema=None) as batch_op:
        batch_op.drop_column('version')
