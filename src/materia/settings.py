"""One Settings object, built at start-up (never at import time).

Every field has a default, an environment variable and a line of help;
tests/test_settings.py checks that each is documented in the README.
"""
from __future__ import annotations

import math
import os
from dataclasses import dataclass, field, fields
from pathlib import Path

import platformdirs

from materia.errors import ConfigError


def _default_db() -> str:
    return str(Path(platformdirs.user_data_dir("materia")) / "materia.sqlite")


def _default_cache_dir() -> str:
    return platformdirs.user_cache_dir("materia")


@dataclass(frozen=True)
class Settings:
    db: str = field(default_factory=_default_db, metadata={
        "env": "MATERIA_DB",
        "help": "Knowledge base: an SQLite file path or an SQLAlchemy URL (postgresql+psycopg://...).",
    })
    max_file_mb: float = field(default=64.0, metadata={
        "env": "MATERIA_MAX_FILE_MB",
        "help": "Files larger than this many MiB are refused unread, to keep memory bounded.",
    })
    max_query_chars: int = field(default=200, metadata={
        "env": "MATERIA_MAX_QUERY_CHARS",
        "help": "Longest search query the web site and API accept.",
    })
    page_size: int = field(default=50, metadata={
        "env": "MATERIA_PAGE_SIZE",
        "help": "Most rows one API or search page returns.",
    })
    allowed_hosts: str = field(default="*", metadata={
        "env": "MATERIA_ALLOWED_HOSTS",
        "help": "Host names the web site answers to, comma-separated (\"*\": any; redirects never name the host).",
    })

    @property
    def host_names(self) -> list[str]:
        return [h.strip() for h in self.allowed_hosts.split(",") if h.strip()] or ["*"]
    search_seconds: float = field(default=1.5, metadata={
        "env": "MATERIA_SEARCH_SECONDS",
        "help": "Time limit of one search on the web site and API; past it the answer is partial and says so.",
    })
    cache_dir: str = field(default_factory=_default_cache_dir, metadata={
        "env": "MATERIA_CACHE_DIR",
        "help": "Where compiled vocabularies are kept (a folder that cannot be written: they are built in every run).",
    })

    @property
    def max_file_bytes(self) -> int:
        return int(self.max_file_mb * 1024 * 1024)

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides: object) -> Settings:
        """Defaults, then environment variables, then explicit overrides (CLI flags)."""
        environ = dict(os.environ if environ is None else environ)
        values: dict[str, object] = {}
        for f in fields(cls):
            env = f.metadata["env"]
            if env in environ and environ[env] != "":
                kind = type(f.default) if f.default is not field and not callable(f.default_factory) else str
                values[f.name] = _parse(env, environ[env], kind)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]


def _parse(env: str, raw: str, kind: type) -> object:
    """A setting's value from its environment variable; numbers must be finite and positive."""
    if kind is str:
        return raw
    try:
        value = kind(raw.strip())
    except ValueError:
        raise ConfigError(f"{env}={raw!r}: not {'a whole number' if kind is int else 'a number'}") from None
    if not math.isfinite(value) or value <= 0:
        raise ConfigError(f"{env}={raw!r}: must be a number above 0")
    return value
