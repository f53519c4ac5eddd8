"""DDI 2013 benchmark: interacting pairs found (detection) and typed (classification), held-out only.

Documents of ../shared/corpora/ddi2013/train are dealt into 5 folds (whole documents, never
sentences; DrugBank and MedLine each spread evenly); the pair model is trained on 4 folds
(scripts/train_interactions.py, the same code as the shipped model) and scored on the 5th, so no
figure comes from a document the model learned from. Two settings:

  gold     the corpus's entities are given (the DDIExtraction 2013 task 9.2 setting): every pair of
           entities of a sentence is classified;
  e2e      end to end: materia's own drug recognition (materia.extract.drug_mentions) finds the
           mentions; a predicted pair counts when both its mentions overlap the gold pair's entities.
  pipeline the whole extraction, as `materia extract` runs it, on each held-out XML file read without
           its <entity> marks, as any unmarked text is (materia's own mentions, sections, the subject's
           rules, one interaction per pair of names and sentence),
           the fold's model and gazetteer in place of the shipped ones. Scored per sentence and pair of
           names, since materia reports a pair once per sentence: a drug's names are one ("Tylenol",
           "acetaminophen"), as materia.extract.names and the class table resolve them. A partner
           paired with the document's unnamed subject ("Cimetidine: increases levels" in a DrugBank
           text) is a prediction DDI 2013 cannot judge (it annotates pairs of mentions only):
           counted as wrong in `pipeline`, left out in `pipeline_named`.
  marked   the same, the file read as `materia extract` reads it: by its own <entity> marks
           (`marked`: partners of the unnamed subject counted wrong; `marked_named`: left out).

Scores (micro): detection P/R/F1 (interacting or not) and typed P/R/F1 (right type among mechanism,
effect, advise, int), for all documents and for DrugBank and MedLine apart. Also the speed of the
whole extraction on the FDA labels of ../shared/corpora/fda_spl_samples, in CPU characters/s.

    PYTHONPATH=src .venv/bin/python bench/interactions.py [--folds 5] [--e2e] [--pipeline] [--speed]
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import cast
from unittest import mock

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from train_interactions import (  # noqa: E402
    KIND,
    DdiDocument,
    Sentence,
    build_gazetteer,
    examples,
    fit,
    folds,
    load,
)

from materia.extract.drug_mentions import Mention, Recogniser  # noqa: E402
from materia.extract.interactions import classify_pairs, label_pairs  # noqa: E402
from materia.extract.pair_model import PairModel  # noqa: E402
from materia.types import Partner, Span  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "interactions.json"
LABELS_SPL = ROOT.parent / "shared" / "corpora" / "fda_spl_samples"
Tally = Counter[str]


def _count(tally: Tally, gold: str, predicted: str) -> None:
    if gold != "none":
        tally["gold"] += 1
    if predicted != "none":
        tally["predicted"] += 1
    if gold != "none" and predicted != "none":
        tally["detected"] += 1
        if gold == predicted:
            tally["typed"] += 1


def scores(tally: Tally) -> dict[str, float]:
    def prf(hit: int) -> tuple[float, float, float]:
        p = hit / tally["predicted"] if tally["predicted"] else 0.0
        r = hit / tally["gold"] if tally["gold"] else 0.0
        return p, r, 2 * p * r / (p + r) if p + r else 0.0

    out: dict[str, float] = {}
    for name, hit in (("detection", tally["detected"]), ("typed", tally["typed"])):
        p, r, f = prf(hit)
        out.update({f"{name}_p": round(p, 4), f"{name}_r": round(r, 4), f"{name}_f1": round(f, 4)})
    return out


def predict_gold(model: PairModel, sentence: Sentence) -> dict[tuple[int, int], str]:
    """The label of every annotated pair, the corpus's entities given, through the same
    materia.extract.interactions.label_pairs extraction runs."""
    if not sentence.labels:
        return {}
    mentions = [Mention(e.text.lower(), Span(e.start, e.end), cast(Partner, KIND[e.type])) for e in sentence.entities]
    style = "abstract" if "-MedLine." in sentence.id else "label"
    return label_pairs(model, mentions, sentence.text, style, sentence.labels)


def score_gold(model: PairModel, documents: Sequence[DdiDocument], tallies: dict[str, Tally]) -> None:
    for d in documents:
        for s in d.sentences:
            for pair, predicted in predict_gold(model, s).items():
                for key in ("all", d.part):
                    _count(tallies[key], s.labels[pair], predicted)


def _tallies() -> dict[str, Tally]:
    return {"all": Counter(), "DrugBank": Counter(), "MedLine": Counter()}


def cross_validate(documents: Sequence[DdiDocument], k: int = 5, *, only: int | None = None,
                   e2e: bool = False, pipeline: bool = False) -> dict[str, dict[str, float]]:
    """Held-out scores over the folds (or over fold `only`, for a quick gate), per part."""
    parts = folds(documents, k)
    settings = {"gold": _tallies(), "e2e": _tallies(), "pipeline": _tallies(), "pipeline_named": _tallies(),
                "marked": _tallies(), "marked_named": _tallies()}
    for n, held_out in enumerate(parts):
        if only is not None and n != only:
            continue
        train = [d for m, part in enumerate(parts) if m != n for d in part]
        model = fit(*examples(train))
        score_gold(model, held_out, settings["gold"])
        if e2e or pipeline:
            recogniser = Recogniser(build_gazetteer(train))
        if e2e:
            score_end_to_end(model, recogniser, held_out, settings["e2e"])
        if pipeline:
            score_pipeline(model, recogniser, held_out, settings["pipeline"], settings["pipeline_named"])
            score_pipeline(model, recogniser, held_out, settings["marked"], settings["marked_named"], marked=True)
    wanted = {"gold": True, "e2e": e2e, "pipeline": pipeline, "pipeline_named": pipeline, "marked": pipeline,
              "marked_named": pipeline}
    return {f"{setting}.{key}": scores(t) for setting, tallies in settings.items() if wanted[setting]
            for key, t in tallies.items()}


def _name(words: str) -> str:
    """What materia calls a drug or class the corpus names ("Tylenol" and "acetaminophen" are one)."""
    from materia.extract.names import canonical
    from materia.lexicons.drug_classes import canonical_class

    return canonical(words) or canonical_class(words) or " ".join(words.lower().split())


def _overlapped(sentence: Sentence, span: Span, base: int) -> set[str]:
    return {_name(e.text) for e in sentence.entities if e.start + base < span.end and span.start < e.end + base}


def score_pipeline(model: PairModel, recogniser: Recogniser, documents: Sequence[DdiDocument],
                   tallies: dict[str, Tally], named_tallies: dict[str, Tally], *, marked: bool = False) -> None:
    """The whole extraction of each held-out file, the fold's model and gazetteer in place of the shipped
    ones, scored per sentence and pair of names (see the module's docstring)."""
    from materia.extract import drug_mentions, extract
    from materia.extract import interactions as interactions_module
    from materia.ingest import read_path

    with mock.patch.object(interactions_module, "pair_model", lambda: model), \
            mock.patch.object(interactions_module, "default_recogniser", lambda: recogniser), \
            mock.patch.object(drug_mentions, "default_recogniser", lambda: recogniser):
        for d in documents:
            if d.path is None:
                continue
            document = read_path(str(d.path))
            x = extract(document if marked else dataclasses.replace(document, marked=()))
            text, metadata = x.document.text, x.document.metadata
            starts = [(int(metadata[f"sentence:{s.id}"]), s) for s in d.sentences]
            gold: dict[tuple[str, frozenset[str]], str] = {}
            for s in d.sentences:
                for (i, j), label in s.labels.items():
                    names = frozenset((_name(s.entities[i].text), _name(s.entities[j].text)))
                    if label != "none" and len(names) == 2:
                        gold.setdefault((s.id, names), label)
            predicted: dict[tuple[str, frozenset[str]], str] = {}
            unnamed = 0
            for found in x.interactions:
                sentence = next((s for start, s in reversed(starts) if start <= found.span.start), None)
                if sentence is None:
                    continue
                if found.a_span == found.span or len(text[found.a_span.start:found.a_span.end].split()) > 4:
                    unnamed += 1  # paired with the unnamed subject: the sentence (or "this drug") is its evidence
                    continue
                base = int(metadata[f"sentence:{sentence.id}"])
                # materia's names and those of the corpus's entities each mention overlaps ("combination
                # hormonal contraceptives" is the entity "hormonal contraceptives")
                a_names = _overlapped(sentence, found.a_span, base) | {found.a}
                b_names = _overlapped(sentence, found.b_span, base) | {found.b}
                pairs = [frozenset((a, b)) for a in sorted(a_names) for b in sorted(b_names) if a != b]
                key = next(((sentence.id, p) for p in pairs if (sentence.id, p) in gold), None) \
                    or (sentence.id, pairs[0] if pairs else frozenset(a_names | b_names))
                predicted.setdefault(key, found.type)
            for key in ("all", d.part):
                for t, extra in ((tallies[key], unnamed), (named_tallies[key], 0)):
                    t["gold"] += len(gold)
                    t["predicted"] += len(predicted) + extra
                    hits = [pair for pair in predicted if pair in gold]
                    t["detected"] += len(hits)
                    t["typed"] += sum(gold[pair] == predicted[pair] for pair in hits)


def predict_mentions(model: PairModel, sentence: Sentence, recogniser: Recogniser) -> list[tuple[Span, Span, str]]:
    """Interacting pairs among the mentions materia finds itself: (span, span, type), sentence offsets."""
    mentions = recogniser.find(sentence.text)
    style = "abstract" if "-MedLine." in sentence.id else "label"
    pairs = classify_pairs(model, mentions, sentence.text, style)
    return [(mentions[i].span, mentions[j].span, label) for i, j, label in pairs]


def score_end_to_end(model: PairModel, recogniser: Recogniser, documents: Sequence[DdiDocument],
                     tallies: dict[str, Tally]) -> None:
    """A predicted pair is right when its two mentions overlap the two entities of a gold interacting
    pair (each gold pair found once), and typed right when the types agree too."""
    for d in documents:
        for s in d.sentences:
            gold = {pair: label for pair, label in s.labels.items() if label != "none"}
            predicted = predict_mentions(model, s, recogniser)
            for key in ("all", d.part):
                tallies[key]["gold"] += len(gold)
                tallies[key]["predicted"] += len(predicted)
            found: set[tuple[int, int]] = set()
            for a, b, label in predicted:
                ia = [k for k, e in enumerate(s.entities) if e.start < a.end and a.start < e.end]
                ib = [k for k, e in enumerate(s.entities) if e.start < b.end and b.start < e.end]
                match = next((tuple(sorted((i, j))) for i in ia for j in ib
                              if i != j and tuple(sorted((i, j))) in gold and tuple(sorted((i, j))) not in found), None)
                if match is None:
                    continue
                pair = (match[0], match[1])
                found.add(pair)
                for key in ("all", d.part):
                    tallies[key]["detected"] += 1
                    tallies[key]["typed"] += gold[pair] == label


def label_speed(repeat: int = 3) -> dict[str, float]:
    """CPU characters/s of materia.extract.interactions.find (mentions, pairs, rows, severity) on the FDA
    labels of ../shared/corpora/fda_spl_samples, parsed once beforehand; best of `repeat` runs."""
    from materia.extract import extract, interactions, parse
    from materia.ingest import read_path

    parsed = []
    for path in sorted(LABELS_SPL.glob("*.spl.xml")):
        document = read_path(str(path))
        parsed.append((parse(document), extract(document).substance))
    chars = sum(len(p.text) for p, _ in parsed)
    interactions.find(*parsed[0])  # vocabularies and the model loaded outside the timing
    best = float("inf")
    for _ in range(repeat):
        t0 = time.process_time()
        for p, subject in parsed:
            interactions.find(p, subject)
        best = min(best, time.process_time() - t0)
    return {"labels": len(parsed), "chars": chars, "cpu_s": round(best, 4), "chars_per_cpu_s": round(chars / best)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--only", type=int, default=None, help="score one held-out fold only")
    ap.add_argument("--e2e", action="store_true", help="also score end to end with materia's drug recognition")
    ap.add_argument("--pipeline", action="store_true", help="also score the whole extraction of each held-out file")
    ap.add_argument("--speed", action="store_true", help="only time extraction on the FDA labels")
    args = ap.parse_args()
    if args.speed:
        speed = label_speed()
        print(f"{speed['chars']:,} chars of {speed['labels']} FDA labels: {speed['chars_per_cpu_s']:,} chars/s CPU")
        previous = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else {}
        RESULTS.write_text(json.dumps({**previous, "speed.fda_labels": speed}, indent=2) + "\n", encoding="utf-8")
        return
    documents = load()
    t0 = time.process_time()
    result = cross_validate(documents, args.folds, only=args.only, e2e=args.e2e, pipeline=args.pipeline)
    for key, value in result.items():
        print(f"{key:14} detection P {value['detection_p']:.3f} R {value['detection_r']:.3f} "
              f"F1 {value['detection_f1']:.3f} | typed P {value['typed_p']:.3f} R {value['typed_r']:.3f} "
              f"F1 {value['typed_f1']:.3f}")
    print(f"({time.process_time() - t0:.1f} s CPU)")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    previous = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else {}
    speed = {k: v for k, v in previous.items() if k.startswith("speed.")}
    RESULTS.write_text(json.dumps({**result, **speed}, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
