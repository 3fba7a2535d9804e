"""initial state store

Revision ID: 0001
Revises: 
"""

import sqlalchemy as sa
from alembic import op

import syncd.store.types

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('contacts',
    sa.Column('hubspot_id', sa.String(length=40), nullable=False),
    sa.Column('properties', sa.JSON(), nullable=False),
    sa.Column('updated_at', syncd.store.types.UtcDateTime(), nullable=False),
    sa.Column('archived', sa.Boolean(), nullable=False),
    sa.Column('merged_into', sa.String(length=40), nullable=True),
    sa.Column('pending', sa.Boolean(), nullable=False),
    sa.Column('pulled_at', syncd.store.types.UtcDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('hubspot_id')
    )
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contacts_pending'), ['pending'], unique=False)

    op.create_table('cursors',
    sa.Column('stream', sa.String(length=200), nullable=False),
    sa.Column('value', sa.JSON(), nullable=False),
    sa.Column('updated_at', syncd.store.types.UtcDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('stream')
    )
    op.create_table('engagement',
    sa.Column('id', sa.String(length=200), nullable=False),
    sa.Column('contact_id', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('occurred_at', syncd.store.types.UtcDateTime(), nullable=False),
    sa.Column('attributes', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('engagement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_engagement_contact_id'), ['contact_id'], unique=False)

    op.create_table('id_map',
    sa.Column('hubspot_id', sa.String(length=40), nullable=False),
    sa.Column('sf_object', sa.String(length=40), nullable=False),
    sa.Column('sf_id', sa.String(length=18), nullable=False),
    sa.Column('matched_by', sa.String(length=40), nullable=False),
    sa.Column('updated_at', syncd.store.types.UtcDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('hubspot_id')
    )
    with op.batch_alter_table('id_map', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_id_map_sf_id'), ['sf_id'], unique=False)

    op.create_table('id_map_history',
    sa.Column('seq', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('hubspot_id', sa.String(length=40), nullable=False),
    sa.Column('event', sa.String(length=40), nullable=False),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.Column('at', syncd.store.types.UtcDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('seq')
    )
    with op.batch_alter_table('id_map_history', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_id_map_history_hubspot_id'), ['hubspot_id'], unique=False)

    op.create_table('lifecycle',
    sa.Column('hubspot_id', sa.String(length=40), nullable=False),
    sa.Column('stage', sa.String(length=60), nullable=False),
    sa.Column('state', sa.JSON(), nullable=False),
    sa.Column('updated_at', syncd.store.types.UtcDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('hubspot_id')
    )
    op.create_table('record_state',
    sa.Column('hubspot_id', sa.String(length=40), nullable=False),
    sa.Column('sf_object', sa.String(length=40), nullable=False),
    sa.Column('sf_id', sa.String(length=18), nullable=True),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.Column('fields', sa.JSON(), nullable=False),
    sa.Column('written_at', syncd.store.types.UtcDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('hubspot_id')
    )
    op.create_table('rejects',
    sa.Column('seq', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('run_id', sa.String(length=40), nullable=False),
    sa.Column('hubspot_id', sa.String(length=40), nullable=True),
    sa.Column('sf_object', sa.String(length=40), nullable=True),
    sa.Column('code', sa.String(length=80), nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('at', syncd.store.types.UtcDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('seq')
    )
    with op.batch_alter_table('rejects', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rejects_run_id'), ['run_id'], unique=False)

    op.create_table('review_queue',
    sa.Column('hubspot_id', sa.String(length=40), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('candidates', sa.JSON(), nullable=False),
    sa.Column('created_at', syncd.store.types.UtcDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('hubspot_id')
    )
    op.create_table('runs',
    sa.Column('run_id', sa.String(length=40), nullable=False),
    sa.Column('started_at', syncd.store.types.UtcDateTime(), nullable=False),
    sa.Column('finished_at', syncd.store.types.UtcDateTime(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('summary', sa.JSON(), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('run_id')
    )
    op.create_table('stage_history',
    sa.Column('seq', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('hubspot_id', sa.String(length=40), nullable=False),
    sa.Column('from_stage', sa.String(length=60), nullable=True),
    sa.Column('to_stage', sa.String(length=60), nullable=False),
    sa.Column('at', syncd.store.types.UtcDateTime(), nullable=False),
    sa.Column('rule', sa.String(length=120), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('evidence', sa.JSON(), nullable=False),
    sa.Column('run_id', sa.String(length=40), nullable=True),
    sa.PrimaryKeyConstraint('seq')
    )
    with op.batch_alter_table('stage_history', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stage_history_hubspot_id'), ['hubspot_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('stage_history', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stage_history_hubspot_id'))

    op.drop_table('stage_history')
    op.drop_table('runs')
    op.drop_table('review_queue')
    with op.batch_alter_table('rejects', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rejects_run_id'))

    op.drop_table('rejects')
    op.drop_table('record_state')
    op.drop_table('lifecycle')
    with op.batch_alter_table('id_map_history', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_id_map_history_hubspot_id'))

    op.drop_table('id_map_history')
    with op.batch_alter_table('id_map', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_id_map_sf_id'))

    op.drop_table('id_map')
    with op.batch_alter_table('engagement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_engagement_contact_id'))

    op.drop_table('engagement')
    op.drop_table('cursors')
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contacts_pending'))

    op.drop_table('contacts')
