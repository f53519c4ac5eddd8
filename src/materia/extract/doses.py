"""Doses: amounts and ranges with unit, how often, per body weight, route, population, purpose.

Sections decide first what text can hold a dose of the subject:
- a label (Document.kind == "label"): only its dosage text — sections typed dosage, and a usage
  sentence that states a daily amount or a frequency; never interactions, pharmacokinetics, clinical
  studies, nonclinical toxicology, overdosage, abuse or product text (strengths, how supplied), even
  when such a section sits inside the dosage section.
- any other document: everything except references, boilerplate, interaction text (a section typed
  interactions, or a sentence or list item about interacting), animal, overdose and product text,
  and figure or table captions.

One compiled regex finds "<amount> <unit> <per kg> <per> <times>" (the unit is required, so years,
counts, durations and percentages never match); the words around it (sentence, list-item label,
section headings) give route, population, purpose and supervision. A dose whose amount is tied to
another substance's name ("tipranavir 500 mg", "with 750 mg telaprevir", "| Saquinavir | 1200 mg")
is that substance's dose (Dose.substance), never the subject's.

Limits. "not exceeding a maximum daily dose of 1200 mg", "do not take more than 4,000 mg in 24 hours",
"a maximum of", "should not exceed", "no more than", "up to N per day", a "Maximum daily dose:" label:
the amount is a stated maximum (Dose.maximum). A daily maximum caps the daily amount of the other
doses it covers (Dose.daily_cap): those of its sentence for "up to", of its section for the explicit
limits (of its list item or labelled paragraph when it sits in one); same substance, same population
and indication unless the limit names none, both per kg or neither; never another stated limit.
"no more than once a day" and "not more than 6 doses in 24 hours" bound the frequency of the doses
of their paragraph the same way. "Doses above 10 mg", "increase by 500 mg" state a threshold or a
step, not a dose, and are left out.

Frequency conventions:
- "per day", "/day", "daily", "a day", "in any 24-hour period", "on Day 1", "on the first day", or
  "daily dose of" before the amount
  -> per="day"; a dose in a sentence tied to a once-a-day moment ("at bedtime") -> per="day".
- an amount followed by "N–M times daily" -> per="dose", times_per_day=(N, M); "twice daily" -> (2, 2);
  "every 6–8 hours" -> (3, 4); "b.i.d. or t.i.d." -> (2, 3); "once or twice daily" -> (1, 2).
- "once daily" -> per="day", times_per_day=(1, 1).
- "N or more times a day" -> (N, N): only the lower bound is stated, so grams_per_day gives a
  lower estimate rather than inventing a maximum.
Per body weight: "mg/kg", "mg/kg/day", "g/kg", "mg per kilogram of body weight", "mg·kg−1·d−1"
-> per_kg=True; such a dose stays per kg (no weight to multiply by).
"""
from __future__ import annotations

import functools
import itertools
import math
import re
from dataclasses import dataclass, replace

from materia.extract import substances
from materia.extract.parse import Parsed
from materia.lexicons.cues import alternation
from materia.lexicons.units import dose_cues, units
from materia.quantities import unit_factor
from materia.types import Document, Dose, Per, Section, SectionType, Span

__all__ = ["find", "find_in", "format_dose", "parse_dose"]

# Never a dose of the subject, whatever the document.
_SKIP_SECTIONS: frozenset[SectionType] = frozenset({
    "references", "boilerplate", "disclaimer", "interactions", "nonclinical", "overdosage", "product", "abuse"})
# On a label, also study doses (of the subject or of other drugs).
_LABEL_SKIP_SECTIONS: frozenset[SectionType] = _SKIP_SECTIONS | {"pharmacokinetics", "clinical_studies"}

_NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+"
_TIMES_NUM = r"\d{1,2}|one|two|three|four|five|six"
_INVERSE = r"(?:\(?[-−]1\)?|⁻¹)"  # "kg-1", "kg−1", "kg(-1)", "kg⁻¹"
_DAY = (r"(?:a|per|each|every|/)\s*day\b|daily\b|/\s*d\b|/\s*24\s*h(?:ours?)?\b"
        r"|(?:in|within|over|per)\s+(?:any\s+|a\s+|each\s+)?24[\s-]*(?:hours?|hrs?|h)\b(?:\s+period\b)?"
        rf"|\s*[·⋅.]?\s*(?:day|d){_INVERSE}")
_FREQUENCY_WORD = rf"once|twice|thrice|(?:{_TIMES_NUM})\s*times"
_ABBR = r"b\.?i\.?d\.?|t\.?i\.?d\.?|q\.?i\.?d\.?"


# Words just before an amount that join its span and may say it is daily: "daily dose of 8 g",
# "up to 40 g", "between 5 and 30 g". Matched on a short window ending at the number rather than
# inside the main regex, which keeps the scan anchored on digits (several times faster on long texts).
_PRE = re.compile(
    r"""\b(?:(?:(?:total\s+)?daily\s+(?:dose|dosage|intake|amount)s?\s+(?:of\s+)?|(?:a\s+)?dose\s+of\s+|
            up\s+to\s+|no\s+more\s+than\s+|not\s+(?:to\s+)?exceed(?:ing)?\s+|(?:a\s+)?maximum\s+(?:of\s+)?|
            at\s+most\s+|between\s+|from\s+)+)$""", re.IGNORECASE | re.VERBOSE)
_PRE_WINDOW = 60
# What each pattern ending at an amount needs, one of them at least: a window holding none (_may_hold) is not searched.
_PRE_WORDS = ("daily", "dose", "up", "more", "exceed", "maximum", "most", "between", "from")
_SPAN_FROM_PRE = re.compile(r"daily|up\s+to|between|maximum|exceed|most|more", re.IGNORECASE)

# A stated limit before the amount, with only dosing words between it and the number.
_MAX_BEFORE = re.compile(
    r"""(?:(?P<upto>\bup\s+to)|\b(?:no|not|never)\s+(?:\w+\s+){0,2}?more\s+than|\b(?:not|never)\s+(?:to\s+)?exceed(?:ing|s)?
          |\bmaximum|\bmax\b\.?|\bat\s+most|\bupper\s+(?:intake\s+)?limit|\blimit(?:ed)?\s+(?:\w+\s+)?to|\bceiling)
        (?:[\s,:]+(?:recommended|daily|total|single|oral|dose|doses|dosage|intake|amount|of|is|be|a|an|the|to|take|
                     taken|use|used|give|given|per|day|should|not|exceed|more|than|about))*[\s,:]*$""",
    re.IGNORECASE | re.VERBOSE)
_MAX_BEFORE_WORDS = ("up", "more", "exceed", "max", "most", "limit", "ceiling")
_MAX_AFTER = re.compile(r"\s*\(?\s*(?:max(?:imum)?\b|at\s+most\b)", re.IGNORECASE)
_MAX_LABEL = re.compile(r"\bmax(?:imum)?\b|\bupper\s+(?:intake\s+)?limit|\bceiling", re.IGNORECASE)
# Not a dose: a threshold ("doses above 10 mg", "more than 2 g a day") or a step ("increase by 500 mg").
_NOT_A_DOSE = re.compile(
    r"""(?:\b(?:above|over|more\s+than|greater\s+than|higher\s+than|exceeding|in\s+excess\s+of|beyond)
          |\b(?:increas|decreas|rais|lower|reduc|titrat|adjust)\w*\s+(?:\w+\s+){0,2}?by
          |\bincrements?\s+of|\bsteps?\s+of)\s+(?:about\s+|approximately\s+|an?\s+(?:increment\s+of\s+)?)?$""",
    re.IGNORECASE | re.VERBOSE)
_NOT_A_DOSE_WORDS = ("above", "over", "more", "greater", "higher", "exceed", "excess", "beyond", "increas", "decreas",
                     "rais", "lower", "reduc", "titrat", "adjust", "increment", "step")
_THRESHOLD_WINDOW = 40
# "no more than once a day", "Do not take more than 6 doses in 24 hours",
# "The maximum recommended dosing frequency is once per day".
_FREQUENCY_LIMIT = re.compile(
    rf"""(?:maximum\s+(?:recommended\s+)?(?:dosing\s+)?frequency\s+is|\b(?:no|not|never)\s+(?:\w+\s+){{0,2}}?more\s+than
          |\bonly)\s+(?P<n>once|twice|{_TIMES_NUM})\s*(?:times?|doses?|tablets?|capsules?|caplets?)?\s*
        (?:a|per|each|every|in(?:\s+any)?|within)\s*(?:day|24\s*hours?)\b""",
    re.IGNORECASE | re.VERBOSE)
_CAPTION = re.compile(r"[ \t>*_#]*(?:figure|fig\.|table|chart|graph|exhibit)\s*\d+[a-z]?\s*[:.|—–-]", re.IGNORECASE)
_INTERACTION = re.compile(r"\binteract|\bco-?administ|\bconcomitant", re.IGNORECASE)
_STUDY = re.compile(r"\b(?:placebo|randomi[sz]ed|trials?|study|studies|subjects|versus|vs\b)", re.IGNORECASE)
# Between a substance's name and its amount: "tipranavir 500 mg", "ritonavir at a dose of 100 mg",
# "aspirin (81 mg)", "| Saquinavir | 1200 mg". Not a colon: "Sleep: 300 mg" is a list-item label.
_GLUE_WORDS = ("at", "a", "an", "of", "in", "dose", "doses", "dosage", "daily", "total", "oral", "orally", "given",
               "as", "between", "from")
_GLUE_BEFORE = re.compile(rf"(?:[ \t,(|–—-]|\b(?:{'|'.join(_GLUE_WORDS)}|up[ \t]+to)\b)*$", re.IGNORECASE)
_WORDS_BEFORE = re.compile(r"((?:[A-Za-z][\w'’-]*[ \t]+){0,2}[A-Za-z][\w'’-]*)$")
# The same, read backwards from the amount (matched on the text reversed): how far back a match can start at the
# earliest. The glue is whole words (\b on both sides) and characters, so at each place one token at most can
# follow: the greedy match is the longest. The words are characters of one class and at most two gaps.
_GLUE_REVERSED = re.compile(rf"(?:[ \t,(|–—-]|\b(?:{'|'.join(w[::-1] for w in _GLUE_WORDS)}|ot[ \t]+pu)\b)*",
                            re.IGNORECASE)
_WORDS_REVERSED = re.compile(r"[\w'’-]*(?:[ \t]+[\w'’-]*){0,2}")
_WORDS_AFTER = re.compile(r"[ \t]*\)?[ \t]*(?:of[ \t]+(?:the[ \t]+)?)?((?:[A-Za-z][\w'’-]*)(?:[ \t]+[A-Za-z][\w'’-]*){0,2})")  # noqa: E501
_NAME_WINDOW = 60
_SECTION_NUMBER = re.compile(r"^\s*\d+(?:\.\d+)*\.?\s*")
_TITLE_WORD = re.compile(r"[a-z]+")


def _unit_forms() -> list[str]:
    """Every written unit, lower-cased: the dose regex matches them case-insensitively, so "IU" and "iu" are one
    form, and one case lets a trie of them (cues.alternation) try the longest first as a length-sorted list does."""
    table = units()
    return sorted({f.lower() for f in (*table.folded, *table.exact)})


@functools.cache
def _pattern() -> re.Pattern[str]:
    """The dose regex, built once from the unit vocabulary."""
    unit = alternation(_unit_forms())
    return re.compile(
        rf"""
        (?P<low>{_NUM})
        (?:\s*(?P<unit1>{unit})(?![A-Za-z])(?=\s*(?:-|–|—|to|and|or)\s*(?:{_NUM})))?
        (?:\s*(?:-|–|—|to|and|or)\s*(?P<high>{_NUM}))?
        \s*(?P<unit>{unit})(?![A-Za-z0-9])
        (?P<bad>\s*/\s*(?:dl|l|ml|m2|m²|h|hrs?|hours?|min(?:ute)?s?|kg\s*/\s*(?:h|min))\b|\s*%)?
        (?P<perkg>\s*(?:/|per)\s*(?:kg|kilo(?:gram)?s?)\b(?:\s*(?:of\s+)?(?:body\s*(?:weight|mass)|bw)\b)?
                 |\s*[·⋅.]?\s*kg\s*{_INVERSE})?
        (?:\s+of\s+(?P<of>[A-Za-z][\w-]*(?:\s+[A-Za-z][\w-]*)?)(?=\s*(?:{_DAY})))?
        (?:\.(?=\s*per\s))?
        (?:\s*\)(?=\s*(?:per\b|a\s+day|daily|/|every|each|once|twice)))?
        (?P<per>\s*(?:{_DAY})|\s*/\s*daily\b|\s*(?:/|per)\s*dose\b|\s*(?:a|per|each|every|/)\s*(?:week|wk)\b|\s+weekly\b|\s*[·⋅.]?\s*(?:week|wk){_INVERSE}
               |\s+(?:initially\s+)?on\s+(?:day\s+\d+|the\s+first\s+day)\b)?
        (?P<times>,?\s*(?:\(|taken\s+)?
          (?:(?P<f1>{_FREQUENCY_WORD})\s*(?:-|–|—|to|or)\s*(?P<f2>{_FREQUENCY_WORD})|
             (?P<t1>{_TIMES_NUM})\s*(?:-|–|—|to|or)\s*(?P<t2>{_TIMES_NUM})\s*times|
             (?P<t3>{_TIMES_NUM})\s*(?P<more>or\s+more\s+)?times|
             (?P<tw>once|twice|thrice)|
             (?P<tx>\d)\s*x(?=\s*(?:/|a\s|per\s|daily)))
          \s*(?:{_DAY}|a\s+day|per\s+day)|
          ,?\s*(?P<abbr>{_ABBR})(?![A-Za-z])(?:\s*(?:or|to|-|–)\s*(?P<abbr2>{_ABBR})(?![A-Za-z]))?|
          ,?\s*q\.?\s*(?P<qh>\d{{1,2}})\s*h(?:rs?|ours?)?\b|
          ,?\s*every\s+(?P<h1>\d{{1,2}})(?:\s*(?:-|–|to)\s*(?P<h2>\d{{1,2}}))?\s*(?:hours|hrs?|h)\b)?
        """,
        re.IGNORECASE | re.VERBOSE,
    )


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def _times_value(word: str) -> int:
    word = word.lower()
    return int(word) if word.isdigit() else dose_cues().number_words.get(word, 0)


def _every_hours(h1: int, h2: int) -> tuple[int, int] | None:
    if 0 < h1 <= 24 and 0 < h2 <= 24:
        return (24 // max(h1, h2), 24 // min(h1, h2))
    return None


def _frequency_word(word: str) -> int:
    """'once' -> 1, 'twice' -> 2, 'three times' -> 3."""
    word = word.lower().split()[0]
    return dose_cues().times_words.get(word) or _times_value(word)


def _times(match: re.Match[str]) -> tuple[int, int] | None:
    cues = dose_cues()
    if match.group("f1"):
        a, b = _frequency_word(match.group("f1")), _frequency_word(match.group("f2"))
        return (min(a, b), max(a, b)) if a and b else None
    if match.group("t1"):
        return (_times_value(match.group("t1")), _times_value(match.group("t2")))
    if match.group("t3") or match.group("tx"):
        n = _times_value(match.group("t3") or match.group("tx"))
        return (n, n)
    if match.group("tw"):
        n = cues.times_words[match.group("tw").lower()]
        return (n, n)
    if match.group("abbr"):
        counts = [cues.times_words.get(match.group(g).lower().replace(".", ""), 0)
                  for g in ("abbr", "abbr2") if match.group(g)]
        return (min(counts), max(counts)) if all(counts) else None
    if match.group("qh"):
        return _every_hours(int(match.group("qh")), int(match.group("qh")))
    if match.group("h1"):
        h1 = int(match.group("h1"))
        return _every_hours(h1, int(match.group("h2") or h1))
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


def _body_weight(text: str, start: int, end: int) -> bool:
    """'adults weighing 50 kg', '< 40 kg', '70 kg body weight' describe people, not doses."""
    before = text[max(0, start - 40):start].lower()
    after = text[end:end + 14].lower()
    return ("weigh" in before or before.rstrip().endswith(("<", ">", "≤", "≥", "over", "under", "than"))
            or after.lstrip().startswith(("body", "bw", "of body")))


_NUMBER_START = re.compile(r"\.?\d+")
# a number's digits, commas and points and the spaces after it: the dose regex reads on from there with a unit
# or a range ("-", "to", "and", "or"), since a number of the regex cannot end before a digit, comma or point
_NUMBER_AND_SPACE = re.compile(r"[\d.,]*\s*")


@functools.cache
def _after_number() -> frozenset[str]:
    """The ASCII characters (lower case) a unit or a range word can open with; after a number and its spaces,
    any other ASCII character means no dose regex match there."""
    return frozenset(c for c in {f[0] for f in (*_unit_forms(), "-", "to", "and", "or")} if c.isascii())


def _candidates(text: str, start: int, end: int) -> list[re.Match[str]]:
    """Dose-regex matches tried only where a number starts: a plain digit scan is ~10x faster
    than letting the full pattern try every position; and only where a unit or a range may
    follow the number (four numbers in five are years, counts, percentages, citations)."""
    pattern = _pattern()
    openers = _after_number()
    out: list[re.Match[str]] = []
    last_end = start
    for number in _NUMBER_START.finditer(text, start, end):
        if number.start() < last_end:
            continue
        spaced = _NUMBER_AND_SPACE.match(text, number.start(), end)
        ahead = spaced.end() if spaced else number.start()
        if ahead >= end or (text[ahead].isascii() and text[ahead].lower() not in openers):
            continue  # IGNORECASE matches some ASCII letters to other characters, never the reverse
        match = pattern.match(text, number.start(), end)
        if match:
            out.append(match)
            last_end = match.end()
    return out


@dataclass(frozen=True, slots=True)
class _Amount:
    """A regex match read as an amount: numbers in its canonical unit, and whether it is a stated limit."""

    match: re.Match[str]
    pre: re.Match[str] | None
    low: float | None
    high: float
    unit: str
    maximum: bool
    sentence_scope: bool  # an "up to" limit covers its sentence only


def _may_hold(words: tuple[str, ...], text: str, lo: int, end: int) -> bool:
    """False only when text[lo:end] holds none of `words` in any case, so a case-insensitive pattern needing one of
    them cannot match there. A window of other than ASCII may (IGNORECASE matches "ſ" to "s", "ı" to "i")."""
    window = text[lo:end]
    if not window.isascii():
        return True
    window = window.lower()
    return any(word in window for word in words)


def _search_back(pattern: re.Pattern[str], reversed_reach: re.Pattern[str], text: str, lo: int,
                 end: int) -> re.Match[str] | None:
    """pattern.search(text, lo, end) for a pattern that ends at `end` ("$"), whose leftmost match is all that
    search returns: tried from where `reversed_reach`, matched on the window reversed, says a match can start
    at the earliest, not from every place in the window."""
    if end > lo and text[end - 1] == "\n":
        return pattern.search(text, lo, end)  # "$" matches before a final line break too
    reach = reversed_reach.match(text[lo:end][::-1])
    earliest = end - reach.end() if reach else lo
    return pattern.search(text, earliest if earliest > lo else lo, end)  # at lo: \b there sees text[lo - 1]


def _limit(text: str, start: int, match: re.Match[str]) -> tuple[bool, bool]:
    """(is a stated maximum, covers its sentence only) for the amount `match`."""
    lo = max(start, match.start() - _PRE_WINDOW)
    before = _MAX_BEFORE.search(text, lo, match.start()) \
        if _may_hold(_MAX_BEFORE_WORDS, text, lo, match.start()) else None
    if before is not None:
        return True, bool(before.group("upto"))
    if _MAX_AFTER.match(text, match.end()):
        return True, False
    return False, False


def _amounts(text: str, start: int, end: int) -> list[_Amount]:
    """Regex matches with their numbers and canonical unit; lab values, body weights, thresholds
    and steps dropped."""
    out = []
    table = units()
    for match in _candidates(text, start, end):
        if match.group("bad") or (match.start() > 0 and (text[match.start() - 1].isalnum()
                                                         or text[match.start() - 1] in "_.,/")):
            continue
        unit = table.canonical(match.group("unit"))
        if unit is None:
            continue
        if (unit == "kg" and not match.group("per") and not match.group("times")) or (
                unit == "kg" and _body_weight(text, match.start("low"), match.end("unit"))):
            continue  # "15 kg (33 lbs) to <30 kg", "adults weighing 50 kg": people, not amounts to take
        low = _number(match.group("low"))
        high = _number(match.group("high")) if match.group("high") else low
        if match.group("unit1"):
            unit1 = table.canonical(match.group("unit1"))
            if unit1 is None:
                continue
            if unit1 != unit:
                factor = unit_factor(unit1, unit)
                if factor is None:
                    continue
                low *= factor
        if not (math.isfinite(low) and math.isfinite(high)) or high <= 0 or low > high:
            continue
        maximum, sentence_scope = _limit(text, start, match)
        lo = max(start, match.start() - _THRESHOLD_WINDOW)
        if not maximum and _may_hold(_NOT_A_DOSE_WORDS, text, lo, match.start()) \
                and _NOT_A_DOSE.search(text, lo, match.start()):
            continue
        lo = max(start, match.start() - _PRE_WINDOW)
        pre = _PRE.search(text, lo, match.start()) if _may_hold(_PRE_WORDS, text, lo, match.start()) else None
        capped = maximum and not match.group("high")
        out.append(_Amount(match, pre, None if capped else low, high, unit, maximum, sentence_scope))
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
    return re.compile(rf"\b(?:{alternation(lookup)})\b", re.IGNORECASE), lookup  # the longest word first


def _population(sentence: str) -> str | None:
    pattern, lookup = _population_pattern()
    match = pattern.search(sentence)
    if match is None:
        return None
    # IGNORECASE matches "ſ" to "s" and the Kelvin sign to "k", which lower() keeps apart and casefold() does not
    word = match.group()
    return lookup.get(word.lower()) or lookup.get(word.casefold())


@functools.cache
def _once_daily_pattern() -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(dose_cues().once_daily_events) + r")\b", re.IGNORECASE)


_SUPERVISED = re.compile(
    r"\bunder\s+(?:the\s+)?(?:\w+\s+){0,2}(?:medical|physician|doctor|clinical|professional|clinician|"
    r"healthcare|health\s+care)(?:['’]s)?\s*(?:\w+\s+)?(?:supervision|guidance|care|direction|monitoring)"
    r"|\bunder\s+(?:the\s+)?(?:supervision|guidance|direction|care)\s+of\s+(?:a|an|your|the)?\s*"
    r"(?:doctor|physician|clinician|healthcare|health\s+care|medical)"
    r"|\bmedically\s+supervised\b|\bas\s+(?:directed|prescribed)\s+by\s+(?:a|your)\s+(?:doctor|physician)",
    re.IGNORECASE)
_LABEL = re.compile(r"^[ \t]*(?P<bullet>[-*•·▪◦]|\d{1,2}[.)])?[ \t]*(?P<bold>\*\*)?(?P<label>[^:\n*]{2,80}?)\*{0,2}[ \t]*:"  # noqa: E501
                    r"(?:\*\*)?(?=[ \t]|$)", re.MULTILINE)
_MAX_PLAIN_LABEL_WORDS = 3  # a longer "words:" opening a plain line is a sentence, not a label
_FOR = re.compile(r"\bfor\s+", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z][\w'’/-]*[.,;:)!?]?|\S+")
_PARENTHESES = re.compile(r"\s*\([^()]*\)")


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


def _label_context(label: str) -> str | None:
    """What a list-item label says the dose is for: 'Allergies (adults ...)' -> 'Allergies';
    labels naming a route, a population ('Children 6 to 12 years') or a limit say no purpose."""
    if _route(label) or _MAX_LABEL.search(label):
        return None
    bare = _PARENTHESES.sub("", label).strip()
    if not bare or _population(bare) or _CAPTION.match(bare + ":"):
        return None
    return bare


def _supervised(sentence: str) -> bool:
    return _SUPERVISED.search(sentence) is not None


def _once_daily(sentence: str) -> bool:
    return _once_daily_pattern().search(sentence) is not None


def _about_interacting(words: str) -> bool:
    return _INTERACTION.search(words) is not None


def _about_a_study(sentence: str) -> bool:
    return _STUDY.search(sentence) is not None


class _Readings:
    """What doses read from the words around them (a sentence, a list item's label, a section title), each read
    once per text of one document: a sentence states 1.5 doses on average, a label or a title more."""

    def __init__(self) -> None:
        self.route = functools.cache(_route)
        self.population = functools.cache(_population)
        self.purpose = functools.cache(_purpose)
        self.label_context = functools.cache(_label_context)
        self.supervised = functools.cache(_supervised)
        self.once_daily = functools.cache(_once_daily)
        self.interacting = functools.cache(_about_interacting)
        self.study = functools.cache(_about_a_study)


def _dose_at(text: str, found: _Amount, sentence: Span | None, substance: str | None,
             read: _Readings) -> tuple[Dose, str | None]:
    """The dose an amount states, and the label opening its line."""
    match, pre = found.match, found.pre
    times = _times(match)
    per = _per(match, pre.group() if pre else "")
    if times == (1, 1) and per in (None, "dose"):
        per = "day"  # "once daily" is a daily amount
    elif times is not None and per in (None, "dose"):
        per = "dose"
    elif times is not None and per == "day" and times != (1, 1):
        per = "dose"  # "500 mg daily, twice a day" -> each intake
    span = Span(pre.start() if pre and _SPAN_FROM_PRE.search(pre.group()) else match.start(), match.end())
    span = _trim(text, span)
    sentence_text = text[sentence.start:sentence.end] if sentence else text[span.start:span.end]
    if per is None and times is None and read.once_daily(sentence_text):
        per = "day"  # "2 mg at bedtime": tied to a once-a-day moment
    label = _line_label(text, span.start)
    route = read.route(label or "") or read.route(sentence_text)
    context = read.label_context(label) if label else None
    if context is None:
        context = read.purpose(sentence_text)
    maximum = found.maximum or bool(label and _MAX_LABEL.search(label))
    return Dose(span=span, low=None if maximum and not match.group("high") else found.low, high=found.high,
                unit=found.unit, substance=substance, per=per, times_per_day=times,
                per_kg=bool(match.group("perkg")), route=route,
                population=read.population(sentence_text) or (read.population(label) if label else None),
                context=context, supervised=read.supervised(sentence_text), sentence=sentence,
                maximum=maximum), label


def _trim(text: str, span: Span) -> Span:
    start, end = span.start, span.end
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",(."):
        end -= 1
    while start < end and text[start].isspace():
        start += 1
    return Span(start, end)


# --- where doses may be read -------------------------------------------------------------------


def _chain(sections: tuple[Section, ...], start: int, end: int) -> list[Section]:
    """The sections containing [start, end), outermost first."""
    inside = [s for s in sections if s.span.start <= start and end <= s.span.end]
    return sorted(inside, key=lambda s: (s.span.start, -s.span.end))


def _regions(document: Document) -> list[tuple[int, int, bool]]:
    """(start, end, only_if_dosing) ranges of the text that may hold doses of the subject, in order.
    `only_if_dosing`: a label's usage text, where only a sentence stating a daily dose counts."""
    n = len(document.text)
    label = document.kind == "label"
    if not document.sections:
        return [] if label else [(0, n, False)]
    cuts = sorted({0, n, *(s.span.start for s in document.sections), *(s.span.end for s in document.sections)})
    out: list[tuple[int, int, bool]] = []
    for a, b in itertools.pairwise(cuts):
        if a >= b or b > n:
            continue
        chain = _chain(document.sections, a, b)
        types = {s.type for s in chain}
        if label:
            if types & _LABEL_SKIP_SECTIONS or not chain:
                continue
            if "dosage" in types:
                verdict = False
            elif chain[-1].type == "usage":
                verdict = True
            else:
                continue
        elif types & _SKIP_SECTIONS:
            continue
        else:
            verdict = False
        if out and out[-1][1] == a and out[-1][2] == verdict:
            out[-1] = (out[-1][0], b, verdict)
        else:
            out.append((a, b, verdict))
    return out


def _line(text: str, offset: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return start, len(text) if end < 0 else end


def _paragraph(text: str, offset: int, lo: int, hi: int) -> Span:
    """The blank-line-separated paragraph holding `offset`, inside [lo, hi)."""
    start = text.rfind("\n\n", lo, offset)
    end = text.find("\n\n", offset, hi)
    return Span(lo if start < 0 else start + 2, hi if end < 0 else end)


# --- whose dose ---------------------------------------------------------------------------------


def _same_substance(name: str, subject: str | None, ingredients: frozenset[str]) -> bool:
    """'magnesium sulfate' is a form of magnesium; 'atorvastatin' names the subject of an atorvastatin label."""
    if subject is None:
        return False
    for own in (subject, *ingredients):
        if name == own or name.startswith(own + " ") or own.startswith(name + " "):
            return True
    return False


# Words that cannot be (the edge of) a substance's name next to an amount.
_FUNCTION_WORDS = frozenset({"a", "an", "the", "and", "or", "with", "in", "for", "to", "at", "on", "by", "per", "of",
                             "is", "are", "was", "were", "be", "been", "as", "if", "when", "than", "from", "into",
                             "that", "this", "it", "its", "then", "so", "may", "can", "up", "you", "your"})


def _not_a_name(word: str) -> bool:
    word = word.lower().strip("'’-")
    return word in _FUNCTION_WORDS or word in dose_cues().not_names


def _lookup(words: str, last: bool) -> str | None:
    """The substance named by the one to three of `words` next to an amount (its last words when the
    name comes before the amount, its first words after), longest first."""
    parts = words.split()
    if not parts or _not_a_name(parts[-1] if last else parts[0]):
        return None
    candidates = [" ".join(parts[-k:] if last else parts[:k]) for k in range(len(parts), 0, -1)]
    for dictionary in (False, True):  # the curated list first: the drug dictionary takes seconds to load
        for candidate in candidates:
            name = substances.canonical_name(candidate, dictionary=dictionary)
            if name:
                return name
    return None


def _named_with(text: str, match: re.Match[str], sentence: Span | None) -> str | None:
    """The substance whose amount this is, when the text ties a name to it: 'tipranavir 500 mg',
    'ritonavir at 100 mg', 'aspirin (81 mg)', '750 mg telaprevir', '20 g of L-glutamine'."""
    lo = max(sentence.start if sentence else 0, match.start() - _NAME_WINDOW)
    hi = min(sentence.end if sentence else len(text), match.end() + _NAME_WINDOW)
    if match.group("of"):
        name = _lookup(match.group("of"), last=True) or _lookup(match.group("of"), last=False)
        if name:
            return name
    glue = _search_back(_GLUE_BEFORE, _GLUE_REVERSED, text, lo, match.start())
    head_end = glue.start() if glue else match.start()
    words = _search_back(_WORDS_BEFORE, _WORDS_REVERSED, text, lo, head_end)
    if words and words.end() == head_end:
        name = _lookup(words.group(1), last=True)
        if name:
            return name
    after = _WORDS_AFTER.match(text, match.end(), hi)
    if after:
        return _lookup(after.group(1), last=False)
    return None


# --- limits -------------------------------------------------------------------------------------


def _covers(limit: str | None, dose: str | None) -> bool:
    """A limit stated for no population covers every dose; one stated for children, children's only."""
    return limit is None or limit == dose


def _limit_frequency(dose: Dose, n: int) -> Dose:
    """At most `n` intakes a day: an amount with no frequency becomes each intake of 1..n a day."""
    if dose.per is None and dose.times_per_day is None:
        return replace(dose, per="day", times_per_day=(1, 1)) if n == 1 else replace(dose, per="dose", times_per_day=(1, n))  # noqa: E501
    if dose.per == "dose" and dose.times_per_day is not None:
        a, b = dose.times_per_day
        return replace(dose, times_per_day=(min(a, n), min(b, n)))
    return dose


def _apply_limits(text: str, doses: list[Dose], blocks: list[Span], scopes: list[Span],
                  sentence_only: list[bool]) -> list[Dose]:
    """Frequency limits onto the doses of their paragraph (`blocks`), then daily maxima onto the doses
    inside their scope (`scopes`, what each dose's limit would cover; "up to": its sentence) with a
    compatible population and indication."""
    out = list(doses)
    for block in dict.fromkeys(blocks):
        for limit in _FREQUENCY_LIMIT.finditer(text, block.start, block.end):
            n = _times_value(limit.group("n")) or dose_cues().times_words.get(limit.group("n").lower(), 0)
            if n <= 0:
                continue
            line_start, line_end = _line(text, limit.start())
            who = _population(text[line_start:line_end])
            for i, dose in enumerate(out):
                if blocks[i] == block and _covers(who, dose.population):
                    out[i] = _limit_frequency(dose, n)
    for j, maximum in enumerate(out):
        if not maximum.maximum or maximum.per != "day":
            continue
        for i, dose in enumerate(out):
            if i == j or dose.maximum or dose.per_kg != maximum.per_kg or dose.substance != maximum.substance:
                continue  # a stated limit is not capped by another one (OTC vs prescription maxima)
            if sentence_only[j] and dose.sentence != maximum.sentence:
                continue
            if not scopes[j].contains(dose.span) or not _covers(maximum.population, dose.population):
                continue
            if maximum.context is not None and maximum.context != dose.context:
                continue
            factor = unit_factor(maximum.unit, dose.unit)
            if factor is None:
                continue
            cap = float(f"{maximum.high * factor:.12g}")  # 350 mg as 0.35 g, not 0.35000000000000003
            if dose.daily_cap is None or cap < dose.daily_cap:
                out[i] = replace(dose, daily_cap=cap)
    return out


# --- the extractor ------------------------------------------------------------------------------


def _section_population(chain: list[Section]) -> str | None:
    for section in reversed(chain):
        found = _population(section.title)
        if found:
            return found
    return None


def _section_indication(chain: list[Section]) -> str | None:
    """A label's dosage subsection named for an indication ('2.3 Crohn's Disease')."""
    stop = dose_cues().title_not_indication
    for section in reversed(chain):
        title = _PARENTHESES.sub("", _SECTION_NUMBER.sub("", section.title.split("(")[0])).strip(" ,.;:")
        words = _TITLE_WORD.findall(title.lower())
        if words and not stop.intersection(words):
            return title
    return None


def _paragraph_label(text: str, paragraph: Span) -> str | None:
    """The label opening a paragraph ('**Adults:** ...', '* Sleep: ...'), unless it names a limit."""
    label = _line_label(text, min(paragraph.end, paragraph.start + 60))
    return None if label is None or _MAX_LABEL.search(label) else label


def _previous_line_population(text: str, offset: int) -> str | None:
    """A table row's population stated on the line above it ('children 6 to under 12 years\\n10 mL')."""
    line_start = text.rfind("\n", 0, offset)
    if line_start <= 0:
        return None
    previous_start = text.rfind("\n", 0, line_start) + 1
    previous = text[previous_start:line_start]
    if len(previous) > 80 or _amounts(text, previous_start, line_start):
        return None  # a row of its own, not the heading of this one
    return _population(previous)


def find(parsed: Parsed, substance: str | None) -> list[Dose]:
    """Every dose the document states in text that may hold doses (see the module docstring);
    `substance` (the main subject) owns each dose not tied to another substance's name."""
    text = parsed.text
    document = parsed.document
    label_document = document.kind == "label"
    ingredients = frozenset(i.strip().lower() for i in document.metadata.get("ingredients", "").split(";") if i.strip())
    doses: list[Dose] = []
    blocks: list[Span] = []
    scopes: list[Span] = []
    sentence_only: list[bool] = []
    read = _Readings()
    for start, end, only_if_dosing in _regions(document):
        for found in _amounts(text, start, end):
            offset = found.match.start()
            line_start, line_end = _line(text, offset)
            if _CAPTION.match(text, line_start, line_end):
                continue
            sentence = parsed.sentence_at(found.match.start("low"))
            dose, label = _dose_at(text, found, sentence, None, read)
            sentence_text = text[sentence.start:sentence.end] if sentence else ""
            if only_if_dosing and (not (dose.per or dose.times_per_day or dose.maximum) or read.study(sentence_text)):
                continue
            if not label_document and (read.interacting(sentence_text) or (label and read.interacting(label))):
                continue
            named = _named_with(text, found.match, sentence)
            label_context = read.label_context(label) if label else None
            if named is None and label_context:  # "* Magnesium: 300 mg daily" on a page about something else
                named = substances.canonical_name(label_context, dictionary=False)
            owner = substance if named is None or _same_substance(named, substance, ingredients) else named
            chain = _chain(document.sections, offset, offset + 1)
            population = (dose.population or _previous_line_population(text, dose.span.start)
                          or _section_population(chain))
            context = dose.context
            if context is None and label_document:
                context = _section_indication(chain)
            section_route = read.route(chain[-1].title) if chain and dose.route is None else None
            doses.append(replace(dose, substance=owner, population=population, context=context,
                                 route=dose.route or section_route))
            innermost = chain[-1].span if chain else Span(0, len(text))  # holds `offset`, even in a heading
            paragraph = innermost if label_document else _paragraph(text, offset, innermost.start, innermost.end)
            blocks.append(paragraph)
            # a limit inside a list item or "**Label:**" paragraph is that item's; one on its own covers the section
            scopes.append(paragraph if _paragraph_label(text, paragraph) else innermost)
            sentence_only.append(found.sentence_scope)
    return _apply_limits(text, doses, blocks, scopes, sentence_only)


def find_in(text: str, substance: str | None = None) -> list[Dose]:
    """Doses in a bare string (whole string as sentence and paragraph): for tests, label snippets, parse_dose."""
    whole = Span(0, len(text)) if text else None
    found = _amounts(text, 0, len(text))
    read = _Readings()
    doses = [_dose_at(text, f, whole, substance, read)[0] for f in found]
    whole_text = [Span(0, len(text))] * len(doses)
    return _apply_limits(text, doses, whole_text, whole_text, [f.sentence_scope for f in found])


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
