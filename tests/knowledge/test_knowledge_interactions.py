"""Interactions consolidated per unordered pair: every source, the strongest severity, grades of the sources'
kinds, conflicts side by side, classes expanded to their members, brands resolved, and nothing known said so."""
from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest
from kb_helpers import make_doc, make_item

from materia.knowledge import KnowledgeBase
from materia.knowledge.interactions import NOTHING_KNOWN, check, of_substance
from materia.knowledge.model import CheckedName
from materia.types import Document, Extraction, Interaction, Span


class Classes:
    """A small class list by hand, in place of lexicons/drug_classes.py."""

    LIST: ClassVar[dict[str, frozenset[str]]] = {"strong CYP3A4 inhibitors": frozenset({"clarithromycin", "itraconazole", "ketoconazole"}),
            "anticoagulants": frozenset({"warfarin", "apixaban"})}

    def canonical_class(self, phrase: str) -> str | None:
        return next((c for c in self.LIST if c.casefold() == phrase.strip().casefold()), None)

    def members(self, class_name: str) -> frozenset[str]:
        return self.LIST.get(self.canonical_class(class_name) or "", frozenset())

    def classes_of(self, drug: str) -> frozenset[str]:
        return frozenset(c for c, drugs in self.LIST.items() if drug in drugs)

    def membership_source(self, class_name: str) -> str:
        return "FDA table of CYP3A inhibitors"


def interaction(doc, a: str, b: str, type_: str = "advise", severity: str | None = None, span=(0, 40),
                b_kind: str = "substance", mechanism: tuple[str, ...] = (), **extra):
    """A stored interaction item as store/serialise.py writes one (the payload holds the spans as lists)."""
    item = make_item(doc, "interaction", f"{a} + {b}", type_, span=span)
    payload = {"a": a, "a_span": [span[0], span[0] + 3], "b": b, "b_span": [span[0] + 5, span[0] + 9],
               "type": type_, "span": list(span), "severity": severity, "b_kind": b_kind,
               "mechanism": list(mechanism), "wording": None, **extra}
    return dataclasses.replace(item, text=f"sentence {span[0]}", payload=payload)


def test_knowledge_interactions_one_pair_from_both_directions_strongest_severity_first() -> None:
    label, article, forum = make_doc(1, "label"), make_doc(2, "article", refs=True), make_doc(3, "community")
    items = [interaction(article, "clarithromycin", "atorvastatin", "mechanism", "moderate", mechanism=("CYP3A4",)),
             interaction(label, "atorvastatin", "clarithromycin", "advise", "major", span=(50, 90)),
             interaction(forum, "atorvastatin", "clarithromycin", "int", None),
             interaction(label, "atorvastatin", "grapefruit juice", "mechanism", None, span=(100, 140), b_kind="food")]
    products = [CheckedName("lipitor", ("atorvastatin",), False), CheckedName("biaxin", ("clarithromycin",), False)]
    report = check(products, items, ["atorvastatin"], Classes())
    assert len(report.pairs) == 1
    pair = report.pairs[0]
    assert (pair.a, pair.b, pair.asked) == ("atorvastatin", "clarithromycin", ("lipitor", "biaxin"))
    assert (pair.severity, pair.type, pair.grade, pair.mechanism) == ("major", "advise", "high", ("CYP3A4",))
    assert [(s.document_id, s.grade, s.says) for s in pair.sources] == [
        (1, "high", "major"), (2, "moderate", "moderate"), (3, "very low", "severity not stated")]
    assert pair.types == ("advise", "mechanism", "int")
    assert [c.topic for c in pair.conflicts] == ["how severe the interaction is"]
    assert {p.stance for p in pair.conflicts[0].positions} == {"major", "moderate"}
    assert report.unknown == () and report.nothing_known == ()
    assert all(n.known for n in report.names)


def test_knowledge_interactions_class_statement_meets_its_members_and_says_which_class() -> None:
    label = make_doc(1, "label")
    items = [interaction(label, "atorvastatin", "strong CYP3A4 inhibitors", "advise", "major", b_kind="class")]
    products = [CheckedName("clarithromycin", ("clarithromycin",), False),
                CheckedName("atorvastatin", ("atorvastatin",), False)]
    report = check(products, items, ["atorvastatin"], Classes())
    pair = report.pairs[0]
    assert (pair.a, pair.b) == ("clarithromycin", "atorvastatin")
    match = pair.sources[0].via_class
    assert match is not None and match == pair.via_class[0]
    assert (match.substance, match.class_name) == ("clarithromycin", "strong CYP3A4 inhibitors")
    assert match.note == ("clarithromycin is among the strong CYP3A4 inhibitors — class membership from "
                          "FDA table of CYP3A inhibitors")
    assert report.names[0].known  # only the class sentence names it, through its members
    not_a_member = check([CheckedName("x", ("pravastatin",), False), CheckedName("y", ("atorvastatin",), False)],
                         items, ["atorvastatin"], Classes())
    assert not_a_member.pairs == () and not_a_member.nothing_known == (("x", "y"),)


def test_knowledge_interactions_no_interaction_and_avoid_are_a_conflict_side_by_side() -> None:
    label, abstract = make_doc(1, "label"), make_doc(2, "abstract")
    items = [interaction(label, "warfarin", "st. john's wort", "advise", "major"),
             interaction(abstract, "st. john's wort", "warfarin", "int", None, negated=True)]
    products = [CheckedName("coumadin", ("warfarin",), False), CheckedName("sjw", ("st. john's wort",), False)]
    pair = check(products, items, [], Classes()).pairs[0]
    assert [s.says for s in pair.sources] == ["major", "no interaction"]
    assert [c.topic for c in pair.conflicts] == ["whether they interact"]
    assert [p.stance for p in pair.conflicts[0].positions] == ["major", "no interaction"]


def test_knowledge_interactions_one_source_in_two_copies_is_one_source_and_no_conflict() -> None:
    first, copy = (dataclasses.replace(make_doc(n, "label"), content_key="label:set:1") for n in (1, 2))
    other = dataclasses.replace(make_doc(3, "label"), content_key="label:set:2")
    items = [interaction(first, "warfarin", "aspirin", "effect", "major"),
             interaction(copy, "warfarin", "aspirin", "effect", "major"),
             interaction(other, "aspirin", "warfarin", "effect", "major")]
    pair = of_substance("warfarin", items)[0]
    assert [s.document_id for s in pair.sources] == [1, 3] and pair.conflicts == ()


def test_knowledge_interactions_nothing_known_and_unknown_names() -> None:
    label = make_doc(1, "label")
    items = [interaction(label, "atorvastatin", "clarithromycin", "advise", "major")]
    products = [CheckedName(n, (n,), False) for n in ("atorvastatin", "clarithromycin", "xyzzy")]
    report = check(products, items, ["atorvastatin"], Classes())
    assert [(p.a, p.b) for p in report.pairs] == [("atorvastatin", "clarithromycin")]
    assert report.unknown == ("xyzzy",)
    assert report.nothing_known == (("atorvastatin", "xyzzy"), ("clarithromycin", "xyzzy"))
    assert "safe" in NOTHING_KNOWN and "does not mean" in NOTHING_KNOWN


def test_knowledge_interactions_of_substance_one_pair_per_partner_strongest_first() -> None:
    label = make_doc(1, "label")
    items = [interaction(label, "atorvastatin", "grapefruit juice", "mechanism", None, b_kind="food"),
             interaction(label, "atorvastatin", "strong CYP3A4 inhibitors", "advise", "major", span=(50, 90),
                         b_kind="class"),
             interaction(label, "atorvastatin", "Grapefruit juice", "advise", "minor", span=(100, 140)),
             interaction(label, "digoxin", "verapamil", "mechanism", None, span=(200, 240)),  # not about it
             make_item(label, "effect", "myalgia")]
    pairs = of_substance("atorvastatin", items)
    assert [(p.b, p.severity, len(p.sources)) for p in pairs] == [("strong CYP3A4 inhibitors", "major", 1),
                                                                   ("grapefruit juice", "minor", 2)]


def test_knowledge_interactions_a_combination_product_stands_for_each_ingredient() -> None:
    label = make_doc(1, "label")
    items = [interaction(label, "hydrochlorothiazide", "lithium", "effect", "major")]
    products = [CheckedName("zestoretic", ("lisinopril", "hydrochlorothiazide"), False),
                CheckedName("lithium", ("lithium",), False)]
    report = check(products, items, [], Classes())
    assert [(p.a, p.b, p.asked) for p in report.pairs] == [("hydrochlorothiazide", "lithium", ("zestoretic", "lithium"))]
    assert report.nothing_known == ()


# --- through the knowledge base: names resolve, sentences come from any document -----------------------------

STATIN_LABEL = ("Avoid LIPITOR with strong CYP3A4 inhibitors. "
                "Clarithromycin raised atorvastatin levels fourfold.")


@pytest.fixture
def kb(tmp_path: Path) -> Iterator[KnowledgeBase]:
    from materia.store import connect

    store = connect(str(tmp_path / "kb.sqlite"))
    doc = Document(source="/kb/lipitor.xml", sha256="1", text=STATIN_LABEL, kind="label", format="spl",
                   title="Lipitor (atorvastatin calcium) tablets")
    store.put(Extraction(document=doc, substance="atorvastatin", interactions=(
        Interaction("atorvastatin", Span(6, 13), "strong CYP3A4 inhibitors", Span(19, 43), "advise", Span(0, 44),
                    "major", "class", ("CYP3A4",), "avoid"),
        Interaction("atorvastatin", Span(66, 78), "clarithromycin", Span(45, 59), "mechanism", Span(45, 96)))))
    other = Document(source="/kb/zinc.md", sha256="2", text="Zinc notes.", kind="article", format="text")
    store.put(Extraction(document=other, substance="zinc"))
    with KnowledgeBase(store, classes=Classes()) as kb:
        yield kb


def test_knowledge_interactions_brands_resolve_and_class_and_direct_sentences_meet(kb: KnowledgeBase) -> None:
    report = kb.interactions(["lipitor", "Biaxin"])
    assert [(n.asked, n.names, n.known) for n in report.names] == [("lipitor", ("atorvastatin",), True),
                                                                  ("Biaxin", ("clarithromycin",), True)]
    pair = report.pairs[0]
    assert (pair.a, pair.b, pair.severity, pair.grade) == ("atorvastatin", "clarithromycin", "major", "high")
    assert [s.text for s in pair.sources] == [STATIN_LABEL[:44], STATIN_LABEL[45:96]]
    assert pair.sources[0].via_class is not None and pair.sources[1].via_class is None
    assert pair.sources[0].title == "Lipitor (atorvastatin calcium) tablets"


def test_knowledge_interactions_unknown_names_and_pairs_with_nothing_known(kb: KnowledgeBase) -> None:
    report = kb.interactions(["atorvastatin", "zinc", "qwertyx", "atorvastatin "])
    assert kb.interactions(["Zestoretic", "zinc"]).names[0].names == ("lisinopril", "hydrochlorothiazide")
    assert report.pairs == ()
    assert report.unknown == ("qwertyx",)
    assert report.nothing_known == (("atorvastatin", "zinc"), ("atorvastatin", "qwertyx"), ("zinc", "qwertyx"))
    same = kb.interactions(["lipitor", "atorvastatin"])  # one substance twice is no pair
    assert same.pairs == () and same.nothing_known == ()


def test_knowledge_interactions_monograph_lists_what_its_sources_say(kb: KnowledgeBase) -> None:
    m = kb.monograph("lipitor")
    assert [(p.a, p.b, p.severity) for p in m.interactions] == [("atorvastatin", "strong CYP3A4 inhibitors", "major"),
                                                               ("atorvastatin", "clarithromycin", None)]
    assert all(c.topic != "interaction" for s in m.sections for c in s.claims)


def test_knowledge_interactions_lexicon_classes_cite_the_class_list() -> None:
    from materia.knowledge.interactions import LexiconClasses

    classes = LexiconClasses()
    assert "strong CYP3A4 inhibitors" in classes.classes_of("clarithromycin")
    assert "clarithromycin" in classes.members("potent CYP3A inhibitors")
    assert classes.membership_source("strong CYP3A4 inhibitors").startswith(
        "US FDA, Drug Development and Drug Interactions: Table of Substrates, Inhibitors and Inducers")
    assert classes.membership_source("no such class") == "materia's drug class list"
