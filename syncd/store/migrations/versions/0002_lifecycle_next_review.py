"""lifecycle.next_review_at: when a contact must be re-scored even without new activity

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

import syncd.store.types

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('lifecycle', schema=None) as batch_op:
        batch_op.add_column(sa.Column('next_review_at', syncd.store.types.UtcDateTime(), nullable=True))
        batch_op.create_index(batch_op.f('ix_lifecycle_next_review_at'), ['next_review_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('lifecycle', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_lifecycle_next_review_at'))
        batch_op.drop_column('next_review_at')
