"""Item values in the history: value edits are changes, and removed documents stay listed.

items gets `digest` — SHA-256 of the item's payload without its offsets — so an item is known by
category|name|stance and its values; existing items are backfilled from their stored payloads.
history gets what `materia history` prints without the document: `document_id`, `substance`
(indexed: a removed document's changes are still found by its substance), the `item` as stored
and, for a changed item, its values `before`. Old history rows keep only their item key.

Revision ID: 0004
Revises: 0003
"""
from __future__ import annotations

import hashlib
import json

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# Frozen copy of store.serialise.values_digest as of this revision (a migration must not change later):
# the span-typed fields of every item type in materia.types at this revision.
_OFFSET_FIELDS = frozenset({"span", "sentence", "body", "parts"})


def _digest(payload: dict[str, object]) -> str:
    meaningful = {k: v for k, v in payload.items() if k not in _OFFSET_FIELDS}
    blob = json.dumps(meaningful, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def upgrade() -> None:
    op.add_column("items", sa.Column("digest", sa.String(64)))
    op.add_column("history", sa.Column("document_id", sa.Integer))
    op.add_column("history", sa.Column("substance", sa.String(200)))
    op.add_column("history", sa.Column("item", sa.JSON))
    op.add_column("history", sa.Column("before", sa.JSON))
    op.create_index("ix_history_substance", "history", ["substance"])
    bind = op.get_bind()
    for item_id, payload in bind.execute(sa.text("SELECT id, payload FROM items")).all():
        values = json.loads(payload) if isinstance(payload, str) else payload
        bind.execute(sa.text("UPDATE items SET digest = :d WHERE id = :i"),
                     {"d": _digest(values if isinstance(values, dict) else {}), "i": item_id})
    # Old history rows: their document and substance, where that document is still stored.
    bind.execute(sa.text(
        "UPDATE history SET document_id = (SELECT d.id FROM documents d WHERE d.source = history.source "
        "AND d.record = history.record), substance = (SELECT d.substance FROM documents d "
        "WHERE d.source = history.source AND d.record = history.record)"))


def downgrade() -> None:
    op.drop_index("ix_history_substance", "history")
    for column in ("before", "item", "substance", "document_id"):
        op.drop_column("history", column)
    op.drop_column("items", "digest")
