"""`materia serve` as a process: SIGTERM stops it within a few seconds, even with a request in flight."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from materia.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_up(port: int, proc: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else "the server exited"
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("the server did not start")


def test_serve_stops_on_sigterm_with_a_request_in_flight(web_db: Settings) -> None:
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.Popen([sys.executable, "-m", "materia", "serve", "--port", str(port), "--db", web_db.db],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        _wait_up(port, proc)
        with socket.create_connection(("127.0.0.1", port)) as stalled:  # half a request: the server waits for it
            stalled.sendall(b"GET /search?q=glutamine HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            with socket.create_connection(("127.0.0.1", port)) as asking:
                asking.sendall(b"GET /api/v1/search?q=diarrhoea HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                proc.send_signal(signal.SIGTERM)
                # The server stops within its shutdown grace (3 s) however the clients behave, and exits as
                # uvicorn does: by the signal it was sent, once it has shut down.
                assert proc.wait(timeout=30) in (0, -signal.SIGTERM)
                assert b"Finished server process" in (proc.stderr.read() if proc.stderr else b"")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        if proc.stderr:
            proc.stderr.close()
