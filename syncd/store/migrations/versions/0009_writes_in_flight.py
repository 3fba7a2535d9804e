"""writes_in_flight: what a chunk is about to write, kept until the chunk is committed

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

import syncd.store.types

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'writes_in_flight',
        sa.Column('hubspot_id', sa.String(length=40), nullable=False),
        sa.Column('writes', sa.JSON(), nullable=False),
        sa.Column('run_id', sa.String(length=40), nullable=False),
        sa.Column('started_at', syncd.store.types.UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('hubspot_id'),
    )


def downgrade() -> None:
    op.drop_table('writes_in_flight')
