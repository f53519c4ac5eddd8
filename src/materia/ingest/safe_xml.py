"""One safe way to parse an XML file: no DTD, no entity expansion, no network, no huge trees."""
from __future__ import annotations

import re

from lxml import etree

from materia.errors import ReadError
from materia.ingest.registry import RawFile

_ENTITY = re.compile(rb"<!(?:ENTITY|DOCTYPE[^>]*\[)", re.I)


def parse_xml(raw: RawFile) -> etree._Element:
    if _ENTITY.search(raw.data):
        raise ReadError(raw.source, "XML declares a DTD or entities; refused (entity expansion is unsafe)")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                             remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(raw.data, parser)
    except etree.XMLSyntaxError as exc:
        raise ReadError(raw.source, f"malformed XML: {exc}") from None
    if root is None:
        raise ReadError(raw.source, "empty XML document")
    return root
