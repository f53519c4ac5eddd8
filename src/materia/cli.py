"""The `materia` command: thin wrappers, each calling one library function."""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from materia.errors import ConfigError, MateriaError, ReadError, StoreError
from materia.settings import Settings

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="materia: what people write about supplements and medicines, with the evidence for every statement.")
out = Console(highlight=False)
err = Console(stderr=True, highlight=False)

DbOption = typer.Option(None, "--db", help="Knowledge base: SQLite path or SQLAlchemy URL (default: MATERIA_DB, "
                                           "else an SQLite file in the user data directory).")


# Characters that could end the line, rewrite it or hide text: C0/C1 controls, line and paragraph
# separators, bidirectional overrides, and the lone surrogates that stand for undecodable bytes in file names
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def printable(text: str) -> str:
    """`text` on one line, control characters escaped, so a file name cannot forge an error line."""
    def escape(m: re.Match[str]) -> str:
        c = m.group()
        if c in _ESCAPES:
            return _ESCAPES[c]
        code = ord(c)
        if 0xDC80 <= code <= 0xDCFF:  # os.fsdecode's stand-in for the byte code - 0xDC00
            return f"\\x{code - 0xDC00:02x}"
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return _UNPRINTABLE.sub(escape, text)


def fail(path: str, reason: str) -> None:
    """One line on stderr naming the file and the reason, as the contract says (never wrapped)."""
    sys.stderr.write(f"materia: {printable(path)}: {printable(reason)}\n")
    sys.stderr.flush()


def bundled_seeds() -> list[Path]:
    """The three seed documents shipped with the package, for a first run without ../shared."""
    return sorted((Path(__file__).parent / "examples" / "seeds").glob("*.txt"))


@app.command()
def extract(
    files: list[str] = typer.Argument(..., help="Files to read; none are stored."),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per file (JSON Lines), as in EXTRACT.md."),
) -> None:
    """Extract doses, effects, uses, precautions, references and posts from FILES."""
    from materia.extract import extract as run_extract
    from materia.extract.contract import to_contract
    from materia.ingest import read_path
    from materia.render import extraction_summary

    settings = Settings.from_env()
    failed = False
    for path in files:
        try:
            extraction = run_extract(read_path(path, settings))
        except ReadError as exc:
            fail(path, exc.reason)
            failed = True
            continue
        except (ValueError, UnicodeError, RecursionError, MemoryError) as exc:  # an extractor choked: go on
            fail(path, f"could not extract: {type(exc).__name__}: {exc}")
            failed = True
            continue
        for note in extraction.document.notes:
            fail(path, note)
        if as_json:
            sys.stdout.write(json.dumps(to_contract(extraction), ensure_ascii=False) + "\n")
            sys.stdout.flush()
        else:
            out.print(extraction_summary(extraction))
        del extraction  # not alive while the next file is read: memory stays that of the largest file
    raise typer.Exit(1 if failed else 0)


@app.command()
def seeds() -> None:
    """Print the paths of the bundled seed documents."""
    for path in bundled_seeds():
        sys.stdout.write(f"{path}\n")  # one path a line, never wrapped or read as markup


def _sqlite_file(url_or_path: str) -> str | None:
    """The file of an SQLite knowledge base (None for in-memory SQLite and other databases)."""
    if "://" not in url_or_path:
        return url_or_path
    prefix = "sqlite:///"
    if not url_or_path.startswith(prefix):
        return None
    path = url_or_path[len(prefix):].split("?", 1)[0]
    return path if path and path != ":memory:" else None


def open_store(db: Optional[str], *, create: bool = False):
    """The knowledge base named by --db, else MATERIA_DB, else the default path.

    Only `ingest` creates one (create=True); the reading commands refuse a missing SQLite file
    instead of leaving an empty knowledge base behind."""
    from materia.store import connect

    target = Settings.from_env(db=db).db
    if not create:
        require_store(target)
    return connect(target)


def require_store(target: str) -> None:
    """Refuse a missing SQLite knowledge base before anything opens (and so creates) it."""
    path = _sqlite_file(target)
    if path is not None and not Path(path).expanduser().is_file():
        raise StoreError(f"{target}: no such knowledge base (create it with `materia ingest FILE... --db {target}`)")


def to_json(value: object) -> str:
    """Frozen dataclasses (dates as ISO strings) as indented JSON."""
    import dataclasses

    data = dataclasses.asdict(value) if dataclasses.is_dataclass(value) else (  # type: ignore[arg-type]
        [dataclasses.asdict(v) for v in value] if isinstance(value, list) else value)  # type: ignore[arg-type]
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)


@app.command()
def ingest(
    paths: list[str] = typer.Argument(..., help="Files, directories (walked recursively) or globs to store."),
    db: Optional[str] = DbOption,
) -> None:
    """Read, extract and store PATHS in the knowledge base (unchanged files are skipped)."""
    from rich.markup import escape
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    settings = Settings.from_env(db=db)
    store = open_store(db, create=True)
    with Progress(TextColumn("ingesting"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  TextColumn("{task.description}"), console=err, transient=True,
                  disable=not err.is_terminal) as bar:
        task = bar.add_task("", total=None)

        def progress(path: str, done: int, total: int) -> None:
            bar.update(task, completed=done, total=total, description=escape(printable(Path(path).name[:40])))

        report = store.ingest(paths, settings, progress=progress)
    store.close()
    for path, note in report.notes:
        fail(path, note)
    for path, reason in report.failed:
        fail(path, reason)
    out.print(f"{len(report.added)} added, {len(report.updated)} updated, {len(report.unchanged)} unchanged, "
              f"{len(report.failed)} failed")
    raise typer.Exit(0 if report.ok else 1)


@app.command()
def show(
    substance: str = typer.Argument(..., help="Substance name (synonyms such as L-glutamine resolve)."),
    as_json: bool = typer.Option(False, "--json", help="The monograph as JSON."),
    db: Optional[str] = DbOption,
) -> None:
    """Everything the knowledge base says about SUBSTANCE, each statement with its sources."""
    from materia.knowledge import monograph
    from materia.render import monograph_view

    with open_store(db) as store:
        m = monograph(store, substance)
    if as_json:
        sys.stdout.write(to_json(m) + "\n")
    else:
        out.print(monograph_view(m))


@app.command()
def conflicts(
    substance: str = typer.Argument(..., help="Substance name."),
    as_json: bool = typer.Option(False, "--json", help="JSON array as in EXTRACT.md."),
    db: Optional[str] = DbOption,
) -> None:
    """Topics on which the sources about SUBSTANCE disagree."""
    from materia.knowledge import conflicts as find_conflicts
    from materia.render import conflicts_view

    with open_store(db) as store:
        found = find_conflicts(store, substance)
    if as_json:
        data = [{"topic": c.topic, "positions": [{"source": p.source, "stance": p.stance, "span": list(p.span),
                                                  "text": p.text} for p in c.positions]} for c in found]
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    else:
        out.print(conflicts_view(found))


@app.command()
def search(
    query: str = typer.Argument(..., help="Words to look for."),
    limit: int = typer.Option(20, "--limit", min=1, help="Most results to show."),
    as_json: bool = typer.Option(False, "--json", help="Results as JSON."),
    db: Optional[str] = DbOption,
) -> None:
    """Substances, statements and documents matching QUERY."""
    from materia.knowledge import search as run_search
    from materia.render import search_view

    with open_store(db) as store:
        hits = run_search(store, query, limit=limit)
    if as_json:
        sys.stdout.write(to_json(hits) + "\n")
    else:
        out.print(search_view(query, hits))


@app.command()
def export(
    substance: str = typer.Argument(..., help="Substance name."),
    fmt: str = typer.Option("markdown", "--format", help="markdown | jsonld | csv"),
    db: Optional[str] = DbOption,
) -> None:
    """The monograph of SUBSTANCE as Markdown, JSON-LD (schema.org) or CSV, on stdout."""
    from materia.knowledge import monograph
    from materia.knowledge.export import FORMATS, export as run_export

    if fmt not in FORMATS:
        raise typer.BadParameter(f"one of {', '.join(FORMATS)}", param_hint="--format")
    with open_store(db) as store:
        m = monograph(store, substance)
    sys.stdout.write(run_export(m, fmt))
    if not fmt == "csv":
        sys.stdout.write("\n")


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="Port to listen on."),
    db: Optional[str] = DbOption,
) -> None:
    """Serve the web site and the read-only JSON API (/api/v1, docs at /docs)."""
    from materia.web import serve as run_server

    require_store(Settings.from_env(db=db).db)
    run_server(host, port, db)


def main() -> None:
    """Run the command; materia's own errors are one unwrapped line on stderr (exit 2 for settings, else 1)."""
    try:
        app()
    except ReadError as exc:
        fail(exc.path, exc.reason)
        sys.exit(1)
    except ConfigError as exc:  # a bad environment variable is a usage error
        sys.stderr.write(f"materia: {printable(str(exc))}\n")
        sys.exit(2)
    except MateriaError as exc:
        sys.stderr.write(f"materia: {printable(str(exc))}\n")
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
