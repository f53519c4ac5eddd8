"""Size of every page a reader can reach: each substance's monograph (with its sub-pages),
the home page and the source view of the largest documents, answered in-process.

    PYTHONPATH=src .venv/bin/python bench/page_sizes.py --db KB.sqlite [--documents 60] [--limit-mb 1.5]

Prints the largest pages and how many pass the limit; writes bench/results/page_sizes.json.
Build the knowledge base first, e.g. `materia ingest --db KB.sqlite ../shared/corpora ../shared/seeds`.
"""
from __future__ import annotations

import argparse
import json
import re
import time
import warnings
from pathlib import Path
from urllib.parse import quote

RESULTS = Path(__file__).resolve().parent / "results" / "page_sizes.json"
PART_LINK = re.compile(r'href="(/substances/[^"#/?]+/[a-z_]+(?:\?page=\d+)?)"')
WINDOW_LINK = re.compile(r'href="(/documents/\d+\?at=\d+)"')


def _follow(client: object, html: str, links: re.Pattern[str], sizes: dict[str, int]) -> None:
    """Fetch every page `html` links to by `links`, and the pages those link to, once each."""
    todo = list(dict.fromkeys(links.findall(html)))
    while todo:
        url = todo.pop()
        if url in sizes:
            continue
        r = client.get(url)  # type: ignore[attr-defined]
        sizes[url] = len(r.content)
        todo += [u for u in links.findall(r.text) if u not in sizes]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", required=True, help="knowledge base to measure")
    ap.add_argument("--documents", type=int, default=60, help="how many of the largest documents to view")
    ap.add_argument("--limit-mb", type=float, default=1.5, help="the largest a page may be")
    ap.add_argument("--out", default=str(RESULTS))
    args = ap.parse_args()

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

    from materia.settings import Settings
    from materia.web import create_app

    settings = Settings.from_env(db=args.db)
    sizes: dict[str, int] = {}
    seconds: dict[str, float] = {}
    with TestClient(create_app(settings)) as client:
        names = [s["name"] for s in client.get("/api/v1/substances").json()]
        urls = ["/"] + [f"/substances/{quote(n, safe='')}" for n in names]
        for url in urls:
            t0 = time.process_time()
            r = client.get(url)
            seconds[url] = time.process_time() - t0
            sizes[url] = len(r.content)
            # the pages a monograph links to (its paged parts) are pages too
            _follow(client, r.text, PART_LINK, sizes)
        for doc_id in _largest_documents(args.db, args.documents):
            url = f"/documents/{doc_id}"
            t0 = time.process_time()
            r = client.get(url)
            sizes[url] = len(r.content)
            seconds[url] = time.process_time() - t0
            _follow(client, r.text, WINDOW_LINK, sizes)  # the other windows of a long document
    limit = int(args.limit_mb * 1024 * 1024)
    over = {u: n for u, n in sizes.items() if n > limit}
    largest = sorted(sizes.items(), key=lambda kv: -kv[1])[:15]
    report = {"bench": "page_sizes", "pages": len(sizes), "limit_bytes": limit, "over_limit": len(over),
              "largest": [{"url": u, "bytes": n, "cpu_s": round(seconds.get(u, 0.0), 3)} for u, n in largest]}
    Path(args.out).parent.mkdir(exist_ok=True)
    Path(args.out).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(report, indent=2))


def _largest_documents(db: str, n: int) -> list[int]:
    """The ids of the `n` documents with the longest text (an SQLite knowledge base)."""
    import sqlite3

    with sqlite3.connect(db) as conn:
        return [row[0] for row in conn.execute("SELECT id FROM documents ORDER BY length(text) DESC LIMIT ?", (n,))]


if __name__ == "__main__":
    main()
