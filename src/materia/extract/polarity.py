"""The writer's verdict on one mention, from the words of its clause: a small linear model.

Classes follow healthsea's clause annotation: POSITIVE (it helped), NEUTRAL (no effect / no claim),
NEGATIVE (it got worse or appeared), ANAMNESIS (the writer's history, no claim). The clause is given with
the mention replaced by "<ENT>"; features are its words and word pairs, and the words right beside the
mention. Weights: lexicons/polarity_weights.tsv, trained by scripts/train_polarity.py.
"""
from __future__ import annotations

import functools
import re
from itertools import pairwise

from materia.lexicons.lay import polarity_model

__all__ = ["classify", "features"]

_WORD = re.compile(r"<ent>|[a-z]+(?:'[a-z]+)?|[!?]")
_NEGATORS = frozenset({"not", "no", "never", "didn't", "doesn't", "don't", "isn't", "wasn't", "nothing", "without",
                       "haven't", "hasn't", "won't", "can't", "cannot", "nor", "n't"})


def features(clause: str) -> list[str]:
    """Bag of words and pairs (negated words marked "NOT_" up to the next punctuation), plus the mention's
    neighbours. The clause holds "<ENT>" where the mention was."""
    text = clause.lower().replace("’", "'").replace("<condition>", "<ent>").replace("<benefit>", "<ent>")
    words = _WORD.findall(text)
    marked = []
    negate = 0
    for w in words:
        if w in ("!", "?"):
            negate = 0
            marked.append(w)
            continue
        marked.append(("NOT_" + w) if negate else w)
        negate = 3 if w in _NEGATORS else max(0, negate - 1)
    out = [f"w:{w}" for w in marked]
    out += [f"b:{a}_{b}" for a, b in pairwise(marked)]
    if "<ent>" in words:
        k = words.index("<ent>")
        for d in (1, 2):
            if k - d >= 0:
                out.append(f"l{d}:{words[k - d]}")
            if k + d < len(words):
                out.append(f"r{d}:{words[k + d]}")
    return out


@functools.lru_cache(maxsize=4096)
def classify(clause: str) -> str:
    """The most likely class of the clause."""
    scores = polarity_model().scores(features(clause))
    return max(scores, key=scores.__getitem__)
