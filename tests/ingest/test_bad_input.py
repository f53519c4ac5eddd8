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
from limits import time_limit

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
    for path, line in zip(paths, lines, strict=False):
        assert line.startswith(f"materia: {path}: ")
    assert "Traceback" not in proc.stderr
    (row,) = [json.loads(line) for line in proc.stdout.splitlines()]
    assert row["source"] == str(seeds["000"])


# --- memory and time stay bounded ------------------------------------------------------------

def alias_bomb(levels: int = 9) -> str:
    """A YAML "billion laughs": 9 levels of 9 aliases each is 9**9 strings once expanded."""
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, levels)]
    return "---\n" + "\n".join(lines) + "\n---\n# Zinc\n\n## Dosage\n\nTake 15 mg daily.\n"


def measured_read(path: str, limit_mb: int = 2048, timeout: float = 60) -> dict[str, object]:
    """read_path in a child process capped at `limit_mb` of address space and `timeout` seconds (so a
    regression fails the test instead of exhausting the machine): seconds, peak traced MiB, outcome."""
    code = f"""
import json, resource, time, tracemalloc
resource.setrlimit(resource.RLIMIT_AS, ({limit_mb} << 20, {limit_mb} << 20))
from materia.errors import ReadError
from materia.ingest import read_path
tracemalloc.start()
started = time.perf_counter()
try:
    doc = read_path({path!r})
    outcome = {{"text": doc.text, "notes": list(doc.notes)}}
except ReadError as exc:
    outcome = {{"error": exc.reason}}
outcome["seconds"] = time.perf_counter() - started
outcome["peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
print(json.dumps(outcome))
"""
    try:
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        pytest.fail(f"reading {path} did not finish in {timeout} s")
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout)


def test_bad_input_yaml_alias_bomb_in_front_matter_is_not_expanded(tmp_path):
    bomb = alias_bomb()
    assert len(bomb.encode()) < 500
    got = measured_read(make(tmp_path, "bomb.md", bomb.encode()))
    assert got["seconds"] < 5 and got["peak_mb"] < 600
    assert "Take 15 mg daily." in got["text"]  # the body is still read; only the front matter is refused
    assert any("front matter ignored" in n and "alias" in n for n in got["notes"])


def test_bad_input_front_matter_without_aliases_is_still_read(tmp_path):
    doc = read_path(make(tmp_path, "zinc.md", b"---\ntitle: Zinc facts\ndate: 2021-03-04\n---\n# Zinc\n\nText.\n"))
    assert doc.title == "Zinc facts" and str(doc.modified) == "2021-03-04" and doc.notes == ()


def test_bad_input_dev_zero_is_refused_unread():
    if not os.path.exists("/dev/zero"):
        pytest.skip("no /dev/zero on this system")
    got = measured_read("/dev/zero", limit_mb=1024, timeout=60)
    assert got["error"] == "a character device, not a regular file"
    assert got["seconds"] < 1 and got["peak_mb"] < 10


def test_bad_input_fifo_is_refused_without_waiting_for_a_writer(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    got = measured_read(str(fifo), timeout=30)
    assert got["error"] == "a named pipe (FIFO), not a regular file" and got["seconds"] < 1


def test_bad_input_fifo_swapped_in_after_the_check_does_not_hang(tmp_path, monkeypatch):
    """stat said regular file, open found a FIFO: O_NONBLOCK opens it at once and fstat refuses it."""
    import materia.ingest.registry as registry

    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    regular = os.stat(make(tmp_path, "plain.txt", b"zinc"))
    real_stat = os.stat
    monkeypatch.setattr(registry.os, "stat", lambda p, *a, **k: regular if str(p) == str(fifo) else real_stat(p, *a, **k))
    started = time.perf_counter()
    with time_limit(10), pytest.raises(ReadError, match="named pipe"):
        read_path(str(fifo))
    assert time.perf_counter() - started < 1.0


def test_bad_input_socket_is_refused(tmp_path):
    import socket

    path = tmp_path / "s.sock"
    with socket.socket(socket.AF_UNIX) as s:
        s.bind(str(path))
        with pytest.raises(ReadError, match="socket, not a regular file"):
            read_path(str(path))


def test_bad_input_byte_cap_holds_when_the_size_lies(tmp_path, monkeypatch):
    """A file reported smaller than it is (as /proc files report 0) is still read no further than the limit."""
    import materia.ingest.registry as registry

    path = make(tmp_path, "grows.txt", b"magnesium 400 mg a day.\n" * 100_000)  # 2.3 MiB
    real_fstat = os.fstat

    def small(fd: int) -> os.stat_result:
        st = real_fstat(fd)
        return os.stat_result((st.st_mode, st.st_ino, st.st_dev, st.st_nlink, st.st_uid, st.st_gid, 0,
                               int(st.st_atime), int(st.st_mtime), int(st.st_ctime)))

    monkeypatch.setattr(registry.os, "fstat", small)
    reads: list[int] = []
    real_read = os.read
    monkeypatch.setattr(registry.os, "read", lambda fd, n: reads.append(n) or real_read(fd, n))
    with pytest.raises(TooLargeError, match="over the 1 MiB limit"):
        read_path(path, Settings.from_env({"MATERIA_MAX_FILE_MB": "1"}))
    assert sum(reads) <= 2**20 + 1


def test_bad_input_proc_file_is_read_despite_its_zero_size():
    if not os.path.exists("/proc/self/status"):
        pytest.skip("no /proc on this system")
    assert os.stat("/proc/self/status").st_size == 0
    assert "Name:" in read_path("/proc/self/status").text


# --- unreadable files --------------------------------------------------------------------------

def deny(monkeypatch: pytest.MonkeyPatch, path: str) -> None:
    """Make `path` behave as a file inside a folder we may not enter: stat and open fail with EACCES."""
    import errno

    import materia.ingest.registry as registry

    real_stat, real_open = os.stat, os.open

    def refuse(real):  # type: ignore[no-untyped-def]
        def call(p, *args, **kwargs):  # type: ignore[no-untyped-def]
            if os.fspath(p) == path:
                raise PermissionError(errno.EACCES, "Permission denied", path)
            return real(p, *args, **kwargs)
        return call

    monkeypatch.setattr(registry.os, "stat", refuse(real_stat))
    monkeypatch.setattr(registry.os, "open", refuse(real_open))


def test_bad_input_permission_denied_is_one_reason(tmp_path, monkeypatch):
    path = make(tmp_path, "secret.txt", b"zinc 15 mg daily")
    deny(monkeypatch, path)
    with pytest.raises(ReadError) as info:
        read_path(path)
    assert info.value.reason == "permission denied"


def test_bad_input_cli_permission_denied_then_reads_the_next_file(tmp_path, monkeypatch, seeds):
    from typer.testing import CliRunner

    from materia.cli import app

    locked = make(tmp_path, "secret.txt", b"zinc 15 mg daily")
    deny(monkeypatch, locked)
    result = CliRunner().invoke(app, ["extract", locked, str(seeds["000"]), "--json"])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"materia: {locked}: permission denied"]
    (row,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert row["source"] == str(seeds["000"])


def test_bad_input_unreadable_folder_as_an_ordinary_user(tmp_path_factory, seeds):
    """The real thing, without monkeypatching: needs a user whom permissions stop (root reads everything)."""
    import tempfile

    if os.geteuid() == 0:
        user = 65534  # nobody
        try:
            probe = subprocess.run([sys.executable, "-c", "import materia.cli"], capture_output=True,
                                   user=user, cwd="/", timeout=120).returncode
        except PermissionError:
            probe = -1
        if probe != 0:
            pytest.skip("running as root, and user 'nobody' cannot run this Python to test as an ordinary user")
    else:
        user = None
    top = Path(tempfile.mkdtemp(prefix="materia-perm-"))
    try:
        top.chmod(0o755)
        locked = top / "locked"
        locked.mkdir()
        (locked / "a.txt").write_text("Zinc 15 mg daily.\n")
        good = top / "b.txt"
        good.write_text(Path(seeds["000"]).read_text())
        good.chmod(0o644)
        locked.chmod(0o000)
        proc = subprocess.run([sys.executable, "-m", "materia", "extract", str(locked / "a.txt"), str(good), "--json"],
                              capture_output=True, text=True, timeout=300, user=user, cwd="/")
    finally:
        (top / "locked").chmod(0o755)
        import shutil
        shutil.rmtree(top)
    assert proc.returncode == 1
    assert proc.stderr.splitlines() == [f"materia: {locked / 'a.txt'}: permission denied"]
    assert json.loads(proc.stdout)["source"] == str(good)


# --- encodings ---------------------------------------------------------------------------------

SAMPLE = "Magnesium \u2013 take 400 mg daily. Caf\u00e9, na\u00efve r\u00e9sum\u00e9 \U0001d518.\n"


@pytest.mark.parametrize("codec,name", [
    ("utf-8-sig", "utf-8-sig"), ("utf-16", "utf-16-le"), ("utf-16-be", "utf-16-be"), ("utf-32", "utf-32-le"),
    ("utf-32-be", "utf-32-be"),
])
def test_bad_input_byte_order_mark_names_the_encoding(tmp_path, codec, name):
    data = SAMPLE.encode(codec)
    if codec.endswith("-be"):
        data = ("\ufeff" + SAMPLE).encode(codec)
    doc = read_path(make(tmp_path, f"bom-{codec}.txt", data))
    assert doc.text == SAMPLE  # the BOM is dropped, nothing else changes
    assert doc.encoding == name and doc.notes == ()


def test_bad_input_latin1_is_read_as_western_not_central_european(tmp_path):
    text = "A na\u00efve reader takes 5 g of cr\u00e8me daily.\n"
    doc = read_path(make(tmp_path, "latin1.txt", text.encode("latin-1")))
    assert doc.text == text and doc.encoding == "cp1252"
    assert doc.notes == ("not valid UTF-8 (byte 4); decoded as cp1252",)


@pytest.mark.parametrize("codec,text", [
    ("cp1251", "\u041f\u0440\u0438\u0432\u0435\u0442, \u043a\u0430\u043a \u0434\u0435\u043b\u0430? "
               "\u041c\u0430\u0433\u043d\u0438\u0439 400 \u043c\u0433 \u0432 \u0434\u0435\u043d\u044c.\n"),
    ("cp1250", "Za\u017c\u00f3\u0142\u0107 g\u0119\u015bl\u0105 ja\u017a\u0144, magnez 400 mg dziennie.\n"),
    ("cp1253", "\u0395\u03bb\u03bb\u03b7\u03bd\u03b9\u03ba\u03ac \u03ba\u03b5\u03af\u03bc\u03b5\u03bd\u03bf "
               "\u03bc\u03b1\u03b3\u03bd\u03ae\u03c3\u03b9\u03bf 400 mg.\n"),
])
def test_bad_input_non_western_8bit_text_is_not_forced_into_cp1252(tmp_path, codec, text):
    doc = read_path(make(tmp_path, f"{codec}.txt", text.encode(codec)))
    assert doc.text == text and doc.encoding == codec


def test_bad_input_stray_byte_in_utf8_is_replaced_and_counted(tmp_path):
    head = "Zinc \u2013 15 mg daily with food \u201calways\u201d.\nStray "
    tail = " byte here. Caf\u00e9 \u00e9t\u00e9.\n"
    doc = read_path(make(tmp_path, "stray.txt", head.encode() + b"\xff" + tail.encode()))
    assert doc.text == head + "\ufffd" + tail  # one code point for the bad byte: later offsets stay true
    assert doc.encoding == "utf-8"
    assert doc.notes == (f"not valid UTF-8: 1 byte replaced with U+FFFD (first at byte {len(head.encode())})",)


def test_bad_input_truncated_utf8_sequences_are_counted_in_bytes(tmp_path):
    text = "na\u00efve caf\u00e9 \u2013 ok\n"
    data = text.encode() + b"\xe2\x80" + b" and " + b"\xc3"  # a cut-off dash and a cut-off e-acute
    doc = read_path(make(tmp_path, "cut.txt", data))
    assert doc.text == text + "\ufffd and \ufffd"
    assert doc.notes[0].startswith("not valid UTF-8: 3 bytes replaced with U+FFFD")


def test_bad_input_utf16_of_control_characters_is_still_binary(tmp_path):
    data = ("\ufeff" + "A\x00\x01\x02\x03\x1b" * 400).encode("utf-16-le")
    with pytest.raises(ReadError, match="binary"):
        read_path(make(tmp_path, "noise.txt", data))


# --- HTML ---------------------------------------------------------------------------------------

def test_bad_input_deeply_nested_html_keeps_its_text(tmp_path):
    page = ("<html><body>" + "<div>" * 5000 + "<p>Magnesium 400 mg daily helps with cramps.</p>" + "</div>" * 5000
            + "</body></html>")
    started = time.perf_counter()
    doc = read_path(make(tmp_path, "deep.html", page.encode()))
    assert time.perf_counter() - started < 10
    assert "Magnesium 400 mg daily helps with cramps." in doc.text
    assert any("nested 5003 elements deep" in n for n in doc.notes)


def test_bad_input_ordinary_html_is_not_flattened(tmp_path):
    page = "<html><body>" + "<div>" * 50 + "<p>Zinc 15 mg daily.</p>" + "</div>" * 50 + "</body></html>"
    doc = read_path(make(tmp_path, "shallow.html", page.encode()))
    assert "Zinc 15 mg daily." in doc.text and doc.notes == ()
