from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from materia.web.responses import CSP, script_json, security_headers


@dataclass(frozen=True)
class _Thing:
    name: str
    when: date


@given(st.text())
def test_responses_script_json_never_closes_the_script(text: str) -> None:
    out = str(script_json({"name": text}))
    assert "<" not in out and ">" not in out
    assert json.loads(out) == {"name": text}


def test_responses_script_json_serialises_typed_values() -> None:
    assert json.loads(str(script_json(_Thing("</script>", date(2025, 1, 2))))) == {
        "name": "</script>", "when": "2025-01-02"}


def test_responses_one_strict_policy_for_every_page_docs_included() -> None:
    for path in ("/docs", "/substances/x", "/api/v1/substances"):
        assert security_headers(path)["Content-Security-Policy"] == CSP
    assert "unsafe-inline" not in CSP and "http" not in CSP
