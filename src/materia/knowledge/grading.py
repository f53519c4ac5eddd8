"""Evidence grades (GRADE-like) for uses, and what kind of source a document is."""
from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

DESIGN_NAMES = {"meta_analysis": ("meta-analysis", "meta-analyses"), "rct": ("RCT", "RCTs"),
                "clinical": ("clinical study", "clinical studies"),
                "observational": ("observational study", "observational studies"),
                "animal": ("animal study", "animal studies"), "in_vitro": ("laboratory study", "laboratory studies"),
                "anecdote": ("user report", "user reports")}
LEVELS = ("very low", "low", "moderate", "high")


def source_kind(kind: str, has_references: bool) -> str:
    """Label, community report, user review, abstract, referenced article, or unreferenced monograph."""
    if kind == "label":
        return "label"
    if kind == "community":
        return "community report"
    if kind == "review":  # a row of a review data set: one user's experience, like a post
        return "user review"
    if kind == "abstract":
        return "abstract"
    return "referenced article" if has_references else "unreferenced monograph"


# which kind of source a statement quotes first: what a regulator reviewed or a referenced article says
# before an abstract, an unreferenced page, and one person's report
_QUOTED_FIRST = {"label": 0, "referenced article": 0, "abstract": 1, "unreferenced monograph": 2,
                 "user review": 3, "community report": 3}


def quoted_first(source_kind: str) -> int:
    """Sort key of a source kind: the lower, the sooner a statement shows its words."""
    return _QUOTED_FIRST.get(source_kind, 2)


def grade(evidence: Sequence[str], stances: Sequence[str]) -> tuple[str, str]:
    """(grade, reason) from the study designs cited for a use and the stances taken.

    Start from the best design (meta-analysis or two RCTs: high; one RCT: moderate;
    clinical or observational: low; otherwise very low), then go down one level when
    the sources do not all report a benefit.
    """
    designs = Counter(e for e in evidence if e and e != "none")
    if designs["meta_analysis"] or designs["rct"] >= 2:
        level = 3
    elif designs["rct"]:
        level = 2
    elif designs["clinical"] or designs["observational"]:
        level = 1
    else:
        level = 0
    parts = [f"{n} {DESIGN_NAMES[d][0 if n == 1 else 1]}" for d, n in
             sorted(designs.items(), key=lambda kv: tuple(DESIGN_NAMES).index(kv[0]))
             if d in DESIGN_NAMES]
    reason = ", ".join(parts) if parts else "no study cited"
    against = [s for s in stances if s != "benefit"]
    if against and level > 0:
        level -= 1
    if against:
        n = len(against)
        reason += f"; {'one source' if n == 1 else f'{n} sources'} not showing a clear benefit"
    return LEVELS[level], reason


# How much a statement weighs by the kind of source making it, best first: a label (reviewed by a regulator),
# a study (article, abstract), a monograph or other summary, a personal report (community post, review).
SOURCE_GRADES = {"label": "high", "article": "moderate", "abstract": "moderate", "monograph": "low", "other": "low",
                 "community": "very low", "review": "very low"}


def source_grade(kind: str) -> str:
    """The grade (one of LEVELS) of a statement from a document of this kind."""
    return SOURCE_GRADES.get(kind, "low")
