"""contacts.email_key: each contact's primary e-mail, lower case and indexed, so e-mail feeds
find the contact of a recipient in the store instead of asking HubSpot

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('contacts') as batch:
        batch.add_column(sa.Column('email_key', sa.String(length=320), nullable=True))
    op.create_index(op.f('ix_contacts_email_key'), 'contacts', ['email_key'], unique=False)
    email = ("json_extract(properties, '$.email')" if op.get_bind().dialect.name == "sqlite"
             else "properties ->> 'email'")
    op.execute(f"UPDATE contacts SET email_key = NULLIF(lower(trim({email})), '') "
               "WHERE archived = false")


def downgrade() -> None:
    op.drop_index(op.f('ix_contacts_email_key'), table_name='contacts')
    with op.batch_alter_table('contacts') as batch:
        batch.drop_column('email_key')
