"""Summaries and search: per-substance summaries kept at ingest, a stored search vector, stemmed FTS5.

- `substance_generations`: per substance a counter every write touching its documents moves (in the
  writer's transaction), so a summary built from older data is known to be stale. Backfilled with 1
  for every stored substance.
- `summaries`: opaque parts (`part`, bytes) per substance that the knowledge layer computes, each with
  the generation and the `format` (a hash of the code that computed it) it was built from. Existing
  knowledge bases start with none: each is built on first read or by the next ingest.
- `substance_aliases`: other names of a stored substance (brands, synonyms, product titles), written
  with its summaries, so a name resolves with one indexed lookup.
- `ix_items_statement`: items by substance, category and name, to count the sources of one statement.
- PostgreSQL: `search_vector`, a stored generated tsvector on statements (name weighted A, text B; NULL
  for posts and references, which are searched as documents) and on
  documents (title A, text B) with GIN indexes, replacing the expression indexes of 0001 (whose
  ts_rank recomputed the vector of every matching row). Generated, so writers never fill it in.
- SQLite: items_fts and documents_fts rebuilt with the Porter stemmer ("headaches" finds "headache",
  as PostgreSQL's english configuration does); items_fts holds statements only (its triggers skip
  posts and references) and gains an update trigger.

Revision ID: 0005
Revises: 0004
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_TOKENIZE = "tokenize='porter unicode61 remove_diacritics 2'"
_SEARCHED = "NOT IN ('post', 'reference')"  # statements; posts and references are searched as documents

_SQLITE_FTS = [
    "DROP TRIGGER IF EXISTS documents_ai", "DROP TRIGGER IF EXISTS documents_ad", "DROP TRIGGER IF EXISTS documents_au",
    "DROP TRIGGER IF EXISTS items_ai", "DROP TRIGGER IF EXISTS items_ad", "DROP TRIGGER IF EXISTS items_au",
    "DROP TABLE IF EXISTS documents_fts", "DROP TABLE IF EXISTS items_fts",
    f"CREATE VIRTUAL TABLE documents_fts USING fts5(title, text, content='documents', content_rowid='id', {_TOKENIZE})",
    "CREATE TRIGGER documents_ai AFTER INSERT ON documents BEGIN "
    "INSERT INTO documents_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END",
    "CREATE TRIGGER documents_ad AFTER DELETE ON documents BEGIN "
    "INSERT INTO documents_fts(documents_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text); END",
    "CREATE TRIGGER documents_au AFTER UPDATE ON documents BEGIN "
    "INSERT INTO documents_fts(documents_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text); "
    "INSERT INTO documents_fts(rowid, title, text) VALUES (new.id, new.title, new.text); END",
    f"CREATE VIRTUAL TABLE items_fts USING fts5(name, text, content='items', content_rowid='id', {_TOKENIZE})",
    f"CREATE TRIGGER items_ai AFTER INSERT ON items WHEN new.category {_SEARCHED} BEGIN "
    "INSERT INTO items_fts(rowid, name, text) VALUES (new.id, new.name, new.text); END",
    f"CREATE TRIGGER items_ad AFTER DELETE ON items WHEN old.category {_SEARCHED} BEGIN "
    "INSERT INTO items_fts(items_fts, rowid, name, text) VALUES ('delete', old.id, old.name, old.text); END",
    f"CREATE TRIGGER items_au AFTER UPDATE OF category, name, text ON items BEGIN "
    f"INSERT INTO items_fts(items_fts, rowid, name, text) SELECT 'delete', old.id, old.name, old.text "
    f"WHERE old.category {_SEARCHED}; "
    f"INSERT INTO items_fts(rowid, name, text) SELECT new.id, new.name, new.text WHERE new.category {_SEARCHED}; END",
    "INSERT INTO documents_fts(documents_fts) VALUES ('rebuild')",
    # not 'rebuild', which would index every row of items: the delete trigger only unindexes statements
    f"INSERT INTO items_fts(rowid, name, text) SELECT id, name, text FROM items WHERE category {_SEARCHED}",
]

_PG_SEARCH = [
    "DROP INDEX IF EXISTS items_tsv",
    "DROP INDEX IF EXISTS documents_tsv",
    "ALTER TABLE items ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
    f"CASE WHEN category {_SEARCHED} THEN "
    "setweight(to_tsvector('english', coalesce(name, '')), 'A') || "
    "setweight(to_tsvector('english', coalesce(text, '')), 'B') END) STORED",
    "ALTER TABLE documents ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('english', coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('english', coalesce(text, '')), 'B')) STORED",
    "CREATE INDEX ix_items_search ON items USING gin (search_vector)",
    "CREATE INDEX ix_documents_search ON documents USING gin (search_vector)",
]


def upgrade() -> None:
    op.create_table(
        "substance_generations",
        sa.Column("substance", sa.String(200), primary_key=True),
        sa.Column("generation", sa.Integer, nullable=False, server_default="1"),
    )
    op.create_table(
        "summaries",
        sa.Column("substance", sa.String(200), primary_key=True),
        sa.Column("part", sa.String(64), primary_key=True),
        sa.Column("generation", sa.Integer, nullable=False),
        sa.Column("format", sa.String(64), nullable=False),
        sa.Column("body", sa.LargeBinary, nullable=False),
        sa.Column("built_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "substance_aliases",
        sa.Column("alias", sa.String(200), primary_key=True),
        sa.Column("substance", sa.String(200), primary_key=True),
    )
    op.execute("INSERT INTO substance_generations (substance, generation) "
               "SELECT DISTINCT substance, 1 FROM documents WHERE substance IS NOT NULL")
    op.execute("CREATE INDEX ix_items_statement ON items (substance, category, substr(name, 1, 200))")
    dialect = op.get_bind().dialect.name
    for statement in _SQLITE_FTS if dialect == "sqlite" else _PG_SEARCH if dialect == "postgresql" else []:
        op.execute(statement)


def downgrade() -> None:
    raise NotImplementedError("0005 is not reversible: the stemmed FTS and search vectors replace the old indexes")
