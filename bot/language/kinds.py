"""Which kind of question a message is (who leads, who chairs, membership, meetings, …): the
evidence of its cue phrases, of the kinds of thing it names and of its form, weighed; and
the facet within the kind.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from functools import cache

from bot.language import lexicon
from bot.language.entities import Entity

# entity types whose words are names, not evidence for a kind
NAME_TYPES = frozenset({"board", "role", "person", "subgroup", "meeting", "report", "org", "theme"})


# evidence each kind of thing lends to a kind of question
_ENTITY_EVIDENCE: dict[str, dict[str, float]] = {
    "theme": {"lead": 2.5},
    "concept": {"lead": 1.5},
    "role": {"membership": 1.5},
    "person": {"chair": 2.5},
    "subgroup": {"other": 1.5, "meeting": 0.5},
    "meeting": {"meeting": 3.5},
    "report": {"report": 3.5},
    "org": {"membership": 2.5},
    "item": {"sharing": 1.0},
}


_CHAIRS_MEET = re.compile(r"(?<!who )(?<!who's )(?<!whos )\bchairs\b.*\b(?:meet|meets|meeting|get together)\b", re.I)
_GROUP_OF_OFFICES = re.compile(r"\b(?:chairs|business managers|lead officers|officers|managers)\b(?!\s*(?:of|for)\b)", re.I)


# "what is …", "tell me about …": a question about what a thing is, by the opener's first word
_WH_OTHER = lexicon.by_first_word(lexicon.phrase_tokens(p) for p in (
    "what is", "whats", "what are", "what does", "what do", "tell me about", "describe"))

_NO_SCORES: dict[str, float] = dict.fromkeys(lexicon.KINDS, 0.0)
_NOT_LEAD = tuple(k for k in lexicon.KINDS if k != "lead")
_NOT_CHAIR = tuple(k for k in lexicon.KINDS if k != "chair")
_NAMED = frozenset(("board", "subgroup", "role", "report", "meeting"))
_SEATED = frozenset(("board", "subgroup", "role", "person", "org"))  # what may sit on a board


def score(t: tuple[str, ...], entities: list[Entity], role_office: dict[str, str] | None = None,
           raw: str = "") -> dict[str, float]:
    """The evidence for each kind of question: its cue phrases (the longest at each position, never
    inside a name), what it names, and its form; ``raw`` is the text as typed (capitals kept).

    Asked of every question, so the entities are sorted by type in one pass and each form of
    question is told by its first word."""
    role_office = role_office or {}
    names: set[int] = set()
    of_type: dict[str, list[Entity]] = {}  # in the order each type is first named
    for e in entities:
        of_type.setdefault(e.type, []).append(e)
        if e.type in NAME_TYPES:
            names.update(range(e.start, e.end))
    bounds = sorted(names)
    cues = lexicon.kind_cues()
    starts = lexicon.cue_lengths()
    scores = _NO_SCORES.copy()
    n = len(t)
    i = 0
    sat = 0.0  # what a bare "sit" lent to membership
    while i < n:
        lengths = starts.get(t[i])
        if lengths is None or i in names:
            i += 1
            continue
        room = n - i  # a cue never reaches into a name: no further than the next one
        if bounds:
            after = bisect_right(bounds, i)
            if after < len(bounds):
                room = bounds[after] - i
        hit = None
        for length in lengths:
            if length <= room:
                weights = cues.get(t[i : i + length])
                if weights:
                    hit = (weights, length)
                    break
        if hit is None:
            i += 1
            continue
        for kind, w in hit[0].items():
            scores[kind] += w
        if hit[1] == 1 and t[i] == "sit":
            sat += hit[0]["membership"]
        i += hit[1]
    if sat and "theme" in of_type and _SEATED.isdisjoint(of_type):
        # "where does domestic abuse sit", "which board does prevent sit with": where a theme
        # belongs is who leads on it; only a post, a board or a body sits on something
        scores["membership"] -= sat
        scores["lead"] += sat
    cue_lead = scores["lead"]
    when_form = lexicon.opens_with(t, lexicon.WHEN_OPENING) or lexicon.contains(t, ("how", "often"))
    asks_else = cue_lead == 0 and max(map(scores.__getitem__, _NOT_LEAD)) >= 1.5  # cues of another kind only
    roles = of_type.get("role", ())
    offices = [role_office[e.key] for e in roles if e.key in role_office]
    if offices:
        scores["chair"] += 4.0
    for typ in of_type:
        if typ == "role" and offices:
            continue
        for kind, w in _ENTITY_EVIDENCE.get(typ, {}).items():
            if typ in ("theme", "concept") and (when_form or asks_else):
                w = 1.0 if not when_form else 0.0  # a theme named in a question that asks something else
            scores[kind] += w
    if "agenda" in t and any(w in t for w in ("ask", "request", "put", "item", "add", "raise", "onto", "include", "table")):
        scores["challenge"] += 4.0  # "can our chair ask for something to go on the HWB agenda": an agenda request
    rungs = of_type.get("rung")
    if rungs:
        also_meeting = any(m.type == "meeting" and m.start < r.end and r.start < m.end for m in entities for r in rungs)
        if not also_meeting:
            scores["challenge"] += 2.5
        elif scores["challenge"] > 0:
            # "the chairs' meeting" is a step of the ladder as much as a meeting: what else is asked decides
            scores["challenge"] += 2.5
            scores["meeting"] -= 2.0
    if scores["chair"] > 0 and not lexicon.CHAIR_ACTIVITIES.isdisjoint(t) and t[:2] not in (("who", "chair"),):
        scores["chair"] *= 0.4
    if scores["chair"] > 0 and (max(map(scores.__getitem__, _NOT_CHAIR)) >= 2.0 and _GROUP_OF_OFFICES.search(raw)
                                or scores["meeting"] >= 3.0 and _CHAIRS_MEET.search(raw)):
        # "the chairs", "the business managers": a group that meets, not an office ("do the chairs of the
        # two boards have an annual meeting?")
        scores["chair"] *= 0.4
    boards = of_type.get("board", ())
    if len({b.key for b in boards}) >= 2 and any(w in ("common", "both", "between", "shared") for w in t) and (
            "member" in t or "membership" in t or "sit" in t):
        scores["membership"] += 7.0  # "the common members of the HWB and the BSCB"
    if roles and any(b.start > roles[0].start and _seated_on(t, b) for b in boards):
        if t and t[0] in lexicon.YESNO_OPENERS:
            scores["membership"] += 6.0  # "is the LSCB chair on the Children's Trust?"
    if boards and not roles and "i" in t and any("i" in t[: b.start] and _seated_on(t, b) for b in boards):
        scores["membership"] += 4.0  # "should I be on the LSCB too?", "am I a member of the HWB": the asker's seat
    if (boards or not _BOTH.isdisjoint(t)) and asks_standing(t, boards):
        scores["other"] += 6.0  # "is the LSCB above the HWB?", "is one of the two boards the senior one?"
    if boards and not roles and body_on_board(t, boards) is not None:
        scores["membership"] += 6.0  # "is the SAB on the CSP?", "which boards is the PCC represented on?"
    people = "person" in of_type
    named = not _NAMED.isdisjoint(of_type)
    if people or named:
        wh_other = lexicon.opens_with(t, _WH_OTHER)
        if people and (wh_other or t[:2] in (("who", "is"), ("whos",), ("who", "are"))):
            scores["chair"] += 3.0
        elif named and wh_other:
            scores["other"] += 2.0
    return scores


def _seated_on(t: tuple[str, ...], board: Entity) -> bool:
    """Whether the board is named as what someone is on or of ("on the LSCB", "a member of the HWB")."""
    return t[board.start - 1 : board.start] in (("on",), ("of",)) or t[board.start - 2 : board.start] in (("on", "the"), ("of", "the"))


_BOTH = frozenset(("boards", "two", "them", "either", "other", "both", "partnerships"))  # the boards together


def asks_standing(t: tuple[str, ...], boards: Sequence[Entity]) -> bool:
    """Whether one board is asked of as above, below or equal to another."""
    if len({b.key for b in boards}) < 2 and _BOTH.isdisjoint(t):
        return False
    phrases, firsts = _standing_phrases()
    if firsts.isdisjoint(t):
        return False
    named = {i for b in boards for i in range(b.start, b.end)}
    near = named | {i for i, w in enumerate(t) if w in _BOTH}
    for p in phrases:
        n = len(p)
        # words that are also of places ("above", "equal") only right beside a board named ("the LSCB above
        # the HWB", not "the moors above Burnley… either of the boards"); the others near one
        close, reach = (named, 2) if p in _PLACE_WORDS else (near, 4)
        for i in range(len(t) - n + 1):
            if t[i : i + n] == p and any(j in close for j in range(i - reach, i + n + reach)):
                return True
    return False


@cache
def _standing_phrases() -> tuple[tuple[tuple[str, ...], ...], frozenset[str]]:
    """The standing facet's phrases, and their first words (most questions have none of them)."""
    phrases = next(p for facet, p in lexicon.facet_phrases("other") if facet == "standing")
    return phrases, frozenset(p[0] for p in phrases)


_PLACE_WORDS = frozenset((("above",), ("equal",), ("sit", "under"), ("sits", "under"), ("higher", "than")))


_SEAT_WORDS = frozenset(("on", "represented", "member", "members", "part", "sit", "sits", "seat"))
# all that may stand between the board asked of and the board it may sit on: "is the SAB also a full member of the CSP"
_SEATED_BETWEEN = _SEAT_WORDS | frozenset(("sitting", "a", "the", "an", "of", "any", "one", "other", "also", "full",
                                           "voting", "formally", "in", "at", "there", "its", "their", "our", "please",
                                           "board", "boards", "partnership", "partnerships"))
_ANY_BOARD = lexicon.BOARD_WORDS


def body_on_board(t: tuple[str, ...], boards: Sequence[Entity]) -> tuple[Entity, Entity | None] | None:
    """Where a board named first is asked of as a member of another board, or of any ("is the SAB
    on the CSP?", "does the PCC sit on any of the boards?", "which boards is the SAB part of?"):
    (that board, the other board or None for any); else None."""
    if not boards:
        return None
    first = boards[0]
    other = next((b for b in boards if b.key != first.key and b.start >= first.end), None)
    between = t[first.end:other.start] if other is not None else t[first.end:]
    if _SEAT_WORDS.isdisjoint(between) or not _SEATED_BETWEEN.issuperset(between):
        return None
    if t[0] in lexicon.YESNO_OPENERS and first.start <= 3 and (other is not None or not _ANY_BOARD.isdisjoint(between)):
        return first, other
    if t[:1] in (("which",), ("what",)) and t[1:2] in (("board",), ("boards",)) and first.start <= 4 and other is None:
        return first, None
    return None


def facet_of(kind: str, t: tuple[str, ...]) -> str | None:
    """The narrower question within ``kind`` (the chair's appointment, a report's deadline): the first facet named."""
    for facet, phrases in lexicon.facet_phrases(kind):
        if any(lexicon.contains(t, p) for p in phrases):
            return facet
    return None
