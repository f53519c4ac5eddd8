"""What the browser tests share: where Chromium is, how it is started, and a live server on a free port."""
from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from materia.settings import Settings

CHROMIUM = "/usr/bin/chromium"
ARTEFACTS = Path(os.environ.get("MATERIA_ARTEFACTS") or Path(__file__).resolve().parents[2] / "tmp" / "artefacts")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]

BROWSER_MARKS = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
    pytest.mark.skipif(not Path(CHROMIUM).exists() and not os.environ.get("MATERIA_REQUIRE_BROWSER"),
                       reason="Chromium is not installed (set MATERIA_REQUIRE_BROWSER=1 to make this an error)"),
]


@contextmanager
def serving(settings: Settings, **config: Any) -> Iterator[str]:
    """The site for `settings`, served by uvicorn in a thread on a free local port: its base URL."""
    import uvicorn

    from materia.web import create_app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning",
                                           **config))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
