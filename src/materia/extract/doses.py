"""Doses: amounts and ranges with unit, how often, per body weight, route, population, purpose.

One compiled regex finds "<amount> <unit> <per> <times>" (the unit is required, so years,
counts, durations and percentages never match); the words around it (sentence, list-item
label, section heading) give route, population, purpose and supervision.

Frequency conventions:
- "per day", "/day", "daily", "a day", or "daily dose of" before the amount -> per="day".
- an amount followed by "N–M times daily" -> per="dose", times_per_day=(N, M); "twice daily" -> (2, 2);
  "every 6–8 hours" -> (3, 4).
- "once daily" -> per="day", times_per_day=(1, 1).
- "N or more times a day" -> (N, N): only the lower bound is stated, so to_grams_per_day gives a
  lower estimate rather than inventing a maximum.
"""
from __future__ import annotations

import bisect
import functools
import math
import re
from dataclasses import replace

from materia.extract import substances
from materia.extract.parse import Parsed
from materia.lexicons.units import dose_cues, units
from materia.types import Dose, Per, Span

__all__ = ["find", "find_in", "format_dose", "parse_dose", "to_grams_per_day"]

_SKIP_SECTIONS = frozenset({"references", "boilerplate", "disclaimer"})
_NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+"
_TIMES_NUM = r"\d{1,2}|one|two|three|four|five|six"
_DAY = r"(?:a|per|each|every|/)\s*day\b|daily\b|/\s*d\b|/\s*24\s*h(?:ours?)?\b|in\s+24\s+hours\b"


# Words just before an amount that change its meaning: "daily dose of 8 g", "up to 40 g", "between 5 and 30 g".
# Matched on a short window ending at the number rather than inside the main regex, which keeps
# the scan anchored on digits (several times faster on long texts).
_PRE = re.compile(
    r"""\b(?:(?:(?:total\s+)?daily\s+(?:dose|dosage|intake|amount)s?\s+(?:of\s+)?|(?:a\s+)?dose\s+of\s+|
            up\s+to\s+|no\s+more\s+than\s+|not\s+(?:to\s+)?exceed(?:ing)?\s+|(?:a\s+)?maximum\s+(?:of\s+)?|
            at\s+most\s+|between\s+|from\s+)+)$""", re.IGNORECASE | re.VERBOSE)
_PRE_WINDOW = 60
_CAP = re.compile(r"up\s+to|no\s+more|exceed|maximum|at\s+most", re.IGNORECASE)
_SPAN_FROM_PRE = re.compile(r"daily|up\s+to|between|maximum|exceed|most|more", re.IGNORECASE)


@functools.cache
def _pattern() -> re.Pattern[str]:
    """The dose regex, built once from the unit vocabulary."""
    table = units()
    forms = sorted({*table.folded, *table.exact}, key=len, reverse=True)
    unit = "|".join(re.escape(f) for f in forms)
    return re.compile(
        rf"""
        (?P<low>{_NUM})
        (?:\s*(?P<unit1>{unit})(?![A-Za-z]))?
        (?:\s*(?:-|–|—|to|and|or)\s*(?P<high>{_NUM}))?
        \s*(?P<unit>{unit})(?![A-Za-z0-9])
        (?P<bad>\s*/\s*(?:dl|l|ml|m2|m²|h|hr|hour|min|kg\s*/\s*(?:h|min))\b|\s*%)?
        (?P<perkg>\s*/\s*kg\b|\s+per\s+kg\b(?:\s+(?:of\s+)?body\s*weight)?)?
        (?:\s+of\s+(?P<of>[A-Za-z][\w-]*(?:\s+[A-Za-z][\w-]*)?)(?=\s*(?:{_DAY})))?
        (?:\.(?=\s*per\s))?
        (?P<per>\s*(?:{_DAY})|\s*/\s*daily\b|\s*(?:/|per)\s*dose\b|\s*(?:a|per|each|every|/)\s*(?:week|wk)\b|\s+weekly\b)?
        (?P<times>,?\s*(?:\(|taken\s+)?
          (?:(?P<t1>{_TIMES_NUM})\s*(?:-|–|—|to|or)\s*(?P<t2>{_TIMES_NUM})\s*times|
             (?P<t3>{_TIMES_NUM})\s*(?P<more>or\s+more\s+)?times|
             (?P<tw>once|twice|thrice)|
             (?P<tx>\d)\s*x(?=\s*(?:/|a\s|per\s|daily)))
          \s*(?:{_DAY}|a\s+day|per\s+day)|
          ,?\s*(?P<abbr>b\.?i\.?d\.?|t\.?i\.?d\.?|q\.?i\.?d\.?)(?![A-Za-z])|
          ,?\s*every\s+(?P<h1>\d{{1,2}})(?:\s*(?:-|–|to)\s*(?P<h2>\d{{1,2}}))?\s*(?:hours|hrs?|h)\b)?
        """,
        re.IGNORECASE | re.VERBOSE,
    )


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def _times_value(word: str) -> int:
    word = word.lower()
    return int(word) if word.isdigit() else dose_cues().number_words.get(word, 0)


def _times(match: re.Match[str]) -> tuple[int, int] | None:
    cues = dose_cues()
    if match.group("t1"):
        return (_times_value(match.group("t1")), _times_value(match.group("t2")))
    if match.group("t3") or match.group("tx"):
        n = _times_value(match.group("t3") or match.group("tx"))
        return (n, n)
    if match.group("tw"):
        n = cues.times_words[match.group("tw").lower()]
        return (n, n)
    if match.group("abbr"):
        n = cues.times_words.get(match.group("abbr").lower().replace(".", ""), 0)
        return (n, n) if n else None
    if match.group("h1"):
        h1 = int(match.group("h1"))
        h2 = int(match.group("h2") or h1)
        if 0 < h1 <= 24 and 0 < h2 <= 24:
            return (24 // max(h1, h2), 24 // min(h1, h2))
    return None


def _per(match: re.Match[str], pre: str) -> Per | None:
    per = (match.group("per") or "").lower()
    if "week" in per or "wk" in per:
        return "week"
    if "dose" in per:
        return "dose"
    if per:
        return "day"
    return "day" if "daily" in pre.lower() else None


@functools.cache
def _pint() -> object:
    import pint  # imported lazily: building a registry takes a noticeable fraction of a second

    return pint.UnitRegistry()


@functools.cache
def _factor(unit_from: str, unit_to: str) -> float | None:
    """How many `unit_to` in one `unit_from`, via pint; None when either is not a mass/volume."""
    names = units().pint_names
    a, b = names.get(unit_from), names.get(unit_to)
    if a is None or b is None:
        return None
    registry = _pint()
    try:
        return float(registry.Quantity(1, a).to(b).magnitude)  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 - pint raises DimensionalityError for mass vs volume
        return None


def _body_weight(text: str, start: int, end: int) -> bool:
    """'adults weighing 50 kg', '< 40 kg', '70 kg body weight' describe people, not doses."""
    before = text[max(0, start - 40):start].lower()
    after = text[end:end + 14].lower()
    return ("weigh" in before or before.rstrip().endswith(("<", ">", "≤", "≥", "over", "under", "than"))
            or after.lstrip().startswith(("body", "bw", "of body")))


_NUMBER_START = re.compile(r"\.?\d+")


def _candidates(text: str, start: int, end: int) -> list[re.Match[str]]:
    """Dose-regex matches tried only where a number starts: a plain digit scan is ~10x faster
    than letting the full pattern try every position."""
    pattern = _pattern()
    out: list[re.Match[str]] = []
    last_end = start
    for number in _NUMBER_START.finditer(text, start, end):
        if number.start() < last_end:
            continue
        match = pattern.match(text, number.start(), end)
        if match:
            out.append(match)
            last_end = match.end()
    return out


def _amounts(text: str, start: int, end: int) -> list[tuple[re.Match[str], re.Match[str] | None, float | None, float, str]]:
    """Regex matches with their numbers and canonical unit, lab values and body weights dropped."""
    out = []
    table = units()
    for match in _candidates(text, start, end):
        if match.group("bad") or (match.start() > 0 and (text[match.start() - 1].isalnum()
                                                         or text[match.start() - 1] in "_.,/")):
            continue
        unit = table.canonical(match.group("unit"))
        if unit is None:
            continue
        if unit == "kg" and _body_weight(text, match.start("low"), match.end("unit")):
            continue
        low = _number(match.group("low"))
        high = _number(match.group("high")) if match.group("high") else low
        if match.group("unit1"):
            unit1 = table.canonical(match.group("unit1"))
            if unit1 is None:
                continue
            if unit1 != unit:
                factor = _factor(unit1, unit)
                if factor is None:
                    continue
                low *= factor
        if not (math.isfinite(low) and math.isfinite(high)) or high <= 0 or low > high:
            continue
        pre = _PRE.search(text, max(start, match.start() - _PRE_WINDOW), match.start())
        capped = pre is not None and bool(_CAP.search(pre.group())) and not match.group("high")
        out.append((match, pre, None if capped else low, high, unit))
    return out


@functools.cache
def _route_pattern() -> tuple[re.Pattern[str], tuple[str, ...]]:
    """One regex for every route (a named group each), so a sentence is searched once."""
    cues = dose_cues()
    names = tuple(dict.fromkeys([*cues.routes, *cues.routes_exact]))
    groups = []
    for i, route in enumerate(names):
        parts = []
        if cues.routes.get(route):
            parts.append("(?i:" + "|".join(cues.routes[route]) + ")")
        if cues.routes_exact.get(route):
            parts.append("|".join(map(re.escape, cues.routes_exact[route])))
        groups.append(f"(?P<r{i}>" + "|".join(parts) + ")")
    return re.compile(r"(?<![\w-])(?:" + "|".join(groups) + r")(?![\w-])"), names


def _route(*texts: str) -> str | None:
    pattern, names = _route_pattern()
    for text in texts:
        match = pattern.search(text) if text else None
        if match and match.lastgroup:
            return names[int(match.lastgroup[1:])]
    return None


@functools.cache
def _population_pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    lookup = {w.lower(): name for name, words in dose_cues().populations.items() for w in words}
    alternatives = "|".join(sorted(map(re.escape, lookup), key=len, reverse=True))
    return re.compile(rf"\b(?:{alternatives})\b", re.IGNORECASE), lookup


def _population(sentence: str) -> str | None:
    pattern, lookup = _population_pattern()
    match = pattern.search(sentence)
    return lookup[match.group().lower()] if match else None


_SUPERVISED = re.compile(
    r"\bunder\s+(?:the\s+)?(?:\w+\s+){0,2}(?:medical|physician|doctor|clinical|professional|clinician|"
    r"healthcare|health\s+care)(?:['’]s)?\s*(?:\w+\s+)?(?:supervision|guidance|care|direction|monitoring)"
    r"|\bunder\s+(?:the\s+)?(?:supervision|guidance|direction|care)\s+of\s+(?:a|an|your|the)?\s*"
    r"(?:doctor|physician|clinician|healthcare|health\s+care|medical)"
    r"|\bmedically\s+supervised\b|\bas\s+(?:directed|prescribed)\s+by\s+(?:a|your)\s+(?:doctor|physician)",
    re.IGNORECASE)
_LABEL = re.compile(r"^[ \t]*(?P<bullet>[-*•·▪◦]|\d{1,2}[.)])?[ \t]*(?P<bold>\*\*)?(?P<label>[^:\n*]{2,50}?)\*{0,2}[ \t]*:"
                    r"(?:\*\*)?(?=[ \t]|$)", re.MULTILINE)
_MAX_PLAIN_LABEL_WORDS = 3  # a longer "words:" opening a plain line is a sentence, not a label
_FOR = re.compile(r"\bfor\s+", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z][\w'’/-]*[.,;:)!?]?|\S+")


def _line_label(text: str, offset: int) -> str | None:
    """The 'Label:' that opens the line holding `offset` (list items, '**Oral:**' headings)."""
    line_start = text.rfind("\n", 0, offset) + 1
    match = _LABEL.match(text, line_start, min(len(text), offset + 1) if offset > line_start else line_start + 60)
    if match and match.end("label") <= offset:
        label = match.group("label").strip()
        if match.group("bullet") or match.group("bold") or len(label.split()) <= _MAX_PLAIN_LABEL_WORDS:
            return label
    return None


def _purpose(sentence: str) -> str | None:
    """'for general gut health', 'dosages for diarrhoea range': the words after 'for' that name a goal."""
    cues = dose_cues()
    for match in _FOR.finditer(sentence):
        before = sentence[max(0, match.start() - 12):match.start()].lower().split()
        if before and before[-1] in cues.context_not_after:
            continue
        words: list[str] = []
        for word_match in _WORD.finditer(sentence, match.end()):
            raw = word_match.group()
            word = raw.rstrip(".,;:)!?")
            if not words and (word.lower() in cues.context_skip or not word[:1].isalpha()):
                break
            if word.lower() in cues.context_stop or not word[:1].isalpha():
                break
            words.append(word)
            if raw != word or len(words) == 5:
                break
        if words:
            return " ".join(words)
    return None


def _dose_at(text: str, match: re.Match[str], pre: re.Match[str] | None, low: float | None, high: float, unit: str,
             sentence: Span | None, substance: str | None) -> Dose:
    times = _times(match)
    per = _per(match, pre.group() if pre else "")
    if times == (1, 1) and per in (None, "day"):
        per = "day"  # "once daily" is a daily amount
    elif times is not None and per in (None, "dose"):
        per = "dose"
    elif times is not None and per == "day" and times != (1, 1):
        per = "dose"  # "500 mg daily, twice a day" -> each intake
    span = Span(pre.start() if pre and _SPAN_FROM_PRE.search(pre.group()) else match.start(), match.end())
    span = _trim(text, span)
    sentence_text = text[sentence.start:sentence.end] if sentence else text[span.start:span.end]
    label = _line_label(text, span.start)
    route = _route(label or "") or _route(sentence_text)
    context = None
    if label and not _route(label):
        context = label
    if context is None:
        context = _purpose(sentence_text)
    return Dose(span=span, low=low, high=high, unit=unit, substance=substance, per=per, times_per_day=times,
                per_kg=bool(match.group("perkg")), route=route, population=_population(sentence_text),
                context=context, supervised=bool(_SUPERVISED.search(sentence_text)), sentence=sentence)


def _trim(text: str, span: Span) -> Span:
    start, end = span.start, span.end
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",(."):
        end -= 1
    while start < end and text[start].isspace():
        start += 1
    return Span(start, end)


def _nearest(mentions: list[tuple[str, Span]], starts: list[int], span: Span, sentence: Span | None) -> str | None:
    """The substance named closest to the dose inside its sentence."""
    if sentence is None:
        return None
    lo = bisect.bisect_left(starts, sentence.start)
    hi = bisect.bisect_left(starts, sentence.end)
    best: tuple[int, str] | None = None
    for name, mention in mentions[lo:hi]:
        distance = max(mention.start - span.end, span.start - mention.end, 0)
        if best is None or distance < best[0]:
            best = (distance, name)
    return best[1] if best else None


def find(parsed: Parsed, substance: str | None) -> list[Dose]:
    """Every dose in the document; `substance` (the main subject) fills in when a sentence names none."""
    text = parsed.text
    mentions = substances.find(parsed)
    label_document = parsed.document.kind == "label"
    starts = [span.start for _, span in mentions]
    out: list[Dose] = []
    for match, pre, low, high, unit in _amounts(text, 0, len(text)):
        section = parsed.section_at(match.start())
        if section is not None and section.type in _SKIP_SECTIONS:
            continue
        sentence = parsed.sentence_at(match.start("low"))
        dose = _dose_at(text, match, pre, low, high, unit, sentence, None)
        # a label's doses are of its drug, whatever salt or excipient the sentence also names
        named = None if label_document and substance else _nearest(mentions, starts, dose.span, sentence)
        section_route = _route(section.title) if section is not None and dose.route is None else None
        out.append(replace(dose, substance=named or substance, route=dose.route or section_route))
    return out


def find_in(text: str, substance: str | None = None) -> list[Dose]:
    """Doses in a bare string (whole string as the sentence): for tests, label snippets, parse_dose."""
    whole = Span(0, len(text)) if text else None
    return [_dose_at(text, m, pre, low, high, unit, whole, substance)
            for m, pre, low, high, unit in _amounts(text, 0, len(text))]


def parse_dose(text: str) -> Dose | None:
    """The first dose written in `text`, or None."""
    found = find_in(text)
    return found[0] if found else None


def _fmt(value: float) -> str:
    return f"{value:.6g}" if not float(value).is_integer() else str(int(value))


def format_dose(dose: Dose) -> str:
    """A dose written the way people write them, e.g. '2–5 g per dose, 1–2 times daily'; parse_dose reads it back."""
    if dose.low is None:
        amount = f"up to {_fmt(dose.high)} {dose.unit}"
    elif dose.low == dose.high:
        amount = f"{_fmt(dose.high)} {dose.unit}"
    else:
        amount = f"{_fmt(dose.low)}–{_fmt(dose.high)} {dose.unit}"
    if dose.per_kg:
        amount += "/kg"
    if dose.per:
        amount += f" per {dose.per}"
    if dose.times_per_day:
        a, b = dose.times_per_day
        amount += f", {a} times daily" if a == b else f", {a}–{b} times daily"
    return amount


def to_grams_per_day(dose: Dose) -> tuple[float | None, float | None] | None:
    """Low/high in grams per day, or None when the unit is not a mass, the frequency is unknown,
    or the dose is per kg of body weight (no weight to multiply by)."""
    if dose.per is None or dose.per_kg:
        return None
    factor = _factor(dose.unit, "g")
    if factor is None:
        return None
    low = None if dose.low is None else dose.low * factor
    high = dose.high * factor
    if dose.per == "week":
        return (None if low is None else low / 7, high / 7)
    if dose.per == "dose":
        if dose.times_per_day is None:
            return None
        t_low, t_high = dose.times_per_day
        return (None if low is None else low * t_low, high * t_high)
    return (low, high)
