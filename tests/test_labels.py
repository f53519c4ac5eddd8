"""One table of words for keys: every key the types name has a label, and none reads as a key."""
from __future__ import annotations

from typing import get_args

from materia import types
from materia.knowledge.monograph import SECTIONS
from materia.labels import LABELS, label, statement_label


def test_labels_cover_every_key_the_types_name() -> None:
    for kind, literal in (("stance", types.Stance), ("evidence", types.Evidence), ("verdict", types.Verdict),
                          ("topic", types.StatementTopic), ("interaction_type", types.InteractionType),
                          ("severity", types.Severity), ("partner", types.Partner)):
        assert set(get_args(literal)) <= set(LABELS[kind]), kind
    topics = {t for _key, _title, ts in SECTIONS for t in ts}
    assert topics <= set(LABELS["topic"])


def test_labels_never_read_as_keys() -> None:
    for kind, table in LABELS.items():
        for key, text in table.items():
            assert "_" not in text and text.strip() == text and text, (kind, key)


def test_labels_per_kind_and_fallback() -> None:
    assert label("stance", "no_benefit") == "no benefit"
    assert label("topic", "long_term_safety") == "Long-term safety"
    assert label("topic", "effect") != label("interaction_type", "effect")  # one key, two meanings
    assert label("topic", "something_new") == "something new"


def test_labels_statement_label_of_practical_statements_and_uses() -> None:
    assert statement_label("long_term_safety", "long_term_safety", "safe") == ("Long-term safety", "safe")
    assert statement_label("use", "diarrhoea", "no_benefit") == ("diarrhoea", "no benefit")
    assert statement_label("effect", "headache", None) == ("headache", "")
    # a red flag is listed with the side effects, where the same symptom may be an effect too
    assert statement_label("red_flag", "dizziness", None) == ("dizziness", "red flag: get medical help")
