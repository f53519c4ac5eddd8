"""Initial schema: documents, items, history, and full-text search.

Revision ID: 0001
Revises:
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_SQLITE_FTS = [
    "CREATE VIRTUAL TABLE documents_fts USING fts5(title, text, content='documents', content_rowid='id')",
    "CREATE TRIGGER documents_ai AFTER INSERT ON documents BEGIN "
    "INSERT INTO documents_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END",
    "CREATE TRIGGER documents_ad AFTER DELETE ON documents BEGIN "
    "INSERT INTO documents_fts(documents_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text); END",
    "CREATE TRIGGER documents_au AFTER UPDATE ON documents BEGIN "
    "INSERT INTO documents_fts(documents_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text); "
    "INSERT INTO documents_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END",
    "CREATE VIRTUAL TABLE items_fts USING fts5(name, text, content='items', content_rowid='id')",
    "CREATE TRIGGER items_ai AFTER INSERT ON items BEGIN "
    "INSERT INTO items_fts(rowid, name, text) VALUES (new.id, new.name, new.text); END",
    "CREATE TRIGGER items_ad AFTER DELETE ON items BEGIN "
    "INSERT INTO items_fts(items_fts, rowid, name, text) VALUES ('delete', old.id, old.name, old.text); END",
]

_PG_FTS = [
    "CREATE INDEX documents_tsv ON documents USING gin "
    "(to_tsvector('english', coalesce(title, '') || ' ' || text))",
    "CREATE INDEX items_tsv ON items USING gin (to_tsvector('english', name || ' ' || text))",
]


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("source", sa.String(1024), nullable=False, unique=True),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("format", sa.String(32), nullable=False),
        sa.Column("title", sa.Text),
        sa.Column("modified", sa.Date),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("substance", sa.String(200), index=True),
        sa.Column("has_references", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("n_items", sa.Integer, nullable=False, server_default="0"),
        sa.Column("ingested_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "items",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("document_id", sa.Integer, sa.ForeignKey("documents.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("category", sa.String(32), nullable=False),
        sa.Column("substance", sa.String(200), index=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("stance", sa.String(64)),
        sa.Column("evidence", sa.String(64)),
        sa.Column("key", sa.Text, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("payload", sa.JSON, nullable=False),
        sa.Column("span_start", sa.Integer, nullable=False),
        sa.Column("span_end", sa.Integer, nullable=False),
    )
    op.create_table(
        "history",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("source", sa.String(1024), nullable=False, index=True),
        sa.Column("item_key", sa.Text, nullable=False),
        sa.Column("change", sa.String(16), nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
    )
    dialect = op.get_bind().dialect.name
    for statement in _SQLITE_FTS if dialect == "sqlite" else _PG_FTS if dialect == "postgresql" else []:
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TABLE IF EXISTS items_fts")
        op.execute("DROP TABLE IF EXISTS documents_fts")
    op.drop_table("history")
    op.drop_table("items")
    op.drop_table("documents")
