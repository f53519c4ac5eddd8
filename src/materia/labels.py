"""Words for people in place of the keys the data uses: one table for the web site, `materia show`
and the Markdown export. The JSON API and CSV keep the keys (programs read those).

    label("stance", "no_benefit") -> "no benefit";  label("topic", "long_term_safety") -> "Long-term safety"

Keys are looked up per kind, since one key means different things ("effect" is a side effect as a
topic, a pharmacodynamic effect as an interaction type). A key missing from the table reads with its
underscores as spaces; tests/test_labels.py checks that every key the types name is here.
"""
from __future__ import annotations

from materia.categories import CATEGORIES

__all__ = ["LABELS", "label", "statement_label"]

LABELS: dict[str, dict[str, str]] = {
    "topic": {  # what a statement is about (a claim's topic, an item's category)
        **{c.key: c.label for c in CATEGORIES},  # the categories' own labels (materia.categories)
        "mechanism": "How it works",
        "timing": "When to take it",
        "long_term_safety": "Long-term safety",
        "onset": "How soon it works",
        "storage": "Storage",
        "preparation": "Preparation",
        "administration": "How to take it",
        "sentence": "Evidence sentence",
    },
    "stance": {  # what a source says about a use, or how it mentions an effect
        "benefit": "benefit",
        "no_benefit": "no benefit",
        "mixed": "mixed results",
        "unclear": "unclear",
        "negated": "said not to happen",
        "hypothetical": "possible",
    },
    "evidence": {  # the kind of study behind a statement
        "meta_analysis": "meta-analysis",
        "rct": "randomised controlled trial",
        "clinical": "clinical study",
        "observational": "observational study",
        "animal": "animal study",
        "in_vitro": "laboratory study",
        "anecdote": "personal account",
        "none": "no study named",
    },
    "verdict": {  # what a writer says something did for them
        "helped": "helped",
        "nothing": "did nothing",
        "worse": "made it worse",
    },
    "interaction_type": {  # DDI 2013
        "mechanism": "changes how the body handles it",
        "effect": "changes its effect",
        "advise": "advice",
        "int": "interaction",
    },
    "severity": {"major": "major", "moderate": "moderate", "minor": "minor"},
    "partner": {"substance": "substance", "class": "drug class", "food": "food"},
}


def label(kind: str, key: str) -> str:
    """What people read for `key` of `kind`: its entry in LABELS, else the key with underscores as spaces."""
    return LABELS.get(kind, {}).get(key) or key.replace("_", " ")


def statement_label(topic: str, name: str, stance: str | None) -> tuple[str, str]:
    """(what, position) of a statement as people read it: ("Long-term safety", "safe") for a practical
    statement (whose name is its topic), ("diarrhoea", "no benefit") for a use; position "" when none."""
    if name == topic and topic in LABELS["topic"]:
        return label("topic", topic), stance or ""
    if topic == "red_flag":  # listed with the side effects, and the same symptom may be both: say which
        return name, "red flag: get medical help"
    return name, label("stance", stance) if stance and stance != name else ""
