"""hubspot_written: what syncd last wrote to each HubSpot contact

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

import syncd.store.types

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'hubspot_written',
        sa.Column('hubspot_id', sa.String(length=40), nullable=False),
        sa.Column('properties', sa.JSON(), nullable=False),
        sa.Column('written_at', syncd.store.types.UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('hubspot_id'),
    )


def downgrade() -> None:
    op.drop_table('hubspot_written')
