"""The typed page values: readable source names, dose bars, red flags, conflict sides, ratings, marks."""
from __future__ import annotations

from materia.knowledge import DocumentItem, Monograph, SearchHit, StoredDocument
from materia.settings import Settings
from materia.web import views
from materia.web.responses import templates


def test_views_source_titles_fall_back_to_the_file_and_tell_twins_apart(monograph: Monograph) -> None:
    assert views.source_titles(monograph.sources) == {
        1: "Glutamine review (#1)", 2: "Glutamine review (#2)", 3: "forum.html"}


def test_views_evidence_href_anchors_the_span() -> None:
    assert views.evidence_href(7, (3, 9)) == "/documents/7#span-3-9"
    assert views.evidence_href(7) == "/documents/7"


def test_views_red_flags_in_one_sentence_are_one_entry(monograph: Monograph) -> None:
    [flag] = views.red_flags(monograph)
    assert flag.names == ("chest pain", "fainting")
    assert flag.claim.citations[0].text == "Stop if you have chest pain or fainting."


def test_views_dose_bars_one_per_source_and_purpose_in_grams_per_day(monograph: Monograph) -> None:
    page = views.monograph_page(monograph)
    bars = {(b.source, b.purpose): (b.low, b.high, b.href) for b in page.bars}
    assert bars == {("Glutamine review (#1)", "diarrhoea"): (5.0, 10.0, "/documents/1#span-50-60"),
                    ("Glutamine review (#2)", "diarrhoea"): (1.0, 1.0, "/documents/2#span-70-80")}
    assert page.chart is not None and page.chart.max_label == "max 10 g/day"


def test_views_conflicts_split_into_sides_by_stance(monograph: Monograph) -> None:
    sides = {c.topic: [(s.stance, [p.document_id for p in s.positions]) for s in c.sides]
             for c in views.monograph_page(monograph).conflicts}
    assert sides["taking it with food or on an empty stomach"] == [("with food", [1]), ("empty stomach", [2])]
    assert sides["benefit for diarrhea"] == [("benefit", [1]), ("no benefit", [2])]


def test_views_ratings_best_first_with_shares() -> None:
    bars = views.rating_bars(((1, 1), (2, 1), (10, 2)))
    assert [(b.stars, b.count, b.pct) for b in bars] == [(10, 2, 50), (2, 1, 25), (1, 1, 25)]
    assert views.rating_bars(()) == ()


def test_views_grades_only_for_uses_and_stars_for_ratings(monograph: Monograph) -> None:
    page = views.monograph_page(monograph)
    usage, _dosage, side_effects, *_ = monograph.sections
    assert page.grade(usage.claims[0]) == monograph.uses[0].grade != ""
    assert page.grade(side_effects.claims[0]) == ""
    [report] = monograph.community.reports
    assert views.stars(report) == "★★★★☆"


def test_views_document_page_marks_items_and_sentences() -> None:
    doc = StoredDocument(4, "a.txt", None, "article", None, "Take 5 g a day. <script>x</script>",
                         (DocumentItem("dose", "5 g", (5, 8)), DocumentItem("red flag", "x", (16, 33))),
                         sentences=((0, 15),))
    page = views.document_page(doc)
    assert page.title == "a.txt"
    assert page.legend == (("dose", "Dose"), ("red_flag", "Red flag"), ("sentence", "Evidence sentence"))
    opened = [(t.mark.category, t.anchor) for t in page.tokens if t.kind == "open" and t.mark]
    assert opened == [("sentence", "span-0-15"), ("dose", "span-5-8"), ("red_flag", "span-16-33")]
    assert "".join(t.text for t in page.tokens) == doc.text


def test_views_search_hits_lead_to_substance_or_document() -> None:
    assert views.hit_href(SearchHit("substance", "glutamine", "glutamine", substance="glutamine")) == \
        "/substances/glutamine"
    assert views.hit_href(SearchHit("statement", "use: x", "[x]", "glutamine", 3, 9)) == "/documents/3"
    assert views.hit_href(SearchHit("document", "T", "s")) == ""


def test_views_monograph_template_reads_the_typed_values(monograph: Monograph) -> None:
    """Rendered without a server: the template is strict about names, so a missing attribute fails here."""
    from materia.knowledge.export import jsonld

    settings = Settings.from_env(environ={})
    html = templates().get_template("monograph.html").render(
        settings=settings, max_query=settings.max_query_chars, m=monograph, p=views.monograph_page(monograph),
        jsonld=jsonld(monograph))
    assert "&lt;b&gt;diarrhoea&lt;/b&gt;" in html and "<b>diarrhoea" not in html
    assert "chest pain, fainting" in html and "evidence: " in html
    assert 'href="/documents/3#span-0-50">read in source' in html and "★★★★☆" in html
    assert 'href="/documents/2">Glutamine review (#2)</a> <span class="badge">label</span> · undated' in html


def test_views_community_rows_quote_and_link_each_writer(monograph: Monograph) -> None:
    """Verdicts and reported side effects become rows with at most two quotes, each linked to its span;
    a use statement finds the row of its condition."""
    from dataclasses import replace

    from materia.knowledge.model import Citation, ConditionVerdicts

    said = tuple(Citation("docs/forum.html", 3, (0, 14), f"Helped my gut {i}.", "community report") for i in range(3))
    m = replace(monograph, community=replace(monograph.community,
                                             verdicts=(ConditionVerdicts("diarrhea", 2, 1, 0, said),)))
    page = views.monograph_page(m)
    [row] = page.verdicts
    assert row.anchor == "reported-1" and len(row.quotes) == 2
    assert row.quotes[0] == views.CommunityQuote("Helped my gut 0.", "/documents/3#span-0-14", "forum.html",
                                                 "community-report")
    [use] = [c for s in m.sections for c in s.claims if c.topic == "use" and c.stance == "benefit"]
    assert page.verdict(use) is row
    assert page.verdict(next(c for s in m.sections for c in s.claims if c.topic != "use")) is None
    [effect] = page.reported_effects
    assert effect.effect.name == "headache" and effect.quotes[0].href == "/documents/3#span-30-38"

    settings = Settings.from_env(environ={})
    html = templates().get_template("monograph.html").render(
        settings=settings, max_query=settings.max_query_chars, m=m, p=page, jsonld="{}")
    assert '<tr id="reported-1"><th scope="row">diarrhea</th><td class="num">2</td><td class="num">1</td>' in html
    assert html.count("<q>Helped my gut") == 2 and "Helped my gut 2." not in html
    assert 'People report: <a href="#reported-1">2 helped · 1 did nothing · 0 worse</a>' in html


def test_views_excerpt_cuts_long_quotes_at_a_word() -> None:
    assert views.excerpt("  short\n quote ") == "short quote"
    long = "word " * 100
    cut = views.excerpt(long, limit=23)
    assert cut == "word word word word…" and len(cut) <= 24
