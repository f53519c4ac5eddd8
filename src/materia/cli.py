"""The `materia` command: thin wrappers, each calling one library function."""
from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import typer
from rich.console import Console

from materia.errors import ConfigError, MateriaError, ReadError, StoreError
from materia.settings import Settings

if TYPE_CHECKING:  # imported where used: `materia extract` needs no database
    from rich.console import RenderableType

    from materia.knowledge import KnowledgeBase
    from materia.store import Store

T = TypeVar("T")

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="materia: what people write about supplements and medicines, "
                       "with the evidence for every statement.")
out = Console(highlight=False)
err = Console(stderr=True, highlight=False)

KindOption = typer.Option(None, "--kind", help="What the files are, when you know: post | review | article | "
                                                 "monograph | label (default: sniffed from the content).")
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


def answer(value: T, as_json: bool, view: Callable[[T], RenderableType],
           contract: Callable[[T], object] | None = None) -> None:
    """Print what a command found: as JSON (its contract shape, or the value itself), or as a view to read."""
    if as_json:
        from materia.serialise import dumps

        sys.stdout.write(dumps(contract(value) if contract else value, indent=2) + "\n")
    else:
        out.print(view(value))


def check_kind(kind: str | None) -> None:
    from materia.ingest.posts import USER_KINDS

    if kind is not None and kind not in USER_KINDS:
        raise typer.BadParameter(f"one of {', '.join(USER_KINDS)}", param_hint="--kind")


def bundled_seeds() -> list[Path]:
    """The three seed documents shipped with the package, for a first run without ../shared."""
    return sorted((Path(__file__).parent / "examples" / "seeds").glob("*.txt"))


@app.command()
def extract(
    files: list[str] = typer.Argument(..., help="Files to read; none are stored."),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per file, or per record of a many-record "
                                                       "file (JSON Lines), as in EXTRACT.md."),
    kind: str | None = KindOption,
) -> None:
    """Extract doses, effects, uses, precautions, references and posts from FILES."""
    from materia.extract import extract as run_extract
    from materia.extract.contract import to_contract
    from materia.ingest import read_documents
    from materia.render import extraction_summary
    from materia.serialise import json_text

    check_kind(kind)
    settings = Settings.from_env()
    failed = False
    for path in files:
        try:
            documents = read_documents(path, settings, kind)
        except ReadError as exc:
            fail(path, exc.reason)
            failed = True
            continue
        for note in dict.fromkeys(n for d in documents for n in d.notes):
            fail(path, note)
        for document in documents:
            try:
                extraction = run_extract(document)
            except (ValueError, UnicodeError, RecursionError, MemoryError) as exc:  # an extractor choked: go on
                where = f"{path} ({document.record})" if document.record else path
                fail(where, f"could not extract: {type(exc).__name__}: {exc}")
                failed = True
                continue
            if as_json:
                sys.stdout.write(json_text(to_contract(extraction)) + "\n")
                sys.stdout.flush()
            else:
                out.print(extraction_summary(extraction))
    raise typer.Exit(1 if failed else 0)


@app.command()
def seeds() -> None:
    """Print the paths of the bundled seed documents."""
    for path in bundled_seeds():
        sys.stdout.write(f"{path}\n")  # one path a line, never wrapped or read as markup


def open_store(db: str | None, *, create: bool = False) -> Store:
    """The store named by --db, else MATERIA_DB, else the default path.

    Only `ingest` creates one (create=True); the reading commands refuse a missing SQLite file
    instead of leaving an empty knowledge base behind."""
    from materia.store import connect

    target = Settings.from_env(db=db).db
    if not create:
        require_store(target)
    return connect(target)


def require_store(target: str) -> None:
    """Refuse a missing SQLite knowledge base before anything opens (and so creates) it."""
    from materia.store.read import sqlite_file

    path = sqlite_file(target)
    if path is not None and not Path(path).is_file():
        raise StoreError(f"{target}: no such knowledge base (create it with `materia ingest FILE... --db {target}`)")


def open_kb(db: str | None) -> KnowledgeBase:
    """The knowledge base named by --db, else MATERIA_DB, else the default path, refused when it is a missing
    SQLite file (without a cache: a command reads once). An SQLite file is read without SQLAlchemy."""
    from materia.knowledge import KnowledgeBase
    from materia.store import open_reader

    target = Settings.from_env(db=db).db
    require_store(target)
    return KnowledgeBase(open_reader(target), cache_size=0)


@app.command()
def ingest(
    paths: list[str] = typer.Argument(..., help="Files, directories (walked recursively) or globs to store."),
    db: str | None = DbOption,
    kind: str | None = KindOption,
    workers: int | None = typer.Option(None, "--workers", min=1, help="Processes that extract at once (default: "
                                                                        "the cores this process may use; 1: no pool)."),
    scheduler: str | None = typer.Option(None, "--scheduler", help="Extract on the Dask cluster of this scheduler "
                                                                    "(tcp://HOST:PORT); stored here."),
    send_bytes: bool = typer.Option(False, "--send-bytes", help="With --scheduler: send each file's bytes to the "
                                                                "workers (default: only when they cannot read it)."),
) -> None:
    """Read, extract and store PATHS in the knowledge base (unchanged files are skipped)."""
    from rich.markup import escape
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from materia.pipeline import ingest as run_ingest
    from materia.runners import default_workers

    check_kind(kind)
    if send_bytes and not scheduler:
        raise typer.BadParameter("only with --scheduler", param_hint="--send-bytes")
    settings = Settings.from_env(db=db)
    store = open_store(db, create=True)
    with Progress(TextColumn("ingesting"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("{task.fields[rate]} files/s"), TimeRemainingColumn(),
                  TextColumn("{task.description}"), console=err, transient=True,
                  disable=not err.is_terminal) as bar:  # a terminal only: tests and pipes stay quiet
        task = bar.add_task("", total=None, rate="-")

        def progress(path: str, done: int, total: int) -> None:
            speed = bar.tasks[task].speed
            bar.update(task, completed=done, total=total, description=escape(printable(Path(path).name[:40])),
                       rate=f"{speed:.0f}" if speed else "-")

        report = run_ingest(store, paths, settings, progress=progress, kind=kind,
                            workers=workers or default_workers(), scheduler=scheduler, send_bytes=send_bytes)
    store.close()
    for path, note in report.notes:
        fail(path, note)
    for path, reason in report.failed:
        fail(path, reason)
    out.print(f"{len(report.added)} added, {len(report.updated)} updated, {len(report.unchanged)} unchanged, "
              f"{len(report.removed)} removed, {len(report.failed)} failed")
    raise typer.Exit(0 if report.ok else 1)


@app.command()
def remove(
    paths: list[str] = typer.Argument(..., help="Files, or folders (every stored file under them), to drop."),
    db: str | None = DbOption,
) -> None:
    """Drop PATHS (known by their resolved paths, present or deleted) from the knowledge base; kept in the history."""
    from materia.pipeline import remove as run_remove

    with open_store(db) as store:
        report = run_remove(store, paths)
    for path, reason in report.failed:
        fail(path, reason)
    out.print(f"{len(report.removed)} removed, {len(report.failed)} failed")
    raise typer.Exit(0 if report.ok else 1)


@app.command()
def show(
    substance: str = typer.Argument(..., help="Substance name (synonyms such as L-glutamine resolve)."),
    as_json: bool = typer.Option(False, "--json", help="The monograph as JSON."),
    db: str | None = DbOption,
) -> None:
    """Everything the knowledge base says about SUBSTANCE, each statement with its sources (the first few of
    each list, with how many more; --json prints them all)."""
    from materia.render import monograph_view

    with open_kb(db) as kb:
        if as_json:  # the whole monograph, as stored: no decoding
            sys.stdout.write(kb.monograph_json(substance) + "\n")
            return
        m = kb.monograph_head(substance)
    out.print(monograph_view(m))


@app.command()
def conflicts(
    substance: str = typer.Argument(..., help="Substance name."),
    as_json: bool = typer.Option(False, "--json", help="JSON array as in EXTRACT.md."),
    db: str | None = DbOption,
) -> None:
    """Topics on which the sources about SUBSTANCE disagree."""
    from materia.knowledge.export import conflicts_contract
    from materia.render import conflicts_view

    with open_kb(db) as kb:
        found = kb.conflicts(substance)
    answer(found, as_json, conflicts_view, conflicts_contract)


@app.command()
def interactions(
    products: list[str] = typer.Argument(..., help="Two or more products: substances, brands (Lipitor), drug "
                                                    "classes, foods."),
    as_json: bool = typer.Option(False, "--json", help="JSON array as in EXTRACT.md: one object per pair found."),
    db: str | None = DbOption,
) -> None:
    """Every pairwise interaction the sources state among PRODUCTS, strongest first, each with its sources.

    A pair no source mentions is said to be unknown, which does not mean the combination is safe."""
    from materia.knowledge.export import interactions_contract
    from materia.render import interactions_view

    names = list(dict.fromkeys(p.strip() for p in products if p.strip()))
    if len(names) < 2:
        raise typer.BadParameter("name at least two different products", param_hint="PRODUCTS")
    with open_kb(db) as kb:
        report = kb.interactions(names)
    answer(report, as_json, interactions_view, interactions_contract)


@app.command()
def history(
    substance: str = typer.Argument(..., help="Substance name (resolved as `show` does)."),
    as_json: bool = typer.Option(False, "--json", help="JSON array as in EXTRACT.md."),
    db: str | None = DbOption,
) -> None:
    """What was added to, removed from or changed in the documents about SUBSTANCE, and when."""
    from materia.knowledge.export import history_contract
    from materia.render import history_view

    with open_kb(db) as kb:
        entries = kb.history(substance)
    answer(entries, as_json, history_view, history_contract)


@app.command()
def search(
    query: str = typer.Argument(..., help="Words to look for."),
    limit: int = typer.Option(20, "--limit", min=1, help="Most results to show."),
    offset: int = typer.Option(0, "--offset", min=0, help="Results to skip (the next page: --offset 20)."),
    as_json: bool = typer.Option(False, "--json", help="Results as JSON."),
    db: str | None = DbOption,
) -> None:
    """Substances, statements (merged, grouped by substance) and documents matching QUERY."""
    from materia.render import search_view

    with open_kb(db) as kb:
        results = kb.search(query, limit=limit, offset=offset)
    answer(results, as_json, search_view)


@app.command()
def export(
    substance: str = typer.Argument(..., help="Substance name."),
    fmt: str = typer.Option("markdown", "--format", help="markdown | jsonld | csv"),
    db: str | None = DbOption,
) -> None:
    """The monograph of SUBSTANCE as Markdown, JSON-LD (schema.org) or CSV, on stdout."""
    from materia.knowledge.export import FORMATS
    from materia.knowledge.export import export as run_export

    if fmt not in FORMATS:
        raise typer.BadParameter(f"one of {', '.join(FORMATS)}", param_hint="--format")
    with open_kb(db) as kb:
        m = kb.monograph(substance)
    sys.stdout.write(run_export(m, fmt))
    if fmt != "csv":
        sys.stdout.write("\n")


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="Port to listen on."),
    db: str | None = DbOption,
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
