"""The `materia` command: thin wrappers, each calling one library function."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from materia.errors import MateriaError, ReadError
from materia.settings import Settings

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="materia: what people write about supplements and medicines, with the evidence for every statement.")
out = Console(highlight=False)
err = Console(stderr=True, highlight=False)

DbOption = typer.Option(None, "--db", help="Knowledge base: SQLite path or SQLAlchemy URL (default: MATERIA_DB, "
                                           "else an SQLite file in the user data directory).")


def fail(path: str, reason: str) -> None:
    """One line on stderr naming the file and the reason, as the contract says."""
    sys.stderr.write(f"materia: {path}: {reason}\n")


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
        for note in extraction.document.notes:
            fail(path, note)
        if as_json:
            sys.stdout.write(json.dumps(to_contract(extraction), ensure_ascii=False) + "\n")
            sys.stdout.flush()
        else:
            out.print(extraction_summary(extraction))
    raise typer.Exit(1 if failed else 0)


@app.command()
def seeds() -> None:
    """Print the paths of the bundled seed documents."""
    for path in bundled_seeds():
        out.print(str(path))


def main() -> None:
    try:
        app()
    except MateriaError as exc:
        err.print(f"materia: {exc}")
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
