from __future__ import annotations

import functools
import importlib.util
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import settings

# No per-example deadline: an example that first loads a vocabulary (pint's unit registry: about a second)
# or runs on a busy CI machine is slow once, not wrong; Hypothesis would call that test flaky.
settings.register_profile("materia", deadline=None)
settings.load_profile("materia")

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = ROOT / "src" / "materia" / "examples" / "seeds"
CORPORA = SHARED / "corpora"


def pytest_configure(config: pytest.Config) -> None:
    """Compiled vocabularies go to a folder of the run's own, never the user's cache (the commands the tests run
    inherit it); each run starts with it empty, as a first run after an install does."""
    os.environ["MATERIA_CACHE_DIR"] = tempfile.mkdtemp(prefix="materia-cache-")


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(os.environ.pop("MATERIA_CACHE_DIR", ""), ignore_errors=True)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update", action="store_true", help="rewrite golden files instead of comparing")


@pytest.fixture(scope="session")
def repo_module() -> Callable[[str], ModuleType]:
    """A file of bench/ or scripts/ (no package) as a module, loaded once: `repo_module("bench/findings.py")`.
    It is registered in sys.modules, as an import would, so its dataclasses can find their module."""

    @functools.cache
    def load(relative: str) -> ModuleType:
        name = f"repo_{Path(relative).stem}"
        spec = importlib.util.spec_from_file_location(name, ROOT / relative)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
        return module

    return load


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update"))


@pytest.fixture(scope="session")
def seeds() -> dict[str, Path]:
    return {p.name[:3]: p for p in sorted(SEEDS.glob("*.txt"))}


@pytest.fixture(scope="session")
def corpora() -> Path:
    if not CORPORA.exists():
        pytest.skip("../shared/corpora is not beside the project")
    return CORPORA


@pytest.fixture
def assert_golden(update_golden: bool):
    """Compare `got` with the JSON golden file at `path`; `pytest --update` rewrites it instead."""
    import json

    def check(path: Path, got: object) -> None:
        if update_golden or not path.exists():
            path.write_text(json.dumps(got, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        assert got == json.loads(path.read_text(encoding="utf-8"))

    return check


@pytest.fixture
def monograph():  # type: ignore[no-untyped-def]
    """A small glutamine monograph built by hand from stored items of three sources (no database):
    two sources disagree on timing and on diarrhoea, a label names two red flags in one sentence,
    one forum post reports a headache."""
    from datetime import date

    from materia.knowledge.monograph import build
    from materia.store import DocumentInfo, StoredItem
    from materia.types import Span

    article = DocumentInfo(1, "docs/article.txt", "article", "Glutamine review", date(2024, 5, 1), "glutamine", True)
    label = DocumentInfo(2, "docs/label.xml", "label", "Glutamine review", None, "glutamine", False)
    forum = DocumentInfo(3, "docs/forum.html", "community", None, None, "glutamine", False)

    def item(n: int, doc: DocumentInfo, category: str, name: str, stance: str | None, evidence: str | None,
             text: str, span: tuple[int, int], **payload: object) -> StoredItem:
        return StoredItem(n, doc, category, "glutamine", name, stance, evidence, text, Span(*span), dict(payload))

    flags = "Stop if you have chest pain or fainting."
    items = [
        item(1, article, "use", "diarrhoea", "benefit", "rct", "It eases <b>diarrhoea</b> in two RCTs.", (0, 20),
             sentence=[0, 40]),
        item(2, label, "use", "diarrhea", "no_benefit", "none", "No benefit for diarrhea was shown.", (5, 15),
             sentence=[0, 34]),
        item(3, article, "dose", "diarrhoea", None, None, "Take 5-10 g a day.", (50, 60),
             low=5, high=10, unit="g", per="day", context="diarrhoea"),
        item(4, label, "dose", "diarrhoea", None, None, "500 mg twice daily.", (70, 80),
             low=None, high=500, unit="mg", per="dose", times_per_day=[2, 2], context="diarrhoea"),
        item(5, label, "red_flag", "chest pain", None, None, flags, (90, 100), sentence=[85, 125]),
        item(6, label, "red_flag", "fainting", None, None, flags, (105, 113), sentence=[85, 125]),
        item(7, article, "statement", "timing", "with food", None, "Take it with food.", (130, 148)),
        item(8, label, "statement", "timing", "empty stomach", None, "Take on an empty stomach.", (160, 185)),
        item(9, forum, "post", "ann", "4", None, "Helped my gut, but gave me a headache.", (0, 50),
             author="ann", rating=4, date="2020-01-02", topic="gut"),
        item(10, forum, "effect", "headache", None, None, "gave me a headache", (30, 38)),
    ]
    return build("glutamine", [article, label, forum], items)
