"""TAC 2017 ADR benchmark: adverse-reaction spans in FDA drug-label sections.

Every <Section> of ../shared/corpora/tac2017_adr/train_xml/*.xml becomes a plain-text label
document "Heading\\n\\nsection text" (gold offsets shift by len(heading) + 2), its one section typed
from the heading, and runs through materia.extract.effects. Predicted effects and red flags
(negated included) are scored against <Mention type="AdverseReaction">: STRICT (identical span)
and lenient (overlap), micro P/R/F1. Discontinuous gold mentions ("start1,start2") count as gold.

Everything learned from the labels (mention strings to add, surface forms to drop, side words,
and the span model of materia.extract.effect_spans: edge and keep weights) is scored by 5-fold
cross-validation split by label file: learn from the labels of 4 folds, score the 5th, so no
label is ever scored by anything learned from it. The production lexicon and model
(`--write-lexicon`) learn from all labels; their F1 on the same labels would be optimistic and
is not reported.

    .venv/bin/python bench/tac_adr.py [--folds 5] [--labels N] [--write-lexicon] [--cli 3]
"""
from __future__ import annotations

import argparse
import dataclasses
import functools
import hashlib
import json
import re
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from materia.extract import effects
from materia.extract.effect_spans import MAX_EDGE, SpanModel, edge_features, tokenise
from materia.extract.parse import Parsed, parse
from materia.ingest import read_path
from materia.lexicons import effects as lexicon
from materia.types import Document, Section, SectionType, Span

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpora" / "tac2017_adr" / "train_xml"
RESULTS = ROOT / "bench" / "results" / "tac_adr.json"
LEXICON = ROOT / "src" / "materia" / "lexicons" / "effects_tac.tsv"
SECTION_TYPES: dict[str, SectionType] = {
    "adverse reactions": "side_effects", "warnings and precautions": "warnings",
    "boxed warning": "boxed_warning", "warnings": "warnings", "precautions": "precautions",
}
MIN_DROP_HITS = 3
MAX_DROP_PRECISION = 0.3
MIN_LEFT_SEEN = 2
EDGE_L2 = 1.0
KEEP_L2 = 1.0
KEEP_BIAS = 0.0
MODEL = ROOT / "src" / "materia" / "lexicons" / "effects_tac_model.tsv"
MODEL_HEADER = (
    "# Span model of adverse-reaction mentions on drug labels (materia.extract.effect_spans): logistic weights\n"
    "# of the edge model (does a mention take in the word beside it) and the keep model (is a candidate an\n"
    "# adverse reaction), learned from the TAC 2017 ADR training labels (101 FDA drug labels).\n"
    "# source: TAC 2017 ADR track (bionlp.nlm.nih.gov/tac2017adversereactions), via github.com/tatonetti-lab/"
    "onsides-task1; built by bench/tac_adr.py --write-lexicon\n"
    "# licence: weights derived from NLM/FDA US-government work (public domain); CC0-1.0\n"
    "# kind\tfeature\tweight\n"
)


@dataclass(frozen=True, eq=False)
class TacSection:
    label: str
    heading: str
    document: Document
    gold: frozenset[tuple[int, int]]  # contiguous mentions, document offsets
    gold_parts: tuple[tuple[tuple[int, int], ...], ...]  # discontinuous mentions: their parts


def corpus_sha256(corpus: Path = CORPUS) -> str:
    digest = hashlib.sha256()
    for path in sorted(corpus.glob("*.xml")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def load(corpus: Path = CORPUS) -> list[TacSection]:
    """Sections of every label, as Documents with gold spans in document offsets."""
    out = []
    for path in sorted(corpus.glob("*.xml")):
        root = ET.parse(path).getroot()
        mentions: dict[str, list[tuple[str, str]]] = {}
        for m in root.iter("Mention"):
            if m.get("type") == "AdverseReaction":
                mentions.setdefault(m.get("section", ""), []).append((m.get("start", ""), m.get("len", "")))
        for sec in root.iter("Section"):
            body = sec.text or ""
            heading = (sec.get("name") or "section").title()
            shift = len(heading) + 2
            text = heading + "\n\n" + body
            gold, parts = set(), []
            for starts, lens in mentions.get(sec.get("id", ""), []):
                spans = tuple((int(s) + shift, int(s) + shift + int(n)) for s, n in zip(starts.split(","), lens.split(","), strict=False))  # noqa: E501
                if len(spans) == 1:
                    gold.add(spans[0])
                else:
                    parts.append(spans)
            doc = Document(source=f"{path.stem}:{sec.get('id')}", sha256="", text=text, kind="label", format="text",
                           title=heading, sections=(Section(title=heading, type=SECTION_TYPES.get(heading.lower(), "warnings"),  # noqa: E501
                                                            span=Span(0, len(text)), body=Span(shift, len(text))),))
            out.append(TacSection(path.stem, heading, doc, frozenset(gold), tuple(parts)))
    return out


@functools.cache
def parsed_section(section: TacSection) -> Parsed:
    """Sentence spans of a section, computed once for all folds."""
    return parse(section.document)


Mention = tuple[tuple[int, int], ...]  # a mention's pieces: one for a contiguous mention


def predict(section: TacSection, matcher: effects.Matcher | None) -> set[Mention]:
    parsed = parsed_section(section)
    # without the learned model, hypothetical mentions ("if anaphylaxis occurs, stop") are left out: the
    # cue catches more that are not reactions ("monitor for signs of") than are; the model reads the cue itself
    learned = (matcher or effects.default_matcher()).model is not None
    out: set[Mention] = {tuple((p.start, p.end) for p in e.parts) or ((e.span.start, e.span.end),)
                         for e in effects.find(parsed, matcher) if learned or not e.hypothetical}
    out |= {((r.span.start, r.span.end),) for r in effects.find_red_flags(parsed, matcher)}
    return out


def score(sections: list[TacSection], predictions: list[set[Mention]]) -> dict[str, float]:
    tp_s = tp_l_pred = tp_l_gold = n_pred = n_gold = 0
    for sec, pred in zip(sections, predictions, strict=False):
        gold_all = [((a, b),) for a, b in sec.gold] + list(sec.gold_parts)
        n_pred += len(pred)
        n_gold += len(gold_all)
        tp_s += len(pred & set(gold_all))
        tp_l_pred += sum(any(s < b and a < e for g in gold_all for a, b in g for s, e in p) for p in pred)
        tp_l_gold += sum(any(s < b and a < e for p in pred for s, e in p for a, b in g) for g in gold_all)

    def f1(p: float, r: float) -> float:
        return 2 * p * r / (p + r) if p + r else 0.0

    sp, sr = tp_s / max(n_pred, 1), tp_s / max(n_gold, 1)
    lp, lr = tp_l_pred / max(n_pred, 1), tp_l_gold / max(n_gold, 1)
    return {"strict_p": sp, "strict_r": sr, "strict_f1": f1(sp, sr), "lenient_p": lp, "lenient_r": lr,
            "lenient_f1": f1(lp, lr), "predicted": n_pred, "gold": n_gold}


def base_vocabulary() -> dict[str, str]:
    """HPO and curated lay names: what the extractor knows without the TAC labels."""
    vocab = dict(lexicon.hpo_terms())
    vocab.update(lexicon.lay_terms())
    return vocab


@dataclass(frozen=True)
class Learned:
    """Everything learned from a set of labels: mention strings, dropped surface forms, side words, span model."""

    terms: dict[str, str]
    drops: set[str]
    left: set[str]
    right: set[str]
    model: SpanModel | None = None
    matcher: effects.Matcher | None = None  # built from the above without the model, to reuse


def learn(train: list[TacSection], *, model: bool = True) -> Learned:
    """Mention strings to add, surface forms to drop, side words and the span model, from `train` only."""
    base = base_vocabulary()
    learned: dict[str, str] = {}
    for sec in train:
        for s, e in sec.gold:
            surface = effects.normalise(sec.document.text[s:e])
            if surface and surface not in base:
                learned.setdefault(surface, surface)
    matcher = effects.Matcher.build({**learned, **base})
    hits: Counter[str] = Counter()
    good: Counter[str] = Counter()
    for sec in train:
        for mention in predict(sec, matcher):
            if len(mention) == 1:
                surface = effects.normalise(sec.document.text[mention[0][0]:mention[0][1]])
                hits[surface] += 1
                good[surface] += mention[0] in sec.gold
    drops = {s for s, n in hits.items() if n >= MIN_DROP_HITS and good[s] / n < MAX_DROP_PRECISION}
    learned = {s: c for s, c in learned.items() if s not in drops}
    vocab = {**learned, **base}
    out = Learned(learned, drops, _side_words(train, vocab, left=True), _side_words(train, vocab, left=False))
    if not model:
        return out
    plain = matcher_for(out)
    edge = fit_logistic(*_edge_examples(train, plain), l2=EDGE_L2)
    with_edges = dataclasses.replace(plain, model=SpanModel(edge=edge, keep={}, keep_bias=1.0))
    rows: list[list[str]] = []
    labels: list[int] = []
    for sec in train:
        gold = set(sec.gold_parts)
        for pieces, features in effects.learned_candidates(parsed_section(sec), with_edges):
            rows.append(features)
            labels.append(int(pieces[0] in sec.gold if len(pieces) == 1 else pieces in gold))
    keep = fit_logistic(rows, labels, l2=KEEP_L2)
    return Learned(out.terms, out.drops, out.left, out.right, SpanModel(edge=edge, keep=keep, keep_bias=KEEP_BIAS),
                   plain)


def _edge_examples(train: list[TacSection], matcher: effects.Matcher) -> tuple[list[list[str]], list[int]]:
    """For each hit inside a gold mention: the words beside it the mention takes in (yes) and the
    first one it leaves out (no)."""
    rows: list[list[str]] = []
    labels: list[int] = []
    for sec in train:
        tokens = tokenise(sec.document.text)
        starts = {tokens.start(i): i for i in range(len(tokens.words))}
        ends = {tokens.end(i): i for i in range(len(tokens.words))}
        gold = [(starts[a], ends[b]) for a, b in sec.gold if a in starts and b in ends]
        for i, j, c in matcher.raw_hits(tokens):
            if not c:
                continue
            for a, b in gold:
                if a <= i and j <= b:
                    break
            else:
                continue
            for left, core, limit in ((True, i, a), (False, j, b)):
                for depth in range(1, MAX_EDGE + 1):
                    k = core - 1 if left else core + 1
                    if k < 0 or k >= len(tokens.words):
                        break
                    features = edge_features(tokens, k, core, left, depth)
                    if features is None:
                        break
                    inside = k >= limit if left else k <= limit
                    rows.append(features)
                    labels.append(int(inside))
                    if not inside:
                        break
                    core = k
    return rows, labels


def fit_logistic(rows: list[list[str]], labels: list[int], *, l2: float, iterations: int = 300) -> dict[str, float]:
    """L2-regularised logistic regression over binary string features, full-batch Adam; nonzero weights."""
    index: dict[str, int] = {}
    cols: list[int] = []
    row_of: list[int] = []
    for r, features in enumerate(rows):
        for f in dict.fromkeys(features):  # ordered: the same weights under any hash seed
            cols.append(index.setdefault(f, len(index)))
            row_of.append(r)
    if not index:
        return {}
    col = np.array(cols)
    row = np.array(row_of)
    y = np.array(labels, dtype=float)
    n = len(rows)
    w = np.zeros(len(index))
    m = np.zeros_like(w)
    v = np.zeros_like(w)
    rate, b1, b2 = 0.1, 0.9, 0.999
    for t in range(1, iterations + 1):
        z = np.bincount(row, weights=w[col], minlength=n)
        p = 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))
        grad = np.bincount(col, weights=(p - y)[row], minlength=len(w)) / n + l2 * w / n
        m = b1 * m + (1 - b1) * grad
        v = b2 * v + (1 - b2) * grad * grad
        w -= rate * (m / (1 - b1 ** t)) / (np.sqrt(v / (1 - b2 ** t)) + 1e-8)
    return {f: round(float(w[k]), 4) for f, k in index.items() if abs(w[k]) >= 1e-3}


def _side_words(train: list[TacSection], vocabulary: dict[str, str], *, left: bool) -> set[str]:
    """Words the gold mentions take in at one side more often than they leave them out:
    "acute" in "acute renal failure" counts for, "severe" before "nausea" counts against."""
    inside: Counter[str] = Counter()
    outside: Counter[str] = Counter()
    for sec in train:
        text = sec.document.text
        for a, b in sec.gold:
            words = effects.normalise(text[a:b]).split(" ")
            edge, rest = (words[0], words[1:]) if left else (words[-1], words[:-1])
            if rest and " ".join(rest) in vocabulary:
                inside[edge] += 1
            near = text[max(0, a - 30):a] if left else text[b:b + 30]
            if (near[-1:] if left else near[:1]) in (" ", "-"):
                near_words = effects.normalise(near).split(" ")
                word = near_words[-1] if left else near_words[0]
                if word.isalpha():
                    outside[word] += 1
    return {w for w, n in inside.items() if n >= MIN_LEFT_SEEN and n > outside[w]}


def matcher_for(learned: Learned, model: SpanModel | None = None) -> effects.Matcher:
    if learned.matcher is not None:
        return dataclasses.replace(learned.matcher, model=model if model is not None else learned.model)
    return effects.Matcher.build({**learned.terms, **base_vocabulary()}, skip=learned.drops,
                                 left_words=learned.left, right_words=learned.right,
                                 model=model if model is not None else learned.model)


def cross_validate(sections: list[TacSection], folds: int = 5, labels: int | None = None,
                   model: bool = True) -> dict[str, float]:
    """Learn from k-1 folds of label files, score the held-out fold; micro scores over all folds."""
    names = sorted({s.label for s in sections})
    if labels:
        names = names[:labels]
        sections = [s for s in sections if s.label in set(names)]
    fold_of = {name: i % folds for i, name in enumerate(names)}
    ordered: list[TacSection] = []
    predictions: list[set[Mention]] = []
    for k in range(folds):
        train = [s for s in sections if fold_of[s.label] != k]
        test = [s for s in sections if fold_of[s.label] == k]
        assert not {s.label for s in train} & {s.label for s in test}
        matcher = matcher_for(learn(train, model=model))
        ordered.extend(test)
        predictions.extend(predict(s, matcher) for s in test)
    return score(ordered, predictions)


def capitals(sections: list[TacSection], terms: dict[str, str]) -> list[str]:
    """The short one-word terms (five letters or fewer) the labels write in capitals at least as often as not
    ("TEN", "DRESS", "MS"), not "fall" or "died": in patient text such a word names the reaction only in capitals
    ("over the ten years" names none)."""
    short = {s for s in terms if " " not in s and len(s) <= 5}
    upper: Counter[str] = Counter()
    other: Counter[str] = Counter()
    for sec in sections:
        for m in re.finditer(r"[A-Za-z]+", sec.document.text):
            word = m.group()
            if word.lower() in short:
                (upper if word.isupper() else other)[word.lower()] += 1
    return sorted(w for w in short if upper[w] >= max(2, other[w]))


def write_lexicon(sections: list[TacSection], path: Path = LEXICON, model_path: Path = MODEL) -> int:
    learned = learn(sections)
    header = "".join(line + "\n" for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("#"))
    rows = [f"{s}\t{c}\tlearned\n" for s, c in sorted(learned.terms.items())]
    rows += [f"{w}\t{w}\tcapitals\n" for w in capitals(sections, learned.terms)]
    rows += [f"{s}\t{s}\tdrop\n" for s in sorted(learned.drops)]
    rows += [f"{w}\t{w}\tleft\n" for w in sorted(learned.left)]
    rows += [f"{w}\t{w}\tright\n" for w in sorted(learned.right)]
    path.write_text(header + "".join(rows), encoding="utf-8")
    assert learned.model is not None
    model_rows = [f"bias\tkeep\t{learned.model.keep_bias}\n"]
    model_rows += [f"edge\t{f}\t{w}\n" for f, w in sorted(learned.model.edge.items())]
    model_rows += [f"keep\t{f}\t{w}\n" for f, w in sorted(learned.model.keep.items())]
    model_path.write_text(MODEL_HEADER + "".join(model_rows), encoding="utf-8")
    return len(rows) + len(model_rows)


def cli_agreement(sections: list[TacSection], n: int) -> dict[str, object]:
    """Run `materia extract --json` on n sections written as plain-text files, and the library on the
    same files as read by `materia.ingest.read_path`; compare effect and red-flag spans."""
    picks = [s for s in sections if s.gold][:: max(1, len(sections) // max(n, 1))][:n]
    same = 0
    details = []
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for i, sec in enumerate(picks):
            p = Path(tmp) / f"tac_{i}.txt"
            p.write_text(sec.document.text, encoding="utf-8")
            paths.append(p)
        proc = subprocess.run([sys.executable, "-m", "materia", "extract", *map(str, paths), "--json"],
                              capture_output=True, text=True, timeout=600, cwd=ROOT, check=False)
        rows = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
        for sec, path, row in zip(picks, paths, rows, strict=False):
            cli = {tuple(e["span"]) for e in row.get("effects", []) + row.get("red_flags", [])}
            parsed = parse(read_path(str(path)))
            lib = {(e.span.start, e.span.end) for e in effects.find(parsed)}
            lib |= {(r.span.start, r.span.end) for r in effects.find_red_flags(parsed)}
            same += cli == lib
            details.append({"section": sec.document.source, "cli": len(cli), "library": len(lib),
                            "common": len(cli & lib)})
    return {"sections": len(picks), "identical": same, "details": details}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--labels", type=int, default=None, help="only the first N label files (sorted)")
    ap.add_argument("--write-lexicon", action="store_true",
                    help="learn from all labels into effects_tac.tsv and effects_tac_model.tsv")
    ap.add_argument("--cli", type=int, default=3, help="sections to also run through `materia extract --json`")
    args = ap.parse_args()
    sections = load()
    t0 = time.perf_counter()
    cv = cross_validate(sections, args.folds, args.labels)
    elapsed = time.perf_counter() - t0
    print(f"TAC 2017 ADR, {len({s.label for s in sections})} labels, {len(sections)} sections, "
          f"{args.folds}-fold CV by label ({elapsed:.1f} s)")
    print(f"  strict   P={cv['strict_p']:.3f} R={cv['strict_r']:.3f} F1={cv['strict_f1']:.3f}")
    print(f"  lenient  P={cv['lenient_p']:.3f} R={cv['lenient_r']:.3f} F1={cv['lenient_f1']:.3f}")
    rules = cross_validate(sections, args.folds, args.labels, model=False)
    print(f"  learned lexicon without the span model (CV): strict F1={rules['strict_f1']:.3f}")
    baseline = cross_validate_baseline(sections, args.folds)
    print(f"  without anything learned (HPO + lay names only): strict F1={baseline['strict_f1']:.3f}")
    result: dict[str, object] = {"corpus_sha256": corpus_sha256(), "folds": args.folds, "cv": cv,
                                 "cv_without_span_model": rules, "hpo_lay_only": baseline}
    if args.write_lexicon:
        print(f"  wrote {write_lexicon(sections)} rows to {LEXICON.relative_to(ROOT)} and "
              f"{MODEL.relative_to(ROOT)}")
    if args.cli:
        agreement = cli_agreement(sections, args.cli)
        print(f"  CLI path: {agreement['identical']}/{agreement['sections']} sections give identical spans")
        result["cli_agreement"] = agreement
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


def cross_validate_baseline(sections: list[TacSection], folds: int) -> dict[str, float]:
    """The same scoring with nothing learned from the labels."""
    matcher = matcher_for(Learned({}, set(), set(), set()))
    return score(sections, [predict(s, matcher) for s in sections])


if __name__ == "__main__":
    main()
