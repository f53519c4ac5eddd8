"""bytes -> text, saying what was assumed.

Offsets index the decoded text with no other change. So:

- UTF-8 is tried first (a UTF-8 BOM is dropped, the only change ever made); otherwise
  charset-normalizer's best guess is used and a note says "decoded as <encoding>".
- Mojibake (UTF-8 read as cp1252 and saved again, "CafÃ©") is *reported*, never repaired:
  ftfy's badness heuristic looks at the start of the text and, when it fires, a note is
  added to Document.notes. Repairing would change the text and move every later offset,
  so the evidence spans would no longer match the file the user has.
- Binary content (NUL bytes, many control bytes, or a known binary signature such as PNG,
  PDF or ZIP/Office) is refused with a reason naming the format when it is known.
"""
from __future__ import annotations

import codecs

import charset_normalizer
from ftfy.badness import is_bad

from materia.errors import ReadError

_BINARY_CONTROL = set(range(0, 9)) | {11, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31}
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"), (b"%PDF-", "PDF document"), (b"PK\x03\x04", "ZIP archive or Office document"),
    (b"GIF8", "GIF image"), (b"\xff\xd8\xff", "JPEG image"), (b"\x1f\x8b", "gzip archive"),
    (b"\xd0\xcf\x11\xe0", "legacy Office document"), (b"\x7fELF", "executable"), (b"SQLite format 3\x00", "SQLite database"),
)
_MOJIBAKE_SAMPLE = 65536


def binary_kind(data: bytes) -> str | None:
    """The name of a known binary format, from the file's first bytes."""
    for magic, name in _SIGNATURES:
        if data.startswith(magic):
            return name
    return None


def looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample and not (sample.startswith(codecs.BOM_UTF16_LE) or sample.startswith(codecs.BOM_UTF16_BE)):
        return True
    controls = sum(1 for b in sample if b in _BINARY_CONTROL)
    return controls > max(8, len(sample) // 100)


def mojibake_note(text: str) -> tuple[str, ...]:
    """A note when the text looks double-encoded; the text itself is left as it is."""
    if is_bad(text[:_MOJIBAKE_SAMPLE]):
        return ("text looks like mojibake (mis-decoded characters such as 'Ã©'); left unchanged so offsets "
                "match the file",)
    return ()


def decode(path: str, data: bytes) -> tuple[str, str, tuple[str, ...]]:
    """Return (text, encoding, notes). UTF-8 first; otherwise charset-normalizer's best guess."""
    known = binary_kind(data)
    if known is not None:
        raise ReadError(path, f"binary file ({known}), unknown format")
    if data.startswith(codecs.BOM_UTF8):
        try:
            text = data[len(codecs.BOM_UTF8):].decode("utf-8", errors="strict")
        except UnicodeDecodeError as exc:
            raise ReadError(path, f"UTF-8 BOM but invalid UTF-8 at byte {exc.start + 3}") from None
        return text, "utf-8-sig", mojibake_note(text)
    if looks_binary(data):
        raise ReadError(path, "binary file, not text")
    try:
        text = data.decode("utf-8")
        return text, "utf-8", mojibake_note(text)
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise ReadError(path, f"not valid UTF-8 (byte {first_bad}) and no text encoding fits")
    encoding = best.encoding
    note = f"not valid UTF-8 (byte {first_bad}); decoded as {encoding}"
    text = str(best)
    return text, encoding, (note, *mojibake_note(text))
