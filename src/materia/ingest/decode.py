"""bytes -> text, saying what was assumed.

Offsets are code points into the decoded text, which is the file with no other change. So:

- A byte-order mark names the encoding (UTF-8, UTF-16 or UTF-32, either byte order) and is dropped,
  the only change ever made besides replacing undecodable bytes.
- Otherwise UTF-8 is tried. A file that is UTF-8 except for a few stray bytes stays UTF-8: each bad
  byte sequence becomes U+FFFD and a note says how many bytes were replaced, rather than the whole
  file being re-read in a guessed encoding.
- Text in no Unicode encoding is decoded as Windows-1252 (the Western default that browsers give
  "latin-1" files) when that is valid and reads no worse than charset-normalizer's best guess;
  else as that guess. A note says "decoded as <encoding>".
- Mojibake (UTF-8 read as cp1252 and saved again, "CafÃ©") is *reported*, never repaired:
  ftfy's badness heuristic looks at the start of the text and, when it fires, a note is
  added to Document.notes. Repairing would change the text and move every later offset,
  so the evidence spans would no longer match the file the user has.
- Binary content (NUL bytes, many control bytes, or a known binary signature such as PNG,
  PDF or ZIP/Office) is refused with a reason naming the format when it is known.
"""
from __future__ import annotations

import codecs
import contextvars
import re

import charset_normalizer
from charset_normalizer.md import mess_ratio
from ftfy.badness import is_bad

from materia.errors import ReadError

_BINARY_CONTROL = bytes([*range(0, 9), 11, *range(14, 32)])
_CONTROL_CHARS = re.compile("[" + "".join(f"\\x{c:02x}" for c in _BINARY_CONTROL) + "]")
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"), (b"%PDF-", "PDF document"), (b"PK\x03\x04", "ZIP archive or Office document"),
    (b"GIF8", "GIF image"), (b"\xff\xd8\xff", "JPEG image"), (b"\x1f\x8b", "gzip archive"),
    (b"\xd0\xcf\x11\xe0", "legacy Office document"), (b"\x7fELF", "executable"),
    (b"SQLite format 3\x00", "SQLite database"),
)
# UTF-32 first: its little-endian BOM begins with UTF-16's
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"), (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_WESTERN = "cp1252"
_MOJIBAKE_SAMPLE = 65536
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_SAMPLE_HITS = 400  # non-ASCII characters whose neighbourhood is compared between candidate decodings
_SAMPLE_RADIUS = 30

# Undecodable byte runs seen by the "materia-count" error handler during one decode call.
_replaced: contextvars.ContextVar[list[tuple[int, int]]] = contextvars.ContextVar("materia_replaced")


def _count_and_replace(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    _replaced.get().append((exc.start, exc.end))
    return "\ufffd", exc.end


codecs.register_error("materia-count", _count_and_replace)


def _decode_replacing(data: bytes | memoryview, encoding: str) -> tuple[str, list[tuple[int, int]]]:
    """`data` decoded with each undecodable byte run replaced by U+FFFD, and those runs (byte offsets)."""
    runs: list[tuple[int, int]] = []
    token = _replaced.set(runs)
    try:
        return codecs.decode(data, encoding, "materia-count"), runs
    finally:
        _replaced.reset(token)


def binary_kind(data: bytes) -> str | None:
    """The name of a known binary format, from the file's first bytes."""
    for magic, name in _SIGNATURES:
        if data.startswith(magic):
            return name
    return None


def looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    controls = len(sample) - len(sample.translate(None, _BINARY_CONTROL))  # the control bytes, deleted
    return controls > max(8, len(sample) // 100)


def _text_looks_binary(text: str) -> bool:
    """The decoded-text form of looks_binary, for files whose bytes are UTF-16 or UTF-32."""
    sample = text[:8192]
    return "\x00" in sample or len(_CONTROL_CHARS.findall(sample)) > max(8, len(sample) // 100)


_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")
# Every sequence ftfy's badness heuristic flags holds a non-ASCII character and is at most 7 characters
# long, so it lies within this many characters of each of its non-ASCII ones.
_MOJIBAKE_REACH = 8


def _looks_bad(sample: str) -> bool:
    """ftfy's is_bad(sample), run only around the non-ASCII characters (a tenth of the time on English text).
    Each piece searched starts at the sample's start or at an ASCII character, so the heuristic's one
    anchored pattern ("^Â ") matches in a piece only where it matches in the sample."""
    start = end = -1
    for run in _NON_ASCII_RUN.finditer(sample):
        lo, hi = max(0, run.start() - _MOJIBAKE_REACH), run.end() + _MOJIBAKE_REACH
        if lo > end:  # a new piece: search the one before
            if end > start and is_bad(sample[start:end]):
                return True
            start = lo
        end = hi
    return end > start and is_bad(sample[start:end])


def mojibake_note(text: str) -> tuple[str, ...]:
    """A note when the text looks double-encoded; the text itself is left as it is."""
    if _looks_bad(text[:_MOJIBAKE_SAMPLE]):
        return ("text looks like mojibake (mis-decoded characters such as 'Ã©'); left unchanged so offsets "
                "match the file",)
    return ()


def _replaced_note(encoding: str, runs: list[tuple[int, int]], offset: int = 0) -> tuple[str, ...]:
    if not runs:
        return ()
    n = sum(end - start for start, end in runs)
    return (f"not valid {encoding.upper()}: {n} byte{'s' if n != 1 else ''} replaced with U+FFFD "
            f"(first at byte {runs[0][0] + offset})",)


def _sample(text: str) -> str:
    """The neighbourhoods of the first non-ASCII characters: where candidate decodings differ."""
    parts: list[str] = []
    last = 0
    for i, m in enumerate(_NON_ASCII.finditer(text)):
        if i == _SAMPLE_HITS:
            break
        lo, hi = max(last, m.start() - _SAMPLE_RADIUS), m.end() + _SAMPLE_RADIUS
        if lo < hi:
            parts.append(text[lo:hi])
            last = hi
    return " ".join(parts)


def _legacy(path: str, data: bytes, first_bad: int) -> tuple[str, str]:
    """Text in an 8-bit or legacy multi-byte encoding: Windows-1252 when it reads as well as the best guess."""
    try:
        western: str | None = data.decode(_WESTERN)
    except UnicodeDecodeError:
        western = None
    best = charset_normalizer.from_bytes(data).best()
    if western is not None:
        western_mess = mess_ratio(_sample(western), 1.0)
        if best is None:
            if western_mess < 0.2:
                return western, _WESTERN
        elif best.encoding == _WESTERN or western_mess <= mess_ratio(_sample(str(best)), 1.0) + 0.01:
            return western, _WESTERN
    if best is None:
        raise ReadError(path, f"not valid UTF-8 (byte {first_bad}) and no text encoding fits")
    return str(best), best.encoding


def decode(path: str, data: bytes) -> tuple[str, str, tuple[str, ...]]:
    """Return (text, encoding, notes): byte-order mark, else UTF-8 (stray bytes replaced), else a legacy encoding."""
    known = binary_kind(data)
    if known is not None:
        raise ReadError(path, f"binary file ({known}), unknown format")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text, runs = _decode_replacing(memoryview(data)[len(bom):], encoding)
            if _text_looks_binary(text):
                raise ReadError(path, "binary file, not text")
            name = "utf-8-sig" if encoding == "utf-8" else encoding
            return text, name, (*_replaced_note(encoding, runs, len(bom)), *mojibake_note(text))
    if looks_binary(data):
        raise ReadError(path, "binary file, not text")
    try:
        text = data.decode("utf-8")
        return text, "utf-8", mojibake_note(text)
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    text, runs = _decode_replacing(data, "utf-8")
    # UTF-8 that decodes elsewhere (valid multi-byte characters outnumber the bad bytes) keeps its
    # characters; legacy 8-bit text almost never forms a valid UTF-8 sequence by chance
    valid_non_ascii = len(text) - len(text.encode("ascii", "ignore")) - len(runs)
    if valid_non_ascii > 0 and valid_non_ascii >= sum(end - start for start, end in runs):
        return text, "utf-8", (*_replaced_note("utf-8", runs), *mojibake_note(text))
    del text
    text, encoding = _legacy(path, data, first_bad)
    return text, encoding, (f"not valid UTF-8 (byte {first_bad}); decoded as {encoding}", *mojibake_note(text))
