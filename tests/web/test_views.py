"""The typed page values: readable source names, dose bars, red flags, conflict sides, ratings, marks."""
from __future__ import annotations

from dataclasses import replace
from datetime import date

from materia.knowledge import DocumentItem, InteractionPair, Monograph, SearchHit, StoredDocument
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


def test_views_search_hits_lead_to_substance_sentence_or_document() -> None:
    assert views.hit_href(SearchHit("substance", "vitamin d", "vitamin d", substance="vitamin d")) == \
        "/substances/vitamin%20d"
    assert views.hit_href(SearchHit("statement", "use: x", "[x]", "glutamine", 3, 9, (10, 42))) == \
        "/documents/3#span-10-42"
    assert views.hit_href(SearchHit("statement", "use: x", "[x]", "glutamine", 3, 9)) == "/documents/3"
    assert views.hit_href(SearchHit("document", "T", "s")) == ""


def test_views_search_groups_runs_of_one_kind_and_substance() -> None:
    hits = [SearchHit("substance", "zinc", "", substance="zinc"), SearchHit("substance", "zinc oxide", ""),
            SearchHit("statement", "effect: nausea", "", "zinc", 1), SearchHit("statement", "use: colds", "", "zinc", 2),
            SearchHit("statement", "effect: nausea", "", "iron", 3), SearchHit("document", "Zinc", "", "zinc", 1)]
    groups = views.search_groups(hits)
    assert [(g.kind, g.substance, len(g.hits)) for g in groups] == [
        ("substance", None, 2), ("statement", "zinc", 2), ("statement", "iron", 1), ("document", "zinc", 1)]
    assert groups[1].href == "/substances/zinc"


def test_views_snippet_marks_matched_words_and_their_stems() -> None:
    assert views.snippet_parts("bad [Headaches] and [x]", "headache") == [
        ("bad ", False), ("Headaches", True), (" and [x]", False)]


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





    assert views.UsualDose("x", 0.2, 0.4, 2, False).text == "200–400 mg a day"
    assert views.UsualDose("x", 0.5, 2.0, 2, False).text == "500 mg–2 g a day"
    assert views.UsualDose("x", 1.0, 1.0, 1, False).text == "1 g a day"


def test_views_glance_uses_usual_dose_side_effects_and_dates(monograph: Monograph) -> None:
    g = views.glance(monograph)
    assert [(u.name, u.grade) for u in g.used_for] == [(monograph.uses[0].name, monograph.uses[0].grade)]
    assert g.usual_dose == views.UsualDose("diarrhoea", 1.0, 10.0, 2, False)  # the middle of 5-10 and 1 g/day
    assert g.side_effects == ("headache",) and g.n_side_effects == 1
    assert g.latest_source == date(2024, 5, 1) and g.latest_ingest is None
    assert g.interactions == () and g.n_interactions == 0  # its sources state none


def test_views_glance_leaves_out_a_severity_named_as_a_reaction(monograph: Monograph) -> None:
    """"infections, some fatal": "fatal" says how bad another effect was; the section keeps it, the glance not."""
    from dataclasses import replace

    side = next(s for s in monograph.sections if s.key == "side_effects")
    headache = next(c for c in side.claims if c.name == "headache")
    fatal = replace(headache, name="fatal", n_citations=-1, n_sources=-1)
    sections = tuple(replace(s, claims=(fatal, *s.claims), n_claims=-1, topics=()) if s is side else s
                     for s in monograph.sections)
    g = views.glance(replace(monograph, sections=sections))
    assert g.side_effects == ("headache",) and g.n_side_effects == 2


def test_views_glance_lists_interaction_partners_strongest_first(monograph: Monograph) -> None:
    def pair(a: str, b: str) -> InteractionPair:
        return InteractionPair(a, b, "advise", ("advise",), "major", "high", (), ())

    m = replace(monograph, interactions=(pair(monograph.substance, "warfarin"), pair("grapefruit juice", monograph.substance),
                                         pair(monograph.substance, "warfarin")))
    assert views.interaction_names(m) == ("warfarin", "grapefruit juice")


def test_views_claim_text_reads_labels_not_keys(monograph: Monograph) -> None:
    timing = next(c for s in monograph.sections for c in s.claims if c.topic == "timing")
    assert views.claim_text(timing) == ("When to take it", timing.stance)
    use = next(c for s in monograph.sections for c in s.claims if c.stance == "no_benefit")
    assert views.claim_text(use)[1] == "no benefit"


def test_views_part_pages_hold_what_the_monograph_page_leaves_out(monograph: Monograph) -> None:
    from dataclasses import replace

    many = tuple(replace(monograph.sections[0].claims[0], name=f"use {i}") for i in range(120))
    usage = replace(monograph.sections[0], claims=many, n_claims=-1, topics=())  # counted again from `many`
    m = replace(monograph, sections=(usage, *monograph.sections[1:]))
    page = views.monograph_page(m)
    first, last = views.part_page(page, "usage", 1), views.part_page(page, "usage", 3)
    assert first is not None and last is not None and first.n_pages == 3
    assert [c.name for c in first.claims][:2] == ["use 0", "use 1"] and last.first == 101 and len(last.claims) == 20
    assert views.part_page(page, "usage", 4) is None and views.part_page(page, "nothing", 1) is None
    assert page.part_href("usage", 2) == "/substances/glutamine/usage?page=2"
    sources = views.part_page(page, "sources", 1)
    assert sources is not None and sources.sources == m.sources


def test_views_long_document_shown_a_window_at_a_time() -> None:
    line = "Take 5 g a day with food and water.\n"
    text = line * 3000  # 108,000 characters
    far = text.index(line, 90_000)
    doc = StoredDocument(9, "/srv/secret/big.txt", None, "label", None, text,
                         (DocumentItem("dose", "5 g", (far + 5, far + 8)),), sentences=((far, far + 35),))
    first = views.document_page(doc)
    assert first.window[0] == 0 and first.window[1] <= views.WINDOW_CHARS + len(line) and first.partial
    assert first.previous_at is None and first.next_at is not None and first.title == "big.txt"
    href = views.evidence_href(9, (far + 5, far + 8))
    assert href == f"/documents/9?at={far + 5}#span-{far + 5}-{far + 8}"
    around = views.document_page(doc, far + 5)
    start, end = around.window
    assert start < far + 5 < end and text[start - 1] == "\n" and text[end - 1] == "\n"
    assert [t.anchor for t in around.tokens if t.kind == "open"] == [f"span-{far}-{far + 35}", f"span-{far + 5}-{far + 8}"]
    assert "".join(t.text for t in around.tokens) == text[start:end]
    short = views.document_page(StoredDocument(1, "a.txt", "A", "article", None, "x" * 10, ()))
    assert not short.partial and short.next_at is None


def test_views_public_names_never_show_a_server_path() -> None:
    from materia.knowledge.model import Location

    assert views.is_url("https://ods.od.nih.gov/x") and not views.is_url("/srv/data/x.txt")
    assert views.short_source("/srv/data/zinc.md") == "zinc.md"
    assert views.short_source("https://example.org/a/b/") == "b"
    assert views.public_name("/srv/data/zinc.md", "Zinc fact sheet") == "Zinc fact sheet"
    assert views.public_name("/srv/data/zinc.md", " 12 ") == "zinc.md"  # a title with no letters is no title
    assert views.public_name("https://example.org/zinc", "Zinc") == "https://example.org/zinc"
    assert views.location_name(Location(3, "/srv/reviews.tsv", "row 12")) == "reviews.tsv, row 12"
    assert views.location_name(Location(3, "/srv/zinc.md")) == "zinc.md"


def test_views_pages_count_from_one() -> None:
    assert views.page_of(list(range(7)), 2, 3) == (3, 4, 5)
    assert views.page_of(list(range(7)), 3, 3) == (6,)
    assert views.page_of([], 1, 3) == ()
    assert [views.n_pages(n, 3) for n in (0, 1, 3, 4)] == [1, 1, 1, 2]


def test_views_css_category_is_safe() -> None:
    assert views.css_category("red_flag") == "red_flag"
    assert views.css_category("Dose <b>") == "dose__b_"
    assert views.css_category("") == "item"


def test_views_window_of_a_long_document_ends_at_line_breaks() -> None:
    short = "a\nb"
    assert views.window_around(short, 2) == (0, 3)
    line = "x" * 99 + "\n"
    text = line * (3 * views.WINDOW_CHARS // 100)
    start, end = views.window_around(text, views.WINDOW_CHARS)
    assert 0 < start <= views.WINDOW_CHARS - views.WINDOW_CHARS // 4 and text[start - 1] == "\n"
    assert end - start >= views.WINDOW_CHARS and text[end - 1] == "\n"
    assert views.window_around(text, None)[0] == 0


def test_views_community_quotes_link_to_their_span() -> None:
    from materia.knowledge.model import Citation

    said = [Citation("/srv/forum.html", 3, (5, 9), "Helped my gut. " * 40, "community report"),
            Citation("/srv/forum.html", 4, (0, 4), "Nothing.", "community report"),
            Citation("/srv/forum.html", 5, (0, 4), "Third.", "community report")]
    quotes = views.community_quotes(said, {3: "Forum thread"})
    assert len(quotes) == views.QUOTES_SHOWN
    first = quotes[0]
    assert (first.href, first.source, first.kind) == ("/documents/3#span-5-9", "Forum thread", "community-report")
    assert first.text.endswith("…") and len(first.text) <= views.QUOTE_CHARS + 1
    assert quotes[1].source == "forum.html"



def test_views_usual_dose_prefers_adults_in_general_to_a_special_population(monograph: Monograph) -> None:
    from materia.knowledge.model import DoseRange, DoseSummary

    def summary(purpose: str, population: str | None, *mg: float) -> DoseSummary:
        ranges = tuple(DoseRange("label.xml", 1, f"{n} mg", (0, 5), n / 1000, n / 1000) for n in mg)
        return DoseSummary(purpose, ranges, max(mg) / 1000, False, population)

    # one source each: the children's amount, listed first, is not "the usual amount"
    m = replace(monograph, doses=(summary("children", "children", 10), summary("hyperlipidemia", None, 10, 40, 80)))
    assert views.usual_dose(m) == views.UsualDose("hyperlipidemia", 0.04, 0.04, 1, False)
