"""extract/names.py: stated names -> canonical substance names, by vocabulary and the grammar of names."""
from __future__ import annotations

import subprocess
import sys

import pytest

from materia.errors import VocabularyError
from materia.extract.names import canonical, headline_name, resolve_name
from materia.lexicons.drugs import parse_name_grammar


@pytest.mark.parametrize(("stated", "names"), [
    # salts, esters and hydrates: the active moiety names the drug
    ("Atorvastatin Calcium", ("atorvastatin",)),
    ("ATORVASTATIN CALCIUM TRIHYDRATE", ("atorvastatin",)),
    ("Levothyroxine Sodium", ("levothyroxine",)),
    ("Abiraterone Acetate", ("abiraterone",)),
    ("Sertraline HCl", ("sertraline",)),
    # dosage forms, routes, strengths and compendia go
    ("Metformin Hydrochloride Extended-Release Tablets, USP 500 mg", ("metformin",)),
    ("Vitamin D3 1000 IU softgels", ("vitamin d",)),
    # mineral salts name their mineral; a salt of nothing else is itself
    ("Calcium Carbonate", ("calcium",)),
    ("Potassium Chloride Extended-Release Tablets, USP", ("potassium",)),
    ("zinc picolinate", ("zinc",)),
    ("Sodium Bicarbonate", ("sodium bicarbonate",)),
    ("hydrogen peroxide", ("hydrogen peroxide",)),
    # combinations name every ingredient, in the order stated
    ("Lisinopril and Hydrochlorothiazide", ("lisinopril", "hydrochlorothiazide")),
    ("Acetaminophen/Codeine", ("acetaminophen", "codeine")),
    ("Diphenhydramine HCl, Phenylephrine HCl", ("diphenhydramine", "phenylephrine")),
    ("Amoxicillin and Clavulanate Potassium", ("amoxicillin", "clavulanic acid")),
    ("Calcium Carbonate and Vitamin D3", ("calcium", "vitamin d")),
    # brands through the drug dictionary, and a combination brand
    ("Lipitor", ("atorvastatin",)),
    ("Zestoretic", ("lisinopril", "hydrochlorothiazide")),
    ("Effexor-XR", ("venlafaxine",)),
    # synonyms through the curated vocabulary; botanical parts and preparations go
    ("Cyanocobalamin", ("vitamin b12",)),
    ("L-Glutamine", ("glutamine",)),
    ("Withania somnifera root extract", ("ashwagandha",)),
    # a bracketed alternative counts when the name outside is unknown
    ("Apixaban (Eliquis)", ("apixaban",)),
])
def test_names_resolve_known(stated: str, names: tuple[str, ...]) -> None:
    found = resolve_name(stated)
    assert found.names == names and found.known


def test_names_unknown_name_is_kept_reduced() -> None:
    found = resolve_name("Lion's Mane Mushroom (Hericium erinaceus)")
    assert found.names == ("lion's mane",) and not found.known
    assert canonical("Lion's Mane") is None


@pytest.mark.parametrize("phrase", ["Health Benefits of Fish Oil", "What is the best dose for you", "", "  ", "10 mg"])
def test_names_phrases_are_not_names(phrase: str) -> None:
    assert resolve_name(phrase).names == ()


def test_names_dictionary_classes_are_not_substances() -> None:
    assert resolve_name("Contraceptives, Oral").names != ("contraceptives, oral",)


@pytest.mark.parametrize(("title", "head"), [("Simvastatin: Uses, Dosage, Side Effects", "Simvastatin"),
                                             ("L-Glutamine - Editor's Choice", "L-Glutamine"),
                                             ("Lipitor | Drugs.com", "Lipitor"),
                                             ("Lisinopril and Hydrochlorothiazide",
                                              "Lisinopril and Hydrochlorothiazide")])
def test_names_headline_name(title: str, head: str) -> None:
    assert headline_name(title) == head


def test_names_grammar_is_loaded_strictly() -> None:
    with pytest.raises(VocabularyError):
        parse_name_grammar({"cations": ["sodium"]})


def test_names_drug_dictionary_only_when_needed() -> None:
    """A document whose stated subject is curated never loads the ~100k-name drug dictionary."""
    code = ("import sys\nfrom materia.types import Document\nfrom materia.extract import extract\n"
            "x = extract(Document(source='m.md', sha256='0', text='Magnesium helps. Potassium too.', kind='article',"
            " format='markdown', title='Magnesium', metadata={'subject': 'Magnesium Glycinate'}))\n"
            "from materia.lexicons.drugs import drug_canonicals\n"
            "assert x.substance == 'magnesium', x.substance\n"
            "print(drug_canonicals.cache_info().currsize, 'drug_named_entity_recognition' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["0", "False"]
