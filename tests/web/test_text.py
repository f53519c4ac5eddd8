"""Source text on its way into HTML: bidi controls shown not applied, Markdown emphasis kept, nothing else."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup

from materia.web.responses import templates
from materia.web.text import BIDI_CONTROLS, excerpt, finalize, flatten, inline_source, neutralise_bidi

CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def test_text_every_bidi_control_becomes_a_visible_marker() -> None:
    for ch in CONTROLS:
        out = neutralise_bidi(f"take 1 g {ch}05{ch} a day")
        assert ch not in out and f"[U+{ord(ch):04X}]" in out
    assert neutralise_bidi("plain \u200f words") == "plain \u200f words"  # a mark, not an override: left alone


@given(st.text())
def test_text_no_bidi_control_survives_any_rendering(text: str) -> None:
    assert not BIDI_CONTROLS.search(neutralise_bidi(text))
    assert not BIDI_CONTROLS.search(str(inline_source(text)))


def test_text_finalize_neutralises_every_printed_string_attributes_included() -> None:
    env = templates().env
    html = env.from_string('<p title="{{ t }}">{{ t }}</p>{{ m }}').render(t="a\u202eb", m=Markup("<i>\u202e</i>"))
    assert html == '<p title="a[U+202E]b">a[U+202E]b</p><i>\u202e</i>'  # markup built by us is left as built
    assert finalize(3) == 3


def test_text_inline_source_keeps_emphasis_and_drops_other_markdown() -> None:
    assert inline_source("**Oral:** take *one* with `food`") == \
        Markup("<strong>Oral:</strong> take <em>one</em> with <code>food</code>")
    assert inline_source("Side effects:\n* Headaches\n* Nausea\n## Dosage") == \
        Markup("Side effects: Headaches Nausea Dosage")
    assert inline_source("see [the label](javascript:alert(1)) and ![x](http://evil/x.png)") == \
        Markup("see the label and x")


def test_text_inline_source_escapes_raw_html() -> None:
    out = str(inline_source('<script>alert(1)</script> **b** <img src=x onerror=alert(1)>'))
    assert "<script" not in out and "<img" not in out and "&lt;script&gt;" in out and "<strong>b</strong>" in out
    assert str(inline_source("5 < 6 & 7 > 2")) == "5 &lt; 6 &amp; 7 &gt; 2"


def test_text_excerpt_cuts_long_quotes_at_a_word() -> None:
    assert excerpt("  short\n quote ", 240) == "short quote"
    cut = excerpt("word " * 100, limit=23)
    assert cut == "word word word word…" and len(cut) <= 24
    assert flatten("1. first\n2. second\n> quoted") == "first second quoted"
