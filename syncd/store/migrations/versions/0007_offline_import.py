"""offline_files, offline_rows, review_decisions: offline files in the daemon, the review queue

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

import syncd.store.types

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'offline_files',
        sa.Column('content_hash', sa.String(length=64), nullable=False),
        sa.Column('name', sa.String(length=400), nullable=False),
        sa.Column('source', sa.String(length=200), nullable=True),
        sa.Column('counts', sa.JSON(), nullable=False),
        sa.Column('imported_at', syncd.store.types.UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('content_hash'),
    )
    op.create_table(
        'offline_rows',
        sa.Column('content_hash', sa.String(length=64), nullable=False),
        sa.Column('line', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('outcome', sa.String(length=20), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('hubspot_id', sa.String(length=40), nullable=True),
        sa.Column('target', sa.String(length=40), nullable=True),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('fields', sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint('content_hash', 'line'),
    )
    with op.batch_alter_table('offline_rows', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_offline_rows_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_offline_rows_hubspot_id'), ['hubspot_id'], unique=False)
    op.create_table(
        'review_decisions',
        sa.Column('subject', sa.String(length=40), nullable=False),
        sa.Column('candidates', sa.String(length=400), nullable=False),
        sa.Column('decision', sa.String(length=20), nullable=False),
        sa.Column('target', sa.String(length=40), nullable=True),
        sa.Column('decided_at', syncd.store.types.UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('subject', 'candidates'),
    )


def downgrade() -> None:
    op.drop_table('review_decisions')
    with op.batch_alter_table('offline_rows', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_offline_rows_hubspot_id'))
        batch_op.drop_index(batch_op.f('ix_offline_rows_status'))
    op.drop_table('offline_rows')
    op.drop_table('offline_files')
