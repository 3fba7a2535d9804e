"""hubspot_outbox: HubSpot writes waiting to be sent in full batches

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

import syncd.store.types

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'hubspot_outbox',
        sa.Column('hubspot_id', sa.String(length=40), nullable=False),
        sa.Column('properties', sa.JSON(), nullable=False),
        sa.Column('clear_first', sa.JSON(), nullable=False),
        sa.Column('needs_clear', sa.Boolean(), nullable=False),
        sa.Column('old', sa.JSON(), nullable=False),
        sa.Column('why', sa.JSON(), nullable=False),
        sa.Column('queued_at', syncd.store.types.UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('hubspot_id'),
    )
    op.create_index('ix_hubspot_outbox_needs_clear', 'hubspot_outbox', ['needs_clear'])


def downgrade() -> None:
    op.drop_index('ix_hubspot_outbox_needs_clear', table_name='hubspot_outbox')
    op.drop_table('hubspot_outbox')
