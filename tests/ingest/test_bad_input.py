"""Hostile or broken input: each file fails alone, with one line naming it and why."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from materia.errors import ReadError, TooLargeError
from materia.ingest import read_path
from materia.settings import Settings

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
LAUGHS = ('<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
          '<!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
          '<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">]>\n<lolz>&lol2;</lolz>\n')


def make(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


@pytest.fixture
def bad_files(tmp_path: Path) -> dict[str, str]:
    docx = tmp_path / "letter.docx"
    with zipfile.ZipFile(docx, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    folder = tmp_path / "folder"
    folder.mkdir()
    return {
        "empty": make(tmp_path, "empty.txt", b""),
        "blank": make(tmp_path, "blank.txt", b"  \n\n "),
        "png": make(tmp_path, "picture.png", PNG),
        "docx": str(docx),
        "dir": str(folder),
        "missing": str(tmp_path / "missing.txt"),
        "laughs": make(tmp_path, "laughs.xml", LAUGHS.encode()),
    }


@pytest.mark.parametrize("case,reason", [
    ("empty", "empty file"), ("blank", "empty file"), ("png", "PNG"), ("docx", "unknown format"),
    ("dir", "is a directory"), ("missing", "no such file"), ("laughs", "entit"),
])
def test_bad_input_is_a_read_error_with_a_reason(bad_files, case, reason):
    with pytest.raises(ReadError) as info:
        read_path(bad_files[case])
    assert reason in info.value.reason
    assert info.value.path == bad_files[case]


def test_bad_input_over_size_limit_is_refused(tmp_path):
    path = make(tmp_path, "big.txt", b"magnesium 400 mg a day.\n" * (2 * 2**20 // 24 + 1))
    with pytest.raises(TooLargeError, match="MATERIA_MAX_FILE_MB"):
        read_path(path, Settings.from_env({"MATERIA_MAX_FILE_MB": "1"}))


def test_bad_input_huge_sparse_file_is_refused_unread(tmp_path):
    path = tmp_path / "sparse.txt"
    with path.open("wb") as f:
        f.truncate(200 * 2**20)
    started = time.perf_counter()
    with pytest.raises(TooLargeError):
        read_path(str(path), Settings.from_env({}))
    assert time.perf_counter() - started < 1.0


def test_bad_input_cp1252_is_decoded_with_a_note(tmp_path):
    text = "Caf\u00e9 au lait \u2013 na\u00efve r\u00e9sum\u00e9: take 5 g daily with \u2018food\u2019 and water.\n"
    path = make(tmp_path, "latin.txt", text.encode("cp1252"))
    doc = read_path(path)
    assert any("decoded as" in note for note in doc.notes)
    assert "5 g daily" in doc.text and doc.encoding != "utf-8"


def test_bad_input_mojibake_is_reported_not_repaired(tmp_path):
    garbled = "Caf\u00e9 na\u00efve r\u00e9sum\u00e9".encode("utf-8").decode("cp1252") + " taken daily.\n"
    path = make(tmp_path, "moji.txt", garbled.encode("utf-8"))
    doc = read_path(path)
    assert doc.text == garbled  # offsets keep indexing the file as it is
    assert any("mojibake" in note for note in doc.notes)


def test_bad_input_clean_text_has_no_notes(seeds):
    assert read_path(str(seeds["004"])).notes == ()


def test_bad_input_cli_reports_each_file_and_continues(bad_files, seeds, tmp_path):
    big = make(tmp_path, "big.txt", b"x" * (2 * 2**20))
    paths = [*bad_files.values(), big, str(seeds["000"])]
    env = dict(os.environ, MATERIA_MAX_FILE_MB="1")
    proc = subprocess.run([sys.executable, "-m", "materia", "extract", *paths, "--json"],
                          capture_output=True, text=True, timeout=300, env=env)
    assert proc.returncode == 1
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == len(paths) - 1
    for path, line in zip(paths, lines):
        assert line.startswith(f"materia: {path}: ")
    assert "Traceback" not in proc.stderr
    (row,) = [json.loads(line) for line in proc.stdout.splitlines()]
    assert row["source"] == str(seeds["000"])
