"""sf_people: the local mirror of Salesforce Leads and Contacts

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

import syncd.store.types

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'sf_people',
        sa.Column('sf_id', sa.String(length=18), nullable=False),
        sa.Column('sf_object', sa.String(length=40), nullable=False),
        sa.Column('fields', sa.JSON(), nullable=False),
        sa.Column('email_key', sa.String(length=320), nullable=True),
        sa.Column('external_id', sa.String(length=40), nullable=True),
        sa.Column('converted_contact_id', sa.String(length=18), nullable=True),
        sa.Column('modstamp', syncd.store.types.UtcDateTime(), nullable=True),
        sa.Column('deleted', sa.Boolean(), nullable=False),
        sa.Column('updated_at', syncd.store.types.UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('sf_id'),
    )
    with op.batch_alter_table('sf_people', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sf_people_email_key'), ['email_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_sf_people_external_id'), ['external_id'], unique=False)


def downgrade() -> None:
    op.drop_table('sf_people')
