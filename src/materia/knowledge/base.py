"""KnowledgeBase: every read of the knowledge base, as typed values.

The web site, the JSON API, the CLI and the exports all read through one KnowledgeBase built over a
store's `Reader` (a `Store`, or, for a command that only reads an SQLite file, `open_reader`'s). Reads
about a substance cost up to seconds on a large one, so they are memoised per (what, name, data
version) in a bounded LRU cache; the data version is re-read from the store at most once per
`version_ttl` seconds, so another process's ingest is seen within that time.
"""
from __future__ import annotations

import dataclasses
import re
import threading
import time
from collections import Counter, OrderedDict
from collections.abc import Callable, Collection, Hashable, Iterable, Sequence
from typing import Any, TypeVar, cast

from materia.errors import NotFoundError, QueryTimeoutError
from materia.extract.names import headline_name, resolve_name
from materia.knowledge import conflicts as conflict_rules
from materia.knowledge import interactions as interaction_rules
from materia.knowledge import monograph as monograph_rules
from materia.knowledge import search as search_rules
from materia.knowledge import summaries as summary_rules
from materia.knowledge.conflicts import sentence_span
from materia.knowledge.interactions import DrugClasses, LexiconClasses
from materia.knowledge.model import (
    CheckedName,
    Conflict,
    DocumentItem,
    InteractionReport,
    Monograph,
    MonographSection,
    SearchHit,
    SearchResults,
    StoredDocument,
    SubstanceSummary,
)
from materia.knowledge.names import normalise_substance
from materia.knowledge.summaries import HEAD, MONOGRAPH, SECTION_CHUNK, summary_format
from materia.lexicons.drugs import drug_canonicals
from materia.lexicons.substances import substances as curated_substances
from materia.store import DocumentMatch, HistoryEntry, QueryBudget, Reader, Snippet
from materia.store.search import COUNTED

T = TypeVar("T")

SEARCH_SECONDS = 2.0  # a search's time limit when the caller gives none (the web site gives its own)
SEARCH_POOL = 1000  # most statements (and documents) ranked per search: deeper pages need narrower words
MAX_NAMED = 10  # most substances a search lists by name
SUMMARIES_PER_COMMIT = 64  # summaries stored per write transaction after an ingest (a commit costs a sync)
SummaryTask = tuple[str, tuple[str, ...]]  # a substance whose summary to build, and its other names
BuiltSummary = tuple[str, int, dict[str, bytes], tuple[str, ...]]  # substance, generation, parts, other names


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text))


def substance_aliases(substances: Collection[str], titled: Iterable[tuple[str, str]]) -> dict[str, set[str]]:
    """Other names of each of `substances`, normalised: the brands and synonyms the vocabularies (the drug
    dictionary, materia's curated substances) file under it, and the product names of documents filed under it
    ("Quuxol (quuxamide) tablets" -> quuxol). Stored with its summary, for `resolve` and search."""
    wanted = {normalise_substance(s): s for s in substances}
    out: dict[str, set[str]] = {s: set() for s in substances}
    filed_under: dict[str, str | None] = {}  # a vocabulary's canonical name -> the substance it is, if wanted

    def add(alias: str, canonical: str) -> None:
        # each canonical name normalised once, an alias only when wanted (100,000 drug names, 20,000 canonical)
        if canonical not in filed_under:
            filed_under[canonical] = wanted.get(normalise_substance(canonical))
        substance = filed_under[canonical]
        if substance is not None:
            out[substance].add(normalise_substance(alias))

    for variant, canonical in drug_canonicals().items():
        add(variant, canonical)
    for entry in curated_substances():
        for surface in (entry.name, *entry.synonyms, *entry.forms, *entry.exact):
            add(surface, entry.name)
    for title, substance in titled:
        if substance in out:  # as `resolve` reads a title: its headline, and the names it gives
            head = headline_name(title)
            out[substance] |= {normalise_substance(n) for n in (head, *resolve_name(head).names)}
    return {s: {a for a in names if a and a != normalise_substance(s) and len(a) <= 200} for s, names in out.items()}


class LruCache:
    """A bounded, thread-safe least-recently-used map; values are computed outside the lock."""

    def __init__(self, maxsize: int = 256) -> None:
        self.maxsize = maxsize
        self._data: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get_or_compute(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The cached value for `key`, else `compute()` stored; exceptions are not cached."""
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                self.hits += 1
                return cast(T, self._data[key])
            self.misses += 1
        value = compute()
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.maxsize:
                self._data.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._data.clear()

    def __len__(self) -> int:
        return len(self._data)


class KnowledgeBase:
    """Substances, monographs, conflicts, search and documents of one store.

    Safe to share between threads (the store opens a connection per read). `store` reads (a Store, or the
    SqliteReader `open_reader` gives) and, through its `writer()`, stores the summaries built. `clock` is
    injectable so tests need not sleep; `classes` (which drugs a class has) defaults to materia's class list.
    """

    def __init__(self, store: Reader, *, cache_size: int = 256, version_ttl: float = 1.0,
                 clock: Callable[[], float] = time.monotonic, classes: DrugClasses | None = None) -> None:
        self.store = store
        self.classes: DrugClasses = classes if classes is not None else LexiconClasses()
        self.cache = LruCache(cache_size)
        self._version_ttl = version_ttl
        self._clock = clock
        self._version: tuple[str | None, ...] | None = None
        self._version_at = float("-inf")
        self._version_lock = threading.Lock()

    @classmethod
    def open(cls, url_or_path: str, **options: Any) -> KnowledgeBase:
        """The knowledge base at an SQLite path or SQLAlchemy URL (migrated to the latest schema)."""
        from materia.store import connect

        return cls(connect(url_or_path), **options)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> KnowledgeBase:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- caching ---------------------------------------------------------------------------

    def data_version(self) -> tuple[str | None, ...]:
        """The store's data version, re-read at most once per `version_ttl` seconds."""
        now = self._clock()
        with self._version_lock:
            if self._version is None or now - self._version_at >= self._version_ttl:
                self._version = self.store.data_version()
                self._version_at = now
            return self._version

    def cached(self, kind: str, key: Hashable, compute: Callable[[], T]) -> T:
        """`compute()` memoised under (kind, key, data version); callers may cache derived values
        (a rendered page) here too, so they go stale exactly when the data does. Without a cache
        (cache_size 0: one command, one read) it is only computed."""
        if self.cache.maxsize == 0:
            return compute()
        return self.cache.get_or_compute((kind, key, self.data_version()), compute)

    # --- reads -----------------------------------------------------------------------------

    def resolve(self, name: str) -> str:
        """The stored substance `name` refers to; NotFoundError if none. The one place a user's name for a
        substance is resolved (`show`, `conflicts`, `export`, the web site and API).

        In order: a stored name ("L-Glutamine" -> glutamine); another name stored with its summary (brands,
        synonyms, product titles: one indexed lookup); what the vocabularies call it, brands and synonyms
        included ("Lipitor" -> atorvastatin, the same resolver extraction uses); the substance of stored
        documents titled with that name (a label's product name, for brands no vocabulary knows)."""
        stored = self._stored_names()
        found = self._named(name, stored)
        if found is not None:
            return found
        found = self._resolve_among(name, stored)
        if found is not None:
            return found
        wanted_names = {normalise_substance(name), *map(normalise_substance, resolve_name(name).names)}

        def titled_so(title: str) -> bool:  # "Quuxol (quuxamide) tablets" is titled Quuxol
            head = headline_name(title)
            return bool(wanted_names & {normalise_substance(head), *map(normalise_substance, resolve_name(head).names)})

        titled = Counter(substance for title, substance in self.store.titled_substances() if titled_so(title))
        if titled:
            return titled.most_common(1)[0][0]
        raise NotFoundError(f"no substance {name!r} in the knowledge base")

    @staticmethod
    def _resolve_among(name: str, substances: Iterable[str]) -> str | None:
        """The one of `substances` that `name` is, by its own name or a name the vocabularies give it."""
        stored = {normalise_substance(s): s for s in substances}
        if normalise_substance(name) in stored:
            return stored[normalise_substance(name)]
        for candidate in resolve_name(name).names:
            if normalise_substance(candidate) in stored:
                return stored[normalise_substance(candidate)]
        return None

    def substances(self) -> tuple[SubstanceSummary, ...]:
        """Every substance with its counts of sources, statements and reports, by name."""
        return self.cached("substances", "", lambda: tuple(self.store.substances()))

    def _stored_names(self) -> tuple[str, ...]:
        return self.cached("substance_names", "", lambda: tuple(self.store.substance_names()))

    def _named(self, name: str, stored: Iterable[str]) -> str | None:
        """The stored substance `name` is, by its own name or one other name stored with its summary."""
        wanted = normalise_substance(name)
        by_name = {normalise_substance(s): s for s in stored}
        if wanted in by_name:
            return by_name[wanted]
        called = [s for s in self.store.substances_called(wanted[:200]) if s in by_name.values()]
        return called[0] if len(called) == 1 else None

    def monograph(self, name: str) -> Monograph:
        """Everything the sources say about one substance, each statement with its evidence."""
        return self.cached("monograph", name, lambda: summary_rules.decode(Monograph, self._part(name, MONOGRAPH)))

    def monograph_json(self, name: str) -> str:
        """The monograph as JSON text (as `materia.serialise` writes it), read as stored."""
        return self.cached("monograph_json", name, lambda: summary_rules.decode_json(self._part(name, MONOGRAPH)))

    def monograph_head(self, name: str) -> Monograph:
        """The monograph's first page: each section's first claims (`n_claims` says how many there are),
        each with its first citations (`n_citations`), the first community reports. What the monograph
        page and `show` print; `section` pages through the rest."""
        return self.cached("monograph_head", name, lambda: summary_rules.decode(Monograph, self._part(name, HEAD)))

    def section(self, name: str, key: str, page: int = 1, limit: int = SECTION_CHUNK) -> MonographSection:
        """Claims (page-1)*limit .. page*limit-1 of one section of a monograph, every citation included;
        NotFoundError for a section the monograph has not."""
        head = self.monograph_head(name)
        section = next((s for s in head.sections if s.key == key), None)
        if section is None:
            raise NotFoundError(f"no section {key!r} in the monograph of {head.substance}")
        start, stop = (max(page, 1) - 1) * limit, max(page, 1) * limit

        def read() -> MonographSection:
            if start >= section.n_claims:
                return dataclasses.replace(section, claims=())
            chunks = {n: self._part(name, summary_rules.chunk_part(key, n))
                      for n in summary_rules.chunks_for(start, min(stop, section.n_claims))}
            return summary_rules.section_page(section, chunks, start, stop)
        return self.cached("section", (name, key, start, stop), read)

    def _part(self, name: str, part: str) -> bytes:
        """A summary part of the substance `name` resolves to: as stored when current, else the summary is
        built now (and stored for the next reader)."""
        substance = self.resolve(name)
        body = self.store.summary(substance, part, summary_format())
        if body is None:
            body = self.summarise(substance).get(part)
        if body is None:
            raise NotFoundError(f"no summary part {part!r} for {substance}")
        return body

    def summarise(self, substance: str, aliases: Iterable[str] | None = None) -> dict[str, bytes]:
        """Build the summary of a stored substance from its documents and store it (unless a writer changed
        them meanwhile; the next reader builds it again): its parts. `aliases`, when given, are stored as its
        other names."""
        generation, parts = self._build_summary(substance, aliases)
        self.store.writer().put_summary(substance, generation, summary_format(), parts, aliases)
        return parts

    def _build_summary(self, substance: str, aliases: Iterable[str] | None) -> tuple[int, dict[str, bytes]]:
        """The summary parts of a stored substance and the generation of the data they were built from."""
        generation, documents, items = self.store.summary_sources(substance)
        m = monograph_rules.build(substance, documents, items, interaction_rules.of_substance(substance, items))
        return generation, summary_rules.parts(m, aliases or ())

    def stale_summaries(self, substances: Iterable[str] | None = None) -> list[SummaryTask]:
        """The summaries to rebuild, each a substance with the other names to store with it: those of
        `substances`, by default of every substance whose summary is missing or stale."""
        todo = sorted(set(substances if substances is not None else
                          self.store.stale_summaries(summary_rules.ALIASES, summary_format())))
        if not todo:
            return []
        others = substance_aliases(todo, self.store.titled_substances())
        return [(substance, tuple(sorted(others.get(substance, ())))) for substance in todo]

    def build_summaries(self, tasks: Iterable[SummaryTask]) -> list[BuiltSummary]:
        """Each task's summary parts, with the generation of the data they were built from (reads only:
        worker processes build them in parallel, the one writer stores them)."""
        return [(substance, *self._build_summary(substance, aliases), aliases) for substance, aliases in tasks]

    def store_summaries(self, built: Sequence[BuiltSummary]) -> None:
        """Store built summaries, one write transaction for all; one whose documents changed since it was
        built is left stale (its next reader builds it again)."""
        self.store.writer().put_summaries(summary_format(), built)

    def refresh_summaries(self, substances: Iterable[str] | None = None) -> list[str]:
        """Rebuild the summaries (and other names) of `substances`, by default of every substance whose summary
        is missing or stale: what an ingest calls once it has stored its files. The substances rebuilt."""
        tasks = self.stale_summaries(substances)
        for start in range(0, len(tasks), SUMMARIES_PER_COMMIT):
            self.store_summaries(self.build_summaries(tasks[start:start + SUMMARIES_PER_COMMIT]))
        return [substance for substance, _ in tasks]

    def interactions(self, names: Sequence[str]) -> InteractionReport:
        """Every pairwise interaction the sources state among the named products, strongest first, with the
        names the knowledge base has no record of and the pairs nothing is known about (which is not "safe").

        A name resolves as for `monograph` (brands to their generic, "L-Glutamine" to glutamine); a combination
        product stands for each of its ingredients; a drug named only by other documents (clarithromycin in
        an atorvastatin label) is its vocabulary name. Each substance meets the sentences naming it and those
        naming a class it belongs to."""
        asked = tuple(dict.fromkeys(n.strip() for n in names if n.strip()))

        def check() -> InteractionReport:
            products = [self._product(n) for n in asked]
            substances = {s for p in products for s in p.names}
            parties = substances | {c for s in substances for c in self.classes.classes_of(s)}
            return interaction_rules.check(products, self.store.interactions(parties), self.store.substance_names(),
                                           self.classes)
        return self.cached("interactions", asked, check)

    def _product(self, name: str) -> CheckedName:
        """The substances a product name stands for: the ingredients of a known combination, else the stored
        substance it resolves to, else a drug class or the name the vocabularies give it (known is set later)."""
        vocabulary = resolve_name(name)
        if vocabulary.known and len(vocabulary.names) > 1:
            stored = self.store.substance_names()
            return CheckedName(name, tuple(self._resolve_among(n, stored) or n for n in vocabulary.names), False)
        try:
            return CheckedName(name, (self.resolve(name),), False)
        except NotFoundError:
            pass
        group = self.classes.canonical_class(name)
        if group is not None:
            return CheckedName(name, (group,), False)
        return CheckedName(name, (vocabulary.main or normalise_substance(name),), False)

    def conflicts(self, name: str) -> tuple[Conflict, ...]:
        """Topics on which the sources about one substance disagree, with every position."""
        def find() -> tuple[Conflict, ...]:
            return tuple(conflict_rules.find(self.store.items(self.resolve(name), ("statement", "use"))))
        return self.cached("conflicts", name, find)

    def history(self, name: str) -> tuple[HistoryEntry, ...]:
        """Every change to the items of the documents about one substance, oldest first. The name
        resolves as for `monograph`; a substance whose documents are all removed is found in the history."""
        def read() -> tuple[HistoryEntry, ...]:
            try:
                substance = self.resolve(name)
            except NotFoundError:
                substance = self._resolve_among(name, self.store.history_substances()) or ""
                if not substance:
                    raise
            return tuple(self.store.history([substance]))
        return self.cached("history", name, read)

    def search(self, query: str, limit: int = 20, offset: int = 0,
               budget: QueryBudget | None = None) -> SearchResults:
        """One page of what matches `query`: the substances it names first (brands and synonyms too), then
        statements merged and grouped by substance, then documents (not cached: queries vary). The queries
        run within `budget` (by default SEARCH_SECONDS): past it, or once it is cancelled, the answer holds
        what was found by then, is marked partial and says why."""
        limit, offset = max(1, limit), max(0, offset)
        budget = budget or QueryBudget(SEARCH_SECONDS)
        terms = search_rules.search_terms(query)
        named = [SearchHit("substance", s.name, f"{s.n_sources} sources, {s.n_statements} statements",
                           substance=s.name, n_sources=s.n_sources) for s in self._substances_named(query)]
        pool = min(max((offset + limit) * 3, 100), SEARCH_POOL)
        statements: list[search_rules.MergedStatement] = []
        documents: list[tuple[DocumentMatch, int]] = []
        counted: tuple[int, int] | None = None
        stopped = ""
        try:
            if terms.words:
                statements = search_rules.merge_statements(self.store.match_statements(terms.words, pool, budget))
                documents = search_rules.merge_documents(self.store.match_documents(terms.words, pool, budget))
                counted = self.store.count_matches(terms.words, budget)
        except QueryTimeoutError as exc:
            stopped = str(exc)
        ranked: list[SearchHit | search_rules.MergedStatement | tuple[DocumentMatch, int]] = [
            *named, *statements, *documents]
        page, stopped_on_page = self._search_page(terms.words, ranked[offset:offset + limit], budget)
        stopped = stopped or stopped_on_page
        n_statements, n_documents = counted or (sum(s.n_matches for s in statements), sum(n for _, n in documents))
        capped = max(n_statements, n_documents) > COUNTED
        found_by_then = f"{stopped}: showing what was found by then" if stopped else ""
        note = "; ".join(n for n in (terms.note(), found_by_then) if n)
        return SearchResults(query, terms.words, page, min(n_statements, COUNTED), min(n_documents, COUNTED),
                             not capped, offset, limit, len(ranked) > offset + limit, bool(stopped), note)

    def _substances_named(self, query: str) -> list[SubstanceSummary]:
        """The substances a query names: the one it is a name of first (its own, a brand, a synonym), then
        those whose name the query holds as words, or starts a word of (at most MAX_NAMED)."""
        stored = self._stored_names()
        exact = self._named(query, stored)
        found = [exact] if exact else []
        words = " " + " ".join(re.findall(r"\w+", normalise_substance(query))) + " "
        if len(words) >= 5:  # three characters or more
            found += [n for n in stored if f" {n} " in words or f" {_words(n)}".find(words.rstrip()) >= 0]
        named = list(dict.fromkeys(found))[:MAX_NAMED]
        by_name = {s.name: s for s in self.store.substances(named)} if named else {}
        return [by_name[n] for n in named if n in by_name]

    def _search_page(self, terms: tuple[str, ...],
                     page: Sequence[SearchHit | search_rules.MergedStatement | tuple[DocumentMatch, int]],
                     budget: QueryBudget) -> tuple[tuple[SearchHit, ...], str]:
        """The hits of one page with their snippets (the matched words in context, the evidence sentence)
        and counts of sources: the costly part, done for the page only. Past the budget, hits keep their
        titles without snippets, and why is returned."""
        statements = [e for e in page if isinstance(e, search_rules.MergedStatement)]
        documents = [e for e in page if isinstance(e, tuple)]
        snippets: tuple[dict[int, Snippet], dict[int, Snippet]] = ({}, {})
        sources: dict[search_rules.StatementKey, int] = {}
        stopped = ""
        try:
            if statements or documents:
                snippets = self.store.snippets(terms, [s.best.item_id for s in statements],
                                               [d.document_id for d, _ in documents], budget)
                sources = self.store.statement_sources([s.key for s in statements], budget)
        except QueryTimeoutError as exc:
            stopped = str(exc)
        hits = []
        for entry in page:
            if isinstance(entry, SearchHit):
                hits.append(entry)
            elif isinstance(entry, search_rules.MergedStatement):
                m = entry.best
                snippet = snippets[0].get(m.item_id)
                hits.append(SearchHit("statement", f"{m.category.replace('_', ' ')}: {m.name}",
                                      snippet.text if snippet else m.name, m.substance, m.document_id, m.item_id,
                                      snippet.span if snippet else None, sources.get(entry.key, entry.n_matches)))
            else:
                d, copies = entry
                snippet = snippets[1].get(d.document_id)
                hits.append(SearchHit("document", d.title or f"document {d.document_id}",
                                      snippet.text if snippet else "", d.substance, d.document_id, n_sources=copies))
        return tuple(hits), stopped

    def document(self, doc_id: int) -> StoredDocument:
        """One source document with every item extracted from it; NotFoundError if there is none."""
        info, fmt, text, items = self.store.document(doc_id)
        sentences = dict.fromkeys(s for s in map(sentence_span, items) if s is not None)
        return StoredDocument(info.id, info.source, info.title, info.kind, info.modified, text,
                              tuple(DocumentItem(i.category, i.name, (i.span.start, i.span.end)) for i in items),
                              info.substance, fmt, tuple(sentences), info.record, info.offset)
