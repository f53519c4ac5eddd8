"""What a symptom or condition that no cue decides is in a post: an effect the writer had, or what they took the
product for. A small linear model of the mention in its sentence.

No cue word says which ("Very high blood pressure.", "Severe depression and thoughts of death", "hot flashes,
night sweats"): the concept itself says some of it (hypertension is more often a reason than a side effect), the
words written with it the rest (a degree word, "my", a list, what stands beside it). Features: the concept and
its kind, the mention's own words (degree words and body part apart from the term), the two words on each side
and the words of the sentence near it, whether it is listed with others, alone in its sentence, or placed in the
body. Weights: lexicons/role_weights.tsv, trained by scripts/train_roles.py on DrugLib training reviews, where
what a reviewer names with no cue in the side-effects field is an effect and in the benefits field a use.
"""
from __future__ import annotations

import re

from materia.lexicons.lay import role_model
from materia.lexicons.surface import normalise

__all__ = ["effect_probability", "features"]

_TOKEN = re.compile(r"[a-z]+(?:'[a-z]+)?|[,;:.!?]")
_WINDOW = 6


def features(text: str, start: int, end: int, core: tuple[int, int], sentence: tuple[int, int], name: str,
             kind: str, listed: bool, located: bool) -> list[str]:
    """The features of the mention text[start:end] (its term at `core`) in its sentence."""
    before = _TOKEN.findall(text[sentence[0]:start].lower())
    after = _TOKEN.findall(text[end:sentence[1]].lower())
    term = normalise(text[core[0]:core[1]]).split()
    written = [w for w in normalise(text[start:end]).split() if w not in term]
    out = [f"n:{name}", f"k:{kind}"] + [f"c:{w}" for w in term] + [f"m:{w}" for w in written]
    out.append("l1:" + (before[-1] if before else "<s>"))
    out.append("r1:" + (after[0] if after else "</s>"))
    if len(before) > 1:
        out.append("l2:" + before[-2])
    if len(after) > 1:
        out.append("r2:" + after[1])
    out += [f"lw:{w}" for w in before[-_WINDOW:] if w[0].isalpha()]
    out += [f"rw:{w}" for w in after[:_WINDOW] if w[0].isalpha()]
    if listed:
        out.append("listed")
    if not any(w[0].isalpha() for w in before + after):
        out.append("alone")
    if located:
        out.append("located")
    return out


def effect_probability(feats: list[str]) -> float:
    """How likely the mention is an effect the writer had rather than what they took the product for."""
    return role_model().scores(feats)["effect"]
