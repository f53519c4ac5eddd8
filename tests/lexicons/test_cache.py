"""materia.lexicons.cache: a compiled vocabulary is built once, read back while its sources are unchanged, rebuilt
when they change or its file is damaged, and built in memory when there is no cache folder to write."""
from __future__ import annotations

import dataclasses
import os
import pickle
from pathlib import Path

import pytest

from materia.lexicons.cache import cache_file, compiled


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("MATERIA_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


@pytest.fixture
def source(tmp_path: Path) -> Path:
    path = tmp_path / "words.txt"
    path.write_text("nausea\nheadache\n", encoding="utf-8")
    return path


class Builder:
    """Builds the words of a file, counting its builds."""

    def __init__(self, source: Path) -> None:
        self.source = source
        self.builds = 0

    def __call__(self) -> list[str]:
        self.builds += 1
        return self.source.read_text(encoding="utf-8").split()

    def value(self) -> list[str]:
        return compiled("test-words", self, (self.source, "lexicons/cache.py"))


def test_cache_builds_once_then_reads_the_file(folder: Path, source: Path) -> None:
    build = Builder(source)
    assert build.value() == ["nausea", "headache"]
    assert build.value() == ["nausea", "headache"]
    assert build.builds == 1
    assert [p.name for p in folder.iterdir()] == [cache_file("test-words", (source, "lexicons/cache.py")).name]


def test_cache_rebuilds_when_a_source_changes(folder: Path, source: Path) -> None:
    build = Builder(source)
    build.value()
    source.write_text("dizziness\n", encoding="utf-8")
    assert build.value() == ["dizziness"]
    assert build.builds == 2
    assert len(list(folder.glob("test-words-*.pickle"))) == 2  # the other version is kept, for a checkout used in turn


def test_cache_keeps_the_newest_few_of_a_name(folder: Path, source: Path) -> None:
    build = Builder(source)
    for n in range(6):
        source.write_text(f"word{n}\n", encoding="utf-8")
        build.value()
        os.utime(cache_file("test-words", (source, "lexicons/cache.py")), (n, n))  # oldest first
    assert len(list(folder.glob("test-words-*.pickle"))) == 3


@pytest.mark.parametrize("damage", [b"", b"not a pickle", pickle.dumps(("another-name.pickle", ["x"])),
                                    pickle.dumps(["no", "name"])])
def test_cache_rebuilds_a_damaged_file(folder: Path, source: Path, damage: bytes) -> None:
    build = Builder(source)
    build.value()
    path = cache_file("test-words", (source, "lexicons/cache.py"))
    assert path is not None
    path.write_bytes(damage)
    assert build.value() == ["nausea", "headache"]
    assert build.value() == ["nausea", "headache"]
    assert build.builds == 2  # rebuilt once, and the file written whole again


def test_cache_ignores_a_file_another_user_owns(folder: Path, source: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    build = Builder(source)
    build.value()
    path = cache_file("test-words", (source, "lexicons/cache.py"))
    assert path is not None
    monkeypatch.setattr(os, "getuid", lambda: path.stat().st_uid + 1)
    build.value()
    assert build.builds == 2


@pytest.mark.parametrize("variable", ["MATERIA_CACHE_DIR", "XDG_CACHE_HOME"])
def test_cache_without_a_writable_folder_builds_in_memory(tmp_path: Path, source: Path,
                                                          monkeypatch: pytest.MonkeyPatch, variable: str) -> None:
    """A cache folder that cannot be made (its parent is a file: a read-only or missing home alike) costs the
    build in every process, never the vocabulary."""
    (tmp_path / "file").write_text("not a folder", encoding="utf-8")
    monkeypatch.delenv("MATERIA_CACHE_DIR", raising=False)
    monkeypatch.setenv(variable, str(tmp_path / "file" / "cache"))
    build = Builder(source)
    assert build.value() == ["nausea", "headache"]
    assert build.value() == ["nausea", "headache"]
    assert build.builds == 2


def test_cache_a_missing_source_is_left_to_the_build(folder: Path, tmp_path: Path) -> None:
    build = Builder(tmp_path / "gone.txt")
    with pytest.raises(FileNotFoundError):
        build.value()
    assert not folder.exists()


def _items(automaton: object) -> list[tuple[str, object]]:
    return sorted(automaton.items())  # type: ignore[attr-defined]


def test_cache_the_drug_dictionary_reads_back_as_built(folder: Path) -> None:
    """What a later process reads from the cache is what the first one built."""
    from materia.extract import substances
    from materia.lexicons import drugs

    built = drugs.drug_canonicals.__wrapped__(), substances.drug_dictionary.__wrapped__()
    assert sorted(p.name.rsplit("-", 1)[0] for p in folder.iterdir()) == ["drug-automaton", "drug-canonicals"]
    canonicals, automaton = drugs.drug_canonicals.__wrapped__(), substances.drug_dictionary.__wrapped__()
    assert canonicals == built[0]
    assert _items(automaton) == _items(built[1])


def test_cache_the_effect_matcher_and_lay_vocabulary_read_back_as_built(folder: Path) -> None:
    from materia.extract import effects, lay_mentions

    built = effects.default_matcher.__wrapped__(), lay_mentions._vocabulary.__wrapped__()
    assert sorted(p.name.rsplit("-", 1)[0] for p in folder.iterdir()) == ["effect-matcher", "lay-vocabulary"]
    read = effects.default_matcher.__wrapped__(), lay_mentions._vocabulary.__wrapped__()
    for first, later in zip(built, read, strict=True):
        for field in dataclasses.fields(first):
            a, b = getattr(first, field.name), getattr(later, field.name)
            assert _items(a) == _items(b) if field.name == "automaton" else a == b, field.name
