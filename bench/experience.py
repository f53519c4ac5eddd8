#!/usr/bin/env python3
"""What posts and reviews report: effect spans (P/R/F1 strict and lenient) and uses found with the right verdict.

    PYTHONPATH=src python bench/experience.py [--shared ../shared] [--json bench/results/experience.json]

1. The development set (tests/extract/fixtures/experience/: 100 DrugLib test reviews + 60 healthsea dev
   sentences, README there) read as the files a user would give: each text written to a .txt file and read
   with the sniffed kind (the share sniffed as a post is reported too).
2. The same DrugLib reviews read as the rows of their table (drugLibTest_raw.tsv through the review reader: one
   Document per row, one section per free-text column), gold spans carried from the joined text to the columns.
3. healthsea clausecat dev (held out from the verdict model, trained on clausecat train): each clause with its
   entity restored from annotation.jsonl, read as a post; accuracy of the verdict on the entity by class
   (POSITIVE = helped, NEGATIVE = got worse or appeared, NEUTRAL = no claim or did nothing, ANAMNESIS = history).
4. Roles without annotation: the other DrugLib test reviews, each field read as a post: the share of what the
   side-effects field names read as effects, of what the benefits field names read as uses.
5. Speed: chars/s of extraction on the DrugLib test file's reviews, each read as a post (CPU time).
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from collections import Counter
from itertools import pairwise
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "extract" / "fixtures" / "experience"
# scored in aggregate only, never read per post (its README)
HELDOUT = ROOT / "tests" / "extract" / "fixtures" / "experience_heldout"
# fresh blind draws of DrugLib test reviews, annotated before the extractor read them: aggregate only (its README)
UNSEEN = ROOT / "tests" / "extract" / "fixtures" / "experience_unseen"

from materia.extract import extract  # noqa: E402
from materia.ingest import read_documents, read_path  # noqa: E402


def locate(text: str, needle: str, nth: int) -> tuple[int, int]:
    pos = -1
    for _ in range(nth):
        pos = text.find(needle, pos + 1)
        if pos < 0:
            raise SystemExit(f"gold text not found: {needle!r}")
    return pos, pos + len(needle)


def gold_items(text: str, items: list[str]) -> list[dict[str, Any]]:
    out = []
    for item in items:
        kind, needle, *rest = item.split("|")
        start, end = locate(text, needle, int(rest[0]) if rest else 1)
        out.append({"type": kind, "span": (start, end)})
    return out


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def match(gold: list[tuple[int, int]], pred: list[tuple[int, int]], strict: bool) -> int:
    """Matched pairs, each gold and prediction used once (exact spans first, then overlaps)."""
    used: set[int] = set()
    hits = 0
    for g in gold:
        best = next((k for k, p in enumerate(pred) if k not in used and p == g), None)
        if best is None and not strict:
            best = next((k for k, p in enumerate(pred) if k not in used and _overlap(p, g)), None)
        if best is not None:
            used.add(best)
            hits += 1
    return hits


def prf(tp_gold: int, n_gold: int, tp_pred: int, n_pred: int) -> dict[str, float]:
    p = tp_pred / n_pred if n_pred else 1.0
    r = tp_gold / n_gold if n_gold else 1.0
    return {"p": round(p, 3), "r": round(r, 3), "f1": round(2 * p * r / (p + r) if p + r else 0.0, 3)}


_VERDICT = {"U+": "helped", "U0": "nothing", "U-": "worse"}


def _score(tally: Counter[str], x: Any, items: list[dict[str, Any]]) -> None:
    """Add one extraction's effects and uses, scored against its gold items, to `tally`."""
    g_eff = [i["span"] for i in items if i["type"] == "E"]
    ignore = [i["span"] for i in items if i["type"] == "X"]
    p_eff = [(e.span.start, e.span.end) for e in x.effects if not e.negated
             and not any(_overlap((e.span.start, e.span.end), s) for s in ignore)]
    tally["gold"] += len(g_eff)
    tally["pred"] += len(p_eff)
    tally["strict"] += match(g_eff, p_eff, strict=True)
    tally["lenient_gold"] += match(g_eff, p_eff, strict=False)
    tally["lenient_pred"] += match(p_eff, g_eff, strict=False)
    # what became of the effects not found: read as a use, read as negated, or not read at all
    p_any_use = [(u.span.start, u.span.end) for u in x.uses]
    p_neg_eff = [(e.span.start, e.span.end) for e in x.effects if e.negated]
    for g in g_eff:
        if not any(_overlap(g, p) for p in p_eff):
            tally["missed_as_use" if any(_overlap(g, p) for p in p_any_use) else
                  "missed_as_negated" if any(_overlap(g, p) for p in p_neg_eff) else "missed_unread"] += 1
    uses = [(u.span.start, u.span.end, getattr(u, "verdict", None) or ("helped" if u.stance == "benefit" else
                                                                    "nothing" if u.stance == "no_benefit" else None))
            for u in x.uses]
    worse_spans = [(e.span.start, e.span.end) for e in x.effects if not e.negated]
    for i in items:
        if i["type"] not in _VERDICT:
            continue
        tally["uses_gold"] += 1
        want = _VERDICT[i["type"]]
        found = [v for s, e, v in uses if _overlap((s, e), i["span"])]
        if want == "worse" and any(_overlap(s, i["span"]) for s in worse_spans):
            found.append("worse")
        tally["uses_found"] += bool(found)
        tally["uses_right"] += want in found
    g_use = [i["span"] for i in items if i["type"] in _VERDICT]
    p_use = [(s, e) for s, e, _ in uses if not any(_overlap((s, e), z) for z in ignore)]
    tally["uses_pred"] += len(p_use)
    tally["uses_pred_ok"] += match(p_use, g_use, strict=False)
    g_neg = [i["span"] for i in items if i["type"] == "N"]
    p_neg = [(e.span.start, e.span.end) for e in x.effects if e.negated]
    tally["neg_gold"] += len(g_neg)
    tally["neg_found"] += match(g_neg, p_neg, strict=False)


def _summary(tally: Counter[str], n: int, sniffed: int) -> dict[str, Any]:
    return {
        "posts": n, "sniffed_as_post": round(sniffed / max(1, n), 3),
        "effects": {"gold": tally["gold"], "predicted": tally["pred"],
                    "strict": prf(tally["strict"], tally["gold"], tally["strict"], tally["pred"]),
                    "lenient": prf(tally["lenient_gold"], tally["gold"], tally["lenient_pred"], tally["pred"])},
        "uses": {"gold": tally["uses_gold"], "found": round(tally["uses_found"] / max(1, tally["uses_gold"]), 3),
                 "found_right_verdict": round(tally["uses_right"] / max(1, tally["uses_gold"]), 3),
                 "precision": round(tally["uses_pred_ok"] / max(1, tally["uses_pred"]), 3)},
        "negated_effects_found": f"{tally['neg_found']}/{tally['neg_gold']}",
        "effects_missed": {k: tally[f"missed_{k}"] for k in ("as_use", "as_negated", "unread")},
    }


def dev_set(folder: Path) -> dict[str, Any]:
    posts = [json.loads(line) for line in (folder / "posts.jsonl").read_text(encoding="utf-8").splitlines()]
    gold = yaml.safe_load((folder / "annotations.yaml").read_text(encoding="utf-8"))
    results: dict[str, Any] = {}
    for subset in ("druglib", "healthsea", "all"):
        tally: Counter[str] = Counter()
        sniffed = 0
        chosen = [p for p in posts if subset == "all" or p["id"].startswith(subset)]
        with tempfile.TemporaryDirectory() as tmp:
            for post in chosen:
                path = Path(tmp) / f"{post['id']}.txt"
                path.write_text(post["text"], encoding="utf-8")
                x = extract(read_path(str(path)))
                sniffed += x.document.kind == "community"
                _score(tally, x, gold_items(post["text"], gold[post["id"]]))
        results[subset] = _summary(tally, len(chosen), sniffed)
    return results


_REVIEW_FIELDS = ("Benefits review", "Side effects review", "Comments review")  # the order the dev set joins them


def review_rows(folder: Path, shared: Path) -> dict[str, Any]:
    """The DrugLib reviews of the development set read as the rows of their table (one Document per row, the
    review reader's per-column sections). A gold item, the nth occurrence of its text in the joined review, is
    the nth occurrence of that text in the row's free-text columns; rows where one is not found are left out."""
    posts = [json.loads(line) for line in (folder / "posts.jsonl").read_text(encoding="utf-8").splitlines()]
    gold = yaml.safe_load((folder / "annotations.yaml").read_text(encoding="utf-8"))
    table = shared / "corpora" / "druglib_reviews" / "drugLibTest_raw.tsv"
    rows = {d.text.split("\t", 1)[0]: d for d in read_documents(str(table))}
    tally: Counter[str] = Counter()
    scored = unmapped = as_review = 0
    for post in posts:
        if not post["id"].startswith("druglib-test-") or post["record"] not in rows:
            continue
        doc = rows[post["record"]]
        body = doc.posts[0].body or doc.posts[0].span
        items = []
        for item in gold[post["id"]]:
            kind, needle, *rest = item.split("|")
            start = body.start - 1
            for _ in range(int(rest[0]) if rest else 1):
                start = doc.text.find(needle, start + 1, body.end)
                if start < 0:
                    break
            if start < 0:
                break
            items.append({"type": kind, "span": (start, start + len(needle))})
        else:
            _score(tally, extract(doc), items)
            scored += 1
            as_review += doc.kind == "review"
            continue
        unmapped += 1
    summary = _summary(tally, scored, 0)
    del summary["sniffed_as_post"]
    return {**summary, "read_as_review": round(as_review / max(1, scored), 3), "not_mapped": unmapped}


def clausecat(shared: Path) -> dict[str, Any]:
    """Verdict accuracy on healthsea clausecat dev, held out from the verdict model."""
    import spacy
    from spacy.tokens import DocBin

    from materia.extract import experience
    from materia.extract.parse import parse
    from materia.ingest.posts import as_post
    from materia.types import Document

    folder = shared / "corpora" / "healthsea" / "clausecat"
    entities: dict[str, list[str]] = {}
    for line in (folder / "annotation.jsonl").read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        ents = rec.get("meta", {}).get("entities")
        if isinstance(ents, str):
            ents = [e.strip() for e in ents.strip("[]").split(",") if e.strip()]
        if ents and rec.get("text"):
            entities[rec["text"]] = [str(e).replace("_", " ") for e in ents]
    nlp = spacy.blank("en")
    tally: Counter[str] = Counter()
    for doc in DocBin().from_disk(folder / "dev.spacy").get_docs(nlp.vocab):
        blanks = re.findall(r"<(?:CONDITION|BENEFIT)>", doc.text)
        ents = entities.get(doc.text)
        if len(blanks) != 1 or not ents:
            continue
        label = max(doc.cats, key=doc.cats.__getitem__)
        k = doc.text.index(blanks[0])
        text = doc.text[:k] + ents[0] + doc.text[k + len(blanks[0]):]
        span = (k, k + len(ents[0]))
        document = as_post(Document(source="clause", sha256="", text=text, kind="community", format="text"))
        reading = experience.find(parse(document))
        uses = [u for u in reading.uses if _overlap((u.span.start, u.span.end), span)]
        effects = [e for e in reading.effects if _overlap((e.span.start, e.span.end), span) and not e.negated]
        found = bool(uses or effects or any(_overlap((e.span.start, e.span.end), span) for e in reading.effects))
        verdicts = {u.verdict for u in uses}
        if label == "POSITIVE":
            right = "helped" in verdicts
        elif label == "NEGATIVE":
            right = bool(effects) or "worse" in verdicts
        elif label == "NEUTRAL":
            right = found and not effects and not verdicts & {"helped", "worse"}
        else:  # ANAMNESIS: history, no claim
            right = not effects and not verdicts & {"helped", "worse"}
        tally[f"{label}.n"] += 1
        tally[f"{label}.found"] += found
        tally[f"{label}.right"] += right
    out: dict[str, Any] = {}
    for label in ("POSITIVE", "NEUTRAL", "NEGATIVE", "ANAMNESIS"):
        n = tally[f"{label}.n"]
        out[label] = {"n": n, "found": round(tally[f"{label}.found"] / max(1, n), 3),
                      "right": round(tally[f"{label}.right"] / max(1, n), 3)}
    total = sum(tally[f"{c}.n"] for c in ("POSITIVE", "NEUTRAL", "NEGATIVE", "ANAMNESIS"))
    out["accuracy"] = round(sum(tally[f"{c}.right"] for c in ("POSITIVE", "NEUTRAL", "NEGATIVE", "ANAMNESIS"))
                            / max(1, total), 3)
    claims = ("POSITIVE", "NEGATIVE")
    out["helped_or_worse_right"] = round(sum(tally[f"{c}.right"] for c in claims)
                                         / max(1, sum(tally[f"{c}.n"] for c in claims)), 3)
    return out


def druglib_fields(shared: Path) -> dict[str, Any]:
    """Roles on a large sample without annotation: the DrugLib test reviews outside both annotated sets, each
    free-text field read as a post on its own (as a forum post has no fields). What a reviewer names in the
    side-effects field should mostly read as effects, what they name in the benefits field as uses: the
    share of the field's mentions read each way (the other way, and neither, are the errors)."""
    from materia.extract import experience
    from materia.extract.parse import parse
    from materia.ingest.posts import as_post
    from materia.types import Document

    annotated = {json.loads(line)["record"] for folder in (FIXTURES, HELDOUT, UNSEEN)
                 for line in (folder / "posts.jsonl").read_text(encoding="utf-8").splitlines()}
    raw = (shared / "corpora" / "druglib_reviews" / "drugLibTest_raw.tsv").read_text(encoding="utf-8")
    starts = [m.start() for m in re.finditer(r"(?m)^\d+\t", raw)] + [len(raw)]
    tally: Counter[str] = Counter()
    for a, b in pairwise(starts):
        cells = raw[a:b].split("\t")
        if len(cells) < 9 or cells[0] in annotated:
            continue
        for field, column in (("benefits", 6), ("side_effects", 7)):
            text = cells[column].strip().strip('"')
            if not text.strip():
                continue
            reading = experience.find(parse(as_post(Document(source="f", sha256="", text=text, kind="community",
                                                             format="text"))))
            for e in reading.effects:
                tally[f"{field}.{'negated' if e.negated else 'effect'}"] += 1
            tally[f"{field}.use"] += len(reading.uses)
    out: dict[str, Any] = {}
    for field in ("benefits", "side_effects"):
        n = sum(tally[f"{field}.{k}"] for k in ("effect", "use", "negated"))
        shares = {k: round(tally[f"{field}.{k}"] / max(1, n), 3) for k in ("effect", "use", "negated")}
        out[field] = {"items": n, **shares}
    return out


def speed(shared: Path) -> dict[str, Any]:
    from materia.extract.parse import parse  # noqa: F401
    from materia.ingest.posts import as_post
    from materia.types import Document

    raw = (shared / "corpora" / "druglib_reviews" / "drugLibTest_raw.tsv").read_text(encoding="utf-8")
    starts = [m.start() for m in re.finditer(r"(?m)^\d+\t", raw)] + [len(raw)]
    texts = ["\n\n".join(c.strip().strip('"') for c in raw[a:b].split("\t")[6:9]) for a, b in pairwise(starts)]
    docs = [as_post(Document(source=f"r{i}", sha256="", text=t, kind="community", format="text"))
            for i, t in enumerate(texts) if t.strip()]
    from materia.quantities import unit_factor

    unit_factor("g", "mg")  # the unit registry and the vocabularies load once, outside the timing
    for d in docs[:20]:
        extract(d)
    t0, c0 = time.perf_counter(), time.process_time()
    for d in docs:
        extract(d)
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    chars = sum(len(d.text) for d in docs)
    return {"posts": len(docs), "chars": chars, "seconds": round(seconds, 2), "chars_per_s": round(chars / seconds),
            "cpu_seconds": round(cpu, 2), "cpu_chars_per_s": round(chars / cpu)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--skip", nargs="*", default=[],
                        choices=["dev", "heldout", "unseen", "rows", "fields", "clausecat", "speed"])
    args = parser.parse_args()
    result: dict[str, Any] = {}
    if "dev" not in args.skip:
        result["dev_set"] = dev_set(FIXTURES)
    if "heldout" not in args.skip:
        result["heldout_set"] = dev_set(HELDOUT)
    if "unseen" not in args.skip:
        result["unseen_draws"] = dev_set(UNSEEN)
    if "rows" not in args.skip:
        result["druglib_review_rows"] = review_rows(FIXTURES, args.shared)
    if "fields" not in args.skip:
        result["druglib_fields"] = druglib_fields(args.shared)
    if "clausecat" not in args.skip:
        result["healthsea_clausecat_dev"] = clausecat(args.shared)
    if "speed" not in args.skip:
        result["speed"] = speed(args.shared)
    text = json.dumps(result, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
