from __future__ import annotations

import json
import subprocess
import sys

import pytest


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "materia", *args], capture_output=True, text=True, timeout=300)


def test_cli_extract_json_is_one_object_per_file_in_order(seeds):
    paths = [str(p) for p in seeds.values()]
    proc = run("extract", *paths, "--json")
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [r["source"] for r in rows] == paths
    assert all(len(r["sha256"]) == 64 for r in rows)


def test_cli_extract_names_a_missing_file_and_still_prints_the_others(seeds, tmp_path):
    missing = str(tmp_path / "nope.txt")
    proc = run("extract", missing, str(seeds["000"]), "--json")
    assert proc.returncode == 1
    assert proc.stderr.strip() == f"materia: {missing}: no such file"
    assert len(proc.stdout.splitlines()) == 1


def test_cli_usage_error_exits_2():
    assert run("extract", "--no-such-flag").returncode == 2


def run_env(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    import os

    return subprocess.run([sys.executable, "-m", "materia", *args], capture_output=True, text=True, timeout=300,
                          env={**os.environ, **env})


def test_cli_error_line_is_never_wrapped(tmp_path):
    missing = str(tmp_path / ("a-very-long-folder-name-" * 8) / "no-such-knowledge-base.sqlite")
    proc = run("show", "glutamine", "--db", missing)
    assert proc.returncode == 1
    (line,) = proc.stderr.splitlines()
    assert line.startswith(f"materia: {missing}: no such knowledge base") and len(line) > 200


def test_cli_control_characters_in_a_file_name_cannot_forge_a_line(tmp_path, seeds):
    name = tmp_path / "x\nmateria: forged.txt: all good\x1b[2K\r"
    name.write_bytes(b"")
    proc = run("extract", str(name), str(seeds["000"]), "--json")
    assert proc.returncode == 1
    (line,) = proc.stderr.splitlines()
    assert line == f"materia: {tmp_path}/x\\nmateria: forged.txt: all good\\x1b[2K\\r: empty file"
    assert len(proc.stdout.splitlines()) == 1


def test_cli_undecodable_file_name_is_escaped(tmp_path):
    import os

    raw = os.path.join(os.fsencode(tmp_path), b"caf\xe9.txt")
    with open(raw, "wb"):
        pass
    proc = subprocess.run([sys.executable, "-m", "materia", "extract", raw], capture_output=True, timeout=300)
    assert proc.returncode == 1
    assert proc.stderr.decode("ascii").splitlines() == [f"materia: {tmp_path}/caf\\xe9.txt: empty file"]


def test_cli_printable_escapes_what_could_rewrite_the_line():
    from materia.cli import printable

    assert printable("a\tb\nc\rd\x00e\x7f\x85\u2028\u202e\udce9") == "a\\tb\\nc\\rd\\x00e\\x7f\\x85\\u2028\\u202e\\xe9"
    assert printable("caf\u00e9 \u2013 ok") == "caf\u00e9 \u2013 ok"


@pytest.mark.parametrize("value", ["abc", "nan", "inf", "-1", "0", "1e999"])
def test_cli_bad_setting_is_one_line_exit_2(seeds, value):
    proc = run_env("extract", str(seeds["000"]), MATERIA_MAX_FILE_MB=value)
    assert proc.returncode == 2
    (line,) = proc.stderr.splitlines()
    assert line.startswith(f"materia: MATERIA_MAX_FILE_MB={value!r}: ")
    assert proc.stdout == ""


def test_cli_settings_reject_bad_numbers_and_accept_good_ones():
    from materia.errors import ConfigError
    from materia.settings import Settings

    assert Settings.from_env({"MATERIA_MAX_FILE_MB": "0.5", "MATERIA_PAGE_SIZE": " 10 "}).page_size == 10
    with pytest.raises(ConfigError, match="whole number"):
        Settings.from_env({"MATERIA_PAGE_SIZE": "2.5"})


@pytest.mark.parametrize("command", [["show", "glutamine"], ["conflicts", "glutamine"], ["search", "zinc"],
                                     ["export", "glutamine", "--format", "csv"]])
def test_cli_reading_commands_never_create_a_knowledge_base(tmp_path, command):
    db = tmp_path / "sub" / "kb.sqlite"
    proc = run(*command, "--db", str(db))
    assert proc.returncode == 1
    assert proc.stderr.splitlines() == [
        f"materia: {db}: no such knowledge base (create it with `materia ingest FILE... --db {db}`)"]
    assert not db.exists() and not db.parent.exists()


def test_cli_reading_commands_refuse_a_missing_sqlite_url(tmp_path):
    db = tmp_path / "kb.sqlite"
    proc = run("show", "glutamine", "--db", f"sqlite:///{db}")
    assert proc.returncode == 1 and "no such knowledge base" in proc.stderr
    assert not db.exists()


def test_cli_extract_deeply_nested_html_has_no_traceback(tmp_path):
    page = tmp_path / "deep.html"
    page.write_text("<html><body>" + "<div>" * 5000 + "<p>Magnesium 400 mg daily eases cramps.</p>"
                    + "</div>" * 5000 + "</body></html>")
    proc = run("extract", str(page), "--json")
    assert "Traceback" not in proc.stderr and proc.returncode == 0
    assert json.loads(proc.stdout)["source"] == str(page)
    assert proc.stderr.splitlines() == [f"materia: {page}: HTML nested 5003 elements deep; tags below 200 levels "
                                        "ignored, their text kept"]
