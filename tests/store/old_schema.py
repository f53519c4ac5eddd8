"""A knowledge base as an older materia left it, for the migration tests."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from materia.store.db import MIGRATIONS


@contextmanager
def at_revision(db_url: str, revision: str) -> Iterator[sa.Connection]:
    """The database at `db_url` migrated up to `revision` only: a connection, in a transaction that commits on
    leaving, to fill it as that version of materia would have."""
    if "://" not in db_url:
        Path(db_url).parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(db_url if "://" in db_url else f"sqlite:///{db_url}")
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    try:
        with engine.begin() as conn:
            config.attributes["connection"] = conn
            command.upgrade(config, revision)
            yield conn
    finally:
        engine.dispose()
