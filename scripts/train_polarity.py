#!/usr/bin/env python3
"""Train the verdict model (src/materia/lexicons/polarity_weights.tsv) on healthsea clausecat train.

Multinomial logistic regression (numpy, full-batch gradient descent with L2), features from
materia.extract.polarity.features. Only clauses that name a health effect (<CONDITION>/<BENEFIT>) are used.
Prints 5-fold cross-validated accuracy on train and the accuracy on the held-out dev split (never trained on).
Data: ../shared/corpora/healthsea/clausecat/{train,dev}.spacy (MIT, (c) 2021 Edward Schmuhl).

    PYTHONPATH=src python scripts/train_polarity.py [--shared ../shared]
"""
from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

import numpy as np

from materia.extract.polarity import features

ROOT = Path(__file__).resolve().parents[1]
CLASSES = ("POSITIVE", "NEUTRAL", "NEGATIVE", "ANAMNESIS")
MIN_COUNT = 2


def load(path: Path) -> list[tuple[str, str]]:
    import spacy
    from spacy.tokens import DocBin

    nlp = spacy.blank("en")
    out = []
    for doc in DocBin().from_disk(path).get_docs(nlp.vocab):
        if "<CONDITION>" not in doc.text and "<BENEFIT>" not in doc.text:
            continue
        label = max(doc.cats, key=doc.cats.__getitem__)
        if doc.cats[label] > 0:
            out.append((doc.text, label))
    return out


def matrix(rows: list[list[str]], index: dict[str, int]) -> np.ndarray:
    x = np.zeros((len(rows), len(index) + 1), dtype=np.float32)
    for i, feats in enumerate(rows):
        for f in feats:
            j = index.get(f)
            if j is not None:
                x[i, j] = 1.0
        x[i, -1] = 1.0  # bias
    return x


def fit(x: np.ndarray, y: np.ndarray, l2: float = 1e-3, steps: int = 400, rate: float = 0.5) -> np.ndarray:
    w = np.zeros((x.shape[1], len(CLASSES)), dtype=np.float64)
    onehot = np.eye(len(CLASSES))[y]
    # inverse-frequency weights so rare "worse" and "history" clauses are not drowned
    counts = np.bincount(y, minlength=len(CLASSES)).astype(np.float64)
    weight = (len(y) / (len(CLASSES) * np.maximum(counts, 1)))[y][:, None] ** 0.5
    for _ in range(steps):
        z = x @ w
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        grad = x.T @ ((p - onehot) * weight) / len(y) + l2 * w
        grad[-1] -= l2 * w[-1]
        w -= rate * grad
    return w


def train(data: list[tuple[str, str]]) -> tuple[dict[str, int], np.ndarray]:
    feats = [features(t) for t, _ in data]
    counts = Counter(f for fs in feats for f in set(fs))
    index = {f: i for i, f in enumerate(sorted(f for f, n in counts.items() if n >= MIN_COUNT))}
    y = np.array([CLASSES.index(label) for _, label in data])
    return index, fit(matrix(feats, index), y)


def accuracy(index: dict[str, int], w: np.ndarray, data: list[tuple[str, str]]) -> float:
    x = matrix([features(t) for t, _ in data], index)
    pred = (x @ w).argmax(axis=1)
    return float(np.mean([CLASSES[p] == label for p, (_, label) in zip(pred, data, strict=True)]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = parser.parse_args()
    folder = args.shared / "corpora" / "healthsea" / "clausecat"
    train_data, dev_data = load(folder / "train.spacy"), load(folder / "dev.spacy")
    print("train", len(train_data), Counter(label for _, label in train_data))
    print("dev", len(dev_data), Counter(label for _, label in dev_data))
    folds = 5
    scores = []
    for k in range(folds):
        fit_part = [d for i, d in enumerate(train_data) if i % folds != k]
        held = [d for i, d in enumerate(train_data) if i % folds == k]
        index, w = train(fit_part)
        scores.append(accuracy(index, w, held))
    print(f"5-fold CV accuracy on train: {np.mean(scores):.3f} ({', '.join(f'{s:.3f}' for s in scores)})")
    index, w = train(train_data)
    print(f"held-out dev accuracy: {accuracy(index, w, dev_data):.3f}")
    out = ROOT / "src" / "materia" / "lexicons" / "polarity_weights.tsv"
    lines = ["# Verdict model for a mention in its clause: multinomial logistic regression weights.",
             "# Trained by scripts/train_polarity.py on healthsea clausecat train.spacy (MIT, (c) 2021 Edward Schmuhl;",
             "# review texts from iHerb); the dev split is held out. feature<TAB>weight per class.",
             "@classes\t" + "\t".join(CLASSES),
             "@bias\t" + "\t".join(f"{v:.4f}" for v in w[-1])]
    for f, i in sorted(index.items()):
        if np.abs(w[i]).max() >= 0.01:
            lines.append(f + "\t" + "\t".join(f"{v:.4f}" for v in w[i]))
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(len(lines) - 5, "features written to", out.relative_to(ROOT))


if __name__ == "__main__":
    main()
