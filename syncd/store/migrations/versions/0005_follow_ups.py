"""follow_ups and routing_positions: the sales loop's SLA and fair round-robin

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

import syncd.store.types

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'follow_ups',
        sa.Column('hubspot_id', sa.String(length=40), nullable=False),
        sa.Column('seq', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('key', sa.String(length=80), nullable=False),
        sa.Column('owner_id', sa.String(length=18), nullable=False),
        sa.Column('rule', sa.String(length=120), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('crossing', sa.String(length=200), nullable=False),
        sa.Column('started_at', syncd.store.types.UtcDateTime(), nullable=False),
        sa.Column('due_at', syncd.store.types.UtcDateTime(), nullable=False),
        sa.Column('sf_id', sa.String(length=18), nullable=True),
        sa.Column('task_id', sa.String(length=18), nullable=True),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('touched_at', syncd.store.types.UtcDateTime(), nullable=True),
        sa.Column('breached_at', syncd.store.types.UtcDateTime(), nullable=True),
        sa.PrimaryKeyConstraint('hubspot_id', 'seq'),
        sa.UniqueConstraint('key'),
    )
    with op.batch_alter_table('follow_ups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_follow_ups_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_follow_ups_status'), ['status'], unique=False)
    op.create_table(
        'routing_positions',
        sa.Column('pool', sa.String(length=200), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('updated_at', syncd.store.types.UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('pool'),
    )


def downgrade() -> None:
    op.drop_table('routing_positions')
    op.drop_table('follow_ups')
