"""The one reader of materia's data files: every file in lexicons/, registered, read as package data.

    read_text("stopwords.txt")                       the text of a registered file
    load_yaml("units.yaml")                          its YAML (a key twice in one mapping is refused)
    parse_yaml("units.yaml", text)                   the same for a text in hand (a test's, a candidate file's)
    load_mapping("effects_lay.yaml", keys, required) a top-level mapping, its keys checked
    load_tsv("lay_words.tsv", 2)                     rows of exactly 2 tab-separated cells
    tsv_rows("polarity_weights.tsv")                 (line number, cells), for files whose rows vary
    load_lines("stopwords.txt")                      one entry a line

TSV and text files skip blank lines and lines starting with `#` (their header comments). Files are
read through importlib.resources, never a path beside a module, so an installed wheel reads what a
checkout reads. SOURCES.yaml registers each file with where it comes from and its licence; a file it
does not register is refused, so nothing ships without a source. What a file holds beyond its shape
is checked by the module that reads it (`units.parse_units`, `cues._patterns`...). Every error is a
VocabularyError of one line, "<file>: <problem>".
"""
from __future__ import annotations

import functools
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

try:  # libyaml's parser, when PyYAML was built with it: the same values, parsed eight times faster
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover - a PyYAML without libyaml
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]

from materia.errors import VocabularyError

__all__ = ["REGISTER", "Source", "load_lines", "load_mapping", "load_tsv", "load_yaml", "parse_yaml", "read_text",
           "sources", "tsv_rows"]

PACKAGE = "materia.lexicons"
REGISTER = "SOURCES.yaml"
_ENTRY_KEYS = frozenset({"source", "licence"})


@dataclass(frozen=True, slots=True)
class Source:
    """Where one data file comes from and the licence it is used under."""

    name: str
    source: str
    licence: str


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())


class _StrictLoader(_SafeLoader):
    """A (C)SafeLoader that refuses a mapping with the same key twice (safe_load keeps the last silently)."""


def _unique_mapping(loader: _StrictLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r} (line {key_node.start_mark.line + 1})", key_node.start_mark)
        seen.add(key)
    return loader.construct_mapping(node)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _unique_mapping)


def parse_yaml(name: str, text: str) -> Any:
    """The YAML document of `text`, read as the file `name` would be (a key twice in one mapping refused)."""
    try:
        return yaml.load(text, Loader=_StrictLoader)  # a (C)SafeLoader subclass: plain data only
    except yaml.YAMLError as exc:
        problem = getattr(exc, "problem", None)
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None and "(line" not in str(problem) else ""
        raise VocabularyError(f"{name}: {problem or _one_line(exc)}{where}") from exc


def _resource(name: str) -> str:
    try:
        return resources.files(PACKAGE).joinpath(name).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:  # a packaging bug
        raise VocabularyError(f"{name}: cannot be read ({_one_line(exc)})") from exc


@functools.cache
def sources() -> dict[str, Source]:
    """File name -> its registered source and licence (SOURCES.yaml)."""
    data = parse_yaml(REGISTER, _resource(REGISTER))
    if not isinstance(data, dict) or set(data) != {"files"} or not isinstance(data["files"], dict):
        raise VocabularyError(f"{REGISTER}: the one top-level key is files, a mapping of file name -> entry")
    out: dict[str, Source] = {}
    for name, entry in data["files"].items():
        if not isinstance(entry, dict) or set(entry) != _ENTRY_KEYS:
            raise VocabularyError(f"{REGISTER}: {name}: needs exactly {sorted(_ENTRY_KEYS)}")
        if not all(isinstance(entry[k], str) and entry[k].strip() for k in _ENTRY_KEYS):
            raise VocabularyError(f"{REGISTER}: {name}: source and licence must be non-empty strings")
        out[str(name)] = Source(str(name), " ".join(entry["source"].split()), entry["licence"].strip())
    return out


def read_text(name: str) -> str:
    """The text of a registered data file; VocabularyError when it is not registered or cannot be read."""
    if name not in sources():
        raise VocabularyError(f"{name}: not registered in lexicons/{REGISTER} (every data file names its source "
                              "and licence there)")
    return _resource(name)


def load_yaml(name: str) -> Any:
    """The YAML document of a registered file, a key twice in one mapping refused."""
    return parse_yaml(name, read_text(name))


def load_mapping(name: str, keys: Collection[str], required: Collection[str] = ()) -> dict[str, Any]:
    """A registered YAML file whose top level is a mapping with keys among `keys`, `required` among them."""
    data = load_yaml(name)
    if not isinstance(data, dict):
        raise VocabularyError(f"{name}: expected a mapping at the top")
    unknown = set(data) - set(keys)
    if unknown:
        raise VocabularyError(f"{name}: unknown keys {sorted(map(str, unknown))}")
    missing = set(required) - set(data)
    if missing:
        raise VocabularyError(f"{name}: missing keys {sorted(missing)}")
    return data


def tsv_rows(name: str) -> Iterator[tuple[int, list[str]]]:
    """(line number, tab-separated cells) of each row of a registered file; comments and blank lines skipped."""
    for n, line in enumerate(read_text(name).splitlines(), 1):
        if line.strip() and not line.startswith("#"):
            yield n, line.split("\t")


def load_tsv(name: str, columns: int) -> list[list[str]]:
    """The rows of a registered TSV file, each of exactly `columns` cells."""
    rows = []
    for n, cells in tsv_rows(name):
        if len(cells) != columns:
            raise VocabularyError(f"{name}:{n}: expected {columns} columns, got {len(cells)}")
        rows.append(cells)
    return rows


def load_lines(name: str) -> list[str]:
    """The entries of a registered one-entry-a-line file, stripped; comments and blank lines skipped."""
    return [line.strip() for line in read_text(name).splitlines() if line.strip() and not line.startswith("#")]
