"""The state store's tables (SQLAlchemy Core). Migrations in ``migrations/`` create them."""

from __future__ import annotations

from sqlalchemy import JSON, BigInteger, Boolean, Column, Index, Integer, MetaData, String, Table, Text

from syncd.store.types import UtcDateTime

__all__ = ["metadata"]

metadata = MetaData()

cursors = Table(
    "cursors", metadata,
    Column("stream", String(200), primary_key=True),
    Column("value", JSON, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)

# Local snapshot of each HubSpot contact as last pulled; ``pending`` = still to sync.
contacts = Table(
    "contacts", metadata,
    Column("hubspot_id", String(40), primary_key=True),
    Column("properties", JSON, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("archived", Boolean, nullable=False, default=False),
    Column("merged_into", String(40)),
    Column("pending", Boolean, nullable=False, default=True),
    Column("pulled_at", UtcDateTime, nullable=False),
    # the primary e-mail, stripped and lower case: e-mail feeds find a recipient's contact here
    Column("email_key", String(320), index=True),
    # the pending set in id order: a chunk's page of it is read without a sort
    Index("ix_contacts_pending", "pending", "hubspot_id"),
)

engagement = Table(
    "engagement", metadata,
    Column("id", String(200), primary_key=True),
    Column("contact_id", String(40), nullable=False, index=True),
    Column("kind", String(40), nullable=False),
    Column("occurred_at", UtcDateTime, nullable=False),
    Column("attributes", JSON, nullable=False),
)

id_map = Table(
    "id_map", metadata,
    Column("hubspot_id", String(40), primary_key=True),
    Column("sf_object", String(40), nullable=False),
    Column("sf_id", String(18), nullable=False, index=True),
    Column("matched_by", String(40), nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)

id_map_history = Table(
    "id_map_history", metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("hubspot_id", String(40), nullable=False, index=True),
    Column("event", String(40), nullable=False),
    Column("detail", JSON, nullable=False),
    Column("at", UtcDateTime, nullable=False),
)

# What syncd last wrote per record: a hash of the desired fields and the values themselves.
record_state = Table(
    "record_state", metadata,
    Column("hubspot_id", String(40), primary_key=True),
    Column("sf_object", String(40), nullable=False),
    Column("sf_id", String(18)),
    Column("hash", String(64), nullable=False),
    Column("fields", JSON, nullable=False),
    Column("written_at", UtcDateTime, nullable=False),
)

lifecycle = Table(
    "lifecycle", metadata,
    Column("hubspot_id", String(40), primary_key=True),
    Column("stage", String(60), nullable=False),
    Column("state", JSON, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    # Decay or an intent lapse can change a stage without new activity: re-score then.
    Column("next_review_at", UtcDateTime, index=True),
)

stage_history = Table(
    "stage_history", metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("hubspot_id", String(40), nullable=False, index=True),
    Column("from_stage", String(60)),
    Column("to_stage", String(60), nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("rule", String(120), nullable=False),
    Column("reason", Text, nullable=False),
    Column("evidence", JSON, nullable=False),
    Column("run_id", String(40)),
)

review_queue = Table(
    "review_queue", metadata,
    Column("hubspot_id", String(40), primary_key=True),
    Column("reason", Text, nullable=False),
    Column("candidates", JSON, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
)

rejects = Table(
    "rejects", metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("run_id", String(40), nullable=False, index=True),
    Column("hubspot_id", String(40)),
    Column("sf_object", String(40)),
    Column("code", String(80), nullable=False),
    Column("message", Text, nullable=False),
    Column("at", UtcDateTime, nullable=False),
)

runs = Table(
    "runs", metadata,
    Column("run_id", String(40), primary_key=True),
    Column("started_at", UtcDateTime, nullable=False),
    Column("finished_at", UtcDateTime),
    Column("status", String(20), nullable=False),
    Column("summary", JSON, nullable=False),
    Column("error", Text),
)

# Local mirror of Salesforce people (Leads and Contacts), kept current by SystemModstamp.
sf_people = Table(
    "sf_people", metadata,
    Column("sf_id", String(18), primary_key=True),
    Column("sf_object", String(40), nullable=False),
    Column("fields", JSON, nullable=False),
    Column("email_key", String(320), index=True),
    Column("external_id", String(40), index=True),
    Column("converted_contact_id", String(18)),
    Column("modstamp", UtcDateTime),
    Column("deleted", Boolean, nullable=False, default=False),
    Column("updated_at", UtcDateTime, nullable=False),
)

# What syncd last wrote to each HubSpot contact (write-back properties, two_way fields).
hubspot_written = Table(
    "hubspot_written", metadata,
    Column("hubspot_id", String(40), primary_key=True),
    Column("properties", JSON, nullable=False),
    Column("written_at", UtcDateTime, nullable=False),
)

# HubSpot writes planned by the chunks, sent in full batches when the cycle's chunks are
# done; a row leaves once HubSpot took (or refused) it.
hubspot_outbox = Table(
    "hubspot_outbox", metadata,
    Column("hubspot_id", String(40), primary_key=True),
    Column("properties", JSON, nullable=False),
    Column("clear_first", JSON, nullable=False),
    Column("needs_clear", Boolean, nullable=False),
    Column("old", JSON, nullable=False),
    Column("why", JSON, nullable=False),
    Column("queued_at", UtcDateTime, nullable=False),
    Index("ix_hubspot_outbox_needs_clear", "needs_clear", "hubspot_id"),  # each part in id order
)

# Follow-ups under the SLA: one row per crossing of the trigger (seq counts them per person).
follow_ups = Table(
    "follow_ups", metadata,
    Column("hubspot_id", String(40), primary_key=True),
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("key", String(80), nullable=False, unique=True),
    Column("owner_id", String(18), nullable=False, index=True),
    Column("rule", String(120), nullable=False),
    Column("reason", Text, nullable=False),
    Column("crossing", String(200), nullable=False),
    Column("started_at", UtcDateTime, nullable=False),
    Column("due_at", UtcDateTime, nullable=False),
    Column("sf_id", String(18)),
    Column("task_id", String(18)),
    Column("status", String(20), nullable=False, index=True),
    Column("touched_at", UtcDateTime),
    Column("breached_at", UtcDateTime),
)

# What a chunk is about to write per person, kept before it writes and forgotten when a
# chunk with that person is committed (``syncd.sync.inflight``).
writes_in_flight = Table(
    "writes_in_flight", metadata,
    Column("hubspot_id", String(40), primary_key=True),
    Column("writes", JSON, nullable=False),
    Column("run_id", String(40), nullable=False),
    Column("started_at", UtcDateTime, nullable=False),
)

routing_positions = Table(
    "routing_positions", metadata,
    Column("pool", String(200), primary_key=True),
    Column("position", Integer, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)

# One row per guarded name: who writes to this store, until when, and the fencing epoch
# (bumped on every takeover). See ``syncd.store.lease``.
leases = Table(
    "leases", metadata,
    Column("name", String(60), primary_key=True),
    Column("token", String(40)),
    Column("pid", Integer),
    Column("host", String(255)),
    Column("since", String(40)),
    Column("epoch", BigInteger, nullable=False, default=0),
    Column("acquired_at", UtcDateTime),
    Column("renewed_at", UtcDateTime),
    Column("expires_at", UtcDateTime, nullable=False),
)

# Offline files imported (by content hash: the same bytes again change nothing).
offline_files = Table(
    "offline_files", metadata,
    Column("content_hash", String(64), primary_key=True),
    Column("name", String(400), nullable=False),
    Column("source", String(200)),
    Column("counts", JSON, nullable=False),
    Column("imported_at", UtcDateTime, nullable=False),
)

# Every record of an imported file: its outcome, the decision and the person it reached.
offline_rows = Table(
    "offline_rows", metadata,
    Column("content_hash", String(64), primary_key=True),
    Column("line", Integer, primary_key=True, autoincrement=False),
    Column("outcome", String(20), nullable=False),
    Column("status", String(20), nullable=False, index=True),
    Column("hubspot_id", String(40), index=True),
    Column("target", String(40)),
    Column("reason", Text, nullable=False),
    Column("fields", JSON, nullable=False),
)

# Decisions taken on review items: the same pair is never asked again.
review_decisions = Table(
    "review_decisions", metadata,
    Column("subject", String(40), primary_key=True),
    Column("candidates", String(400), primary_key=True),
    Column("decision", String(20), nullable=False),
    Column("target", String(40)),
    Column("decided_at", UtcDateTime, nullable=False),
)
