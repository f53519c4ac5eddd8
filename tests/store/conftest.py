from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest

PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def _pg_schema_url(base: str) -> Iterator[str]:
    """A fresh schema per test, so parallel runs never see each other's tables."""
    import sqlalchemy as sa  # tests may import SQLAlchemy; the package keeps it in store/

    schema = f"materia_test_{uuid.uuid4().hex[:12]}"
    engine = sa.create_engine(base)
    try:
        with engine.begin() as conn:
            conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
    except sa.exc.OperationalError as exc:
        engine.dispose()
        if os.environ.get("MATERIA_REQUIRE_PG") == "1":
            pytest.fail(f"PostgreSQL at {base} is unreachable: {exc.__class__.__name__}")
        pytest.skip(f"PostgreSQL at {base} is unreachable")
    sep = "&" if "?" in base else "?"
    try:
        yield f"{base}{sep}options=-csearch_path%3D{schema}"
    finally:
        with engine.begin() as conn:
            conn.execute(sa.text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    """The knowledge base URL: an SQLite file, or a fresh schema on the test PostgreSQL server."""
    if request.param == "sqlite":
        yield str(tmp_path / "kb" / "materia.sqlite")
        return
    base = os.environ.get("MATERIA_TEST_PG")
    if not base:
        if os.environ.get("MATERIA_REQUIRE_PG") == "1":
            pytest.fail("MATERIA_REQUIRE_PG=1 but MATERIA_TEST_PG is not set")
        base = PG_DEFAULT
    yield from _pg_schema_url(base)


@pytest.fixture
def store(db_url: str):
    from materia.store import connect

    s = connect(db_url)
    yield s
    s.close()
