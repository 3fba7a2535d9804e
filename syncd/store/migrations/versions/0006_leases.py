"""leases: the writer lease with a fencing epoch (one writer per state store)

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

import syncd.store.types

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'leases',
        sa.Column('name', sa.String(length=60), nullable=False),
        sa.Column('token', sa.String(length=40), nullable=True),
        sa.Column('pid', sa.Integer(), nullable=True),
        sa.Column('host', sa.String(length=255), nullable=True),
        sa.Column('since', sa.String(length=40), nullable=True),
        sa.Column('epoch', sa.BigInteger(), nullable=False),
        sa.Column('acquired_at', syncd.store.types.UtcDateTime(), nullable=True),
        sa.Column('renewed_at', syncd.store.types.UtcDateTime(), nullable=True),
        sa.Column('expires_at', syncd.store.types.UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('name'),
    )


def downgrade() -> None:
    op.drop_table('leases')
