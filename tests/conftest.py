from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = ROOT / "src" / "materia" / "examples" / "seeds"
CORPORA = SHARED / "corpora"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update", action="store_true", help="rewrite golden files instead of comparing")


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
