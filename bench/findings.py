"""Stance, evidence and references on the hand-written development set (issue 8).

  findings     tests/golden/uses/findings.yaml: one finding sentence each, with the stance and
               evidence a careful reader gives it; scored per split (dev, heldout)
  summaries    the research-summary documents of tests/golden/references: the stance of each
               expected use (and of the key findings alone), conditions under study wrongly
               given as side effects, expected side effects found
  references   the same documents: share of reference entries whose every field matches the
               hand-written expected parse (*.expected.yaml), and the share of fields

    PYTHONPATH=src .venv/bin/python bench/findings.py [--verbose]

tests/extract/test_uses.py and test_references.py load this module and hold the floors.
"""
from __future__ import annotations

import argparse
import json
import re
from pathlib import Path
from typing import Any

import yaml

from materia.extract import extract, parse, uses
from materia.ingest import read_path
from materia.types import Document, Section, Span

ROOT = Path(__file__).resolve().parents[1]
FINDINGS = ROOT / "tests" / "golden" / "uses" / "findings.yaml"
SUMMARIES = ROOT / "tests" / "golden" / "uses" / "research_summaries.expected.yaml"
DOCS = ROOT / "tests" / "golden" / "references"
RESULTS = ROOT / "bench" / "results" / "findings.json"
REFERENCE_FIELDS = ("authors", "title", "journal", "year", "volume", "pages", "pmid", "doi")


def norm(name: str) -> str:
    name = name.lower().replace("’", "'").replace("-", " ").strip()
    return re.sub(r"\s+", " ", name)


def forms(name: str) -> set[str]:
    n = norm(name)
    return {n, n[:-1]} if len(n) > 3 and n.endswith("s") else {n}


def _names(expected: dict[str, Any]) -> set[str]:
    return set().union(*(forms(n) for n in [expected["name"], *expected.get("aka", [])]))


def _sentence_document(item: dict[str, Any]) -> Document:
    text = item["text"]
    sections: tuple[Section, ...] = ()
    if item.get("section"):
        sections = (Section(title=item["section"].replace("_", " ").title(), type=item["section"],
                            span=Span(0, len(text)), body=Span(0, len(text))),)
    return Document(source="finding.txt", sha256="0", text=text, kind=item.get("kind", "article"),
                    format="text", sections=sections)


def score_findings(path: Path = FINDINGS, verbose: bool = False) -> dict[str, dict[str, float]]:
    """Per split: stance and evidence accuracy over the finding sentences."""
    items = yaml.safe_load(path.read_text(encoding="utf-8"))["findings"]
    tally: dict[str, dict[str, list[bool]]] = {}
    for item in items:
        found = uses.find(parse(_sentence_document(item)), ())
        if item["name"] is None:  # nothing in the sentence is a use
            stance_ok = evidence_ok = not found
            got = [(u.name, u.stance, u.evidence) for u in found]
        else:
            wanted = _names(item)
            use = next((u for u in found if forms(u.name) & wanted), None)
            stance_ok = use is not None and use.stance == item["stance"]
            evidence_ok = use is not None and use.evidence == item["evidence"]
            got = [(use.name, use.stance, use.evidence)] if use else [(u.name, u.stance, u.evidence) for u in found]
        split = tally.setdefault(item["split"], {"stance": [], "evidence": []})
        split["stance"].append(stance_ok)
        split["evidence"].append(evidence_ok)
        if verbose and not (stance_ok and evidence_ok):
            print(f"  [{item['split']}] want {item['name']} {item['stance']}/{item['evidence']}, got {got}\n"
                  f"      {item['text']}")
    return {split: {k: sum(v) / len(v) for k, v in t.items()} | {"n": float(len(t["stance"]))}
            for split, t in sorted(tally.items())}


def score_summaries(verbose: bool = False) -> dict[str, float]:
    """Stance of expected uses, conditions under study given as side effects, side effects found."""
    expected = yaml.safe_load(SUMMARIES.read_text(encoding="utf-8"))
    stance: list[bool] = []
    key: list[bool] = []
    wrong_effects = 0
    effects_found: list[bool] = []
    for stem, want in expected.items():
        x = extract(read_path(str(DOCS / f"{stem}.txt")))
        for item in want["uses"]:
            names = _names(item)
            use = next((u for u in x.uses if forms(u.name) & names), None)
            ok = use is not None and use.stance == item["stance"]
            stance.append(ok)
            if item.get("key"):
                key.append(ok)
            if verbose and not ok:
                print(f"  {stem}: {item['name']} want {item['stance']}, got {use.stance if use else None}")
        banned = set().union(*(forms(n) for n in want["not_effects"]))
        bad = [e.name for e in x.effects if not e.negated and forms(e.name) & banned]
        wrong_effects += len(bad)
        if verbose and bad:
            print(f"  {stem}: conditions under study given as side effects: {bad}")
        got_effects = set().union(set(), *(forms(e.name) for e in x.effects))
        effects_found.extend(bool(forms(n) & got_effects) for n in want["effects"])
    return {"uses_stance": sum(stance) / len(stance), "key_findings_stance": sum(key) / len(key),
            "key_findings_n": float(len(key)), "conditions_as_effects": float(wrong_effects),
            "effects_recall": sum(effects_found) / len(effects_found)}


def score_references(verbose: bool = False) -> dict[str, dict[str, float]]:
    """Per document: entries fully right, and fields right, against the hand-written parse."""
    out: dict[str, dict[str, float]] = {}
    for path in sorted(DOCS.glob("*.expected.yaml")):
        stem = path.name.removesuffix(".expected.yaml")
        want = yaml.safe_load(path.read_text(encoding="utf-8"))
        got = {r.n: r for r in extract(read_path(str(DOCS / f"{stem}.txt"))).references}
        entries: list[bool] = []
        fields: list[bool] = []
        for item in want:
            ref = got.get(item["n"])
            checks = [ref is not None and (list(getattr(ref, f)) if f == "authors" else getattr(ref, f)) == item[f]
                      for f in REFERENCE_FIELDS]
            fields.extend(checks)
            entries.append(all(checks))
            if verbose and not all(checks):
                bad = [f for f, ok in zip(REFERENCE_FIELDS, checks, strict=True) if not ok]
                print(f"  {stem} [{item['n']}] wrong {bad}: "
                      f"{ {f: getattr(ref, f) for f in bad} if ref else 'missing'}")
        out[stem] = {"entries": sum(entries) / len(entries), "fields": sum(fields) / len(fields),
                     "n": float(len(want)), "found": float(len(got))}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    result = {"findings": score_findings(verbose=args.verbose), "summaries": score_summaries(args.verbose),
              "references": score_references(args.verbose)}
    for split, s in result["findings"].items():
        print(f"findings {split:8s} n={s['n']:.0f} stance {s['stance']:.2f} evidence {s['evidence']:.2f}")
    s = result["summaries"]
    print(f"summaries: key findings stance {s['key_findings_stance']:.2f} (n={s['key_findings_n']:.0f}), "
          f"all expected uses {s['uses_stance']:.2f}, conditions under study as side effects "
          f"{s['conditions_as_effects']:.0f}, side effects found {s['effects_recall']:.2f}")
    for stem, r in result["references"].items():
        print(f"references {stem}: {r['found']:.0f} parsed of {r['n']:.0f}, entries fully right {r['entries']:.2f}, "
              f"fields {r['fields']:.2f}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
