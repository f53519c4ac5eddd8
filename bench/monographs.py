"""Monograph-like Markdown files for the ingest benchmark, generated from the shared corpora.

A site of drug and supplement monographs (front matter, a title, "### Usage", "### Dosage",
"### Side Effects", ... sections of prose and lists) is what a user ingests by the thousand. The
shared corpora hold no such site, so this builds one: each file is about one substance (DrugLib
drug names, TAC label drugs, the seeds' subjects) and its sections are filled with sentences
of the matching kind drawn from the TAC labels (adverse reactions, warnings), the FDA SPL
samples (dosage, indications), DrugLib reviews (benefits, side effects) and HealthSea claims.
Lengths follow a log-normal around 5,600 characters (the real set averaged 36 M chars over 6,447
files). The same `seed` and `n` give the same bytes, so runs compare. Used by
`bench/ingest.py --monographs N...`.
"""
from __future__ import annotations

import csv
import json
import random
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

CORPORA = Path(__file__).resolve().parents[1].parent / "shared" / "corpora"
SEEDS = Path(__file__).resolve().parents[1] / "src" / "materia" / "examples" / "seeds"
MEAN_CHARS = 5600
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
_DOSE = re.compile(r"\b\d+(?:\.\d+)?\s*(?:mg|g|mcg|µg|IU|mL|units?)\b", re.IGNORECASE)
_NAME = re.compile(r"[a-z][a-z0-9 -]{1,30}")
_INTERACTION = re.compile(r"\b(?:interact\w*|concomitant\w*|coadminist\w*|inhibitors?|inducers?)\b", re.IGNORECASE)
_LABEL_SECTIONS = {"adverse reactions": "effects", "boxed warnings": "warnings", "warnings and precautions": "warnings"}
_SPL_SECTIONS = {"DOSAGE": "dosage", "INDICATIONS": "usage", "CLINICAL PHARMACOLOGY": "how",
                 "INTERACTIONS": "interactions", "CONTRAINDICATIONS": "warnings", "ADVERSE": "effects"}
# (heading, pool, sentences per paragraph) in the order a monograph site prints them
_LAYOUT = (("Usage", "usage", 4), ("Dosage", "dosage", 3), ("Side Effects", "effects", 4),
           ("Warnings and Precautions", "warnings", 3), ("Interactions", "interactions", 3),
           ("How it Works", "how", 4), ("What people report", "reports", 3))


@dataclass
class Pools:
    """Sentences by the section they suit, and the substances to write about."""

    sentences: dict[str, list[str]] = field(default_factory=dict)
    substances: list[str] = field(default_factory=list)

    def add(self, pool: str, text: str) -> None:
        for s in _SENTENCE.split(" ".join(text.split())):
            if 30 <= len(s) <= 400 and not s.isupper():
                self.sentences.setdefault(pool, []).append(s)


def _tac(pools: Pools, folder: Path) -> None:
    for path in sorted(folder.glob("*.xml")):
        root = ET.parse(path).getroot()
        pools.substances.append(root.get("drug", path.stem.lower()))
        for section in root.iter("Section"):
            pool = _LABEL_SECTIONS.get(section.get("name", ""))
            if pool:
                pools.add(pool, "".join(section.itertext()))


def _spl(pools: Pools, folder: Path) -> None:
    """Sentences of SPL sections, filed by their title (dose-bearing ones in dosage whatever the title)."""
    ns = "{urn:hl7-org:v3}"
    for path in sorted(folder.glob("*.spl.xml")):
        for section in ET.parse(path).getroot().iter(f"{ns}section"):
            title = " ".join("".join(section.find(f"{ns}title").itertext()).split()).upper() \
                if section.find(f"{ns}title") is not None else ""
            pool = next((p for key, p in _SPL_SECTIONS.items() if key in title), None)
            text = " ".join("".join(t.itertext()) for t in section.iter(f"{ns}paragraph"))
            if pool:
                pools.add(pool, text)
            for s in _SENTENCE.split(" ".join(text.split())):
                if _DOSE.search(s):
                    pools.add("dosage", s)


def _druglib(pools: Pools, folder: Path) -> None:
    for path in sorted(folder.glob("*.tsv")):
        with path.open(encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f, delimiter="\t"):
                pools.substances.append(row["urlDrugName"])
                pools.add("usage", row["benefitsReview"])
                pools.add("reports", row["sideEffectsReview"])
                pools.add("reports", row["commentsReview"])


def _healthsea(pools: Pools, path: Path) -> None:
    with path.open(encoding="utf-8") as f:
        for line in f:
            claim = json.loads(line)
            entity = claim.get("meta", {}).get("entities", "").strip("[]").split(",")[0].strip()
            text = re.sub(r"<(CONDITION|BENEFIT)>", lambda m, e=entity: e or m.group(1).lower(), claim["text"])
            pools.add("reports", text)


def _seeds(pools: Pools) -> None:
    for path in sorted(SEEDS.glob("*.txt")):
        text = re.sub(r"(?m)^(---|#.*|\w+:.*)$", " ", path.read_text(encoding="utf-8"))
        pools.add("usage", text)
        pools.add("how", text)
    pools.substances += ["glutamine", "zinc", "magnesium", "melatonin", "vitamin d", "iron", "fish oil"]


def load_pools(corpora: Path = CORPORA) -> Pools:
    pools = Pools()
    _tac(pools, corpora / "tac2017_adr" / "train_xml")
    _spl(pools, corpora / "fda_spl_samples")
    _druglib(pools, corpora / "druglib_reviews")
    _healthsea(pools, corpora / "healthsea" / "clausecat" / "annotation.jsonl")
    _seeds(pools)
    names = (s.strip().lower() for s in pools.substances)  # a misquoted review row can land in the name column
    pools.substances = sorted({s for s in names if _NAME.fullmatch(s)})
    pools.sentences["interactions"] += [s for s in pools.sentences["warnings"] if _INTERACTION.search(s)]
    for pool in pools.sentences.values():
        pool.sort()
    return pools


def monograph(pools: Pools, rng: random.Random, substance: str) -> str:
    """One monograph of about a log-normal draw of characters, sections in site order."""
    budget = int(min(60_000, max(1_200, rng.lognormvariate(0, 0.6) * MEAN_CHARS * 0.78)))
    title = substance.title()
    parts = [f"---\nlayout: minimal-medicine\ntitle: {title}\n---\n\n# {title}\n### Generic Name\n{title}\n"]
    size = len(parts[0])
    while size < budget:
        for heading, pool, per_paragraph in _LAYOUT:
            sentences = pools.sentences[pool]
            paragraph = [rng.choice(sentences) for _ in range(rng.randint(1, per_paragraph))]
            if pool in ("effects", "reports") and rng.random() < 0.5:  # sites list side effects as bullets
                body = "\n".join(f"*   {s}" for s in paragraph)
            else:
                body = " ".join(paragraph)
            parts.append(f"\n### {heading}\n{body}\n")
            size += len(parts[-1])
            if size >= budget:
                break
    return "".join(parts)


def generate(folder: Path, n: int, seed: int = 0, pools: Pools | None = None) -> list[Path]:
    """`n` monographs in `folder` (made if missing), named by number and substance; their paths."""
    pools = pools or load_pools()
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        substance = pools.substances[i % len(pools.substances)] if i < len(pools.substances) \
            else rng.choice(pools.substances)
        path = folder / f"{i:05d}-{re.sub(r'[^a-z0-9]+', '-', substance).strip('-')}.md"
        path.write_text(monograph(pools, rng, substance), encoding="utf-8")
        paths.append(path)
    return paths
