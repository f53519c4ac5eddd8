from __future__ import annotations

import yaml
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from materia.ingest import read_path
from materia.ingest.markdown import _MD, _FrontMatterLoader, _headings, _plain_yaml


def test_markdown_seed_monograph(seeds):
    doc = read_path(str(seeds["002"]))
    assert doc.kind == "monograph"
    assert doc.format == "markdown"
    assert doc.title == "L-Glutamine"
    assert doc.text == seeds["002"].read_text(encoding="utf-8")  # offsets index the raw file
    types = {s.title: s.type for s in doc.sections}
    assert types["Generic Name"] == "usage"
    assert types["Dosage"] == "dosage"
    assert types["Side Effects"] == "side_effects"
    assert types["How it Works"] == "mechanism"
    assert types["Precautions"] == "precautions"
    assert types["FAQs"] == "faq"
    dosage = next(s for s in doc.sections if s.type == "dosage")
    assert dosage.span.of(doc.text).startswith("### Dosage")
    assert dosage.body.of(doc.text).startswith("Dosage recommendations")


def test_markdown_without_front_matter_is_article(tmp_path):
    path = tmp_path / "x.md"
    path.write_text("# Notes on iron\n\nSome text.\n\n## Background\n\nMore text.\n", encoding="utf-8")
    doc = read_path(str(path))
    assert doc.kind == "article"
    assert doc.title == "Notes on iron"
    assert [s.title for s in doc.sections] == ["Notes on iron", "Background"]


def test_markdown_subject_from_generic_name_field(seeds, tmp_path):
    assert read_path(str(seeds["002"])).metadata["subject"] == "L-Glutamine"
    inline = tmp_path / "cipro.md"
    inline.write_text("# Ciprofloxacin\n\n**Generic Name:** Ciprofloxacin Hydrochloride\n\n## Usage\nText.\n",
                      encoding="utf-8")
    assert read_path(str(inline)).metadata["subject"] == "Ciprofloxacin Hydrochloride"


def test_markdown_subject_front_matter(tmp_path):
    page = tmp_path / "o.md"
    page.write_text("---\ntitle: Ozempic\nsubstance: Semaglutide\n---\n# Ozempic\n\n## Usage\nText.\n", encoding="utf-8")
    assert read_path(str(page)).metadata["subject"] == "Semaglutide"
    monograph = tmp_path / "m.md"
    monograph.write_text("---\nlayout: minimal-medicine\ntitle: Vraylar\n---\n# Vraylar\n\n## Usage\nText.\n",
                         encoding="utf-8")
    assert read_path(str(monograph)).metadata["subject"] == "Vraylar"
    blog = tmp_path / "b.md"  # a blog post's title is a headline, not a stated name
    blog.write_text("---\ntitle: 5 Reasons to Try Fish Oil\n---\n# Why\n\nText.\n\n## More\n\nText.\n", encoding="utf-8")
    assert "subject" not in read_path(str(blog)).metadata


# front matter shaped like what pages write, and like what the two YAML scanners might read apart
YAML_PIECES = st.sampled_from([
    "\n", " ", "  ", "- ", "-", ": ", ":", "#", " # c", "'", '"', "?", "|", ">", "&a ", "---", "...", ",", "@", "`",
    "title", "date", "x", "2021-03-04", "2021-03-04 10:20:30", "12", "0x1F", "1_000", "1e3", ".5", "yes", "No", "null",
    "~", "=", "<<", "true",
])
YAML_TEXT = st.lists(st.one_of(YAML_PIECES, st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=6)),
                     max_size=30).map("".join)


@settings(max_examples=1500, deadline=None)
@given(YAML_TEXT)
def test_markdown_front_matter_libyaml_reads_what_python_yaml_reads(text: str) -> None:
    """Where the libyaml loader is used (_plain_yaml), it reads what the pure-Python loader reads, or fails,
    and the Python loader then says why."""
    assume(_plain_yaml(text))
    try:
        fast = yaml.load(text, Loader=yaml.CSafeLoader)
    except yaml.YAMLError:
        return
    assert yaml.load(text, Loader=_FrontMatterLoader) == fast


# Lines built to sit on either side of what _headings takes as plain (and reads without markdown-it): indents
# around four and eight spaces, list markers, ATX runs of up to seven #s, each opener of another block.
_WORDS = st.lists(st.sampled_from(["Dose", "a", " ", "\t", "#", "-", "=", "\u00a0", "\u2003", "\r", "\x00"]),
                  max_size=8).map("".join)
_ANY_LINE = st.builds(
    lambda indent, marker, opener, words: indent + marker + opener + words,
    st.sampled_from(["", " ", "   ", "    ", "        ", "         ", "\t"]),
    st.sampled_from(["", "- ", "* ", "+ ", "1. ", "2) ", "-", "*\t", "1234567890. ", "-     "]),
    st.sampled_from(["", "#", "# ", "## ", "###### ", "####### ", "#\t", ">", "```", "~~~", "<div>", "[a]: /u",
                     "===", "---", "***", "_ _ _", "1.5 ", "\u00a0", "\u2003"]),
    _WORDS,
)
_PLAIN_LINE = st.builds(
    lambda indent, marker, words: indent + marker + words,
    st.sampled_from(["", "  ", "        "]),
    st.sampled_from(["", "", "- ", "1. ", "# ", "### ", "#\t", "#"]),
    _WORDS.filter(lambda w: "\r" not in w and "\x00" not in w).map(lambda w: "Dose" + w),
)
_BARE_LINE = st.sampled_from(["", "  ", "#", "# #", "## ##", "#\t#  ", "# Dose #", "# Dose#"])


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.one_of(_PLAIN_LINE, _PLAIN_LINE, _BARE_LINE, _ANY_LINE), max_size=12))
def test_markdown_headings_as_markdown_it_finds_them(lines: list[str]) -> None:
    """_headings finds the headings markdown-it finds: the same lines, levels and titles."""
    body = "\n".join(lines)
    tokens = _MD.parse(body)
    assert _headings(body) == [(tok.map[0], tok.map[1], int(tok.tag[1]), tokens[i + 1].content.strip())
                               for i, tok in enumerate(tokens) if tok.type == "heading_open" and tok.map]
