"""Turn the knowledge base's frozen dataclasses into plain JSON-ready values.

The web layer never depends on the exact dataclass shapes: templates and the API see
dicts and lists, so a field the knowledge package adds shows up without a code change.
"""
from __future__ import annotations

import dataclasses
import enum
import json
from datetime import date, datetime
from typing import Any, Mapping

from markupsafe import Markup


def to_plain(value: Any) -> Any:
    """Recursively convert dataclasses, mappings, sequences and dates to JSON types."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)):
        return [to_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_plain(v) for k, v in value.items()}
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return to_plain(value.value)
    if hasattr(value, "__dataclass_fields__") and not isinstance(value, type):
        return {name: to_plain(getattr(value, name)) for name in value.__dataclass_fields__}
    if isinstance(value, Mapping):
        return {str(k): to_plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [to_plain(v) for v in value]
    return str(value)


_SCRIPT_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def script_json(value: Any) -> Markup:
    """JSON safe to embed in a <script> element: `</script>` and `<!--` cannot appear."""
    text = json.dumps(to_plain(value), ensure_ascii=False, sort_keys=True)
    for raw, escaped in _SCRIPT_ESCAPES.items():
        text = text.replace(raw, escaped)
    return Markup(text)
