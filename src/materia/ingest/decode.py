"""bytes -> text, saying what was assumed.

Offsets index the decoded text with no other change, so mojibake is reported,
never silently repaired (repairing would move every later offset).
"""
from __future__ import annotations

import codecs

import charset_normalizer

from materia.errors import ReadError

_BINARY_CONTROL = set(range(0, 9)) | {11, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31}


def looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample and not (sample.startswith(codecs.BOM_UTF16_LE) or sample.startswith(codecs.BOM_UTF16_BE)):
        return True
    controls = sum(1 for b in sample if b in _BINARY_CONTROL)
    return controls > max(8, len(sample) // 100)


def decode(path: str, data: bytes) -> tuple[str, str, tuple[str, ...]]:
    """Return (text, encoding, notes). UTF-8 first; otherwise charset-normalizer's best guess."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8", errors="strict"), "utf-8-sig", ()
    if looks_binary(data):
        raise ReadError(path, "binary file, not text")
    try:
        return data.decode("utf-8"), "utf-8", ()
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise ReadError(path, f"not valid UTF-8 (byte {first_bad}) and no text encoding fits")
    encoding = best.encoding
    note = f"not valid UTF-8 (byte {first_bad}); decoded as {encoding}"
    return str(best), encoding, (note,)
