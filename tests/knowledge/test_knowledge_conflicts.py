from __future__ import annotations

from kb_helpers import make_doc, make_item

from materia.knowledge.conflicts import find, statement_conflicts, use_conflicts


def test_conflicts_timing_across_sources() -> None:
    a, b = make_doc(1), make_doc(2)
    items = [make_item(a, "statement", "timing", "with food", span=(5, 20)),
             make_item(b, "statement", "timing", "empty stomach", span=(30, 50), sentence=[25, 60])]
    [c] = statement_conflicts(items)
    assert c.topic == "taking it with food or on an empty stomach"
    assert {(p.source, p.stance, p.span) for p in c.positions} == {
        ("docs/1.txt", "with food", (5, 20)), ("docs/2.txt", "empty stomach", (25, 60))}


def test_conflicts_same_source_is_not_a_conflict() -> None:
    a = make_doc(1)
    items = [make_item(a, "statement", "long_term_safety", "safe"),
             make_item(a, "statement", "long_term_safety", "unknown")]
    assert find(items) == []


def test_conflicts_use_of_condition_and_its_parent() -> None:
    a, b = make_doc(1), make_doc(2)
    items = [make_item(a, "use", "inflammatory bowel disease", "benefit"),
             make_item(b, "use", "Crohn’s disease", "no_benefit")]
    [c] = use_conflicts(items)
    assert "inflammatory bowel disease" in c.topic
    assert {p.stance for p in c.positions} == {"benefit", "no_benefit"}


def test_conflicts_siblings_do_not_conflict() -> None:
    a, b = make_doc(1), make_doc(2)
    items = [make_item(a, "use", "ulcerative colitis", "benefit"),
             make_item(b, "use", "diarrhea", "no_benefit")]
    # both are gut conditions, but neither is a kind of the other: only their common parent links them
    assert all("gastrointestinal disease" in c.topic for c in use_conflicts(items))


def test_conflicts_parent_group_not_repeated_when_child_explains_it() -> None:
    a, b = make_doc(1), make_doc(2)
    items = [make_item(a, "use", "ibd", "benefit"), make_item(b, "use", "crohn's", "unclear")]
    assert len(use_conflicts(items)) == 1


def test_conflicts_all_agree_no_conflict() -> None:
    a, b = make_doc(1), make_doc(2)
    items = [make_item(a, "use", "diarrhea", "benefit"), make_item(b, "use", "diarrhoea", "benefit")]
    assert find(items) == []


def test_conflicts_alternatives_are_not_disagreements() -> None:
    a, b = make_doc(1), make_doc(2)
    items = [make_item(a, "statement", "preparation", "dissolved in liquid"),
             make_item(b, "statement", "preparation", "under the tongue"),
             make_item(a, "statement", "onset", "within minutes"), make_item(b, "statement", "onset", "weeks")]
    assert find(items) == []


def test_conflicts_long_term_safe_vs_unknown() -> None:
    a, b = make_doc(1), make_doc(2)
    items = [make_item(a, "statement", "long_term_safety", "safe"),
             make_item(b, "statement", "long_term_safety", "unknown")]
    [c] = find(items)
    assert c.topic == "long-term safety"


def test_conflicts_name_every_statement_topic() -> None:
    """One list of statement topics (materia.types.StatementTopic): the conflicts name each of them."""
    from typing import get_args

    from materia.knowledge.conflicts import STATEMENT_TOPICS
    from materia.types import StatementTopic

    assert set(STATEMENT_TOPICS) == set(get_args(StatementTopic))
