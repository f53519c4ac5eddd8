"""materia.settings: every setting has a default, an environment variable and help, and the README documents it."""
from __future__ import annotations

import re
from dataclasses import MISSING, fields
from pathlib import Path

import pytest

from materia.errors import ConfigError
from materia.settings import Settings

README = Path(__file__).resolve().parents[1] / "README.md"


def _readme_settings() -> dict[str, str]:
    """variable -> default, from the README's table under "## Settings"."""
    section = README.read_text(encoding="utf-8").split("## Settings", 1)[1].split("\n## ", 1)[0]
    return {m[1]: m[2].strip() for m in re.finditer(r"^\| `(MATERIA_\w+)` \| ([^|]+) \|", section, re.M)}


def test_settings_every_field_has_a_default_an_environment_variable_and_help() -> None:
    for f in fields(Settings):
        assert f.default is not MISSING or f.default_factory is not MISSING, f.name
        assert f.metadata["env"] == f"MATERIA_{f.name.upper()}", f.name
        assert f.metadata["help"].strip().endswith("."), f.name


def test_settings_every_setting_is_documented_in_the_readme() -> None:
    documented = _readme_settings()
    assert set(documented) == {f.metadata["env"] for f in fields(Settings)}
    for f in fields(Settings):
        if f.default is not MISSING:
            expected = f"{f.default:g}" if isinstance(f.default, float) else str(f.default)
            assert documented[f.metadata["env"]].strip("`") == expected, f.name


def test_settings_environment_then_overrides() -> None:
    s = Settings.from_env({"MATERIA_DB": "/tmp/a.sqlite", "MATERIA_SEARCH_SECONDS": "2", "MATERIA_PAGE_SIZE": ""},
                          page_size=7, db=None)
    assert (s.db, s.search_seconds, s.page_size) == ("/tmp/a.sqlite", 2.0, 7)
    assert Settings.from_env({"MATERIA_MAX_FILE_MB": "1"}).max_file_bytes == 1024 * 1024
    assert Settings.from_env({"MATERIA_ALLOWED_HOSTS": " a.org, ,b.org "}).host_names == ["a.org", "b.org"]
    assert Settings.from_env({"MATERIA_ALLOWED_HOSTS": ","}).host_names == ["*"]


@pytest.mark.parametrize("raw", ["0", "-1", "nan", "inf", "lots"])
def test_settings_numbers_must_be_finite_and_positive(raw: str) -> None:
    with pytest.raises(ConfigError, match="MATERIA_MAX_FILE_MB"):
        Settings.from_env({"MATERIA_MAX_FILE_MB": raw})
