#!/usr/bin/env python3
"""Train the interaction pair model (src/materia/lexicons/interactions_model.tsv) on DDI 2013 train.

Every pair of entities of a sentence is an example, labelled `none` or with its DDI type; features
from materia.extract.pair_model.pair_features (the same code extraction runs). A multinomial
logistic regression (scikit-learn, lbfgs, L2) is fitted on all documents and written as plain
weights (feature, then one weight per label), pruned of features seen fewer than MIN_COUNT times and
of near-zero weights. bench/interactions.py cross-validates the same training by document.

Data: ../shared/corpora/ddi2013/train (DDI corpus 2013, CC BY-NC 4.0; Herrero-Zazo M, Segura-Bedmar
I, Martinez P, Declerck T. The DDI corpus: an annotated corpus with pharmacological substances and
drug-drug interactions. J Biomed Inform 2013;46(5):914-920. doi:10.1016/j.jbi.2013.07.011).

    PYTHONPATH=src python scripts/train_interactions.py [--corpus DIR] [--c 0.5]
"""
from __future__ import annotations

import argparse
import hashlib
import random
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from materia.extract.pair_model import LABELS, Blinded, PairModel, blind, pair_features

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpora" / "ddi2013" / "train"
MODEL = ROOT / "src" / "materia" / "lexicons" / "interactions_model.tsv"
KIND = {"drug": "substance", "brand": "substance", "drug_n": "substance", "group": "class"}
MIN_COUNT = 2
PRUNE = 0.01  # weights below this (every label) are dropped: they change no decision
C = 0.08  # chosen by the document-level CV of bench/interactions.py (0.6, 0.3, 0.15, 0.08 tried)
NONE_THRESHOLD = 0.7  # chosen by the document-level CV of bench/interactions.py (detection F1)
MIN_STOP = 5
GAZETTEER = ROOT / "src" / "materia" / "lexicons" / "ddi_drugs.tsv"
GAZETTEER_HEADER = (
    "# Drug, brand and drug-class names of the DDI corpus 2013 train part (DrugBank and MedLine), learned by\n"
    "# scripts/train_interactions.py for materia.extract.drug_mentions: surface (lower case), kind, canonical.\n"
    "# substance/class: a name annotated (drug, brand, drug_n / group) in at least half of the places it occurs;\n"
    "# stop: a name our vocabularies know that the annotators marked in under a tenth of 5 or more places.\n"
    "# Canonical: materia.extract.names.canonical (substances), drug_classes.canonical_class or fold (classes).\n"
    "# Source: DDI corpus 2013 (Herrero-Zazo M, Segura-Bedmar I, Martinez P, Declerck T. J Biomed Inform\n"
    "# 2013;46(5):914-920. doi:10.1016/j.jbi.2013.07.011), github.com/isegura/DDICorpus.\n"
    "# Licence: CC BY-NC 4.0 (attribution, no commercial use).\n"
    "# corpus sha256: {sha}\n"
)
MODEL_HEADER = (
    "# Interaction pair model (materia.extract.pair_model): multinomial logistic weights, one column per label\n"
    "# ({labels}), learned from the DDI corpus 2013 train part (DrugBank and MedLine) by\n"
    "# scripts/train_interactions.py; C={c}, features seen at least {min_count} times, |w| < {prune} dropped.\n"
    "# A pair interacts when P(none) < <none_threshold>, then it takes its most probable type.\n"
    "# Source: DDI corpus 2013 (Herrero-Zazo M, Segura-Bedmar I, Martinez P, Declerck T. J Biomed Inform\n"
    "# 2013;46(5):914-920. doi:10.1016/j.jbi.2013.07.011), github.com/isegura/DDICorpus.\n"
    "# Licence: CC BY-NC 4.0 (weights derived from the corpus; attribution, no commercial use).\n"
    "# corpus sha256: {sha}\n"
)


@dataclass(frozen=True, slots=True)
class Entity:
    id: str
    start: int  # offsets into the sentence text, end exclusive; a discontinuous entity spans its pieces
    end: int
    type: str
    text: str


@dataclass(frozen=True, slots=True)
class Sentence:
    id: str
    text: str
    entities: tuple[Entity, ...]  # in text order
    labels: dict[tuple[int, int], str]  # (i, j), i < j indexes into entities -> label

    def blinded(self) -> Blinded:
        style = "abstract" if "-MedLine." in self.id else "label"
        return blind(self.text, [(e.start, e.end, KIND[e.type], e.text.lower()) for e in self.entities], style)


@dataclass(frozen=True, slots=True)
class DdiDocument:
    id: str
    part: str  # DrugBank or MedLine
    sentences: tuple[Sentence, ...]
    path: Path | None = None  # the XML file it was read from


def _offsets(value: str) -> tuple[int, int]:
    pieces = [tuple(int(x) for x in p.split("-")) for p in value.split(";")]
    return min(p[0] for p in pieces), max(p[1] for p in pieces) + 1  # inclusive end in the XML


def load(corpus: Path = CORPUS) -> list[DdiDocument]:
    """Every document of the corpus, sorted by id."""
    out = []
    for path in sorted(corpus.glob("*/*.xml")):
        root = ET.parse(path).getroot()
        sentences = []
        for s in root.iter("sentence"):
            raw = []
            for e in s.iter("entity"):
                start, end = _offsets(e.get("charOffset", ""))
                raw.append(Entity(e.get("id", ""), start, end, e.get("type", "drug"), e.get("text", "")))
            entities = tuple(sorted(raw, key=lambda e: (e.start, e.end)))
            order = {e.id: k for k, e in enumerate(entities)}
            labels: dict[tuple[int, int], str] = {}
            for p in s.iter("pair"):
                i, j = sorted((order[p.get("e1", "")], order[p.get("e2", "")]))
                positive = p.get("ddi") == "true"
                labels[(i, j)] = (p.get("type") or "int") if positive else "none"
            sentences.append(Sentence(s.get("id", ""), s.get("text", ""), entities, labels))
        out.append(DdiDocument(root.get("id", path.stem), path.parent.name, tuple(sentences), path))
    return sorted(out, key=lambda d: d.id)


def corpus_sha256(corpus: Path = CORPUS) -> str:
    digest = hashlib.sha256()
    for path in sorted(corpus.glob("*/*.xml")):
        digest.update(path.relative_to(corpus).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def folds(documents: Sequence[DdiDocument], k: int = 5, seed: int = 13) -> list[list[DdiDocument]]:
    """k folds of whole documents, each part (DrugBank, MedLine) dealt out evenly, in a fixed shuffle."""
    out: list[list[DdiDocument]] = [[] for _ in range(k)]
    for part in sorted({d.part for d in documents}):
        docs = [d for d in documents if d.part == part]
        random.Random(seed).shuffle(docs)
        for n, d in enumerate(docs):
            out[n % k].append(d)
    return out


def examples(documents: Iterable[DdiDocument]) -> tuple[list[list[str]], list[str]]:
    """Features and gold label of every annotated pair."""
    rows, labels = [], []
    for d in documents:
        for s in d.sentences:
            if not s.labels:
                continue
            blinded = s.blinded()
            for (i, j), label in s.labels.items():
                rows.append(pair_features(blinded, i, j))
                labels.append(label)
    return rows, labels


def fit(rows: list[list[str]], labels: list[str], *, c: float = C, min_count: int = MIN_COUNT,
        prune: float = PRUNE) -> PairModel:
    """Multinomial logistic regression (scikit-learn) -> plain weights."""
    import numpy as np
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    counts = Counter(f for row in rows for f in set(row))
    names = sorted(f for f, n in counts.items() if n >= min_count)
    index = {f: k for k, f in enumerate(names)}
    indptr, cols = [0], []
    for row in rows:
        cols.extend(sorted({index[f] for f in row if f in index}))
        indptr.append(len(cols))
    x = csr_matrix((np.ones(len(cols)), cols, indptr), shape=(len(rows), len(names)))
    y = np.array([LABELS.index(label) for label in labels])
    model = LogisticRegression(C=c, max_iter=2000, tol=1e-5)
    model.fit(x, y)
    coef = np.zeros((len(LABELS), len(names)))
    intercepts = np.zeros(len(LABELS))
    if len(model.classes_) == 2:  # a binary fit has one row of weights: the second class against the first
        coef[model.classes_[1]] = model.coef_[0]
        intercepts[model.classes_[1]] = model.intercept_[0]
    else:
        coef[model.classes_] = model.coef_
        intercepts[model.classes_] = model.intercept_
    weights = {f: tuple(round(float(w), 4) for w in coef[:, k]) for f, k in index.items()
               if np.abs(coef[:, k]).max() >= prune}
    return PairModel(weights, tuple(round(float(b), 4) for b in intercepts), NONE_THRESHOLD)


def _surface(text: str) -> str:
    return " ".join(text.lower().split()).strip(" .,;:")


def build_gazetteer(documents: Sequence[DdiDocument]) -> list[tuple[str, str, str]]:
    """(surface, kind, canonical) rows learned from the annotations. Every whole-word occurrence of an
    annotated name or of a name our vocabularies know is counted, and counted as marked when it lies in
    an annotated entity. A name marked in at least half of its occurrences is kept (kind substance or
    class, by its most frequent type); a name marked in under a tenth of MIN_STOP or more occurrences
    is a `stop` ("drug", "cyp3a4", "water"): what the annotators did not take for a drug, unless it is a
    drug's generic name or a curated substance."""
    import ahocorasick

    from materia.extract.names import canonical
    from materia.extract.substances import drug_dictionary
    from materia.lexicons.drug_classes import canonical_class, fold
    from materia.lexicons.drugs import drug_canonicals
    from materia.lexicons.substances import substances

    types: dict[str, Counter[str]] = {}
    for d in documents:
        for s in d.sentences:
            for e in s.entities:
                surface = _surface(e.text)
                if len(surface) >= 3 and not surface.isdigit():
                    types.setdefault(surface, Counter())[e.type] += 1
    known = {surface.lower() for entry in substances() for surface in (entry.name, *entry.synonyms)}
    automaton = ahocorasick.Automaton()
    for surface in types.keys() | known:
        automaton.add_word(surface, len(surface))
    automaton.make_automaton()
    occurs: Counter[str] = Counter()
    marked: Counter[str] = Counter()
    dictionary = drug_dictionary()
    for d in documents:
        for s in d.sentences:
            text = s.text.lower()
            for source in (automaton, dictionary):
                for end, value in source.iter(text):
                    length = value if isinstance(value, int) else value[0]
                    begin = end - length + 1
                    if (begin > 0 and text[begin - 1].isalnum()) or (end + 1 < len(text) and text[end + 1].isalnum()):
                        continue
                    surface = text[begin:end + 1]
                    occurs[surface] += 1
                    if any(e.start < end + 1 and begin < e.end for e in s.entities):
                        marked[surface] += 1
    rows: list[tuple[str, str, str]] = []
    for surface, counts in sorted(types.items()):
        if marked[surface] >= 0.5 * max(occurs[surface], 1):
            if counts.most_common(1)[0][0] == "group":
                rows.append((surface, "class", canonical_class(surface) or fold(surface)))
            else:
                rows.append((surface, "substance", canonical(surface) or surface))
    generics = set(drug_canonicals().values()) | known  # a drug's own name is never a stop
    for surface, n in sorted(occurs.items()):
        if n >= MIN_STOP and marked[surface] < 0.1 * n and surface not in generics and not canonical(surface):
            rows.append((surface, "stop", "-"))
    return rows


def write_gazetteer(rows: Sequence[tuple[str, str, str]], path: Path = GAZETTEER, *, sha: str) -> None:
    lines = [GAZETTEER_HEADER.format(sha=sha)] + ["\t".join(row) + "\n" for row in rows]
    path.write_text("".join(lines), encoding="utf-8")


def write_model(model: PairModel, path: Path = MODEL, *, sha: str, c: float = C) -> None:
    lines = [MODEL_HEADER.format(labels=", ".join(LABELS), c=c, min_count=MIN_COUNT, prune=PRUNE, sha=sha)]
    lines.append("\t".join(("<intercept>", *(f"{w:g}" for w in model.intercepts))) + "\n")
    lines.append(f"<none_threshold>\t{model.none_threshold:g}\n")
    for feature in sorted(model.weights):
        lines.append("\t".join((feature, *(f"{w:g}" for w in model.weights[feature]))) + "\n")
    path.write_text("".join(lines), encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--c", type=float, default=C)
    args = ap.parse_args()
    documents = load(args.corpus)
    rows, labels = examples(documents)
    model = fit(rows, labels, c=args.c)
    sha = corpus_sha256(args.corpus)
    write_model(model, sha=sha, c=args.c)
    print(f"{len(rows):,} pairs from {len(documents)} documents -> {len(model.weights):,} features in {MODEL}")
    gazetteer = build_gazetteer(documents)
    write_gazetteer(gazetteer, sha=sha)
    print(f"{len(gazetteer):,} names in {GAZETTEER}")


if __name__ == "__main__":
    main()
