"""the sets read page by page, in id order: the index of the pending contacts and the index
of the HubSpot writes that need their clear request also hold the id, so each page
(``hubspot_id > after ORDER BY hubspot_id LIMIT n``) is read in index order instead of
sorting the whole set for every page

Revision ID: 0011
Revises: 0010
"""

from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

_INDEXES = (("contacts", "ix_contacts_pending", "pending"),
            ("hubspot_outbox", "ix_hubspot_outbox_needs_clear", "needs_clear"))


def upgrade() -> None:
    for table, name, column in _INDEXES:
        op.drop_index(name, table_name=table)
        op.create_index(name, table, [column, 'hubspot_id'], unique=False)


def downgrade() -> None:
    for table, name, column in _INDEXES:
        op.drop_index(name, table_name=table)
        op.create_index(name, table, [column], unique=False)
