"""What a post or review reports: the effects its writer had, and what they took the product for, with their verdict.

A post reports experience. Each symptom, condition or health goal named in a post body (extract.lay_mentions: the
lay vocabulary, symptoms described in the writer's own words, misspellings corrected) is read in its clause and
sentence:

  effect   a symptom that appeared, got worse, or that the writer puts down to the product ("gave me headaches",
           "then vaginal bleeding 2 wks after ...", a bare list of symptoms), with onset and duration when said
  use      the condition or goal the writer takes it for ("for my arthritis", "my sleep is better"), with the
           writer's verdict: helped (stance benefit), did nothing (no_benefit), made it worse (no_benefit + "worse")
  history  a condition the writer has had ("I have had asthma for years", "diagnosed with"): neither

A mention's role comes from the cues around it, strongest first (`_own_role`); mentions in one list share the
role a cue gives any of them, and a bare list of symptoms is a list of effects. A mention no cue decides is read
by a small model of the mention in its sentence (extract.role_model: the concept, the words written with it, a
list; trained by scripts/train_roles.py on DrugLib training reviews' benefits and side-effects fields), unless
the writer praises the product for it in the same clause; an unnamed item of a list of effects ("Severe nausea,
metalic tase, loss of appetite") is one more effect, in the writer's words.

Negation ("no side effects", "didn't have any nausea") and hedging ("not sure if it's the pill") follow
ConText-style cues scoped to the clause. The verdict comes from cue words in the clause, then the sentence, read
with the symptom mentions blanked; then a small linear model of the clause trained on healthsea's helped /
nothing / worse / history clauses (scripts/train_polarity.py); then the post's rating or overall verdict, cited
where the post says it.

Only documents of kind community or review reach this module (extract/__init__.py), so labels never pay for it.
"""
from __future__ import annotations

import bisect
import difflib
import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Generic, Literal, TypeVar

from materia.extract import drug_mentions
from materia.extract.lay_mentions import Mention, core_words, mentions
from materia.extract.parse import Parsed
from materia.extract.role_model import effect_probability
from materia.extract.role_model import features as role_features
from materia.lexicons import lay
from materia.lexicons.surface import normalise
from materia.types import Effect, Span, Stance, Use, Verdict

__all__ = ["Reading", "covers_document", "cue_free_mentions", "fields", "find", "merge", "no_cue_features",
           "post_sentences", "post_spans", "read"]

Role = Literal["effect", "use", "history"]
T = TypeVar("T")
# a semicolon with no space after it is a list's comma ("mood swings;night sweats;wt. gain")
# "..., right hip, and lower back"; an aside between two items: "hot flashes (every hour), memory loss"
_LIST_GAP = re.compile(r"^(?:\s*\([^()\n]{0,40}\))?(?:;|[\s,/&+]*(?:(?:and|or|and/or|&|plus|also|as well as)\b[\s,]*)*"
                       r"(?:(?:left|right|lower|upper|both)\s+)*)$", re.IGNORECASE)
# what a group's relief takes in: "All menopausal symptoms are gone, including headaches, hot flashes"
_INCLUDED_GAP = re.compile(r"^\s+(?:(?:are|is|were|was|have|has|been|all|now|completely|totally|also)\s+){0,3}"
                           r"(?:gone|better|improved|relieved|controlled|cleared|resolved|eased|disappeared|"
                           r"under control)"
                           r"\s*,?\s*(?:including|such as|especially)\s+$", re.IGNORECASE)
_CONDITION_LIST = re.compile(r"\b(?:diseases?|conditions?|disorders?|illness(?:es)?|diagnos\w*|problems? with)\b",
                             re.IGNORECASE)
_RESOLVED = re.compile(r"(?:went|go|goes|gone|going) away|gone|disappear|subsid|resolv|vanish|fad|diminish|eas|lessen|"
                       r"ceas", re.IGNORECASE)
# when the product was new: a complaint of then that went away is a side effect that passed ("mild nausea at first,
# gradually disappearing", "initially insomnia that went away"), where "my headaches went away" is a use it helped
_AT_FIRST = re.compile(r"\b(?:at first|initial(?:ly)?|in the beginning|at the (?:beginning|start)|early on|"
                       r"(?<!after )(?<!within )(?<!after the )(?<!within the )"
                       r"(?:the )?first (?:few |couple (?:of )?|two |2 |three |3 )?"
                       r"(?:days?|nights?|weeks?|months?|doses?)|"
                       r"when (?:i|she|he|we) first|first (?:started|began|starting))\b", re.IGNORECASE)
_PASSED = re.compile(r"\b(?:(?:went|go|goes|gone|going) away|gone|disappear\w*|subsid\w*|resolv\w*|vanish\w*|"
                     r"fad(?:ed|es|ing)|diminish\w*|eased|lessen\w*|wore off|wears off|wearing off|passed|dissipat\w*|"
                     r"tapered off|abated|stopped)\b", re.IGNORECASE)
_OWNERS = r"\b(?:my|his|her|our)"
_OWNER = re.compile(_OWNERS + r"\b", re.IGNORECASE)
_POSSESSIVE = re.compile(_OWNERS + r"\s+(?:\w+\s+){0,2}$", re.IGNORECASE)
# a negated condition the writer puts down to the product: it kept it away ("ever since I took this pill, I have
# never caught a cold", "I don't cough as much", "UTI free for 90 days")
_PREVENTED = re.compile(r"\b(?:(?:ever )?since|while|when) (?:i|we) (?:took|take|started|start|am taking|was taking|"
                        r"began|use|used|have been)\b|\bfree\b|\bany ?more\b|\bas (?:much|often|many|bad)\b|"
                        r"\bnever (?:caught|catch)\b", re.IGNORECASE)  # ("never had any nausea" is a denial)
# a sentence about what the post listed: "all three conditions", "both of them", "these problems"
_LISTED = re.compile(r"\b(?:all|both|these|those|the|my|his|her)\s+(?:\w+\s+)?(?:conditions|diseases|disorders|"
                     r"problems|issues|symptoms|illnesses)\b|\b(?:all|both) of them\b|"
                     # "everything improved", not "the guilt I felt about everything has almost gone"
                     r"\beverything\s+(?:(?:is|was|has|had|got|gets|seems?|seemed|became|been|went|just|really)\s+)*"
                     r"(?:better|improv\w*|clear\w*|gone|great|fine|good|normal|resolved)\b", re.IGNORECASE)
# what may stand between a condition and what became of it: "my allergy symptoms got much better"
_ADVERBS = re.compile(r"^\s*(?:(?:symptoms?|issues?|problems?|attacks?|has|have|had|is|are|was|were|has been|"
                      r"have been|got|get|gets|seems?|seemed|now|become|became|\w+ly|much|so|a lot|a bit|far|way|all|"
                      r"almost|completely|totally|quite|that|which|would|did|eventually|finally)\s+)*")
_ENDURED = re.compile(r"\b(?:couldn'?t|could not|can'?t|cannot|unable to) (?:tolerate|handle|stand|take|bear)\b",
                      re.IGNORECASE)
# a list of what a condition named before it brings: "allergy symptoms, which included ...", "signs of it were ..."
_SYMPTOMS_LISTED = re.compile(r"\b(?:symptoms?|signs?)\b,?\s*(?:(?:which|that)\s+)?(?:include[sd]?|including|"
                              r"such as|like|were|are)\b", re.IGNORECASE)
# years of a complaint are the writer's history: "for 20 years with", "for the past ten years", "since childhood"
_YEARS = re.compile(r"\b(?:for|over)\s+(?:the\s+(?:past|last)\s+)?(?:\d+\+?|a few|a couple of|many|several|two|three|"
                    r"four|five|six|seven|eight|nine|ten|fifteen|twenty|thirty)\s+(?:years?|yrs?|decades?)\b",
                    re.IGNORECASE)
# the words of one concept, shared by the patterns below: stopping the product, a test, a test's figures
_STOPPING = r"stopp\w*|quit\w*|discontinu\w*|cessation|came off|coming off|went off|took (?:myself|me) off"
_TEST_WORDS = r"tests?|testing|panels?|screenings?|lab work|blood ?work"
_FIGURES = r"results?|numbers?|levels?|values?|readings?|counts?|enzymes?"
# "Stopped and the pain was gone in 3 days": what passed once the product was stopped was its doing
_STOPPED_THEN = re.compile(rf"\b(?:{_STOPPING}|took me off|(?:been|got|am|was|i'm|im) off)\b"
                           r"(?:\s+[\w']+){0,4}\s+(?:and|then)\s+"
                           r"(?:the\s+|my\s+|all\s+the\s+)?$", re.IGNORECASE)
_QUIT_FOR = re.compile(rf"\b(?:{_STOPPING}|gave up)\b(?:\s+[\w']+){{0,3}}\s+"
                       r"(?:because of|due to)\s+(?:the\s+|my\s+|these\s+|this\s+|all\s+the\s+|such\s+)?$",
                       re.IGNORECASE)
_NONE_BUT = re.compile(r"\b(?:no|none|nothing|not\s+any|didn't\s+have\s+any)\s+(?:\w+\s+)?"
                       r"(?:problems?|issues?|complaints?|troubles?)\s*,?\s*"
                       r"(?:apart\s+from|except(?:\s+for)?|other\s+than|besides|but)\s+"
                       r"(?:(?:a|an|the|some|slight|mild|occasional|minor)\s+)*$", re.IGNORECASE)
_BY_ITSELF = re.compile(r"\b(?:went away|goes away|go away|gone|resolved|disappeared|subsided|cleared(?:\s+up)?|"
                        r"stopped)\s+(?:on its own|by itself|itself|on their own|by themselves)\b", re.IGNORECASE)
# put up with, not made bearable ("helped my eczema be tolerable", "made it very tolerable")
_CANNOT = re.compile(r"\b(?:can't|cant|cannot|can\s+not|won't|wont)\s+(?:really\s+)?(?:help|enhanc|improv|cure|fix|"
                     r"boost|treat|reliev|reduc|lower|heal|clear)\w*", re.IGNORECASE)
_STILL = re.compile(r"\bstill\b", re.IGNORECASE)
_MORE = r"(?:more|rais(?:es|ed|ing)|higher|greater|extra)"
# a goal the writer has more of, said right before it ("i had alot more energy"), or in its own words ("more energy")
_MORE_OF = re.compile(rf"\b{_MORE}\s+(?:(?:my|the|of|much|alot|lot|a)\s+){{0,3}}$", re.IGNORECASE)
_MORE_WORD = re.compile(rf"{_MORE}\b", re.IGNORECASE)
# "losing more hair", "the more weight you have to lose": more of what goes, or a comparison, is no help
_LOSING = re.compile(r"\b(?:los\w*|lost|the)\s+$", re.IGNORECASE)
_WANTED = re.compile(r"\b(?:need(?:s|ed)?|want(?:s|ed)?|wish(?:ed)?|would like|could use|hop(?:e|ed|ing)|lack(?:s|ed)?|"
                     r"tr(?:y|ied|ying) to get)\s+(?:\w+\s+){0,3}$", re.IGNORECASE)
_DASH = re.compile(r"^\s+(?:-{1,2}|[\u2013\u2014])\s+")
_TOLERABLE = re.compile(r"\bbut\s+(?:(?:it|they|that|this)\s+(?:was|were|is|are)\s+|it's\s+|very\s+|quite\s+|pretty\s+|"
                        r"still\s+|completely\s+|totally\s+|fairly\s+)*(?:tolerable|bearable)\b", re.IGNORECASE)
_STOPPING_IT = re.compile(r"\b(?:stopping|quitting|discontinuing|coming off|going off|cessation of)\b", re.IGNORECASE)
_CAUSED_BY_IT = re.compile(r"\b(?:caused|brought\s+on|triggered|induced)\s+by\s+(?:(?:the|my|a|an|his|her|their)\s+)?$",
                           re.IGNORECASE)
_DENIED_SUCH_AS = re.compile(r"\b(?:no|not|never|didn't|did\s+not|haven't|have\s+not|hasn't|without|none)\b[^.;:!?]*"
                             r"\bside[- ]?effects?\b[^.;:!?]*\b(?:such\s+as|like|including|e\.g\.)\s[^.;:!?]*$",
                             re.IGNORECASE)
_BUT_DID_NOT = re.compile(r"\bbut\s+(?:i\s+|it\s+)?(?:didn't|did\s+not|never|haven't|have\s+not|hasn't|wasn't)"
                          r"(?:\s+(?:suffer|have|get|experience|notice|happen))?(?:\s+(?:any|them|it|that|from\s+any))?"
                          r"\W*$", re.IGNORECASE)
_BECAUSE_OF = re.compile(r"\b(?:because of|due to)\s+(?:(?:the|my|these|this|all|such|a|an)\s+)*(?:\w+\s+){0,2}$",
                         re.IGNORECASE)
_QUIT_AFTER = re.compile(rf"(?:[^,.;:!?]{{0,40}},)?\s*(?:(?:i|we|so|and|then|finally|had\s+to|only)\s+)*"
                         rf"(?:{_STOPPING}|reduced|cut\s+(?:back|down)|lowered|(?:only|now)\s+take)\b", re.IGNORECASE)
_TAKING = re.compile(r"\b(?:taking|taken|took|take|on|using|used|prescribed)\b(?:\s+[\w-]+){0,2}\s*$", re.IGNORECASE)
# a name of what a test measures: "cholesterol test", "cholesterol and liver function tests", "thyroid panel"
_TESTED = re.compile(r"(?:and\s+(?:(?!(?:my|the|his|her|our|their|all)\b)\w+\s+){1,3})?"
                     rf"(?:{_TEST_WORDS}|levels? checked|(?:was|were|is|are|being|been)\s+(?:closely\s+|regularly\s+)?"
                     r"(?:monitored|checked|tested|measured))\b", re.IGNORECASE)
# a test and what it is for, right before the mention: "blood test for liver issues", "to ensure liver health is"
_TEST_PURPOSE = re.compile(rf"\b(?:{_TEST_WORDS}|monitoring|check-?ups?)\b"
                           r"(?:\s+[\w-]+){0,4}?\s+"
                           r"(?:for|to (?:ensure|check|determine|monitor|see|measure|make sure|test))\b"
                           r"(?:\s+(?!(?:showed|shows|revealed|found|came|indicated)\b)[\w-]+){0,7}?\s*$",
                           re.IGNORECASE)
# what a test showed, which the writer may judge: "thyroid test results into the normal range"
_RESULTS = re.compile(rf"\s+(?:{_FIGURES}|came back|showed|shows|were|are|is|was)\b", re.IGNORECASE)
# the time before the product: "before taking the meds", "prior to starting it", "before I took it"
_BEFORE_TAKING = re.compile(r"\b(?:before|prior to)\s+(?:i\s+)?(?:tak\w*|start\w*|began|beginning|using|us(?:e|ed)|"
                            r"took|(?:the |this )?(?:meds|medications?|medicine|treatment|pills?|drug))\b",
                            re.IGNORECASE)
# "back" after a verb of going or coming is no body part: "went back to the higher dose", "has not come back"
# "for a period of one year", "a long period of time": a stretch of time, no period
_SPAN_OF_TIME = re.compile(r"\s+of\s+(?:time|about|around|over|\d|one|two|three|four|five|six|several|many|a\s+few|"
                           r"(?:\w+\s+)?(?:days?|weeks?|months?|years?))", re.IGNORECASE)
_ADVERB_BACK = re.compile(r"\b(?:go|goes|going|gone|went|come|comes|coming|came|get|gets|got|getting|is|was|are|were|"
                          r"be|been|bring|brought|call\w*|cut|set|step\w*|put|ended\s+up|end\s+up|"
                          r"(?:give|gives|gave|given|giving)(?:\s+(?:me|him|her|us|them))?)\s+back\b|"
                          r"\bback\s+(?:in|into|to|on|at|home|and\s+forth)\b", re.IGNORECASE)
# a place on a part, not the part: "the back of my hands", "the top of my head"
_PART_OF = re.compile(r"\s+of\b", re.IGNORECASE)
# too much of what one could want is a complaint: "it gave me excess energy", "way too much sleep"
_EXCESS = re.compile(r"\b(?:excess\w*|too much|too many|overly|way too)\b", re.IGNORECASE)
# a sentence that says it lists side effects ("Side effects= headaches, ... problem with movement, anger")
_SIDE_EFFECTS_NAMED = re.compile(r"\bside[- ]?effects?\b|\badverse\b", re.IGNORECASE)
# what went away once the product was stopped was the product's doing
_PRODUCT = (r"(?:it|this|them|the (?:medications?|medicines?|meds|drugs?|pills?|tablets?|treatment|antibiotics?)|"
            r"medications?|meds)")
_STOPPED = re.compile(rf"\b(?:after|once|when|since)\s+(?:i\s+)?(?:(?:{_STOPPING})(?:\s+taking|\s+of)?"
                      rf"(?:\s+{_PRODUCT}\b|\s+(?:the\s+)?drug\b|\s*[,.;)]|\s*$)|"
                      rf"{_PRODUCT}\s+(?:was|were)\s+(?:stopped|discontinued))", re.IGNORECASE)
# a complaint that comes back when the product is stopped was relieved by it: "both times the uncontrollable anxiety
# returned" (attempts to discontinue), "after not taking the medicine the acne has started to come back"
_CAME_BACK = re.compile(r"(?:(?:has|have|had|would|will|then|soon|always)\s+)*"
                        r"(?:(?:started|begun|began|starts)\s+to\s+)?"
                        r"(?:c[oa]me?s?\s+back|coming\s+back|return(?:ed|s|ing)?\b|re-?occur\w*|recur\w*)",
                        re.IGNORECASE)
_OFF_PRODUCT = re.compile(rf"\b(?:{_STOPPING}|stop|off\s+(?:of\s+)?(?:it|them|the|this)|not\s+taking|"
                          r"no\s+longer\s+taking|without\s+(?:it|them|the)|miss(?:ed|ing)?\s+a|skipp\w*|wean\w*|"
                          r"taper\w*)\b", re.IGNORECASE)
_WITHOUT_PRODUCT = re.compile(rf"(?:(?:any\s*more|anymore|now|at all)\s+)?without\s+{_PRODUCT}\b", re.IGNORECASE)
# the reason a product was started, said after "because": "my doctor added Abilify because I was feeling really
# fatigued" (not "I stopped it because of the pain": _QUIT_FOR)
_BECAUSE_I_WAS = re.compile(r"\bbecause\s+(?:of\s+)?(?:(?:i|i'm|im|i've|ive|my|the|a|an|was|had|have|am|been|felt|"
                            r"feeling|feel|suffering|suffered|from|getting|having|severe|really|very|so|constant|"
                            r"constantly|always|still)\s+){0,5}$", re.IGNORECASE)
_QUIT = re.compile(rf"\b(?:{_STOPPING}|stop|gave\s+up|had\s+to\s+switch)\b", re.IGNORECASE)
_STARTED = re.compile(rf"\b(?:prescrib\w*|added|start\w*|began|begun|put\s+(?:me|him|her)\s+on|switch\w*|given|"
                      rf"recommend\w*|tried|went\s+on)\b(?![^.;!?]*\b(?:{_STOPPING}|gave up)\b)", re.IGNORECASE)
_ALLERGIC = re.compile(r"allerg|intoleran|reaction", re.IGNORECASE)
_TO_SOMETHING = re.compile(r"to\s+\w", re.IGNORECASE)
_TO_PRODUCT = re.compile(rf"to\s+(?:{_PRODUCT})(?!\s+(?:for|of)\b)", re.IGNORECASE)
_ADVERBS_BEFORE = r"(?:(?:just|also|really|only|actually|\w+ly)\s+)*"
# a complaint the product brought on: "it made my skin dry and itchy", "it just irritated my face" (the product,
# not "this", the subject of the complaint's own verb)
_PRODUCT_CAUSED = re.compile(rf"\b{_PRODUCT}\s+{_ADVERBS_BEFORE}(?:made|makes|make|making|gave|gives|give|caused|"
                             r"causes|cause)\s+(?:\S+\s+){0,4}$", re.IGNORECASE)
# "it" the subject of a complaint's verb only where the complaint has its part ("irritated my face", not "it winds up")
_PRODUCT_DID = re.compile(rf"\bit\s+{_ADVERBS_BEFORE}$", re.IGNORECASE)
_MEDICINE_DID = re.compile(rf"\b(?:the|this)\s+(?:medications?|medicines?|meds|drugs?|pills?|tablets?)\s+"
                           rf"{_ADVERBS_BEFORE}$", re.IGNORECASE)
# a participle that goes on from what the product did: "it just irritated my face, making it red and eventually flaky"
_PRODUCT_WENT_ON = re.compile(r"\b(?:it|this)\s+[^.;:]*,\s*(?:making|causing|leaving|giving)\s+(?:\S+\s+){0,4}$",
                              re.IGNORECASE)
# what follows a complaint and puts it down to something: "associated with Retin-A", "caused by Lipitor"
_PUT_DOWN_TO = re.compile(r"\s*(?:(?:and|or|,)\s+[\w-]+\s+)*(?:(?:that|which)\s+(?:is|are|was|were)\s+)?"
                          r"(?:associated\s+with|caused\s+by|brought\s+on\s+by|induced\s+by|from|due\s+to)\s+"
                          r"(?:(?:the|taking|using)\s+)?", re.IGNORECASE)
_RISE = re.compile(r"\b(?:increas\w*|boost\w*)", re.IGNORECASE)
_NEAR_GOAL = 24  # characters: about three words
# a complaint that rose, in its own words: "anxiety continued to increase", "irritability increased", "more agitated"
# (not "had increased": told of the time before)
_ROSE_AFTER = re.compile(r"\s+(?:(?:has|have|was|were|is|are|been|just|also|only|then|continued|continues|kept|"
                         r"seemed|seems|started|began|to|steadily|gradually|slowly|greatly)\s+){0,3}"
                         r"(?:increas\w*|grew|grow(?:s|ing)?|rose|ris(?:es|ing)|escalat\w*|intensif\w*|progress(?:ed|es|ing))\b",
                         re.IGNORECASE)
_ROSE_BEFORE = re.compile(r"(?<!\bno )(?<!\bany )(?<!\bnot )\b(?:more|increas(?:ed|ing))\s+(?:and\s+more\s+)?$",
                          re.IGNORECASE)
_MEASURED = re.compile(rf"\s+(?:{_FIGURES}|tests?)\b", re.IGNORECASE)
_FULL_OF = re.compile(r"\bfull of\s+(?:(?:a|an|the|some|strange|bad)\s+)*$", re.IGNORECASE)
# a comma that starts a new clause, not the next item of a list: one before the writer or another person
# ("a moon face which has gone now, my skin was full of acne") bounds a clause; one before a subject of any
# kind ("for an injury, my stomach got upset", "for it, the ...") stops a use cue's reach
_PERSONS = r"i|my|he|she|they|we|his|her"
_COMMA_CLAUSE = re.compile(rf",\s*(?=(?:{_PERSONS}|their)\b)", re.IGNORECASE)
_NEW_CLAUSE = re.compile(rf"[;:]|,\s*(?:{_PERSONS}|it|this|that|the|our)\b", re.IGNORECASE)
# what a use cue never reaches over: a verb or a subject, the start of a clause of its own
_GAP_CLAUSE = re.compile(r"\b(?:i|he|she|we|they|is|was|were|are|am|be|been|has|have|had|include[sd]?|including)\b",
                         re.IGNORECASE)
# what a statement leaves out: no purpose ("none except for slight tiredness"), no relief ("alleviated my
# symptoms except for a slight cough")
_EXCEPT = re.compile(r"\b(?:except|aside|apart|other\s+than|besides)(?:\s+(?:for|from))?\s*"
                     r"(?:(?:my|the|a|an|some|slight|mild|occasional)\s+)*$", re.IGNORECASE)
_CAUSE = re.compile(r"(?:due to|because of)(?: my)?", re.IGNORECASE)
_RAISED = re.compile(r"\b(?:increas\w*|higher|raise[sd]?|raising|elevat\w*|greater)\b", re.IGNORECASE)
_FOR_WHOM = re.compile(r"\s*(?:me|us|him|her|them|myself)\b", re.IGNORECASE)
_CAUSING = re.compile(r"\b(?:gave|give|gives|giving|made|make|makes|making|caused|causes|causing)\b", re.IGNORECASE)
# when it was, after a mention: no cause of it where a relief is said of it
_WHEN = re.compile(r"(?:after|since|while|when)\b", re.IGNORECASE)
# a use cue that says the product relieved what follows: never read as a cause ("made ... and reduced my fever")
_RELIEF = re.compile(r"(?:reduc|reliev|relie|eas|help|clear|improv|stop|cur|alleviat|prevent|control|lower|treat|"
                     r"su[rp]press|lessen|diminish|get rid|got rid|gets rid|rid|heal|fix|solv)", re.IGNORECASE)
# a clause that ends denying what the one before it said ("Infection cleared up but the cough did not")
_DID_NOT = re.compile(r"\b(?:did|does|has|have)(?:\s+not|n't)\s*$", re.IGNORECASE)
_SENTENCE_ENDS = re.compile(r"[\s\"']*(?:[.!?;]|$)")
_WORSE = re.compile(r"\bworse|\bworsen|\bflare|\baggravat|\bexacerbat", re.IGNORECASE)
# a rise in how bad a complaint is ("nausea, increasing in severity"), not a rise of what the writer wanted
_GREW_WORSE = re.compile(r"\b(?:increas\w*|grew|grows|growing|rose|rising)\s+(?:in\s+|the\s+)?"
                         r"(?:severity|frequency|intensity)|"
                         r"\bmore\s+(?:severe|frequent|intense|often)\b", re.IGNORECASE)
# a transitive worsening has the product for its subject: "it worsened my breakouts", "aggravated my ulcer"
_WORSENED_MINE = re.compile(r"\b(?:worsen\w*|aggravat\w*|exacerbat\w*)\s+(?:my|his|her|their|the)\b", re.IGNORECASE)
# a change of the dose is no verdict on what it did ("when the dosage was increased"), nor is what something is
# compared with ("heavier bleeding than normal")
_NO_VERDICT = re.compile(r"\bthan\s+(?:normal|usual|ever|before)\b|"
                         r"\b(?:doses?|dosages?|dosing)\s+(?:was\s+|were\s+|is\s+|got\s+|being\s+)?(?:\w+ly\s+)?"
                         r"(?:increas|decreas|reduc|lower|rais|cut|upp)\w*|"
                         r"\b(?:increas|decreas|reduc|lower|rais)\w*\s+(?:the\s+|my\s+|his\s+|her\s+)?(?:doses?|dosages?)\b|"
                         # an amount is a dose: "tinnitus from increase to 450 mg" (not "reduced from 280 to 190")
                         r"\b(?:increas|decreas|reduc|lower|rais|upp)\w*\s+(?:it\s+|up\s+|down\s+)?(?:to|from|by)\s+"
                         r"\d[\d.,/]*\s*(?:mg|mcg|µg|g|ml|iu|units?|pills?|tablets?|capsules?)\b",
                         re.IGNORECASE)
# a remedy other than the product: "improves with the use of cream", "eased by drinking water"
_OTHER_REMEDY = re.compile(r"\b(?:with|by) (?:the )?(?:use of|applying|drinking|eating)\b(?! (?:it|this|these|them|"
                           r"the (?:pills?|medications?|medicine|drug|product|supplement|cream|gel|ointment))\b)",
                           re.IGNORECASE)
# a change of the writer's own diet, whose result a sentence may judge instead of the product's (not smoking or
# drinking: quitting them is what some products are taken for)
_OWN_CHANGE = re.compile(r"\b(?:i|we)\s+(?:\w+\s+)?(?:cut\s*back|cut\s+down|cut\s+out|gave\s+up|quit|stopped|avoided|"
                         r"reduced|changed\s+my\s+diet)\s+(?:on\s+)?(?:the\s+|my\s+)?(?:coffee|caffeine|sugar|salt|"
                         r"dairy|gluten|soda|fried|spicy|fatty)\b", re.IGNORECASE)
_CAUSED = re.compile(r"\b(?:made|make|makes|making|gave|give|gives|caused|causes|causing|since (?:taking|starting|i)|"
                     r"from (?:it|this|them)|after (?:taking|starting)|on (?:it|this)|while (?:taking|on)|"
                     r"product|pills?|medication|drug|supplement)\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Reading:
    effects: tuple[Effect, ...]
    uses: tuple[Use, ...]


# --- reading a post ----------------------------------------------------------------------------------------------

def post_spans(parsed: Parsed) -> list[Span]:
    """The parts of a document that are one writer's report: post bodies, else the whole text of a post/review."""
    doc = parsed.document
    spans = [p.body or p.span for p in doc.posts]
    if spans:
        return spans
    if doc.kind in ("community", "review") and not any(s.type != "posts" and s.title for s in doc.sections):
        text = doc.text
        start = len(text) - len(text.lstrip())
        return [Span(start, len(text.rstrip()))] if text.strip() else []
    return []


def covers_document(parsed: Parsed) -> bool:
    """The document is its posts (a post or review on its own, a review table's row): what other extractors
    find there is replaced. A row's post covers its structured fields too (condition, rating), which the Post
    carries: read as text, the condition column would pass for a side effect."""
    text = parsed.text
    covered = sum(s.end - s.start for s in ([p.span for p in parsed.document.posts] or post_spans(parsed)))
    return covered >= len(text.strip())


Field = Literal["side_effects", "usage"]  # a review's column of side effects, of benefits


def fields(parsed: Parsed, post: Span) -> list[tuple[Span, Field | None]]:
    """The parts of one post to read, each with what kind of field it is: the free-text fields of a structured
    review (a review row's columns, each its own titled section inside the post), else the post."""
    inner = [s for s in parsed.document.sections if s.title and post.contains(s.span) and s.span != post]
    if not inner:
        return [(post, None)]
    kinds: dict[str, Field] = {"side_effects": "side_effects", "usage": "usage"}
    return [(s.body, kinds.get(s.type)) for s in inner]


# where a writer who keeps to no capitals ends a sentence: a full stop after a word, then a word in lower case
# ("was still depressed. i was increased to 150 mg"), or a capital glued to the stop ("under control.Sleep was")
_RUN_ON_STOP = re.compile(r"(?<=[a-z]{2}[.!?])(?:[ \t]+(?=[a-z])|(?=[A-Z][a-z'’ ]))")
# a word before a full stop that does not end a sentence: an abbreviation, a unit ("5 lbs. in a month")
_NOT_A_STOP = frozenset("etc approx vs dr mr mrs ms st no mg mcg ml tab tabs caps hr hrs wk wks mo mos yr yrs lb lbs "
                        "oz tsp tbsp pt pts min max".split())
_RUN_ON = 200  # characters: a shorter sentence is kept whole ("Raises my energy levels. helps me to feel better")
_WORD_BEFORE_STOP = re.compile(r"([a-z]+)[.!?]$")


# read's mentions, its lists and the post's verdict each need them (a Parsed hashes by identity)
@functools.lru_cache(maxsize=16)
def post_sentences(parsed: Parsed, span: Span) -> tuple[Span, ...]:
    """The sentences of a post within `span`, a run-on sentence (longer than _RUN_ON) cut where its writer ended
    one with no capital after it: clause and sentence rules then reach no further than the writer's own full stop."""
    text = parsed.text
    out: list[Span] = []
    for s in parsed.sentences_in(span):
        lo, hi = max(s.start, span.start), min(s.end, span.end)
        for stop in _RUN_ON_STOP.finditer(text, lo, hi) if hi - lo > _RUN_ON else ():
            word = _WORD_BEFORE_STOP.search(text, max(lo, stop.start() - 12), stop.start())
            if word is not None and word.group(1) in _NOT_A_STOP:
                continue
            out.append(Span(lo, stop.start()))
            lo = stop.end()
        if lo < hi:
            out.append(Span(lo, hi))
    return tuple(out)


def _clause(text: str, lo: int, hi: int, start: int, end: int, cues: lay.ExperienceCues) -> Span:
    """The clause of text[start:end] within the sentence text[lo:hi]: from the last word or comma that starts
    a clause before it ("but", "which", ", I ...") to the next after it."""
    a = lo
    for m in cues.terminators.finditer(text, lo, start):
        a = m.end()
    for m in _COMMA_CLAUSE.finditer(text, a, start):
        a = m.end()
    after = cues.terminators.search(text, end, hi)
    comma = _COMMA_CLAUSE.search(text, end, after.start() if after else hi)
    b = comma.start() if comma else after.start() if after else hi
    return Span(a, b)


def _last(pattern: re.Pattern[str], text: str, lo: int, hi: int) -> re.Match[str] | None:
    found = None
    for m in pattern.finditer(text, lo, hi):
        found = m
    return found


@dataclass(frozen=True, slots=True)
class _Context:
    mention: Mention
    sentence: Span
    clause: Span
    role: Role | None  # what the mention's own cues say
    negated: bool
    hedged: bool


def _touching(pattern: re.Pattern[str], before: str, most_words: int) -> re.Match[str] | None:
    """The last cue in `before` that reaches its end over at most `most_words` words ("for my really bad ...")."""
    cue = _last(pattern, before, 0, len(before))
    if cue is None or len(before[cue.end():].split()) > most_words or _NEW_CLAUSE.search(before, cue.end()):
        return None  # "for an injury, my stomach got upset": the cue is about what comes before the comma
    return cue


def _use_cue(text: str, before: str, offset: int, sentence: Span, cues: lay.ExperienceCues,
             earlier: Callable[[int, int], bool], in_name: Callable[[int], bool]) -> re.Match[str] | None:
    """The use cue that reaches the mention after `before` (which starts at `offset`), if one does. A cue reaches
    over a noun phrase, not over a clause: never past a verb or a subject ("the only side effect for me is just a
    muscle pain", "for 2 weeks I had headaches") nor past a nearer side-effect cue ("at the beginning of treatment
    I noticed a slightly elevated heart rate"). "except for" is no purpose ("none except for slight tiredness"),
    and "due to" after a symptom names that symptom's cause, not the product's purpose ("fainting due to the severe
    diarrhea", "unable to walk due to muscle spasms"). A cue that is a word of a symptom's own name ("decreased
    appetite, dizziness") is no cue for what follows: it names that symptom, not a decrease of dizziness.
    `earlier(lo, hi)`: whether a symptom or condition is named in text[lo:hi]; `in_name(pos)`: whether text[pos]
    is inside the name of one (its core, before widening: "Reduced acne" is acne reduced)."""
    cue = _touching(cues.use_before, before, 4)
    if cue is None:
        return None
    gap = before[cue.end():]
    start = offset + cue.start()
    if _GAP_CLAUSE.search(gap) or cues.effect.search(gap) or _EXCEPT.search(text, max(0, start - 12), start):
        return None
    if cue.group().lower() == "for" and (_FOR_WHOM.match(gap) or cues.duration.match(text, start)):
        return None  # "for me, mild diarrhea", "for a few days, mood swings": whom, how long; not what it was for
    if in_name(start) or _body_side().match(text, start):
        return None  # "lower back" is where, not a fall
    if _CAUSE.fullmatch(cue.group()) and earlier(sentence.start, start):
        return None
    return cue


def _own_role(text: str, m: Mention, sentence: Span, clause: Span, cues: lay.ExperienceCues,
              earlier: Callable[[int, int], bool], in_name: Callable[[int], bool]) -> Role | None:
    """What the cues around a mention say it is, strongest first: an effect said to come from the product or to
    have got worse; a use the writer takes it for or says improved; history; an effect by a side-effect cue."""
    before = text[max(clause.start, m.start - 60):m.start]
    # "bronchial spasm - stopped after cessation of drug": a dash stands for the verb, what became of it follows
    after = _DASH.sub("", text[m.end:min(clause.end, m.end + 40)], count=1).lstrip()
    use_cue = _use_cue(text, before, m.start - len(before), sentence, cues, earlier, in_name)
    said_after = cues.worse_after.match(after) or cues.effect_after.match(after)
    # "acne got worse", "headaches from it", "nausea since taking it"; but when it was is no cause where a relief
    # is said of it ("lessened the symptoms of my depression after taking it for 2 weeks")
    allergy = _ALLERGIC.search(text, m.core.start, m.core.end) and _TO_SOMETHING.match(after)
    if allergy:
        # "highly allergic to this drug": the product's doing; "allergic to penicillin": what the writer has
        return "effect" if _TO_PRODUCT.match(after) else "history"
    if _QUIT_FOR.search(text, sentence.start, m.start) or (
            _BECAUSE_OF.search(text, max(sentence.start, m.start - 24), m.start)
            and _QUIT_AFTER.match(text, m.end, sentence.end)):
        # "I stopped it because of the pain", "because of the horrific diarrhea, stopped at five days": what made the
        # writer stop was the product's doing
        return "effect"
    if _NONE_BUT.search(text, max(sentence.start, m.start - 60), m.start):
        return "effect"  # "the first time no problems apart from a dry mouth": the one complaint it brought
    if _BY_ITSELF.search(text, m.end, sentence.end) or _TOLERABLE.search(text, m.end, sentence.end):
        # "some abdominal pain but it ... went away on its own", "a day or two of soreness, but very tolerable": what
        # the writer put up with, and what passed with no help, was the product's doing
        return "effect"
    because = _BECAUSE_I_WAS.search(text, sentence.start, m.start)
    if because is not None and _QUIT.search(text, sentence.start, because.start()):
        return "effect"  # "I stopped it because I was having headaches"
    if because is not None and _STARTED.search(text, sentence.start, because.start()):
        return "use"  # "the doctor added it because I was feeling really fatigued": what it was started for
    if _EXCEPT.search(text, max(sentence.start, m.start - 24), m.start) \
            and cues.helped.search(text, sentence.start, m.start):
        return "use"  # "it alleviated my headaches except for a slight cough": what the relief left
    if _WITHOUT_PRODUCT.match(after):
        return "use"  # "I can't get to sleep without it": what the product makes possible
    if _CAME_BACK.match(after) and _OFF_PRODUCT.search(text, sentence.start, sentence.end):
        return "use"  # "when I stop, the headaches come back": what it kept away
    cause = _CAUSED_BY.match(after)
    cause_end = m.end + len(text[m.end:min(clause.end, m.end + 40)]) - len(after) + (cause.end() if cause else 0)
    named_cause = cause is not None and earlier(cause_end, min(clause.end, cause_end + 30))
    if said_after is not None and named_cause and said_after.group().lower().startswith("from"):
        said_after = None  # "the pain in my ears from the infection": from a condition named, not from the product
    if said_after is not None and not (use_cue is not None and _RELIEF.match(use_cue.group())
                                       and _WHEN.match(said_after.group())):
        return "effect"
    if _CAUSED_BY_IT.search(text, max(clause.start, m.start - 30), m.start):
        return "history"  # "itching which was caused by seasonal allergies": the cause of a complaint, not one
    if named_cause and said_after is None:
        return "history"  # "itching, watery eyes, and sneezing from seasonal allergies": the condition's doing
    if use_cue is not None:
        if _RELIEF.match(use_cue.group()) and _STOPPING_IT.search(text, clause.start, m.start - len(before)
                                                                  + use_cue.start()):
            return "effect"  # "Stopping the Capoten relieved the cough": what stopping the product relieved
        if m.kind != "benefit" and use_cue.group().lower() == "full of":
            return "effect"  # "full of energy" is a goal reached, "full of acne" a complaint had
        if m.kind == "symptom" and not _RELIEF.match(use_cue.group()) \
                and _CAUSING.search(text, clause.start, m.start - len(before) + use_cue.start()):
            return "effect"  # "gave me horrible pain for days", not "made it easier to breathe and reduced my fever"
        return "use"
    resolved = cues.use_after.match(_ADVERBS.sub("", after))
    if resolved is not None:
        # "the dizziness went away after a week": a side effect that passed; "my headaches went away": a use
        # (but "the sores disappeared much sooner than with regular treatments": the product's help, compared)
        if _RESOLVED.match(resolved.group()) and not _POSSESSIVE.search(before) and _prior_role(m) == "effect" \
                and not _SOONER.search(after) and (_AT_FIRST.search(text, sentence.start, sentence.end)
                                                   or _SIDE_EFFECTS_NAMED.search(text, sentence.start, sentence.end)
                                                   or _SLIGHT.search(text, max(sentence.start, m.start - 12), m.end)):
            # "the nausea at first went away", "side effects ... subsided", "some dizziness went away": a side effect
            # that passed; else what went away was relieved ("anemia went away", "redness would disappear")
            return "effect"
        if _STOPPED.search(after) or _OTHER_REMEDY.search(after) \
                or _STOPPED_THEN.search(text, sentence.start, m.start):
            # "dizziness that would go away after the medication was stopped", "dry skin that improves with the use
            # of cream": the product's doing, eased by something else
            return "effect"
        return "use"  # "my acne cleared", "anxiety is much better"
    if any(not in_name(c.start()) for c in _CONDITION_LIST.finditer(text, sentence.start, m.start)) \
            and not _SIDE_EFFECTS_NAMED.search(text, sentence.start, m.start):
        # "three diseases --- X, Y and Z": a use if the post gives a verdict on them (not "gallbladder disease;reflux",
        # where the word is a complaint's own name)
        return "history"
    # "asthma since I was a child": the time said after it may open a clause of its own ("since" ends a clause)
    said_since = cues.history_after.match(text[m.end:min(sentence.end, m.end + 40)].lstrip())
    if (_touching(cues.history, before, 4) is not None or said_since) \
            and not _BLAMED.search(text, m.end, sentence.end) and not _RECENT.match(after):
        return "history"  # not "I had had a heart attack and a stroke as a result of the medicine"
    years = _complaint_years(text, max(clause.start, m.start - 60), m.start, clause.start) or _YEARS.match(after)
    if years and _touching(cues.effect, before, 3) is None and not _CAUSED.search(text, sentence.start, sentence.end):
        return "history"  # "I suffered for 20 years with depression", "migraines for 10 years"
    if _BEFORE_TAKING.search(text, sentence.start, m.start):
        return "history"  # "before taking the meds I was ... feeling helpless": what it was taken for
    listing = _last(_SYMPTOMS_LISTED, text, sentence.start, m.start)
    if listing is not None and earlier(sentence.start, listing.start()) \
            and not _SIDE_EFFECTS_NAMED.search(text, sentence.start, m.start):
        return "history"  # "allergy symptoms, which included runny nose, sneezing": the condition's, not the drug's
    cue = cues.effect.search(text, clause.start, clause.end)
    if cue is None:
        return None
    if cue.end() <= m.start and _mostly_a_reason(m) and _touching(cues.effect, before, 2) is None:
        return None  # "when I began treatment I had severe rheumatoid arthritis": what it was taken for
    return "effect"


def _complaint_years(text: str, lo: int, hi: int, clause_start: int) -> bool:
    """Whether text[lo:hi] says years of something other than taking the product: "I suffered for 20 years with",
    not "I have been taking Lipitor for 2 years and now have"."""
    return any(not _TAKING.search(text, max(clause_start, y.start() - 30), y.start())
               for y in _YEARS.finditer(text, lo, hi))


_MOSTLY_REASON = 0.5  # named as a reason for taking a drug more often than as anything else


def _mostly_a_reason(m: Mention) -> bool:
    """Whether reviewers name the concept mostly as their reason for taking a drug (lay_roles.tsv)."""
    counts = lay.role_counts().get(m.name)
    return counts is not None and counts.reason >= 3 and counts.reason_share() >= _MOSTLY_REASON


def _brought_on(text: str, ctx: _Context, cues: lay.ExperienceCues) -> bool:
    """Whether the product is the subject of the complaint's own verb or of a causative before it ("it made my skin
    dry and itchy", "it just irritated my face", "while it helped my face, it consequently dried out the skin"), and
    no relief is said of it ("it significantly reduced my desire to repeat", "it makes the pain somewhat
    disappear")."""
    m = ctx.mention
    if m.kind == "benefit" or cues.helped.search(text, m.start, m.end) or _RELIEF.match(text, m.start):
        return False
    subject = _PRODUCT_CAUSED.search(text, ctx.clause.start, m.start) \
        or _PRODUCT_WENT_ON.search(text, ctx.clause.start, m.start) \
        or _MEDICINE_DID.search(text, ctx.clause.start, m.start) \
        or (_PRODUCT_DID.search(text, ctx.clause.start, m.start) if m.described else None)
    return subject is not None and _chunk_verdict(text[subject.start():ctx.clause.end]) != "helped"


def _blamed_on(text: str, ctx: _Context, product: str) -> bool:
    """Whether the words after the mention put it down to the product by name ("irritation and flakyness associated
    with Retin-A", "headaches from the Lipitor")."""
    cue = _PUT_DOWN_TO.match(text, ctx.mention.end, ctx.clause.end)
    if cue is None:
        return False
    said = text[cue.end():ctx.clause.end].lower().replace("-", " ")
    return any(said.startswith(name) for name in _names_of(product)[:1]) or any(
        d.span.start == cue.end() and d.name in _names_of(product)
        for d in drug_mentions.default_recogniser().find(text, cue.end(), ctx.clause.end))


def _drugs_named(text: str, sentence: Span) -> list[drug_mentions.Mention]:
    """The drugs a sentence names, not a product's form ("the eye drops", "nasal spray": the product's as likely as
    not)."""
    forms = lay.experience_cues().stop_words
    return [d for d in drug_mentions.default_recogniser().find(text, sentence.start, sentence.end)
            if d.kind == "substance" and text[d.span.start:d.span.end].lower() not in forms]


def _of_another_drug(text: str, ctx: _Context, product: str, in_sentence: list[drug_mentions.Mention],
                     judged: bool, before: bool = False) -> bool:
    """Whether the mention's sentence tells of taking another drug and names not the product, and the mention's own
    clause does not say "it" or "this" of the product: a condition named there is the other drug's ("I was also
    given klonopin for sleep", "they added Adderall as I have also fibromyalgia"), whatever the post says of the
    product; one its own clause judges (`judged`) only where that clause names the other drug ("went back to using
    benzoyl peroxide to calm down the acne"). `before`: only a drug taken before the mention counts (a complaint
    told of after it: "I was placed on Paxil at first ..., however I had lots of acne as a result"). A name spelt
    almost as the product's is the product ("erthyromycin"). `in_sentence`: the drugs the sentence names."""
    if judged and _BACK_TO_ANOTHER.search(text, ctx.clause.start, ctx.mention.start) \
            and _names_of(product)[0] not in text[ctx.clause.start:ctx.mention.start].lower().replace("-", " "):
        return True  # "went back to using benzoil peroxide to try to calm down the acne": whatever its spelling
    named = [d for d in in_sentence if not ctx.mention.start <= d.span.start < ctx.mention.end]
    if not named:
        return False
    names = _names_of(product)
    if names[0] in text[ctx.sentence.start:ctx.sentence.end].lower().replace("-", " ") or any(
            any(d.name in n or n in d.name or difflib.SequenceMatcher(None, d.name, n).ratio() >= 0.8 for n in names)
            for d in named):
        return False
    # the subject of the mention's own clause: "Lexapro would diminish my libido" (when the vocabularies know the
    # product's name: else its generic, "The Hydrocodone/acetaminophen pills" for Vicodin, would look like another)
    if len(names) > 2 and any(ctx.clause.start <= d.span.start < ctx.mention.start
                              and _CLAUSE_LEAD.fullmatch(text, ctx.clause.start, d.span.start) for d in named):
        return True
    taken = [d for d in named if _TAKEN.search(text, max(ctx.sentence.start, d.span.start - 30), d.span.start)
             or _WAS_GIVEN.match(text, d.span.end) or _ON_IT.fullmatch(text, ctx.sentence.start, d.span.start)]
    if judged:
        taken = [d for d in taken if ctx.clause.start <= d.span.start < ctx.clause.end]
    if before:  # and not a remedy for what the product did ("for which I was prescribed Lactulose", "despite
        # taking probiotics", "I already take Dulcolax for my constipation")
        taken = [d for d in taken if d.span.end <= ctx.mention.start
                 and not _REMEDY_BEFORE.search(text, max(ctx.sentence.start, d.span.start - 30), d.span.start)
                 and not _REMEDY_AFTER.match(text, d.span.end)]
    return bool(taken) and not _PRODUCT_PRONOUN.search(text, ctx.clause.start, ctx.clause.end)


# what may stand in a clause before its subject
_CLAUSE_LEAD = re.compile(r"[\s\"'(,;:-]*(?:(?:the|my|his|her|and|but|also|then|while|whereas|although|though)\s+)*",
                          re.IGNORECASE)


@functools.lru_cache(maxsize=1024)
def _names_of(product: str) -> tuple[str, ...]:
    """The product's name as texts write it ("ortho tri cyclen" for "ortho-tri-cyclen"), then the canonical names
    the drug vocabularies give it ("carisoprodol" for "soma")."""
    written = product.lower().replace("-", " ")
    return (written, product, *(d.name for d in drug_mentions.default_recogniser().find(written)))


def _taken_for(m: Mention) -> bool:
    """Whether reviewers name the concept as a reason for taking a drug or a benefit more than as a side effect,
    wherever in the body it is said (lay_roles.tsv)."""
    counts = lay.role_counts().get(m.name)
    return counts is not None and counts.reason + counts.benefit + counts.side_effect >= 3 \
        and (counts.reason_share() >= _MOSTLY_REASON or counts.effect_share() < 0.5)


def _prior_role(m: Mention) -> Role | None:
    """What a mention no cue decides is, from how often reviewers name its concept as a side effect rather than
    as their reason for taking a drug or a benefit (lay_roles.tsv); unseen, or placed in the body: a symptom is
    an effect."""
    counts = lay.role_counts().get(m.name)
    # where the writer says in the body ("prostate pain", "pain in my legs"), a symptom is one they had, whatever
    # the concept's usual role
    located = m.kind == "symptom" and m.located
    if counts is not None and counts.benefit + counts.side_effect >= 3 and not located:
        return "effect" if counts.effect_share() >= 0.5 else "use"
    return "effect" if m.kind == "symptom" else "use" if m.kind == "benefit" else None


def _passed(text: str, ctx: _Context) -> bool:
    """Whether the sentence tells of a complaint of the product's first days that went away: a side effect that
    passed. Not the writer's own condition ("my headaches went away after the first week")."""
    m, sentence = ctx.mention, ctx.sentence
    if m.kind == "benefit" or _OWNER.search(text, max(sentence.start, m.start - 30), m.end):
        return False  # "my ear pain was gone", "the acne on my face went away"
    return bool(_AT_FIRST.search(text, sentence.start, sentence.end) and _PASSED.search(text, m.end, sentence.end))


def _named_as_side_effect(text: str, ctx: _Context) -> bool:
    """Whether a change one could want, not one named as a goal, is named a side effect in its sentence: after
    "side effects" ("Side effects= headaches, anger, weight loss") or in its own clause ("weight loss was an
    initial side effect"): one of them, not a benefit."""
    return ctx.mention.name not in lay.lay_grammar().goals \
        and _SIDE_EFFECTS_NAMED.search(text, ctx.sentence.start, max(ctx.mention.start, ctx.clause.end)) is not None


def _among_complaints(contexts: list[_Context], groups: list[list[int]], listed_role: Callable[[int], Role | None],
                      everyday: Callable[[int], bool], side_effects: bool = False) -> set[int]:
    """The changes a writer could want (not one named as a goal) listed bare, with no cue, among complaints only:
    "fatigue, increased hair loss, weight loss" (not "weight loss, increased energy, decreased appetite"). Under a
    side-effects heading or in that column, a goal named as one (not a body part) listed among complaints is one too
    ("weight loss, jittery feeling, insomnia"). `listed_role(k)`: the role model's reading of mention k as a listed
    one; `everyday(k)`: whether mention k is a body part or an everyday word ("skin", "sleep")."""
    goals = lay.lay_grammar().goals
    out: set[int] = set()
    for group in groups:
        wanted = [j for j in group if contexts[j].mention.kind == "benefit"]
        if len(group) < 2 or len(wanted) != 1:
            continue
        others = [j for j in group if j != wanted[0]]
        if side_effects and not everyday(wanted[0]) \
                and all(contexts[j].role in (None, "effect") for j in group) \
                and all(contexts[j].mention.kind != "benefit" for j in others):
            out.add(wanted[0])  # the column or heading says what its list names
        elif not any(contexts[j].role is not None for j in group) and contexts[wanted[0]].mention.name not in goals \
                and all(listed_role(j) == "effect" for j in others):
            out.add(wanted[0])
    return out


def _no_cue_role(text: str, ctx: _Context, listed: bool) -> Role | None:
    """What a mention no cue decides is: an effect where the role model reads it as one in its sentence (the
    concept, the words written with it, a list); else a use. An everyday goal ("energy", "calm") keeps its prior,
    and so does a condition the prior does not know (a disease name reviewers never wrote with no cue): nothing,
    a use only where the writer judges it ("it also includes Diverticulosis" is no effect)."""
    m = ctx.mention
    prior = _prior_role(m)
    if m.kind == "benefit" or prior is None:
        return prior
    if _CURED_LATER.search(text, m.end, ctx.sentence.end) \
            and not _SIDE_EFFECTS_NAMED.search(text, ctx.sentence.start, ctx.sentence.end):
        # "I had panic attacks and agoraphobia and Celexa completely saved me", "the infection which caused ...
        # was completely cleared up": a cure said later in the sentence is of what the writer had
        return "use"
    if m.described and m.kind == "symptom":
        # what the writer says a body part did ("my ears hurt", "gums dried out") is what they went through; the
        # reason for taking a product is named by its name, or said with a cue
        return "effect"
    feats = role_features(text, m.start, m.end, (m.core.start, m.core.end), (ctx.sentence.start, ctx.sentence.end),
                          m.name, m.kind, listed, m.located)
    return "effect" if effect_probability(feats) >= 0.5 else "use"


def no_cue_features(parsed: Parsed, span: Span) -> list[tuple[Mention, list[str]]]:
    """The mentions in `span` that no cue decides (negated ones and everyday goals left out), each with the role
    model's features: what scripts/train_roles.py learns from reviews' benefits and side-effects fields."""
    text = parsed.text
    contexts = _contexts(parsed, span, lay.experience_cues())
    groups = _list_groups(text, contexts)
    roles = _share_list_roles(contexts, groups)
    listed = {k for g in groups if len(g) > 1 for k in g}
    return [(c.mention, role_features(text, c.mention.start, c.mention.end, (c.mention.core.start, c.mention.core.end),
                                      (c.sentence.start, c.sentence.end), c.mention.name, c.mention.kind, k in listed,
                                      c.mention.located))
            for k, (c, role) in enumerate(zip(contexts, roles, strict=True))
            if role is None and not c.negated and c.mention.kind != "benefit"]


def _verdict(text: str, spans: Iterable[Span], cues: lay.ExperienceCues) -> Verdict | None:
    """The first verdict cues state in the given spans, narrowest first: worse, then nothing, then helped."""
    for s in spans:
        verdict = _chunk_verdict(text[s.start:s.end])
        if verdict is not None:
            return verdict
    return None


@functools.lru_cache(maxsize=4096)
def _chunk_verdict(chunk: str) -> Verdict | None:
    cues = lay.experience_cues()
    if _GREW_WORSE.search(chunk):
        return "worse"
    if _WORSE.search(chunk):
        # the product made it worse, not the condition running its course ("my arthritis getting worse"), which is
        # still a verdict that it did nothing where the writer says so ("remained unchanged or worsened")
        if _CAUSED.search(chunk) or _WORSENED_MINE.search(chunk):
            return "worse"
        return "nothing" if cues.no_benefit.search(chunk) else None
    if _OWN_CHANGE.search(chunk):
        return None  # "I cut back on the coffee and did not notice a difference": a verdict on the writer's change
    if cues.no_benefit.search(chunk):
        return "nothing"
    chunk = _NO_VERDICT.sub(" ", chunk)
    if _OTHER_REMEDY.search(chunk):
        return None  # "mild dry skin that improves with the use of cream": what helped was something else
    if _CANNOT.search(chunk):
        return "nothing"  # "can't enhance the mood if it is not there": a help the product cannot give
    for helped in cues.helped.finditer(chunk):
        # a negation says it did not help where it is said of the help ("it did not really help"), not of another
        # clause ("the acne has decreased and I have not had any irritation")
        if not cues.negation.search(chunk, max(0, helped.start() - 30), helped.start()) \
                and not _PURPOSE.search(chunk, max(0, helped.start() - 30), helped.start()):
            return "helped"
    return None


def _model_verdict(text: str, m: Mention, clause: Span) -> Verdict | None:
    """The verdict of the learned clause model; None when it reads the clause as the writer's history."""
    from materia.extract.polarity import classify

    label = classify(text[clause.start:m.start] + " <ENT> " + text[m.end:clause.end])
    verdicts: dict[str, Verdict] = {"POSITIVE": "helped", "NEUTRAL": "nothing", "NEGATIVE": "worse"}
    return verdicts.get(label)


def _find_timing(pattern: re.Pattern[str], text: str, sentence: Span, m: Mention) -> str | None:
    """The timing phrase nearest the mention in its clause ("2 wks after", "for the first two months")."""
    best: re.Match[str] | None = None
    for found in pattern.finditer(text, sentence.start, sentence.end):
        if best is None or abs(found.start() - m.end) < abs(best.start() - m.end):
            best = found
    return " ".join(best.group().split()) if best else None


def _contexts(parsed: Parsed, span: Span, cues: lay.ExperienceCues) -> list[_Context]:
    text = parsed.text
    out: list[_Context] = []
    found = mentions(text, span.start, span.end)
    starts = [m.start for m in found]
    complaint_ends = [m.end for m in found if m.kind != "benefit"]  # in text order: mentions never overlap
    cores = [m.core for m in found if m.kind != "benefit"]
    core_starts = [c.start for c in cores]

    def named_between(lo: int, hi: int) -> bool:
        k = bisect.bisect_right(complaint_ends, lo)
        return k < len(complaint_ends) and complaint_ends[k] <= hi

    def in_name(pos: int) -> bool:
        k = bisect.bisect_right(core_starts, pos) - 1
        return k >= 0 and pos < cores[k].end

    def in_mention(pos: int) -> bool:
        k = bisect.bisect_right(starts, pos) - 1
        return k >= 0 and pos < found[k].end

    # a condition, or a complaint the writer calls theirs ("my rosacea", "my arthritis"): what may cause others
    conditions = [m for m in found if m.kind == "condition" or (m.kind == "symptom" and _POSSESSIVE.search(
        text, max(span.start, m.start - 20), m.start))]
    sentences = post_sentences(parsed, span)
    sentence_starts = [s.start for s in sentences]
    for m in found:
        k = bisect.bisect_right(sentence_starts, m.start) - 1
        sentence = sentences[k] if k >= 0 and m.start < sentences[k].end else Span(span.start, span.end)
        clause = _clause(text, sentence.start, sentence.end, m.start, m.end, cues)
        before = text[clause.start:m.start]
        after = text[m.end:clause.end]
        # "couldn't tolerate the depression anymore": the negation is the enduring's, not the symptom's
        endured = _ENDURED.search(before) is not None
        negation = _touching(cues.negation, before, 5)
        if negation is not None and (_scope_closed(before, negation.end(), clause.start, starts)
                                     or in_mention(clause.start + negation.start())):
            negation = None  # "a week of zero energy and flu-like symptoms": the "zero" is a word of the one before
        if negation is not None and _ATTITUDE.match(before, negation.end()):
            negation = None  # "I did not like the moodiness": the writer's dislike of a complaint they had
        if negation is not None and _FOCUS.match(before, negation.end()):
            negation = None  # "not just for acne", "not only headaches but": more than it, not none of it
        if negation is not None and _UNTIL.match(text, m.end, sentence.end):
            negation = None  # "I did not experience sleeplessness until the third night": it came then
        # "there are a few side effects such as dizziness but I didn't suffer any": what the sentence then denies;
        # "I didn't experience any of the other side effects often mentioned such as depression": an example of
        # what it denies
        denied = _SIDE_EFFECTS_NAMED.search(text, sentence.start, m.start) is not None and (
            _BUT_DID_NOT.search(text, m.end, sentence.end) is not None
            or _DENIED_SUCH_AS.search(text, clause.start, m.start) is not None)
        negated = not endured and (negation is not None or denied or bool(cues.negation_post.match(after.lstrip())))
        hedged = bool(cues.hedge.search(text, sentence.start, sentence.end))
        role = "effect" if denied else _own_role(text, m, sentence, clause, cues, named_between, in_name)
        if role != "use" and m.kind != "benefit" and _condition_brings(text, m, clause, conditions, found):
            role = "history"  # "my migraines caused nausea": a condition and what it brings, not the product's doing
        out.append(_Context(m, sentence, clause, role, negated, hedged))
    return out


# between a condition and a complaint: the condition as the cause ("my ms caused", "which causes the")
_A_CONDITION_CAUSES = re.compile(r"\s+(?:(?:which|that|also|often|always|usually|then|would|sometimes)\s+){0,3}"
                                 r"(?:caused|causes|causing|cause|makes?\s+me|made\s+me|gives?\s+me|gave\s+me|"
                                 r"leads?\s+to|led\s+to|results?\s+in|resulted\s+in|brings?\s+on|brought\s+on)"
                                 r"\s+(?:[\w'-]+\s+){0,3}", re.IGNORECASE)
_CAUSED_BY = re.compile(r"(?:from|due to|because of|caused by|brought on by)\s+(?:my\s+|the\s+|a\s+|an\s+)?",
                        re.IGNORECASE)
_BLAMED = re.compile(rf"\b(?:(?:as a (?:direct )?(?:result|consequence|side effect) of|caused by|because of|due to)\s+"
                     rf"{_PRODUCT}|since (?:i )?(?:started|starting|began|beginning|took|taking))\b", re.IGNORECASE)
_NEW_SUBJECT = re.compile(r"(?<!\bdid )\b(?:i|we|he|she)\s+(?:did|do|have|had|got|get|experienced|noticed|developed|"
                          r"started|began)\b", re.IGNORECASE)
_DOSE_WORD = re.compile(r"\b(?:doses?|dosages?|mg|mgs)\b", re.IGNORECASE)
# a cure, unlike a passing ("the rash went away"), is said of the writer's condition
_CURED_LATER = re.compile(r"\b(?:saved (?:me|my life)|cured|(?:completely|totally|fully) (?:cleared|gone|resolved|"
                          r"healed|eliminated|disappeared)|cleared up|in remission|got rid of|gets rid of|"
                          r"changed my life|lifesaver|life saver)\b", re.IGNORECASE)
# a help a product was given for is its purpose, not a result: "prescribed to help with hair loss", "in order to
# calm my manic thoughts" (not "it seems to help", "it started to help")
_PURPOSE = re.compile(r"\b(?:in order|so as|prescri\w*|given|meant|intended|designed|trying|tried|hoping|hoped|"
                      r"wanted|want|needed|need)\s+to\s+$", re.IGNORECASE)
_PLACE_BEFORE = re.compile(r"\b(?:around|under|near|behind|above|below|between)\s+(?:(?:my|the|his|her|both)\s+)?$",
                           re.IGNORECASE)
_UNTIL = re.compile(r"\s*(?:until|till|untill|til)\s+(?:the\s+|about\s+|around\s+|after\s+|week\s+|day\s+|"
                    r"month\s+)*(?:\d+|one|two|three|four|five|six|first|second|third|fourth|fifth|last|next|"
                    r"later|recently|now|a\s+(?:few|couple|week|month))\b", re.IGNORECASE)
_RISK = re.compile(r"\b(?:risks?|danger)\b", re.IGNORECASE)
_WITHOUT = re.compile(r"\b(?:with\s*out|with\s+no)\s+"
                      r"(?:(?:making|causing|giving|leaving)\s+(?:me|him|her|them|you|us)\s+)?"
                      r"(?:(?:any|the|a|an|my|his|her|their|those|these|that|much|major|serious|significant|bad|"
                      r"horrendous|horrible|terrible|usual|feeling|feelings\s+of|effects?\s+of|risks?\s+of|"
                      r"danger\s+of)\s+)*"
                      r"(?:[\w'-]+(?:\s+[\w'-]+)?(?:\s*,\s*|\s+(?:or|and|nor)\s+)){0,4}$", re.IGNORECASE)
_ABLE = re.compile(r"\b(?:(?:can|could)(?!\s+not\b)|able\s+to|ability\s+to|manag\w*\s+to|"
                   r"(?:allow|enabl)\w*\s+(?:me|him|her|us|them)\s+to|lets?\s+(?:me|him|her|us|them))\b", re.IGNORECASE)
# a drug the writer took: "added Adderall", "put on topral", "took me off Ativan", "Zoloft was prescribed"
_TAKEN = re.compile(r"\b(?:took|take|takes|taking|start\w*|began|added|add|given|prescrib\w*|introduc\w*|"
                    r"treated\s+with|put\s+(?:me\s+)?on|on|off|"
                    r"switch\w*\s+(?:to|from)|tried|using|used)\s+(?:(?:the|a|an|my|some|\d+\s*mg)\s+)*$",
                    re.IGNORECASE)
_ON_IT = re.compile(r"\W*(?:with|on)\s+(?:the\s+)?", re.IGNORECASE)  # "With Adderall XR, I also lost the desire to eat"
# a switch to something else, named in the clause of what it was for
_BACK_TO_ANOTHER = re.compile(r"\b(?:went|go|going|gone|switch\w*|chang\w*)\s+(?:back\s+)?to\s+(?:"
                              r"(?:using|taking)\s+(?!(?:it|this|them|the\s+(?:same|medication|medicine|drug|pills?|"
                              r"cream|gel))\b)\w|(?:another|a\s+different|a\s+new)\b)", re.IGNORECASE)
_REMEDY_BEFORE = re.compile(r"\b(?:for\s+which|despite|even\s+on|even\s+with|along\s+with)\b", re.IGNORECASE)
_REMEDY_AFTER = re.compile(r"\s+(?:\w+\s+)?(?:to\s+(?:avoid|prevent|help|counter\w*|treat|manage|control|ease)|"
                           r"for\s+(?:my|the|this))\b", re.IGNORECASE)
_WAS_GIVEN = re.compile(r"\s+(?:was|were|is)\s+(?:prescribed|given|added|started)\b", re.IGNORECASE)
_PRODUCT_PRONOUN = re.compile(r"\b(?:it|this)\b", re.IGNORECASE)
_UNABLE = re.compile(r"\b(?:can'?t|cannot|couldn\W{0,3}t|could\s+not|unable|inability)\b", re.IGNORECASE)
_IF_IT_BECOMES = re.compile(r"\bif\s+(?:\w+\s+){0,4}$", re.IGNORECASE)  # "if my skin becomes dry"
_THEN_LESS = re.compile(r"\W*(?:(?:then|you|i|we)\s+)?(?:to\s+|should\s+|must\s+)?(?:reduce|cut|lower|decrease|stop|"
                        r"skip|use\s+(?:it\s+)?less|apply\s+(?:it\s+)?less)\b", re.IGNORECASE)
_FOCUS = re.compile(r"\s*(?:just|only|merely|simply|solely)\b", re.IGNORECASE)
_ATTITUDE = re.compile(r"\s*(?:like|liked|enjoy|enjoyed|care for|cared for|appreciate|appreciated|mind|want|wanted)\b",
                       re.IGNORECASE)
_CEASED = re.compile(r"\b(?:no more|no longer)\b", re.IGNORECASE)
_SINCE_TAKING = re.compile(r"\bsince (?:i )?(?:start\w*|began|beginning|tak\w*|took|using|been on)\b", re.IGNORECASE)
_OTHER_PEOPLE = re.compile(r"\b(?:people|women|men|patients|anyone|those|someone|others|users)\b", re.IGNORECASE)
# a complaint had "now for almost a month", "for two weeks": new, not the writer's history
_RECENT = re.compile(r"(?:now\s+)?for\s+(?:almost\s+|about\s+|nearly\s+|over\s+|the\s+(?:past|last)\s+)?"
                     r"(?:a|an|one|two|three|four|five|six|a few|a couple of|\d+)\s+(?:days?|weeks?|months?)\b|now\b",
                     re.IGNORECASE)
_SLIGHT = re.compile(r"\b(?:some|mild|mildly|slight|slightly|minor|little|bit)\b", re.IGNORECASE)
_SOONER = re.compile(r"\b(?:sooner|faster|quicker|more quickly|earlier)\s+than\b", re.IGNORECASE)
_GENERALLY = re.compile(r"\b(?:normal|common|usual|typical|expected|possible)\s+(?:for\s+\w+\s+)?to\s+"
                        r"(?:have|get|experience|see|feel)\b", re.IGNORECASE)
_MEASURE_WORDS = re.compile(r"\s+(?:levels?|numbers?|readings?|counts?)$")
_LOWERED_BEFORE = re.compile(r"\b(?:lower\w*|reduc\w*|decreas\w*|bring\w*\s+down|brought\s+down|control\w*|"
                             r"regulat\w*|stabili[sz]\w*|manag\w*)\s+(?:\w+\s+){0,3}$", re.IGNORECASE)
_FELL = re.compile(r"\b(?:dropp?(?:ed|ing|s)?|fell|fallen|falling|down|lower(?:ed|ing)?|decreas\w*|reduc\w*)\b",
                   re.IGNORECASE)


def _condition_brings(text: str, m: Mention, clause: Span, conditions: list[Mention], found: list[Mention]) -> bool:
    """Whether a condition brings the complaint `m` in its clause ("my ms caused tightness", "the Labyrinthitis
    causes the dizziness"), or `m` is a condition that brings another ("my arthritis gave me pain")."""
    if any(clause.start <= c.start and _A_CONDITION_CAUSES.fullmatch(text, c.end, m.start) for c in conditions):
        return True
    return m in conditions and any(c.kind != "benefit" and c.end <= clause.end
                                   and _A_CONDITION_CAUSES.fullmatch(text, m.end, c.start) for c in found)


_TOO_FAR = re.compile(r"\b(?:too|very|dangerously|extremely|so|really)\s+low\b", re.IGNORECASE)


def _treated(text: str, m: Mention, verdict: Verdict | None) -> str:
    """The name of a use: a fall the writer says helped is what it treated ("my cholesterol dropped from 280
    to 190": high cholesterol), not the fall itself; "my low blood pressure improved" stays hypotension."""
    if verdict != "helped":
        return m.name
    grammar = lay.lay_grammar()
    treated = grammar.treated_when_lowered.get(m.name)
    if treated is not None and _FELL.search(text, m.start, m.end):
        return treated
    # "it helped reduce my total cholesterol numbers", "to lower my cholesterol level": the quantity lowered, named
    # bare, is what it treated too
    function = grammar.functions.get(tuple(_MEASURE_WORDS.sub("", m.name).split()))
    if function is not None and function["down"] in grammar.treated_when_lowered \
            and _LOWERED_BEFORE.search(text, max(0, m.start - 40), m.start):
        return grammar.treated_when_lowered[function["down"]]
    return m.name


def _scope_closed(before: str, cue_end: int, offset: int, starts: list[int]) -> bool:
    """Whether a negation's scope ends at a comma before the mention: the words up to the comma name no
    symptom ("infection did not occur, diarrhea was so persistent"), so the comma closes a clause, not a list
    ("no nausea, vomiting or diarrhea"). `before` is the clause up to the mention, starting at `offset`."""
    if _NEW_SUBJECT.search(before, cue_end):
        return True  # "it says it doesn't affect weight I did experience weight gain": the writer's own clause
    comma = before.find(",", cue_end)
    if comma < 0:
        return False
    lo, hi = offset + cue_end, offset + comma
    k = bisect.bisect_left(starts, lo)
    return not (k < len(starts) and starts[k] < hi)


def cue_free_mentions(parsed: Parsed, span: Span) -> list[Mention]:
    """The mentions in `span` that no cue decides (a bare list included), negated ones left out: what the concept
    prior is counted from (scripts/build_lay_lexicon.py counts them in reviews' benefits and side-effects fields)."""
    cues = lay.experience_cues()
    contexts = _contexts(parsed, span, cues)
    roles = _share_list_roles(contexts, _list_groups(parsed.text, contexts))
    return [c.mention for c, role in zip(contexts, roles, strict=True) if role is None and not c.negated]


def read(parsed: Parsed, span: Span, rating: float | None = None, field: Field | None = None,
         product: str | None = None) -> Reading:
    """Effects and uses one post reports. `rating` (0..1) is the writer's overall score when the site has one;
    `field`: the span is a review's field of side effects, so what it names is an effect unless a cue says
    otherwise, as under a "Side effects:" heading; or of benefits, so what it names is a use unless a cue says
    otherwise ("lower cholesterol", "less tired"). `product`: the canonical name of the substance the post is about;
    a use said where only another drug is named is left to that drug."""
    text = parsed.text
    cues = lay.experience_cues()
    contexts = _contexts(parsed, span, cues)
    if not contexts:
        return Reading((), ())
    benefits_field = field == "usage"
    heading = field == "side_effects" or (
        bool(cues.effect_headings.search(text, span.start, min(span.end, span.start + 40)))
        and bool(re.match(r"\s*(?:[\w -]{0,30})?(?:side[- ]?effects?|adverse|cons|negative)\s*[:\-]",
                          text[span.start:span.end], re.IGNORECASE)))
    groups = _list_groups(text, contexts)
    listed = {k for g in groups if len(g) > 1 for k in g}
    listed_role = functools.cache(  # read once, if ever
        lambda k: "use" if benefits_field else _no_cue_role(text, contexts[k], True))
    complaint_like = _among_complaints(
        contexts, groups, listed_role,
        lambda k: core_words(text, contexts[k].mention) in cues.everyday, heading)
    roles = _share_list_roles(contexts, groups, listed_role)
    effects: list[Effect] = []
    uses: list[Use] = []
    # verdict cues are read around the mentions, never inside one ("increased hair loss" is no verdict)
    said = _without_symptoms(text, contexts)

    complaint_starts = [c.mention.start for c in contexts if c.mention.kind != "benefit"]  # in text order

    def complaint_in(clause: Span) -> bool:  # by bisection: a post of megabytes has thousands of mentions
        i = bisect.bisect_left(complaint_starts, clause.start)
        return i < len(complaint_starts) and complaint_starts[i] < clause.end

    overall = functools.cache(lambda: _post_verdict(parsed, span, rating, cues))  # read once per post, if ever
    drugs_in = functools.cache(lambda sentence: _drugs_named(text, sentence))  # once per sentence, if ever
    # what the writer says the product relieved ("my coughing had subsided"): their condition wherever they name it
    relieved = functools.cache(lambda: {  # (not by a lower dose: "cut dose to 5 mg to reduce brain fog")
        c.mention.name: c.mention.start for c in reversed(contexts) if c.role == "use" and not c.negated
        and c.mention.kind != "benefit" and _verdict(said, (c.clause,), cues) == "helped"
        and not _DOSE_WORD.search(text, c.clause.start, c.clause.end)})
    for k, (ctx, role) in enumerate(zip(contexts, roles, strict=True)):
        m = ctx.mention
        verdict = _verdict(said, (ctx.clause, ctx.sentence), cues)
        in_clause = _verdict(said, (ctx.clause,), cues)  # what the mention's own clause says of it
        if in_clause is None and _DID_NOT.search(text, m.end, ctx.clause.end) \
                and _SENTENCE_ENDS.match(text, ctx.clause.end):
            # "Infection cleared up but the cough did not": the clause denies, of it, the help said before
            verdict = in_clause = "nothing"
        more = _MORE_OF.search(text, max(ctx.clause.start, m.core.start - 30), m.core.start) \
            or _MORE_WORD.match(text, m.core.start)
        if in_clause is None and m.kind == "benefit" and not ctx.negated and more is not None \
                and not _LOSING.search(text, max(0, more.start() - 20), more.start()) \
                and not _WANTED.search(text, max(ctx.clause.start, m.start - 30), m.start):
            # "Raises my energy levels", "i had alot more energy": more of a goal (not "I need more sleep")
            verdict = in_clause = "helped"
        everyday = m.kind == "benefit" and core_words(text, m) in cues.everyday
        if _TEST_PURPOSE.search(text, ctx.clause.start, m.start):
            continue  # "blood tests every six months to ensure liver health is unaffected": what is watched for
        tested = _TESTED.match(text[m.end:ctx.clause.end].lstrip())
        if tested and (everyday or in_clause != "helped"
                       or not _RESULTS.match(text[m.end:ctx.clause.end].lstrip(), tested.end())):
            # "blood drawn for cholesterol and liver function tests", "blood tests every six months": what was
            # tested, neither had nor treated (unless the writer judges a condition's results: "bringing the thyroid
            # test results into the normal range")
            continue
        # "the back of my hands", "wrinkles around my eyes": a place, no goal
        place = core_words(text, m) in cues.body_parts and (
            _PART_OF.match(text, m.core.end) or _PLACE_BEFORE.search(text, max(0, m.start - 16), m.start))
        if everyday and ((ctx.role is None and in_clause is None) or place or _SPAN_OF_TIME.match(text, m.end)
                         or _ADVERB_BACK.search(text, max(0, m.start - 12), m.end + 8)):
            # "lips", "skin", "sleep": a goal only where the writer says so ("good for my skin"); "went back to the
            # higher dose": no body part at all
            continue
        if ctx.role is None and _GENERALLY.search(text, max(ctx.clause.start, m.start - 40), m.start):
            continue  # "it is normal to have spotting for the first months": what happens to people
        if ctx.role is None and _IF_IT_BECOMES.search(text, max(ctx.sentence.start, m.start - 40), m.start) \
                and _THEN_LESS.match(text, m.end, ctx.sentence.end):
            continue  # "if my skin becomes dry, to reduce it to one a day": an instruction for what may happen
        if role is None:
            # a benefits column names what it helped, unless the sentence says it names side effects ("I didn't
            # experience any of the other side effects often mentioned such as depression")
            named_benefit = benefits_field and (m.kind == "benefit" or not _SIDE_EFFECTS_NAMED.search(
                text, ctx.sentence.start, m.start))
            role = "effect" if heading and m.kind != "benefit" else "use" if named_benefit \
                else _no_cue_role(text, ctx, k in listed)
            brought_on = _brought_on(text, ctx, cues) or (
                product is not None and m.kind != "benefit" and _blamed_on(text, ctx, product))
            if brought_on or _passed(text, ctx):
                role = "effect"
            elif role == "effect" and not heading and in_clause == "helped" \
                    and not _STOPPED.search(text, m.end, ctx.clause.end):
                role = "use"  # "excellent if you have sinus problems": the writer judges it, not suffers it
        not_had = False
        without = _WITHOUT.search(text, ctx.clause.start, m.start) \
            if ctx.negated and ctx.role != "effect" and m.kind != "benefit" else None
        if without is not None and not _UNABLE.search(text, ctx.clause.start, m.start):
            # "I can now walk without pain", "woke up without back aches": what the writer is able to do free of a
            # complaint one takes products for is the relief; "tolerated this routine without flakiness", "migraine
            # relief with no nausea", "without making him groggy", "without risk of hypoglycemia": a side effect not
            # had (not "couldn't go 2 minutes without coughing", which has it)
            relief = not _RISK.search(without.group()) and (
                _ABLE.search(text, ctx.clause.start, m.start) or _taken_for(m))
            role, verdict = ("use", "helped") if relief else ("effect", verdict)
            not_had = not relief
        cited = ctx.sentence
        if role is None:  # a condition no cue and no prior decides: a use where the writer judges it
            if verdict is None:
                continue
            role = "use"
        if role == "history":
            if (verdict is None or verdict == "worse") and _CONDITION_LIST.search(text, ctx.sentence.start, m.start):
                verdict, said_in = overall()
                cited = _quote_of_overall(text, said_in, ctx.sentence)
            if verdict is None or verdict == "worse":
                continue
            role = "use"
        if m.kind == "benefit" and verdict is None and _MEASURED.match(text, m.end, m.end + 20):
            continue  # "my liver function numbers have increased": a figure that moved, judged by nobody
        if m.kind == "benefit" and role == "effect" and k not in complaint_like \
                and (everyday or not _named_as_side_effect(text, ctx)) \
                and not _EXCESS.search(text, max(ctx.clause.start, m.start - 10), m.end):
            if everyday and in_clause != "helped" and complaint_in(ctx.clause):
                # "nausea on an empty stomach": the setting of a complaint, not a goal ("noticed a nice muscle
                # growth" is one)
                continue
            role = "use"  # what a goal "gave me" is a benefit ("gives me energy") unless said to be worse
            verdict = verdict if verdict in ("worse", "nothing") else "helped"
        if role == "effect" and m.name in lay.lay_grammar().treated_when_lowered and not ctx.negated \
                and _FELL.search(text, m.start, m.end) \
                and not _TOO_FAR.search(text, m.start, min(m.end + 20, ctx.clause.end)):
            # "my cholesterol has been lowered", "the reduction in cholesterol": what it is taken for, not a harm
            # (where "low blood pressure" names a state one can suffer)
            role, verdict = "use", verdict if verdict in ("nothing", "worse") else "helped"
        spoken_of = _touching(cues.hypothetical, text[ctx.clause.start:m.start], 4)
        if spoken_of and cues.family.search(spoken_of.group()):
            continue  # "2 younger brothers with heart attacks": the family's, neither had nor treated by the writer
        if role == "effect" and spoken_of and (ctx.role != "effect" or _OTHER_PEOPLE.search(spoken_of.group())):
            continue  # "limits the possibility of stroke": spoken of, not had; "some people get muscle pain": not mine
        if role == "use" and spoken_of and (_RAISED.search(text, ctx.clause.start, m.start) or in_clause is None):
            # "increased risks for breast cancer": a harm spoken of, neither had nor treated; "afraid because of the
            # negative reviews concerning irritation": what the writer feared, which no verdict of its own judges
            continue
        if role == "effect" and ctx.role is None and not heading and relieved().get(m.name, -1) > m.start:
            # "I had severe coughing fits for more than two weeks ... my coughing had subsided": no cue calls it
            # the product's, and the post says the product relieved it
            role, verdict = "use", "helped"
        if role == "effect":
            kept_away = _verdict(said, (ctx.sentence,), cues) == "helped" \
                or _PREVENTED.search(text, ctx.sentence.start, ctx.sentence.end) is not None
            # "no more headaches since starting": what stopped once the writer began the product, whatever the cue
            ceased = _CEASED.search(text, ctx.clause.start, m.core.start) and _SINCE_TAKING.search(
                text, ctx.sentence.start, ctx.sentence.end)
            if ctx.negated and not not_had and ((ctx.role != "effect" and kept_away) or ceased):
                # "no more headaches": what the product cleared is a use it helped
                uses.append(Use(m.name, Span(m.start, m.end), "benefit", "anecdote", (), ctx.sentence, "helped"))
                continue
            if product is not None and _of_another_drug(text, ctx, product, drugs_in(ctx.sentence), False,
                                                        before=True):
                continue  # "I was on Lexapro for a little over a year, but gained about 30 pounds": not this one's
            effects.append(_effect(text, ctx, cues, negated=ctx.negated))
            continue
        if verdict is None and m.name in lay.lay_grammar().treated_when_lowered and _FELL.search(text, m.start, m.end) \
                and not _TOO_FAR.search(text, m.start, min(m.end + 20, ctx.clause.end)):
            verdict = "helped"  # "it did lower my BP some": the fall is in the mention's own words
        left_out = _EXCEPT.search(text, max(ctx.sentence.start, m.start - 24), m.start) if verdict == "helped" else None
        if left_out is not None and cues.helped.search(text, ctx.sentence.start, left_out.start()):
            # "alleviated my symptoms except for a slight cough": the one it left (not "Aside from acne, it seemed
            # to help my skin in general", which adds to what it helped)
            verdict = "nothing"
        if verdict is None and _OWN_CHANGE.search(text, ctx.sentence.start, ctx.sentence.end):
            continue  # what the sentence judges is the writer's change of habit, not the product
        if verdict is None and _STILL.search(text, m.start, m.end):
            verdict = "nothing"  # "my blood pressure is still high sometimes": the verdict in the complaint's own words
        if verdict is None and m.kind != "benefit" and _rose(text, m, ctx.clause):
            verdict = "worse"  # "Anxiety continued to increase", "irritability increased": more of the complaint
        if verdict is None:
            # the clause model's "helped" only: its NEUTRAL is healthsea's "no claim or did nothing", no evidence
            # that the product did nothing ("Condition was long term and stress related", "not just for acne"); the
            # post's verdict is taken instead
            if _model_verdict(text, m, ctx.clause) == "helped":
                verdict = "helped"
            elif not (ctx.negated and m.kind == "benefit"):
                # a goal denied ("there were no weight loss/gain experiences") is no use the post's verdict is on;
                # a complaint denied may be ("there was no acne on my face")
                verdict, said_in = overall()
                cited = _quote_of_overall(text, said_in, ctx.sentence)
        if ctx.negated and verdict is None:
            if not _PREVENTED.search(text, ctx.sentence.start, ctx.sentence.end):
                continue
            verdict = "helped"  # "since I take it I have never caught a cold"
        stance: Stance = ("benefit" if verdict == "helped" else "no_benefit" if verdict in ("nothing", "worse")
                          else "unclear")
        fall = m.name in lay.lay_grammar().treated_when_lowered
        if fall and _TOO_FAR.search(text, m.start, min(m.end + 20, ctx.clause.end)):
            effects.append(_effect(text, ctx, cues, negated=False))  # "dropped too low": the fall is the harm
            continue
        if product is not None and _of_another_drug(text, ctx, product, drugs_in(ctx.sentence), in_clause is not None):
            continue  # "later they added Adderall as I have also fibromyalgia": not this product's use
        uses.append(Use(_treated(text, m, verdict), Span(m.start, m.end), stance, "anecdote", (), cited, verdict))
        if verdict == "worse" and m.kind != "benefit":
            effects.append(_effect(text, ctx, cues, negated=False))
    effects += _listed_complaints(parsed, span, contexts, effects, uses, cues)
    effects.sort(key=lambda e: e.span.start)
    return Reading(tuple(effects), tuple(uses))


_LISTS = re.compile(r"[^;:]+")
_ITEMS = re.compile(r"[^,]+")
_ITEM_JOIN = re.compile(r"\s+(?:and|or|&|plus|as well as)\s+", re.IGNORECASE)
# words that open a list item, not the complaint: "and some", "Began with huge clots", "followed by"
_ITEM_LEAD = re.compile(r"(?:(?:and|or|also|plus|then|some|a|an|the|with|&|(?:began|begun|started|starting|beginning|"
                        r"ended|ending)\s+with|followed\s+by)\s+)+", re.IGNORECASE)
# what a list's item holds when it is not a complaint: the writer's narrative, the product, time, a negation
_NOT_A_COMPLAINT = re.compile(
    r"\d|n't\b|\b(?:i|i'm|im|i've|it|it's|its|this|that|these|those|they|he|she|we|you|me|drugs?|medications?|"
    r"medicines?|meds|pills?|tablets?|doses?|dosage|side|effects?|no|not|none|nothing|never|without|doctor|"
    r"treated|hospital|er|"
    r"took|take|takes|taking|stop|stopped|started|day|days|week|weeks|month|months|year|years|time|times|"
    r"etc|other|others|well|but|because|if|even|so|which|who|when|while|after|before|until|better|good|great|helped|"
    r"can|cannot|could|would|should|will|may|might|must|many|much|all|every|any|most|work|working|experiences?|"
    # what passed or healed is no complaint ("then cleared up completely")
    r"then|cleared|clear|gone|went|away|d[ie]s+ap+ear\w*|resolved|subsided|improved|healed|fine|normal|helps?|"
    # where or how it was, said of the complaint before ("especially on my lips", "just like being drunk")
    r"especially|like|outdoors|indoors|outside|inside|room|"
    # when it happened is no complaint ("In the beginning, a burning sensation")
    r"beginning|begining|start|first|initially|later|now|morning|evening|night|addition)\b",
    re.IGNORECASE)
_MOST_WORDS = 5
# how much, said of the complaints before it ("dizziness and tiredness, very minor"): no complaint of its own
_DEGREE = frozenset({"very", "really", "so", "too", "quite", "pretty", "rather", "somewhat", "extremely", "fairly",
                     "mild", "mildly", "minor", "slight", "slightly", "moderate", "severe", "major", "serious", "bit",
                     "little", "not", "that", "bad", "all"})
_COMMON = 5  # a one-word item written this often in patient text is an ordinary word, not an unnamed complaint


def _listed_complaints(parsed: Parsed, span: Span, contexts: list[_Context], effects: list[Effect],
                       uses: list[Use], cues: lay.ExperienceCues) -> list[Effect]:
    """The items of a list of effects that no vocabulary names ("Severe nausea, metalic tase, sick to the stomach,
    loss of appetite"): in a list (items split by commas and "and", up to a semicolon or the sentence's end), two
    or more of whose items are effects and none a use or something the writer denies, a short item beside an
    effect, with no symptom or condition named in it and no word of narrative, is one more complaint, named in the
    writer's words. A one-word item must be a word patient text seldom has (a misspelling, a rare word): a common
    one ("however", "constant") would be in the vocabulary if it were a symptom."""
    text = parsed.text
    out: list[Effect] = []
    found = _Found(_ByStart([(u.span.start, u) for u in uses]), _ByStart([(c.mention.start, c) for c in contexts]),
                   _ByStart([(e.span.start, e) for e in effects if not e.negated]))
    sentences = post_sentences(parsed, span)
    for sentence in sentences:
        for part in _LISTS.finditer(text, sentence.start, sentence.end):
            items: list[Span] = []
            for piece in _ITEMS.finditer(text, part.start(), part.end()):
                a = piece.start()
                for join in _ITEM_JOIN.finditer(text, piece.start(), piece.end()):
                    items.append(_trim(text, Span(a, join.start())))
                    a = join.end()
                items.append(_trim(text, Span(a, piece.end())))
            out += _unnamed_items(text, items, Span(part.start(), part.end()), sentence, found, cues)
    # a list written as short sentences or lines in one paragraph ("Dry mouth. Constipation. Weird dreams.")
    runs: list[list[Span]] = [[]]
    for sentence in sentences:
        if len(text[sentence.start:sentence.end].split()) > _MOST_WORDS + 1:
            runs.append([])
        elif runs[-1] and "\n\n" in text[runs[-1][-1].end:sentence.start]:
            runs.append([sentence])
        else:
            runs[-1].append(sentence)
    for run in runs:
        if len(run) >= 2:
            out += _unnamed_items(text, [_trim(text, s) for s in run], Span(run[0].start, run[-1].end), None,
                                  found, cues)
    return out


class _ByStart(Generic[T]):
    """Values by where they start, for the ones starting in a range (bisect, not a scan of them all: a post of
    megabytes has thousands of lists and mentions)."""

    def __init__(self, pairs: list[tuple[int, T]]) -> None:
        pairs.sort(key=lambda p: p[0])  # stable: values starting together keep their order
        self.starts = [start for start, _ in pairs]
        self.values = [value for _, value in pairs]

    def within(self, lo: int, hi: int) -> list[T]:
        """The values starting in [lo, hi)."""
        return self.values[bisect.bisect_left(self.starts, lo):bisect.bisect_left(self.starts, hi)]


@dataclass(frozen=True, slots=True)
class _Found:
    """What `read` found in a post, for _unnamed_items: its uses, mentions and effects the writer does not deny."""

    uses: _ByStart[Use]
    contexts: _ByStart[_Context]
    effects: _ByStart[Effect]


def _unnamed_items(text: str, items: list[Span], part: Span, sentence: Span | None, found: _Found,
                   cues: lay.ExperienceCues) -> list[Effect]:
    """The unnamed complaints among the items of one list (_listed_complaints), as effects."""
    items = [s for s in items if s.end > s.start]
    if len(items) < 2 or found.uses.within(part.start, part.end):
        return []
    inside = [found.contexts.within(s.start, s.end) for s in items]
    said = [bool(found.effects.within(s.start, s.end)) for s in items]
    if sum(said) < min(2, len(items) - 1) or any(c.negated for group in inside for c in group):
        return []
    common = lay.word_counts()
    out: list[Effect] = []
    for n, (s, group) in enumerate(zip(items, inside, strict=True)):
        words = text[s.start:s.end].split()
        beside = (n > 0 and said[n - 1]) or (n + 1 < len(items) and said[n + 1])
        if said[n] or not beside or any(c.mention.kind != "benefit" for c in group) \
                or any(c.mention.end > s.start for c in found.contexts.within(part.start, s.start)):
            continue  # (nor a piece of a name split at its "and": "pins and needles")
        described = _described(words, cues)
        if described is None and (not 1 <= len(words) <= _MOST_WORDS or s.end - s.start < 4
                                  or all(normalise(w) in _DEGREE for w in words)
                                  or _NOT_A_COMPLAINT.search(text, s.start, s.end)
                                  or (len(words) == 1 and common.get(words[0].lower(), 0) >= _COMMON)):
            continue
        cited = sentence or s
        out.append(Effect(name=described or normalise(text[s.start:s.end]), span=s, sentence=cited,
                          hedged=bool(cues.hedge.search(text, cited.start, cited.end))))
        said[n] = described is not None  # "red, swollen, dry": a described complaint is beside the next one
    return out


def _described(words: list[str], cues: lay.ExperienceCues) -> str | None:
    """The name of a list item that says what a body part became, without the part ("Rash, red, swollen, dry."
    after "skin ..."): a word the lay grammar reads as a complaint of the body ("dry": dryness, "itchy", "groggy"),
    with degree words before it ("extremely dry"); else None."""
    *degree, last = [normalise(w) for w in words] or [""]
    if not all(w in cues.modifiers_left for w in degree):
        return None
    grammar = lay.lay_grammar()
    noun = grammar.body_predicates.get((last,))
    if noun is not None:
        return noun
    return last if (last,) in grammar.states or last in cues.symptom_adjectives else None


def _trim(text: str, s: Span) -> Span:
    """An item without the spaces, punctuation and list words around it."""
    a, b = s.start, s.end
    while a < b and not text[a].isalnum():
        a += 1
    while b > a and not text[b - 1].isalnum():
        b -= 1
    lead = _ITEM_LEAD.match(text, a, b)
    return Span(lead.end() if lead else a, b)


# "kept"/"keeps" before a verb in -ing says something went on ("I kept gaining weight"), not that it helped
# ("it kept my migraines away")
_GOING_ON = re.compile(r"\b(?:keep|keeps|kept|keeping)(?=\s+(?:on\s+)?[a-z]+ing\b)", re.IGNORECASE)


@functools.cache
def _body_side() -> re.Pattern[str]:
    """"lower" or "upper" naming where in the body ("lower back", "upper left arm"), no fall of anything."""
    parts = "|".join(sorted(map(re.escape, lay.experience_cues().body_parts), key=len, reverse=True))
    return re.compile(rf"\b(?:lower|upper)(?=\s+(?:(?:left|right)\s+)?(?:{parts})\b)", re.IGNORECASE)


def _rose(text: str, m: Mention, clause: Span) -> bool:
    """Whether the clause says the complaint `m` rose, in its own words (a rise of a goal is a help: "increased
    energy"), and no negation stands before it ("it has not increased")."""
    if text[m.core.start:m.core.end].lower().rsplit(" ", 1)[-1] in _GOOD_TO_RAISE:
        return False  # "increased sleep quality", "bone density increased": a measure named, whose rise is good
    if _ROSE_BEFORE.search(text, max(clause.start, m.core.start - 20), m.core.start):  # "more agitated": in the span
        return True
    rise = _ROSE_AFTER.match(text, m.end, clause.end)
    return rise is not None and not _NEGATED_RISE.search(rise.group())


_GOOD_TO_RAISE = frozenset({"quality", "function", "health", "control", "strength", "density", "mobility", "stamina"})
_NEGATED_RISE = re.compile(r"\b(?:not|never|n't)\b", re.IGNORECASE)


def _without_symptoms(text: str, contexts: list[_Context]) -> str:
    """The text with every symptom and condition mention blanked (same length), and every "kept" that says
    something went on: what is left judges them. Built from slices, not a list of every character (8 bytes a
    character: 320 MB for a 40 MB post)."""
    pieces: list[str] = []
    pos = 0
    blanks = [(c.mention.start, c.mention.end) for c in contexts if c.mention.kind != "benefit"]
    # only the sentences of the mentions are read for verdicts (a page of many posts is read a post at a time)
    lo, hi = (contexts[0].sentence.start, contexts[-1].sentence.end) if contexts else (0, 0)
    blanks += [(k.start(), k.end()) for k in _GOING_ON.finditer(text, lo, hi)]
    blanks += [(k.start(), k.end()) for k in _body_side().finditer(text, lo, hi)]  # "lower back" lowers nothing
    # "full of" a complaint is having it, no verdict of help ("full of energy" is)
    blanks += [(f.start(), c.mention.start) for c in contexts if c.mention.kind != "benefit"
               for f in [_FULL_OF.search(text, max(0, c.mention.start - 24), c.mention.start)] if f]
    # a rise is help where what rises is a goal ("increased energy", "my stamina has increased"), not a complaint
    # or a word the vocabulary lacks ("increased bladder leaks")
    if contexts:
        goals = [c.mention for c in contexts if c.mention.kind == "benefit"]  # in text order, never overlapping
        goal_ends = [g.end for g in goals]
        for r in _RISE.finditer(text, lo, hi):
            k = bisect.bisect_left(goal_ends, r.start() - _NEAR_GOAL)  # the first goal ending near or after it
            if k == len(goals) or goals[k].start - _NEAR_GOAL > r.end() \
                    or _MEASURED.match(text, goals[k].end, goals[k].end + 20):
                # (nor where a test's figure of it rises: "my liver function numbers have increased slightly")
                blanks.append((r.start(), r.end()))
    for start, end in sorted(blanks):
        if end <= pos:
            continue
        start = max(start, pos)
        pieces += (text[pos:start], " " * (end - start))
        pos = end
    pieces.append(text[pos:])
    return "".join(pieces)


def _effect(text: str, ctx: _Context, cues: lay.ExperienceCues, negated: bool) -> Effect:
    m = ctx.mention
    return Effect(name=m.name, span=Span(m.start, m.end), negated=negated, sentence=ctx.sentence,
                  onset=_find_timing(cues.onset, text, ctx.clause, m),
                  duration=_find_timing(cues.duration, text, ctx.clause, m), hedged=ctx.hedged)


def _list_groups(text: str, contexts: list[_Context]) -> list[list[int]]:
    """The mentions listed together in one sentence ("nausea, headaches and dizziness"), by index; each mention is
    in one group, most in a group of one."""
    groups: list[list[int]] = []
    for k, c in enumerate(contexts):
        prev = contexts[k - 1] if k else None
        gap = text[prev.mention.end:c.mention.start] if prev is not None else ""
        # only spaces between two names is one phrase ("arthritis pain", "migraine headaches"), not a list
        if prev is not None and prev.sentence == c.sentence and gap.strip() and (
                _LIST_GAP.match(gap) or (prev.role == "use" and _INCLUDED_GAP.match(gap))):
            groups[-1].append(k)
        else:
            groups.append([k])
    return groups


def _share_list_roles(contexts: list[_Context], groups: list[list[int]],
                      listed_role: Callable[[int], Role | None] | None = None) -> list[Role | None]:
    """Mentions listed together ("nausea, headaches and dizziness from it") share a role a cue gives one of them;
    with `listed_role` (the role model's reading of mention k as a listed one), a list no cue decides is a list of
    effects where the role model reads one of them so."""
    roles: list[Role | None] = [c.role for c in contexts]
    for group in groups:
        given = next((roles[k] for k in group if roles[k] is not None), None)
        if given is None and listed_role is not None and len(group) > 1 \
                and any(listed_role(k) == "effect" for k in group):
            given = "effect"  # a bare list of symptoms ("nausea, anxiety attacks, heart palpitations")
        if given is not None:
            for k in group:
                if roles[k] is None:
                    roles[k] = given
    return roles


def _quote_of_overall(text: str, said_in: Span | None, own: Span) -> Span:
    """What a use that takes the post's verdict cites: the sentence saying it, where it is said of what the post
    lists ("all three conditions have improved"); said of something else ("this helped the depression"), the
    mention's own sentence, so the quote at least names what the statement is about."""
    return said_in if said_in is not None and _LISTED.search(text, said_in.start, said_in.end) else own


def _post_verdict(parsed: Parsed, span: Span, rating: float | None,
                  cues: lay.ExperienceCues) -> tuple[Verdict | None, Span | None]:
    """The post's overall verdict on what it listed, and the sentence to cite for it: the verdict of the post's
    rating, else of its words, cited where a sentence says it of the listed conditions ("all three conditions
    have greatly improved"), else where a sentence says it at all, else (None) where the mention is. "Worse" is
    only ever read near a mention. One reading per post: it reads every sentence of the post."""
    text = parsed.text
    said: list[tuple[Verdict, Span, bool]] = []
    for s in post_sentences(parsed, span):
        verdict = _verdict(text, (s,), cues)
        if verdict is not None and verdict != "worse":
            said.append((verdict, s, _LISTED.search(text, s.start, s.end) is not None))
    if rating is not None:
        overall: Verdict | None = "helped" if rating >= 0.6 else "nothing" if rating <= 0.4 else None
    else:
        overall = next((v for v, _, listed in said if listed), None) or next((v for v, _, _ in said), None)
    if overall is None:
        return None, None
    cited = next((s for v, s, listed in said if listed and v == overall), None) \
        or next((s for v, s, _ in said if v == overall), None)
    return overall, cited


def find(parsed: Parsed, product: str | None = None) -> Reading:
    """Everything the posts of a document report, in text order. `product`: the canonical name of the substance
    the posts are about, when known."""
    _chunk_verdict.cache_clear()  # for one document, as uses' cue cache: across documents it flatters repeats
    effects: list[Effect] = []
    uses: list[Use] = []
    ratings = {(p.body or p.span): p for p in parsed.document.posts}
    for span in post_spans(parsed):
        post = ratings.get(span)
        rating = None
        if post is not None and post.rating is not None and post.rating_scale:
            rating = max(0.0, min(1.0, (post.rating - 1) / max(1, post.rating_scale - 1)))
        for part, field in fields(parsed, span):
            reading = read(parsed, part, rating, field, product)
            effects.extend(reading.effects)
            uses.extend(reading.uses)
    return Reading(tuple(effects), tuple(uses))


def merge(parsed: Parsed, effects: tuple[Effect, ...], uses: tuple[Use, ...],
          product: str | None = None) -> tuple[tuple[Effect, ...], tuple[Use, ...]]:
    """The document's effects and uses with what its posts report: inside a post the reading of the post wins.
    `product`: the canonical name of the substance the posts are about, when known."""
    posts = post_spans(parsed)
    if not posts:
        return effects, uses
    reading = find(parsed, product)

    def inside(s: Span) -> bool:
        return any(p.contains(s) for p in posts)

    kept_effects = [e for e in effects if not inside(e.span)] + list(reading.effects)
    kept_uses = [u for u in uses if not inside(u.span)] + list(reading.uses)
    return (tuple(sorted(kept_effects, key=lambda e: e.span.start)),
            tuple(sorted(kept_uses, key=lambda u: u.span.start)))
