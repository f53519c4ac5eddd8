"""FDA drug labels: SPL XML (HL7 v3) and openFDA label JSON.

`Document.text` is the extracted label text: for each section its heading line, a blank
line and its text, sections separated by blank lines; every span indexes that text.
Sections are typed by LOINC code (XML) or openFDA field name (JSON) from headings.yaml.
XML is parsed without DTDs, entity expansion or network access; a document declaring
entities is refused outright (the billion-laughs family of attacks).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from itertools import accumulate

from lxml import etree

from materia.errors import ReadError
from materia.ingest.cues import cues
from materia.ingest.registry import RawFile, reader
from materia.ingest.safe_xml import parse_xml
from materia.ingest.structure import parse_date
from materia.types import Document, Section, SectionType, Span

NS = {"v3": "urn:hl7-org:v3"}
_V3 = "{urn:hl7-org:v3}"
_BLOCKS = {"paragraph", "item", "tr", "caption", "br", "list", "table", "title", "content_block"}
_SKIP = {"id", "code", "effectiveTime", "title", "component", "subject", "templateId", "confidentialityCode",
         "versionNumber", "setId", "author", "excerpt"}
_LABEL_KEYS = re.compile(r'"(?:indications_and_usage|adverse_reactions|boxed_warning|dosage_and_administration|'
                         r'spl_product_data_elements|openfda|package_label_principal_display_panel)"\s*:')
_BRAND = re.compile(r"\b([A-Z][A-Z0-9-]{2,})®")
_SPACES = re.compile(r"[^\S\n]+")


@dataclass(frozen=True, slots=True)
class Part:
    """One section before layout: heading, body text, type, nesting depth and children count."""

    title: str
    body: str
    type: SectionType
    level: int
    descendants: int = 0


def _local(tag: object) -> str:
    return tag.split("}", 1)[1] if isinstance(tag, str) and "}" in tag else str(tag)


def _block_text(el: etree._Element) -> str:
    """Text of an element with a line break after each paragraph, list item and table row."""
    out: list[str] = []

    def walk(node: etree._Element) -> None:
        if node.text:
            out.append(node.text)
        for child in node:
            if isinstance(child.tag, str) and _local(child.tag) not in ("footnote",):
                walk(child)
                if _local(child.tag) in _BLOCKS:
                    out.append("\n")
            if child.tail:
                out.append(child.tail)

    walk(el)
    lines = (_SPACES.sub(" ", line).strip() for line in "".join(out).split("\n"))
    return "\n".join(line for line in lines if line)


def _parts(section: etree._Element, level: int, parent: SectionType | None, into: list[Part]) -> int:
    c = cues()
    code_el = section.find("v3:code", NS)
    code = code_el.get("code", "") if code_el is not None else ""
    title_el = section.find("v3:title", NS)
    title = _block_text(title_el).replace("\n", " ") if title_el is not None else ""
    if not title and code_el is not None:
        title = code_el.get("displayName", "") or ""
    kind: SectionType = c.loinc.get(code) or c.heading_type(title) or parent or "other"
    body = "\n".join(t for t in (_block_text(child) for child in section
                                 if isinstance(child.tag, str) and _local(child.tag) not in _SKIP) if t)
    index = len(into)
    into.append(Part(title, body, kind, level))
    count = 0
    for sub in section.iterfind("v3:component/v3:section", NS):
        count += 1 + _parts(sub, level + 1, kind, into)
    into[index] = Part(title, body, kind, level, count)
    return count


def layout(parts: list[Part]) -> tuple[str, list[Section]]:
    """Heading, blank line, body; blank lines between; a section's span covers its subsections."""
    chunks: list[str] = []
    starts: list[tuple[int, int, int]] = []  # start, body start, own end
    pos = 0
    for part in parts:
        if chunks:
            chunks.append("\n\n")
            pos += 2
        start = pos
        heading = part.title or ""
        text = heading + ("\n\n" if heading and part.body else "") + part.body
        body_start = start + (len(heading) + 2 if heading and part.body else len(heading))
        chunks.append(text)
        pos += len(text)
        starts.append((start, body_start, pos))
    sections = []
    for i, part in enumerate(parts):
        start, body_start, end = starts[i]
        if part.descendants:
            end = starts[i + part.descendants][2]
            if not part.body:
                body_start = starts[i + 1][0]
        body_start = min(body_start, end)
        sections.append(Section(title=part.title, type=part.type, span=Span(start, end),
                                body=Span(body_start, end), level=part.level))
    return "".join(chunks), sections


def sniff_xml(raw: RawFile) -> bool:
    head = raw.text[:4096]
    return "urn:hl7-org:v3" in head or (raw.suffix == ".xml" and "<document" in head)


@reader("spl", sniff=sniff_xml, suffixes=(".xml",))
def read_spl(raw: RawFile) -> Document:
    root = parse_xml(raw)
    if _local(root.tag) != "document" or not str(root.tag).startswith(_V3):
        raise ReadError(raw.source, "XML but not an HL7 SPL document; unknown format")
    parts: list[Part] = []
    for section in root.iterfind("v3:component/v3:structuredBody/v3:component/v3:section", NS):
        _parts(section, 1, None, parts)
    # empty sections are dropped; their ancestors' descendant counts must shrink with them
    keep = [bool(p.title or p.body or p.descendants) for p in parts]
    kept_before = list(accumulate(keep, initial=0))
    parts = [Part(p.title, p.body, p.type, p.level, kept_before[i + 1 + p.descendants] - kept_before[i + 1])
             for i, p in enumerate(parts) if keep[i]]
    text, sections = layout(parts)
    title_el = root.find("v3:title", NS)
    title = _block_text(title_el).replace("\n", " ") if title_el is not None else ""
    if not title or len(title) > 80 or len(title.split()) <= 2:
        # long highlights sentences and generic "Drug Facts" titles name no product
        names = _xpath_list(root, "//v3:manufacturedProduct/*/v3:name/text()")
        title = str(names[0]).strip() if names else title
    time_el = root.find("v3:effectiveTime", NS)
    modified = parse_date(time_el.get("value", "")[:8]) if time_el is not None else None
    return Document(source=raw.source, sha256=raw.sha256, text=text, kind="label", format="spl-xml",
                    title=title or None, modified=modified, sections=tuple(sections),
                    encoding=raw.encoding, notes=raw.notes, metadata={**_spl_identity(root), **_spl_subject(root)})


def _spl_identity(root: etree._Element) -> dict[str, str]:
    """The label's set id and version: what names one published version of one label."""
    set_id = root.find("v3:setId", NS)
    version = root.find("v3:versionNumber", NS)
    if set_id is None or not set_id.get("root"):
        return {}
    return {"set_id": str(set_id.get("root")), "version": str(version.get("value", "")) if version is not None else ""}


def _xpath_list(root: etree._Element, path: str) -> list[object]:
    """The nodes or strings a node-set XPath finds (xpath() is typed to return scalars too)."""
    found = root.xpath(path, namespaces=NS)
    return list(found) if isinstance(found, list) else []


def _unique(values: list[object]) -> list[str]:
    seen: dict[str, str] = {}
    for v in values:
        text = _SPACES.sub(" ", str(v)).strip()
        if text:
            seen.setdefault(text.lower(), text)
    return list(seen.values())


def _spl_subject(root: etree._Element) -> dict[str, str]:
    """metadata["subject"]: the products' generic name (an indexing file's substance);
    metadata["ingredients"]: the active ingredients (classCode ACTI*, or the older activeIngredient)."""
    generics = _unique(_xpath_list(
        root, "//v3:manufacturedProduct/*/v3:asEntityWithGeneric/v3:genericMedicine/v3:name/text()"
        " | //v3:identifiedSubstance/v3:identifiedSubstance/v3:name/text()"))
    actives = _unique(_xpath_list(
        root, "//v3:ingredient[starts-with(@classCode, 'ACTI')]/v3:ingredientSubstance/v3:name/text()"
        " | //v3:activeIngredient/v3:activeIngredientSubstance/v3:name/text()"))
    out = {"subject": generics[0]} if generics else {}
    if actives:
        out["ingredients"] = "; ".join(actives)
    return out


def sniff_json(raw: RawFile) -> bool:
    return raw.text.lstrip().startswith("{") and _LABEL_KEYS.search(raw.text, 0, 2_000_000) is not None


def _field_text(value: object) -> str:
    if isinstance(value, list):
        return "\n\n".join(_field_text(v) for v in value if v)
    return str(value).strip() if isinstance(value, (str, int, float)) else ""


@reader("openfda", sniff=sniff_json, suffixes=(".json",))
def read_openfda_file(raw: RawFile) -> list[Document]:
    """One Document per label: a `results` list of several labels is several records ("label N")."""
    try:
        data = json.loads(raw.text)
    except json.JSONDecodeError as exc:
        raise ReadError(raw.source, f"malformed JSON: {exc.msg} at line {exc.lineno}") from None
    labels = data["results"] if isinstance(data, dict) and isinstance(data.get("results"), list) \
        and data["results"] else [data]
    documents = [replace(read_openfda(raw, label), record=f"label {n}" if len(labels) > 1 else None)
                 for n, label in enumerate(labels, 1)]
    for i, label in enumerate(labels):  # openFDA's set_id and version name the same label as SPL's
        if isinstance(label, dict) and label.get("set_id"):
            identity = {"set_id": _field_text(label["set_id"]), "version": _field_text(label.get("version", ""))}
            documents[i] = replace(documents[i], metadata={**documents[i].metadata, **identity})
    return documents


def read_openfda(raw: RawFile, data: object) -> Document:
    """One openFDA label object; its text is laid out from its fields, so `offset` stays 0."""
    if not isinstance(data, dict) or not any(_LABEL_KEYS.match(json.dumps(k) + ":") for k in data):
        raise ReadError(raw.source, "JSON but not an openFDA label; unknown format")
    c = cues()
    texts = {k: _field_text(v) for k, v in data.items() if not k.endswith("_table") and k != "openfda"}
    texts = {k: v for k, v in texts.items() if v and not re.fullmatch(r"[\w.-]+", v)}
    # openFDA repeats subsections as their own fields; keep each passage once
    kept = {k: v for k, v in texts.items()
            if not any(k != o and len(w) > len(v) and (v in w or v[:200] in w) for o, w in texts.items())}
    parts = []
    for key, value in kept.items():
        first, _, rest = value.partition("\n")
        if first.strip() and first.strip() == first.strip().upper() and rest.strip():
            heading, body = first.strip(), rest.strip()
        else:
            heading, body = key.replace("_", " ").capitalize(), value
        parts.append(Part(heading, body, c.label_keys.get(key) or c.heading_type(heading) or "other", 1))
    text, sections = layout(parts)
    openfda = data.get("openfda") if isinstance(data.get("openfda"), dict) else {}
    names = [_field_text(openfda.get(k)) for k in ("brand_name", "generic_name")] if openfda else []
    title = next((n.split("\n")[0] for n in names if n), None)
    if title is None:
        brand = _BRAND.search(text)
        title = brand.group(1) if brand else None
    modified = parse_date(_field_text(data.get("effective_time"))[:8]) if data.get("effective_time") else None
    metadata = {}
    if openfda:  # the label's own names: generic_name is the product's, substance_name its active ingredients
        generic = [n for n in _as_list(openfda.get("generic_name")) if n]
        if generic:
            metadata["subject"] = generic[0]
        substances = [n for n in _as_list(openfda.get("substance_name")) if n]
        if substances:
            metadata["ingredients"] = "; ".join(substances)
    return Document(source=raw.source, sha256=raw.sha256, text=text, kind="label", format="openfda-json",
                    title=title, modified=modified, sections=tuple(sections), metadata=metadata,
                    encoding=raw.encoding, notes=raw.notes)


def _as_list(value: object) -> list[str]:
    values = value if isinstance(value, list) else [value]
    return [str(v).strip() for v in values if isinstance(v, (str, int, float))]
