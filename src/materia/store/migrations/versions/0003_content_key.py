"""Content keys: one source, however many files (locations) hold it.

documents gets `content_key` — "label:<set id>:<version>" for a label, else "text:" + SHA-256
of its normalised text — indexed, so the knowledge layer counts sources, not copies. Existing
rows get the text key (their set ids were never stored; re-ingesting a changed label sets it).

Revision ID: 0003
Revises: 0002
"""
from __future__ import annotations

import hashlib

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _text_key(text: str) -> str:
    # frozen copy of store.serialise.normalised_text_key as of this revision (a migration must not change later)
    return "text:" + hashlib.sha256(" ".join(text.casefold().split()).encode("utf-8")).hexdigest()


def upgrade() -> None:
    op.add_column("documents", sa.Column("content_key", sa.String(120)))
    op.create_index("ix_documents_content_key", "documents", ["content_key"])
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT id, text FROM documents")).all()
    for doc_id, text in rows:
        bind.execute(sa.text("UPDATE documents SET content_key = :k WHERE id = :i"),
                     {"k": _text_key(text), "i": doc_id})


def downgrade() -> None:
    op.drop_index("ix_documents_content_key", "documents")
    op.drop_column("documents", "content_key")
