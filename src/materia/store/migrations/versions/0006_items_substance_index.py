"""Items: one index on substance, not two.

`ix_items_statement` (0005: substance, category, name) serves every lookup by substance alone as well,
so `ix_items_substance` (0001) only cost its upkeep: an entry written for every item stored, about a
twentieth of what SQLite spent storing 6,447 monographs. Dropped.

Revision ID: 0006
Revises: 0005
"""
from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_items_substance", table_name="items")


def downgrade() -> None:
    op.create_index("ix_items_substance", "items", ["substance"])
