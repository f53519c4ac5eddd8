"""SQL text on a connection of any kind: what the store's reads and searches are written against.

A `Connection` runs SQL text with `:named` parameters and hands back rows of the driver's own values.
There are two: SQLAlchemy's (store/db.py's `EngineConnection`, any database) and the standard library's
sqlite3 (`SqliteConnection`, which needs no SQLAlchemy). Both give the raw values the driver reads, so the
values a column type decodes (JSON, dates) are decoded here, once, for either: SQLite hands them back as
text, PostgreSQL's driver already decoded.
"""
from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any, Protocol

Row = tuple[Any, ...]


class Connection(Protocol):
    """One open connection (inside its transaction) that reads run on."""

    @property
    def dialect(self) -> str:
        """"sqlite" or "postgresql" (as SQLAlchemy names them): the SQL of some reads differs."""

    @property
    def driver(self) -> Any:
        """The DB-API connection underneath (a query's time limit is set on it)."""

    def rows(self, sql: str, params: Mapping[str, Any] | None = None) -> list[Row]:
        """The rows a query returns."""

    def execute(self, sql: str, params: Mapping[str, Any] | None = None) -> None:
        """Run a statement that returns no rows."""


class SqliteConnection:
    """A Connection over a stdlib sqlite3 connection."""

    dialect = "sqlite"

    def __init__(self, driver: sqlite3.Connection) -> None:
        self.driver = driver

    def rows(self, sql: str, params: Mapping[str, Any] | None = None) -> list[Row]:
        return self.driver.execute(sql, params or {}).fetchall()

    def execute(self, sql: str, params: Mapping[str, Any] | None = None) -> None:
        self.driver.execute(sql, params or {})


def in_list(name: str, values: Iterable[Any]) -> tuple[str, dict[str, Any]]:
    """`(:name_0, :name_1, ...)` and its parameters, for `column IN ...` (`(NULL)`, which nothing is in,
    for no values)."""
    params = {f"{name}_{n}": v for n, v in enumerate(values)}
    return "(" + (", ".join(f":{p}" for p in params) or "NULL") + ")", params


# the C scanner json.loads ends in, without its two frames and two regexes
_SCAN = json.JSONDecoder().scan_once  # type: ignore[attr-defined]


def json_loads(data: str | bytes) -> Any:
    """`json.loads(data)`, sooner for JSON text as the store writes it (no whitespace around the value), which is
    scanned directly: a summary reads tens of thousands of payloads, and json.loads's own frames were most of what
    decoding one cost. Anything else (whitespace, extra data) goes through json.loads, which decodes it or says
    what is wrong, as ever. PostgreSQL's driver decodes JSON columns with it (connect's json_deserializer)."""
    text = data.decode(json.detect_encoding(data), "surrogatepass") if isinstance(data, bytes | bytearray) else data
    try:
        value, end = _SCAN(text, 0)
    except StopIteration:
        return json.loads(data)
    return value if end == len(text) else json.loads(data)


def json_value(v: Any) -> Any:
    """A JSON column's value: SQLite keeps the text, PostgreSQL's driver decodes it."""
    return json_loads(v) if isinstance(v, str | bytes) else v


def datetime_value(v: str | datetime) -> datetime:
    """A DateTime column's value: SQLite keeps it as ISO text (as SQLAlchemy writes it)."""
    return datetime.fromisoformat(v) if isinstance(v, str) else v


def date_value(v: str | date) -> date:
    """A Date column's value: SQLite keeps it as ISO text."""
    return date.fromisoformat(v) if isinstance(v, str) else v
