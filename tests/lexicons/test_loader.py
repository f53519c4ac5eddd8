"""materia.lexicons.loader: every data file registered with its source and licence, read strictly."""
from __future__ import annotations

import re
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import pytest

from materia.errors import VocabularyError
from materia.lexicons import loader

SRC = Path(__file__).resolve().parents[2] / "src" / "materia"
NOT_YET_THROUGH_THE_LOADER: set[str] = set()  # readers of registered files that bypass the loader: none


def _data_files() -> set[str]:
    folder = resources.files("materia.lexicons")
    return {p.name for p in folder.iterdir()
            if p.is_file() and not p.name.endswith((".py", ".pyc")) and p.name != loader.REGISTER}


def test_loader_every_data_file_is_registered_and_every_registered_file_exists() -> None:
    registered = set(loader.sources())
    assert _data_files() - registered == set(), "data files without a source and licence in SOURCES.yaml"
    assert registered - _data_files() == set(), "SOURCES.yaml registers files that do not exist"


def test_loader_every_source_names_a_licence() -> None:
    for source in loader.sources().values():
        assert source.source and source.licence, source.name
        assert "\n" not in source.source


def test_loader_data_lives_in_one_folder() -> None:
    """No YAML, TSV or text data beside the code outside lexicons/ (templates, seeds and migrations aside)."""
    stray = [p.relative_to(SRC).as_posix() for p in SRC.rglob("*") if p.suffix in (".yaml", ".yml", ".tsv")
             and p.parent.name != "lexicons"]
    assert stray == []


_OWN_READ = re.compile(r'files\("materia\.|with_name\("[^"]+\.(?:yaml|tsv|txt)"\)')


def _modules() -> Iterator[tuple[str, str]]:
    """(path under src/materia, code) of every module but the loader; a build script's __main__ block left out."""
    for path in SRC.rglob("*.py"):
        rel = path.relative_to(SRC).as_posix()
        if rel != "lexicons/loader.py":
            yield rel, path.read_text(encoding="utf-8").split('if __name__ == "__main__":')[0]


def test_loader_is_the_one_reader_of_data_files() -> None:
    readers = {rel for rel, code in _modules() if _OWN_READ.search(code)}
    assert readers - NOT_YET_THROUGH_THE_LOADER == set()


@pytest.mark.parametrize("name", sorted(n for n in _data_files() if n.endswith(".yaml")))
def test_loader_every_yaml_file_parses_strictly(name: str) -> None:
    assert loader.load_yaml(name) is not None


@pytest.mark.parametrize("name", sorted(n for n in _data_files() if n.endswith(".yaml")))
def test_loader_reads_yaml_as_the_pure_python_parser_does(name: str) -> None:
    """libyaml's parser, when PyYAML has it, gives the values PyYAML's own SafeLoader gives."""
    import yaml

    assert loader.load_yaml(name) == yaml.load(loader.read_text(name), Loader=yaml.SafeLoader)


@pytest.mark.parametrize("name", sorted(n for n in _data_files() if n.endswith(".tsv")))
def test_loader_every_tsv_file_has_rows(name: str) -> None:
    rows = list(loader.tsv_rows(name))
    assert rows and all(len(cells) >= 2 for _, cells in rows)


def test_loader_refuses_a_file_not_registered() -> None:
    with pytest.raises(VocabularyError, match=r"^extra\.yaml: not registered in lexicons/SOURCES\.yaml"):
        loader.read_text("extra.yaml")


def _serve(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr(loader, "read_text", lambda name: text)


def test_loader_refuses_a_key_twice_naming_file_and_line(monkeypatch: pytest.MonkeyPatch) -> None:
    _serve(monkeypatch, "a:\n  x: 1\n  y: 2\n  x: 3\n")
    with pytest.raises(VocabularyError) as err:
        loader.load_yaml("units.yaml")
    assert str(err.value) == "units.yaml: duplicate key 'x' (line 4)"


def test_loader_yaml_errors_are_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    _serve(monkeypatch, "a: [1, 2\nb: 3\n")
    with pytest.raises(VocabularyError, match=r"^units\.yaml: .*\(line \d+\)$") as err:
        loader.load_yaml("units.yaml")
    assert "\n" not in str(err.value)


def test_loader_mapping_keys_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    _serve(monkeypatch, "a: 1\nbogus: 2\n")
    with pytest.raises(VocabularyError, match=r"^units\.yaml: unknown keys \['bogus'\]$"):
        loader.load_mapping("units.yaml", {"a", "b"})
    with pytest.raises(VocabularyError, match=r"^units\.yaml: missing keys \['b'\]$"):
        loader.load_mapping("units.yaml", {"a", "b", "bogus"}, required={"a", "b"})
    _serve(monkeypatch, "- a\n- b\n")
    with pytest.raises(VocabularyError, match="expected a mapping at the top"):
        loader.load_mapping("units.yaml", {"a"})


def test_loader_tsv_skips_comments_and_counts_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    _serve(monkeypatch, "# surface\tcanonical\n\na\tb\nc\td\te\n")
    assert list(loader.tsv_rows("lay_words.tsv")) == [(3, ["a", "b"]), (4, ["c", "d", "e"])]
    with pytest.raises(VocabularyError, match=r"^lay_words\.tsv:4: expected 2 columns, got 3$"):
        loader.load_tsv("lay_words.tsv", 2)


def test_loader_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    _serve(monkeypatch, "# header\n a \n\nb\n")
    assert loader.load_lines("stopwords.txt") == ["a", "b"]


@pytest.mark.parametrize(("register", "problem"), [
    ("- a\n", "the one top-level key is files"),
    ("files:\n  a.yaml: {source: x}\n", "a.yaml: needs exactly ['licence', 'source']"),
    ("files:\n  a.yaml: {source: x, licence: ''}\n", "a.yaml: source and licence must be non-empty strings"),
])
def test_loader_register_is_strict(monkeypatch: pytest.MonkeyPatch, register: str, problem: str) -> None:
    monkeypatch.setattr(loader, "_resource", lambda name: register)
    loader.sources.cache_clear()
    try:
        with pytest.raises(VocabularyError, match=f"^SOURCES.yaml: {problem.replace('[', '.').replace(']', '.')}"):
            loader.sources()
    finally:
        monkeypatch.undo()
        loader.sources.cache_clear()
