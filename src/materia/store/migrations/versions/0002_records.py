"""Records: a file may hold many documents (one per review row, PubTator abstract, openFDA label).

documents gets `record` ('' for a one-document file, so the pair below is unique on every
database: NULLs never collide) and `text_offset` (where the record's text starts in the
file's text); uniqueness moves from `source` to (`source`, `record`). history gets `record`.
SQLite cannot drop a column's UNIQUE, so its documents table is rebuilt (the store runs
migrations with foreign keys off, so items survive the rebuild) and its FTS triggers remade.

Revision ID: 0002
Revises: 0001
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_COLUMNS = ("id, source, sha256, kind, format, title, modified, text, substance, has_references, n_items, "
            "ingested_at")

_SQLITE_DOCUMENTS = """
CREATE TABLE documents_new (
    id INTEGER NOT NULL PRIMARY KEY,
    source VARCHAR(1024) NOT NULL,
    record VARCHAR(200) NOT NULL DEFAULT '',
    text_offset INTEGER NOT NULL DEFAULT 0,
    sha256 VARCHAR(64) NOT NULL,
    kind VARCHAR(32) NOT NULL,
    format VARCHAR(32) NOT NULL,
    title TEXT,
    modified DATE,
    text TEXT NOT NULL,
    substance VARCHAR(200),
    has_references BOOLEAN NOT NULL DEFAULT 0,
    n_items INTEGER NOT NULL DEFAULT 0,
    ingested_at DATETIME NOT NULL,
    CONSTRAINT uq_documents_source_record UNIQUE (source, record)
)"""

_SQLITE_TRIGGERS = [
    "CREATE TRIGGER documents_ai AFTER INSERT ON documents BEGIN "
    "INSERT INTO documents_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END",
    "CREATE TRIGGER documents_ad AFTER DELETE ON documents BEGIN "
    "INSERT INTO documents_fts(documents_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text); END",
    "CREATE TRIGGER documents_au AFTER UPDATE ON documents BEGIN "
    "INSERT INTO documents_fts(documents_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text); "
    "INSERT INTO documents_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END",
]


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        op.execute(_SQLITE_DOCUMENTS)
        op.execute(f"INSERT INTO documents_new ({_COLUMNS}) SELECT {_COLUMNS} FROM documents")
        op.execute("DROP TABLE documents")  # drops its triggers too; the FTS index keeps its rows
        op.execute("ALTER TABLE documents_new RENAME TO documents")
        op.execute("CREATE INDEX ix_documents_substance ON documents (substance)")
        for trigger in _SQLITE_TRIGGERS:
            op.execute(trigger)
    else:
        op.add_column("documents", sa.Column("record", sa.String(200), nullable=False, server_default=""))
        op.add_column("documents", sa.Column("text_offset", sa.Integer, nullable=False, server_default="0"))
        for unique in sa.inspect(bind).get_unique_constraints("documents"):
            if unique["column_names"] == ["source"] and unique["name"]:
                op.drop_constraint(unique["name"], "documents", type_="unique")
        op.create_unique_constraint("uq_documents_source_record", "documents", ["source", "record"])
    op.add_column("history", sa.Column("record", sa.String(200), nullable=False, server_default=""))


def downgrade() -> None:
    raise NotImplementedError("records cannot be folded back into one document per file")
