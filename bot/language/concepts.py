"""Situations told in a sentence, mapped to the themes protocols use.

Members describe cases, not themes: "a 14 year old is being groomed online", "her
partner keeps hitting her", "an older neighbour is being pressured into handing over
money". This module turns such words into the theme phrases protocols are written in
("child sexual exploitation", "domestic abuse", "safeguarding adults"), which the area's
own theme names and aliases then match as usual.

Three levels, tried in order of how specific they are:

1. **harms with a name** (grooming, forced marriage, radicalisation, trafficking…);
2. **circumstances** (in care, moving to adult services, online);
3. **who is at risk**: a child or an adult, with a harm word — the general
   safeguarding theme for that person, used only when nothing more specific applies.

The mapping is general safeguarding English, not any area's wording. It deliberately
keeps apart things protocols treat apart (criminal exploitation and county lines are
not CSE; suicide is not mental health), so a protocol silent on one is not answered with
another.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache

from bot.language.match import longest_first, phrases_at, starts_of
from bot.language.normalise import tokens


@dataclass(frozen=True)
class Concept:
    phrase: str  # the theme phrase protocols use
    rank: int  # 1 a named harm, 2 a circumstance, 3 the general safeguarding of a person
    start: int
    end: int

    @property
    def names(self) -> tuple[str, ...]:
        """The phrase, then the other names protocols give the same theme (tried in this area only)."""
        return (self.phrase, *ALSO_CALLED.get(self.phrase, ()))


# Other names protocols give a theme. Only names of the same thing: criminal exploitation is
# never CSE, suicide is never mental health.
ALSO_CALLED: dict[str, tuple[str, ...]] = {
    "child sexual exploitation": ("sexual exploitation", "exploitation"),
    "county lines": ("child criminal exploitation", "criminal exploitation", "exploitation"),
    "domestic abuse": ("domestic violence", "domestic violence and abuse", "violence against women and girls"),
    "forced marriage": ("honour based abuse", "honour based violence", "harmful practices"),
    "honour based violence": ("honour based abuse", "forced marriage", "harmful practices"),
    "female genital mutilation": ("fgm", "harmful practices"),
    "radicalisation": ("prevent", "extremism", "counter terrorism"),
    "human trafficking": ("modern slavery", "modern day slavery", "exploitation"),
    "mate crime": ("hate crime", "cuckooing"),
    "hate crime": ("hate incidents",),
    "missing children": ("missing", "runaways"),
    "substance misuse": ("drugs and alcohol", "drug and alcohol", "alcohol", "drugs"),
    "mental health": ("emotional wellbeing", "mental wellbeing"),
    "allegations": ("allegations against staff", "lado"),
    "child death": ("child deaths", "child death review", "child death reviews"),
    "transition to adulthood": ("transition", "transitions", "preparing for adulthood"),
    "looked after children": ("children in care", "corporate parenting", "care leavers"),
    "online safety": ("e safety", "digital safeguarding", "internet safety"),
    "safeguarding adults": ("adult safeguarding", "adults at risk"),
    "safeguarding children": ("child protection", "childrens safeguarding", "child safeguarding"),
    "burglary": ("domestic burglary", "acquisitive crime"),
    "serious violence": ("youth violence", "knife crime", "violent crime"),
    "self neglect": ("hoarding",),
    "reoffending": ("reducing reoffending", "offender management"),
}


# (theme phrase, rank, trigger phrases). A trigger is matched as consecutive normalised tokens.
_TABLE: tuple[tuple[str, int, tuple[str, ...]], ...] = (
    ("child sexual exploitation", 1, (
        "groomed", "grooming", "being groomed", "sexually exploited", "sexual exploitation", "exploited sexually",
        "child prostitution", "older men", "sexually exploiting",
    )),
    ("county lines", 1, (
        "county lines", "selling drugs", "drug dealing", "dealing drugs", "running drugs", "drug running", "gang",
        "gangs", "criminal exploitation", "criminally exploited", "child criminal exploitation", "drug dealer",
    )),
    ("domestic abuse", 1, (
        "controls all the money", "controls the money", "controls her money", "controls his money",
        "domestic", "partner hits", "partner hitting", "keeps hitting her", "keeps hitting him", "hitting her",
        "hits her", "beats her", "beating her", "hitting him", "hits him", "violent partner", "abusive partner",
        "abusive relationship", "coercive control", "controlling partner", "controlling behaviour",
        "ex partner", "husband hits", "wife hits", "domestic violence", "violence against women", "violence against women and girls",
    )),
    ("forced marriage", 1, (
        "forced marriage", "forced to marry", "forced into marriage", "forced into a marriage", "made to marry",
        "pushed into a marriage", "pushed into marriage", "marriage abroad", "married against", "marry against",
        "married off", "marry off", "marry her off", "marry their daughter", "marry his daughter", "marry",
        "marriage",
    )),
    ("honour based violence", 1, ("honour", "dishonour", "shame on the family", "bringing shame")),
    ("female genital mutilation", 1, ("genital", "female circumcision", "fgm", "mutilation")),
    ("radicalisation", 1, (
        "attacks", "bomb", "bombs", "isis", "nazi", "neo nazi", "jihadi", "jihad", "white supremacist",
        "radicalised", "radicalized", "radicalisation", "radicalization", "extremist", "extremism", "extreme views",
        "terrorist", "terrorism", "far right", "islamist", "channel referral", "prevent referral",
    )),
    ("human trafficking", 1, (
        "trafficked", "trafficking", "forced to work", "forced labour", "modern slavery", "modern day slavery", "slave",
        "slavery", "debt bondage", "labour exploitation",
        # forced labour as it is told: work without pay, papers taken, the places UK guidance names
        "made to work", "work for no pay", "working for no pay", "work without pay", "working without pay",
        "work for nothing", "working for nothing", "unpaid work", "unpaid labour", "no wages", "passport",
        "car wash", "nail bar",
    )),
    ("mate crime", 1, ("using his flat", "using her flat", "taken over his flat", "taken over her flat", "took over his flat", "flat taken over", "home taken over",
                        "house taken over", "taken over his home", "taken over her home", "so called friends", "fake friends", "befriended", "mate crime", "cuckooing", "cuckooed")),
    ("hate crime", 1, (
        "hate", "racist", "racially", "homophobic", "transphobic", "because of their race", "because of their religion",
        "because of their disability", "because he is disabled", "because she is disabled",
    )),
    ("missing children", 1, (
        "goes missing", "going missing", "went missing", "gone missing", "keeps going missing", "ran away",
        "runs away", "running away", "missing from home", "missing from care", "runaway",
    )),
    ("substance misuse", 2, ("drug", "drugs", "alcohol", "drinking", "drunk", "addiction", "addicted", "substance")),
    ("mental health", 1, (
        "depression", "depressed", "anxiety", "anxious", "self harm", "self harming", "mental illness", "mental health",
        "psychosis", "breakdown", "eating disorder",
    )),
    ("suicide prevention", 1, ("suicide", "suicidal")),
    ("young carers", 1, ("young carer", "young carers", "child carer", "looks after mum", "looks after dad", "caring for mum",
                         "caring for dad", "cares for mum", "cares for dad", "look after mum", "look after dad")),
    ("reoffending", 1, ("leaving prison", "released from prison", "left prison", "ex offender", "ex offenders", "offenders",
                        "reoffend", "probation")),
    ("self neglect", 1, ("self neglect", "self neglecting", "hoarding", "hoarder", "full of rubbish", "wont let anyone in",
                         "not looking after himself", "not looking after herself", "squalor", "refuses help", "refusing help",
                         "wont accept help")),
    ("burglary", 1, ("broken into", "break in", "break ins", "burgled", "burglary", "burglaries", "breaking into")),
    ("serious violence", 1, ("stabbed", "stabbing", "knife", "knives", "shooting", "gun", "guns", "serious violence",
                             "youth violence", "knife crime")),
    ("health inequalities", 1, ("poor health", "die younger", "dying younger", "die early", "life expectancy", "health gap",
                                "inequalities", "deprivation", "deprived")),
    ("allegations", 1, (
        "accused of", "allegation", "allegations", "teacher hurt", "member of staff hurt", "staff member hurt",
        "lado",
    )),
    ("child death", 1, ("child died", "child has died", "baby died", "death of a child", "child death")),
    ("private fostering", 1, ("privately fostered", "private fostering", "private foster", "living with a family friend",
                              "staying with a family friend")),
    ("transition to adulthood", 1, (
        "turning 18", "turns 18", "about to turn 18", "adult services", "move to adult", "moving to adult",
        "into adulthood", "becoming an adult", "becomes an adult", "transition",
    )),
    ("neglect", 2, ("children home alone", "child home alone", "home alone", "alone all night", "unfed", "no food", "hungry", "head lice", "neglected", "neglect", "not being fed", "not fed", "left alone", "left home alone", "unwashed")),
    ("looked after children", 2, (
        "in care", "care leaver", "care leavers", "leaving care", "foster care", "fostered", "foster carer",
        "childrens home", "looked after",
    )),
    ("online safety", 2, ("online", "internet", "social media", "sexting", "webcam")),
    ("safeguarding adults", 2, (
        "pension", "savings", "stealing from", "steals from", "stole from", "financially exploited", "financial exploitation",
        "financial abuse", "financially abused", "financially abusing", "scammed", "scam", "handing over money", "taking her money", "taking his money",
        "elder abuse", "care home", "vulnerable adult", "adult at risk",
    )),
)

# Who is at risk: with a harm word, the general safeguarding theme for them (level 3).
_CHILD = (
    "child", "children", "kid", "kids", "baby", "toddler", "infant", "pupil", "pupils", "teenager", "teen", "boy", "girl",
    "son", "daughter", "young person", "young people", "young carer", "young carers", "student", "year 9", "year old", "years old", "schoolchild",
    "minor",
)
_ADULT = (
    "adult", "adults", "older", "elderly", "old man", "old woman", "old lady", "pensioner", "grandmother", "grandfather",
    "nan", "gran", "neighbour", "resident", "tenant", "disabled man", "disabled woman", "learning disabilities",
    "learning disability", "dementia", "mum", "dad", "mother", "father", "man", "woman", "70s", "80s", "90s",
    "autism", "autistic", "care home resident", "wife", "husband",
)
_HARM = (
    "abuse", "abused", "abusing", "harm", "harmed", "hurt", "hurting", "neglect", "neglected", "exploited",
    "exploitation", "pressured", "bullied", "threatened", "unsafe", "at risk", "mistreated", "taken advantage",
    "targeted", "assaulted", "attacked", "scared", "frightened", "worried", "concern", "concerns", "danger",
    "bruise", "bruises", "bruising", "injury", "injuries", "steal", "stealing", "stole", "take advantage", "controlled",
    "hit", "hitting", "slapped", "kicked", "punched", "locked in", "starved", "left alone", "forced", "made to", "pressure",
    "groomed", "exploit", "manipulated", "coerced",
)


def stem(word: str) -> str:
    """A crude stem, the same on both sides: "selling" and "sell", "befriended" and
    "befriending", "forced" and "force", "isolated" and "isolation" meet. Only for matching
    situation words and, where nothing else matched, a theme's own names."""
    if len(word) <= 3 or word.isdigit():
        return word
    if len(word) > 4:
        for suffix in ("ing", "ed", "es", "ion"):
            if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                word = word[: -len(suffix)]
                break
        else:
            word = word[:-1] if word.endswith("e") else word
    else:
        word = word[:-1] if word.endswith("e") else word
    if len(word) > 3 and word[-1] == word[-2] and word[-1] != "s":
        word = word[:-1]  # "running" -> "run", "stabbed" -> "stab", "sell" -> "sel"
    return word


# Each word's stem: the words of questions are few (thousands) and repeat endlessly, so a word
# is stemmed once. Bounded all the same (emptied when full).
_STEMS: dict[str, str] = {}
_STEMS_MAX = 100_000


def _stem_of(word: str) -> str:
    out = _STEMS.get(word)
    if out is None:
        if len(_STEMS) >= _STEMS_MAX:
            _STEMS.clear()
        out = _STEMS[word] = stem(word)
    return out


@lru_cache(maxsize=1024)
def stems(t: tuple[str, ...]) -> tuple[str, ...]:
    """The stem of each word of ``t``. Remembered for the last sentences: one question's words are
    stemmed by several steps in turn (who is at risk, the situations it tells, the harm done)."""
    known = _STEMS.get
    return tuple([known(w) or _stem_of(w) for w in t])


@cache
def _triggers() -> tuple[dict[tuple[str, ...], tuple[str, int]], dict[str, tuple[int, ...]]]:
    """The situation table by the stems of its triggers, and the lengths of the triggers starting
    with each stem (a sentence is only looked into where a trigger may start)."""
    out: dict[tuple[str, ...], tuple[str, int]] = {}
    for phrase, rank, triggers in _TABLE:
        for trig in triggers:
            out.setdefault(stems(tokens(trig)), (phrase, rank))
    return out, starts_of(out)


class PhraseSet:
    """Phrases (token tuples), indexed by their first word, for "does any occur in these words"."""

    def __init__(self, phrases: Iterable[tuple[str, ...]]) -> None:
        self.phrases = frozenset(p for p in phrases if p)
        grouped: dict[str, list[tuple[str, ...]]] = {}
        for p in self.phrases:
            grouped.setdefault(p[0], []).append(p)
        self._by_first = {k: tuple(v) for k, v in grouped.items()}

    def __iter__(self) -> Iterator[tuple[str, ...]]:
        return iter(self.phrases)

    def found_in(self, t: tuple[str, ...]) -> bool:
        """Whether any of the phrases occurs in ``t``."""
        index = self._by_first
        for i, w in enumerate(t):
            for p in index.get(w, ()):
                if t[i : i + len(p)] == p:
                    return True
        return False


@cache
def _word_sets() -> tuple[PhraseSet, PhraseSet, PhraseSet]:
    return _norm(_CHILD), _norm(_ADULT), _norm(_HARM)


def _norm(words: tuple[str, ...]) -> PhraseSet:
    return PhraseSet(stems(tokens(w)) for w in words)


# someone's partner, and the harms that between partners are domestic abuse (not "worried", not "stealing")
_PARTNERS = ("wife", "husband", "partner", "girlfriend", "boyfriend", "spouse", "his ex", "her ex", "their ex")
_PARTNER_HARM = ("hit", "hits", "hitting", "slapped", "kicked", "punched", "bruise", "bruises", "bruising", "black eye",
                 "threatened", "threatens", "controlled", "controlling", "shouting at", "shouts at", "screaming at",
                 "scared of", "frightened of", "assaulted", "attacked", "beaten", "beats", "abuse", "abused", "abusive",
                 "hurt", "hurts", "injuries", "strangled", "choked")


@cache
def _partner_sets() -> tuple[PhraseSet, PhraseSet]:
    return _norm(_PARTNERS), _norm(_PARTNER_HARM)


# triggers that count only as written: stemmed, "looked after" (children in care) would also be
# the verb "look after" ("which board looks after county lines?")
_AS_WRITTEN = {stems(tokens(w)): tokens(w) for w in ("looked after",)}


def _as_written_only(span: tuple[str, ...], written: tuple[str, ...]) -> bool:
    """Whether a trigger counts only as written and these words are not it ("looks after" is not
    "looked after", though both stem alike)."""
    return span in _AS_WRITTEN and written != _AS_WRITTEN[span]


def concepts_in(t: tuple[str, ...]) -> list[Concept]:
    """The theme phrases a sentence's words point to, most specific first."""
    written, t = t, stems(t)
    table, longest = _triggers()
    # every trigger in the sentence, then the longest first and leftmost, none overlapping one taken
    # (only where a trigger starts is anything looked up)
    candidates = [(length, start, hit) for length, start, hit in phrases_at(t, longest, table)
                  if not _as_written_only(t[start : start + length], written[start : start + length])]
    found = [Concept(hit[0], hit[1], start, end) for hit, start, end in longest_first(candidates, len(t))]
    child, adult, harm = _word_sets()
    partner, hurts = _partner_sets()
    if partner.found_in(t) and hurts.found_in(t) and not any(c.phrase == "domestic abuse" for c in found):
        # "the man next door keeps shouting at his wife and she has bruises": harm between partners
        found.append(Concept("domestic abuse", 1, 0, 0))
    if harm.found_in(t) or found:
        by_age = "year" in t and _an_adult_by_age(t)
        is_child = not by_age and child.found_in(t)
        is_adult = (by_age or adult.found_in(t)) and not is_child
        if is_child and _older_person_with_a_relative(t):
            is_child, is_adult = False, True  # "an elderly neighbour abused by her son": the son is no child at risk
        if is_child:
            found.append(Concept("safeguarding children", 3, 0, 0))
        elif is_adult:
            found.append(Concept("safeguarding adults", 3, 0, 0))
    # de-duplicate by phrase, keeping the most specific
    seen: dict[str, Concept] = {}
    for c in sorted(found, key=lambda c: (c.rank, c.start)):
        seen.setdefault(c.phrase, c)
    return list(seen.values())


# words that name an older person, and the child words that may only be someone's relative
_OLDER = ("elderly", "older", "pensioner", "old man", "old woman", "old lady", "grandmother", "grandfather", "nan", "gran",
          "dementia", "70s", "80s", "90s", "care home resident", "vulnerable adult", "adult at risk")
_RELATIVES = frozenset(("son", "daughter", "grandson", "granddaughter"))


@cache
def _older_and_child_words() -> tuple[PhraseSet, PhraseSet]:
    """The older-person words, and the child words that are not a relative's."""
    relatives = {(stem(w),) for w in _RELATIVES}
    return PhraseSet(stems(tokens(w)) for w in _OLDER), PhraseSet(p for p in _word_sets()[0] if p not in relatives)


def _an_adult_by_age(t: tuple[str, ...]) -> bool:
    """"a 23 year old": an age of 18 or more is an adult's, whatever "year old" says otherwise;
    only where no other child word is in the sentence."""
    ages = [int(t[i - 1]) for i in range(1, len(t) - 1) if t[i] == "year" and t[i + 1] == "old" and t[i - 1].isdigit()]
    if not ages or min(ages) < 18:
        return False
    rest = tuple(w for i, w in enumerate(t) if not (w in ("year", "old") or w.isdigit()))
    return not _word_sets()[0].found_in(rest)


def _older_person_with_a_relative(t: tuple[str, ...]) -> bool:
    """An older person is named and every child word is a relative's ("her son", "his daughter")."""
    older, children = _older_and_child_words()
    return older.found_in(t) and not children.found_in(t)


def has_person_at_risk(t: tuple[str, ...]) -> bool:
    """A child or an adult named as at risk: the sentence describes a case."""
    return _person_words().found_in(stems(t))


@cache
def _person_words() -> PhraseSet:
    """The child words and the adult words in one set: one pass over a sentence for either."""
    child, adult, _harm = _word_sets()
    return PhraseSet(child.phrases | adult.phrases)


def describes_harm(t: tuple[str, ...]) -> bool:
    """The sentence tells of harm done to someone (a case, not a theme's name)."""
    t = stems(t)
    return _word_sets()[2].found_in(t) and _person_words().found_in(t)


def trigger_words() -> frozenset[str]:
    """Every word the situation table uses."""
    table, _ = _triggers()
    child, adult, harm = _word_sets()
    out: set[str] = set()
    for phrases in (table, child, adult, harm, *_partner_sets()):
        for p in phrases:
            out.update(p)
    for _phrase, _rank, triggers in _TABLE:
        for trig in triggers:
            out.update(tokens(trig))  # the words as typed, not only their stems
    for words in (_CHILD, _ADULT, _HARM):
        for w in words:
            out.update(tokens(w))
    return frozenset(out)
