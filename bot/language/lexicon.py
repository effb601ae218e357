"""The words that say *what* is being asked, as opposed to what it is about.

A question is about things the protocol names (boards, themes, posts…, see
:mod:`bot.language.entities`) and asks something of them: who leads, who chairs, who sits
on, how often they meet, where a report goes, what happens next in a challenge. This
module holds the second half as data: cue phrases and the weight each lends to a kind of
question, the words that pick out a narrower facet within a kind (the chair's
appointment rather than their name), abbreviations people use for posts and themes,
and the small words that carry no meaning for telling things apart. The two big tables
live in modules of their own: the cue phrases in :mod:`bot.language.cues`, the facets in
:mod:`bot.language.facets`.

Phrases are written as people type them and normalised with
:func:`bot.language.normalise.tokens` when first used, so "sits", "sit" and "sitting on"
meet the same way the protocol's own phrases do. Nothing here names a particular area's
boards or themes: the lexicon must serve any protocol.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from bot.language.cues import CUES
from bot.language.facets import FACETS
from bot.language.match import starts_of
from bot.language.normalise import tokens

KINDS = ("lead", "chair", "membership", "meeting", "report", "challenge", "sharing", "protocol", "other")

# Function words: never evidence for a kind or a thing, never a search term.
STOPWORDS = frozenset(
    """
    a an the of on for to in at by with about from into onto as and or but so if than then
    is are was were be been being am do does did done doing has have had having will would
    shall should can could may might must i me my we us our ours you your yours he him his
    she her hers it its they them their theirs this that these those there here what which who
    whom whose whos whats when where why how s t d ll re ve m please pls thanks thank hi hello
    hey just really actually also any all some each every much many more most other another
    such only own same too very up out over again further once both either neither nor not no
    yes ok okay someone somebody anyone anybody something anything thing stuff get got
    overall main general exactly currently usually normally actually basically
    supposed meant ought expected wonder wondering wondered idea ideas advice guys folks sorry apologies apologise
    quick question questions message hoping hope thought think asking asked cheers morning afternoon evening
    everyone silly debate discussion nobody whoever whatever whichever anywhere somewhere reckon reckons reckoned
    colleague colleagues
    """.split()
)

# Words that open a yes/no question.
YESNO_OPENERS = frozenset(
    "am is are was were does do did can could should has have had will would must may shall isnt arent doesnt dont "
    "cant couldnt shouldnt hasnt havent wont wouldnt".split()
)

# "we", "our": the asker's own board or challenge, when the directory knows who they are.
OURS = frozenset("we our ours us my i me".split())
# The asker alone, in the first person ("which boards am I on?", "who am I answerable to?")
FIRST_PERSON = frozenset("i me my im ive id myself".split())
# The words for a board, whichever it is ("which board…", "any of the partnerships…")
BOARD_WORDS = frozenset("board boards partnership partnerships".split())
# What names the protocol document itself
DOCUMENT_WORDS = frozenset("protocol protocols document agreement".split())

# Abbreviations people use that the protocols may spell out. Expanded only where the
# area's own vocabulary does not already know the short form.
ABBREVIATIONS: dict[str, str] = {
    "ad": "assistant director",
    "ads": "assistant director",
    "ce": "chief executive",
    "ceo": "chief executive",
    "chief exec": "chief executive",
    "bm": "business manager",
    "bms": "business manager",
    "cllr": "councillor",
    "exec": "executive",
    "ops": "operations",
    "coo": "chief operating officer",
    "ccg": "clinical commissioning group",
    "dcs": "director of childrens services",
    "dph": "director of public health",
    "das": "director of adult services",
    "dass": "director of adult social services",
    "vawg": "violence against women and girls",
    "cce": "child criminal exploitation",
    "mds": "modern day slavery",
    "cic": "children in care",
    "yot": "youth offending team",
    "yos": "youth offending service",
    "hbv": "honour based violence",
    "hba": "honour based abuse",
    "fm": "forced marriage",
    "asb": "antisocial behaviour",
    "sen": "special educational needs",
    "mh": "mental health",
    "lac": "looked after children",
    "cla": "children looked after",
    "sar": "safeguarding adults review",
    "scr": "serious case review",
    "cspr": "child safeguarding practice review",
    "lcspr": "local child safeguarding practice review",
    "ar": "annual report",
    "tor": "terms of reference",
    "hwbb": "health and wellbeing board",
}


# Verbs of what a chair *does* (attends, presents, is invited): "the LSCB chair attends HWB
# meetings" is about the meeting, not about who holds the chair.
CHAIR_ACTIVITIES = frozenset("attend attends attending present presents presenting invited invite meet meets send "
                             "go goes raise make request write come".split())
# Forms of question that ask when or how, never who leads.
WHEN_OPENERS = (("when",), ("how", "often"), ("how", "frequently"), ("what", "time"), ("how", "long"), ("how", "do"),
                ("which", "month"), ("what", "month"), ("which", "season"), ("what", "season"),
                ("how", "does"), ("how", "is"), ("how", "are"), ("how", "many"))

# Words a question uses for what the protocols say in other words (added to a search, never
# to what is recognised): "is the LSCB above the HWB?" is answered by "not hierarchical".
SEARCH_SYNONYMS: dict[str, tuple[str, ...]] = {
    "above": ("hierarchical", "subordinate"), "below": ("hierarchical", "subordinate"), "superior": ("hierarchical",),
    "boss": ("hierarchical", "accountable"), "accountable to": ("hierarchical", "subordinate"), "keep in touch": ("communication", "interface"), "talk": ("communication",),
    "money": ("funding", "budget"), "pays": ("funding",), "budget": ("funding",), "cost": ("funding",),
    "rules": ("principles",), "values": ("principles",), "area": ("geographical", "footprint", "cover"),
    "say": ("state",), "tell": ("inform",), "job": ("role", "responsibility"), "exist": ("establish", "exists"),
}


def by_first_word(phrases: Iterable[tuple[str, ...]]) -> dict[str, tuple[tuple[str, ...], ...]]:
    """Phrases (token tuples) grouped by their first word, for :func:`opens_with`."""
    out: dict[str, tuple[tuple[str, ...], ...]] = {}
    for p in phrases:
        if p:
            out[p[0]] = (*out.get(p[0], ()), p)
    return out


def opens_with(t: tuple[str, ...], openers: dict[str, tuple[tuple[str, ...], ...]]) -> bool:
    """Whether ``t`` starts with one of ``openers`` (from :func:`by_first_word`): one look-up of its
    first word, rather than a slice of the message for every phrase (asked of every message)."""
    return bool(t) and any(t[: len(p)] == p for p in openers.get(t[0], ()))


WHEN_OPENING = by_first_word(WHEN_OPENERS)

# Words that may stand before a theme's name without making it another theme
# ("tackling CSE", "local domestic abuse services").
THEME_MODIFIERS = frozenset(
    "tackling tackle reducing reduce preventing prevent addressing address improving improve supporting support "
    "protecting protect responding respond dealing deal handling handle work working strategy strategic local "
    "multiagency partnership overall wider response services service policy policies issues issue cases case "
    "concerns concern around regarding about relating related safeguarding".split()
)

# What a chair asks of their own office in the first person ("who am I accountable to?", "who appointed me?")
CHAIR_ASKS_OF_SELF = frozenset("accountable answerable account appointed appoints appoint remove removes replaced independent".split())

# Openers of a follow-up ("and in Suffolk?", "what about the adults board?").
FOLLOWUP_OPENERS = ("and", "what about", "how about", "and what about", "same for", "same q", "same question", "same again", "and for", "also", "and the", "what of")
PRONOUNS = frozenset("it they them that this those these its their theirs one ones he she him her".split())
MORE = ("more", "tell me more", "more detail", "more details", "details", "full profile", "the full profile", "show more",
        "everything", "full answer", "in full", "more please", "more info", "more information")


@cache
def phrase_tokens(phrase: str) -> tuple[str, ...]:
    """A phrase of the tables as the tokens a message is matched in (remembered: the tables ask
    for the same phrases again and again)."""
    return tokens(phrase)


@cache
def kind_cues() -> dict[tuple[str, ...], dict[str, float]]:
    """The cue table with its phrases normalised (first writer wins on a clash)."""
    out: dict[tuple[str, ...], dict[str, float]] = {}
    for phrase, weights in CUES.items():
        out.setdefault(phrase_tokens(phrase), weights)
    return out


@cache
def cue_lengths() -> dict[str, tuple[int, ...]]:
    """The lengths of the cue phrases starting with each word, longest first: a word no cue starts
    with is passed at once, and only lengths some cue has are looked up."""
    return starts_of(kind_cues())


@cache
def facet_phrases(kind: str) -> tuple[tuple[str, tuple[tuple[str, ...], ...]], ...]:
    return tuple((facet, tuple(phrase_tokens(p) for p in phrases)) for facet, phrases in FACETS.get(kind, ()))


@cache
def abbreviations() -> dict[tuple[str, ...], tuple[str, ...]]:
    return {phrase_tokens(k): phrase_tokens(v) for k, v in ABBREVIATIONS.items()}


@cache
def more_phrases() -> frozenset[tuple[str, ...]]:
    return frozenset(phrase_tokens(p) for p in MORE)


def contains(t: tuple[str, ...], phrase: tuple[str, ...]) -> bool:
    """Whether ``phrase`` occurs as consecutive tokens in ``t``."""
    n = len(phrase)
    if not n or phrase[0] not in t:  # the usual answer, found without building a slice
        return False
    if n == 1:
        return True
    first, i = phrase[0], t.index(phrase[0])
    while i <= len(t) - n:
        if t[i : i + n] == phrase:
            return True
        try:
            i = t.index(first, i + 1)
        except ValueError:
            return False
    return False


def content_words(t: Iterable[str]) -> list[str]:
    """Tokens that are neither function words nor bare numbers."""
    return [w for w in t if w not in STOPWORDS and not w.isdigit()]


@cache
def cue_words() -> frozenset[str]:
    """Every word the lexicon and the situation table use: known words, never "corrected"."""
    from bot.language.concepts import trigger_words

    out: set[str] = set()
    for phrase in kind_cues():
        out.update(phrase)
    for kind in FACETS:
        for _facet, phrases in facet_phrases(kind):
            for p in phrases:
                out.update(p)
    for p in more_phrases():
        out.update(p)
    out.update(trigger_words())
    out.update(CADENCE_WORDS)
    return frozenset(out)


# how often things happen, in the words people ask it ("does the group meet montly?" is a slip
# for one of these, whichever of them the area's protocol happens to use)
CADENCE_WORDS = frozenset(("weekly", "fortnightly", "monthly", "quarterly", "annually", "annual", "yearly", "biannually",
                           "termly", "bimonthly"))
