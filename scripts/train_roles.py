#!/usr/bin/env python3
"""Train the role model (src/materia/lexicons/role_weights.tsv): what a symptom or condition that no cue decides
is in a post, an effect the writer had or what they took the product for.

Distant supervision from ../shared/corpora/druglib_reviews/drugLibTrain_raw.tsv (CC BY 4.0; the test file, where
the development and held-out posts come from, is never read): each review's benefits field and side-effects
field read on its own as a post, as extract.experience reads one (materia.extract.experience.no_cue_features);
a mention no cue decides is a use in the benefits field and an effect in the side-effects field. Binary logistic
regression (numpy, full-batch gradient descent with L2) over materia.extract.role_model.features.

Prints 5-fold cross-validated accuracy (folds by review) beside the concept prior it replaces (lay_roles.tsv's
rule, counted on the training folds only), then writes the weights trained on every review.

    PYTHONPATH=src python scripts/train_roles.py [--shared ../shared]
"""
from __future__ import annotations

import argparse
import re
from collections import Counter, defaultdict
from itertools import pairwise
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
MIN_COUNT = 2
FOLDS = 5

Example = tuple[int, int, str, str, list[str]]  # review, label (1 = effect), concept, kind, features


def examples(shared: Path) -> list[Example]:
    from materia.extract.experience import no_cue_features
    from materia.extract.parse import parse
    from materia.ingest.posts import as_post
    from materia.types import Document

    raw = (shared / "corpora" / "druglib_reviews" / "drugLibTrain_raw.tsv").read_text(encoding="utf-8")
    starts = [m.start() for m in re.finditer(r"(?m)^\d+\t", raw)] + [len(raw)]
    out: list[Example] = []
    for review, (a, b) in enumerate(pairwise(starts)):
        cells = raw[a:b].split("\t")
        if len(cells) < 9:
            continue
        for label, column in ((0, 6), (1, 7)):
            text = cells[column].strip().strip('"')
            if not text.strip():
                continue
            parsed = parse(as_post(Document(source="druglib", sha256="", text=text, kind="community", format="text")))
            post = parsed.document.posts[0]
            for mention, feats in no_cue_features(parsed, post.body or post.span):
                out.append((review, label, mention.name, mention.kind, feats))
    return out


def fit(data: list[Example], l2: float = 1e-3, steps: int = 600,
        rate: float = 1.0) -> tuple[dict[str, int], np.ndarray]:
    counts = Counter(f for *_, feats in data for f in set(feats))
    index = {f: i for i, f in enumerate(sorted(f for f, n in counts.items() if n >= MIN_COUNT))}
    x = matrix(data, index)
    y = np.array([label for _, label, *_ in data], dtype=np.float64)
    w = np.zeros(x.shape[1], dtype=np.float64)
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(x @ w)))
        grad = x.T @ (p - y) / len(y) + l2 * w
        grad[-1] -= l2 * w[-1]  # the bias is not shrunk
        w -= rate * grad
    return index, w


def matrix(data: list[Example], index: dict[str, int]) -> np.ndarray:
    x = np.zeros((len(data), len(index) + 1), dtype=np.float64)
    for i, (*_, feats) in enumerate(data):
        for f in feats:
            j = index.get(f)
            if j is not None:
                x[i, j] = 1.0
        x[i, -1] = 1.0
    return x


def prior_predictions(train: list[Example], test: list[Example]) -> list[int]:
    """The concept prior extract.experience used before (lay_roles.tsv's rule), counted on `train`: a concept
    named three times or more is an effect when written so at least half the time; else a symptom is an effect."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for _, label, name, _, _ in train:
        counts[name][label] += 1
    out = []
    for _, _, name, kind, feats in test:
        use, effect = counts.get(name, (0, 0))
        if use + effect >= 3 and "located" not in feats:
            out.append(int((effect + 1) / (use + effect + 2) >= 0.5))
        else:
            out.append(int(kind == "symptom"))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = parser.parse_args()
    data = examples(args.shared)
    print(len(data), "mentions no cue decides;", Counter(label for _, label, *_ in data)[1], "in side-effects fields")
    model, prior = [], []
    for k in range(FOLDS):
        train = [d for d in data if d[0] % FOLDS != k]
        test = [d for d in data if d[0] % FOLDS == k]
        index, w = fit(train)
        truth = np.array([label for _, label, *_ in test])
        model.append(float(np.mean(((matrix(test, index) @ w) >= 0).astype(int) == truth)))
        prior.append(float(np.mean(np.array(prior_predictions(train, test)) == truth)))
    print(f"{FOLDS}-fold CV accuracy: model {np.mean(model):.3f} ({', '.join(f'{s:.3f}' for s in model)}); "
          f"concept prior {np.mean(prior):.3f}")
    index, w = fit(data)
    out = ROOT / "src" / "materia" / "lexicons" / "role_weights.tsv"
    lines = ["# Role model for a mention no cue decides in a post: binary logistic regression weights (use, effect).",
             "# Trained by scripts/train_roles.py on DrugLib training reviews (drugLibTrain_raw.tsv, CC BY 4.0): a",
             "# mention in the benefits field is a use, in the side-effects field an effect. "
             "feature<TAB>weight per class.",
             f"# {FOLDS}-fold CV accuracy (folds by review) {np.mean(model):.3f}; "
             f"the concept prior {np.mean(prior):.3f}.",
             "@classes\tuse\teffect",
             f"@bias\t0\t{w[-1]:.4f}"]
    for f, i in sorted(index.items()):
        if abs(w[i]) >= 0.01:
            lines.append(f"{f}\t0\t{w[i]:.4f}")
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(len(lines) - 6, "features written to", out.relative_to(ROOT))


if __name__ == "__main__":
    main()
