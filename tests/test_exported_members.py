"""The public names of each package, listed here so that changing an API is a deliberate act.

Adding, renaming or removing a public name means editing its `__all__` and this list together.
"""
from __future__ import annotations

import importlib
import inspect

import pytest

EXPORTED: dict[str, list[str]] = {
    "materia.types": [
        "Document", "DocumentKind", "Dose", "Effect", "Evidence", "Extraction", "Interaction", "InteractionType", "MarkedName",
        "Partner", "Per", "Post", "Precaution", "RedFlag", "Reference", "Section", "SectionType", "Severity", "Span",
        "Stance", "Statement", "StatementTopic", "Use", "Verdict",
    ],
    "materia.extract": ["Parsed", "extract", "parse"],
    "materia.ingest": ["READERS", "RawFile", "from_bytes", "load", "read_bytes", "read_documents", "read_path",
                       "read_raw", "reader"],
    "materia.knowledge": [
        "CheckedName", "Citation", "Claim", "ClassMatch", "Community", "ConditionReports", "ConditionVerdicts",
        "Conflict", "DocumentItem", "DoseFlag", "DoseRange", "DoseSummary", "InteractionPair", "InteractionReport",
        "InteractionSource", "KnowledgeBase", "Location", "LruCache", "Monograph",
        "MonographSection", "Position", "Report", "ReportedEffect", "SearchHit", "SearchResults", "SourceInfo",
        "StoredDocument",
        "SubstanceSummary", "UseGrade", "normalise_substance",
    ],
    "materia.store": ["DocumentInfo", "DocumentMatch", "HistoryEntry", "Prepared", "QueryBudget", "Reader",
                      "Snippet", "StatementMatch", "Store", "StoredItem", "SubstanceSummary", "connect",
                      "open_reader", "prepare"],
    "materia.web": ["create_app", "serve"],
    "materia.pipeline": [
        "Failure", "IngestReport", "Processed", "Progress", "Work", "build_summaries", "expand_paths", "extract_file",
        "ingest", "process", "refresh_summaries", "remove", "source_of", "warm_up",
    ],
    "materia.runners": ["Cluster", "InProcess", "Pool", "Runner", "WorkerLost", "default_workers"],
}


@pytest.mark.parametrize("name", sorted(EXPORTED))
def test_exported_members_are_pinned(name: str) -> None:
    module = importlib.import_module(name)
    assert sorted(module.__all__) == sorted(EXPORTED[name])
    assert len(set(module.__all__)) == len(module.__all__)
    missing = [n for n in module.__all__ if not hasattr(module, n)]
    assert not missing, f"{name}.__all__ names what the module lacks: {missing}"


@pytest.mark.parametrize("name", ["materia.types", "materia.pipeline", "materia.runners"])
def test_exported_members_cover_every_public_definition(name: str) -> None:
    """A public class or function defined in the module itself is exported (or named with a leading underscore)."""
    module = importlib.import_module(name)
    defined = {n for n, v in vars(module).items()
               if not n.startswith("_") and (inspect.isclass(v) or inspect.isfunction(v)) and v.__module__ == name}
    assert defined - set(module.__all__) == set()


def test_no_module_binds_a_top_level_name_twice() -> None:
    """A constant, function or class defined twice at the top of a module: the second silently replaces the first
    for every use, the first's too (two `_EXCEPT` patterns in extract/experience.py once did)."""
    import ast
    from collections import Counter
    from pathlib import Path

    package = Path(importlib.import_module("materia").__file__).parent
    twice = {}
    for path in sorted(package.rglob("*.py")):
        names: Counter[str] = Counter()
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, (ast.Assign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                names.update(t.id for t in targets if isinstance(t, ast.Name))
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names[node.name] += 1
        bound = sorted(n for n, count in names.items() if count > 1 and n not in ("__all__",))
        if bound:
            twice[str(path.relative_to(package))] = bound
    assert twice == {}
