"""Which kind of question a message is (who leads, who chairs, membership, meetings, …): the
evidence of its cue phrases, of the kinds of thing it names and of its form, weighed; and
the facet within the kind.
"""

from __future__ import annotations

import re

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


_GROUP_OF_OFFICES = re.compile(r"\b(?:chairs|business managers|lead officers|officers|managers)\b(?!\s*(?:of|for)\b)", re.I)


_WH_OTHER = tuple(lexicon.phrase_tokens(p) for p in ("what is", "whats", "what are", "what does", "what do", "tell me about", "describe"))


def score(t: tuple[str, ...], entities: list[Entity], role_office: dict[str, str] | None = None,
           raw: str = "") -> dict[str, float]:
    """The evidence for each kind of question: its cue phrases (the longest at each position, never
    inside a name), what it names, and its form; ``raw`` is the text as typed (capitals kept)."""
    role_office = role_office or {}
    names = set()
    for e in entities:
        if e.type in NAME_TYPES:
            names.update(range(e.start, e.end))
    cues = lexicon.kind_cues()
    starts = lexicon.cue_lengths()
    scores: dict[str, float] = dict.fromkeys(lexicon.KINDS, 0.0)
    i = 0
    while i < len(t):
        longest = starts.get(t[i], 0)
        if not longest or i in names:
            i += 1
            continue
        hit = None
        for length in range(min(longest, len(t) - i), 0, -1):
            span = range(i, i + length)
            if any(j in names for j in span):
                continue
            weights = cues.get(t[i : i + length])
            if weights:
                hit = (weights, length)
                break
        if hit is None:
            i += 1
            continue
        for kind, w in hit[0].items():
            scores[kind] += w
        i += hit[1]
    cue_lead = scores["lead"]
    other_cue = max(v for k, v in scores.items() if k != "lead")
    when_form = any(t[: len(p)] == p for p in lexicon.WHEN_OPENERS) or lexicon.contains(t, ("how", "often"))
    offices = [role_office[e.key] for e in entities if e.type == "role" and e.key in role_office]
    if offices:
        scores["chair"] += 4.0
    seen: set[str] = set()
    for e in entities:
        if e.type in seen or e.type == "role" and offices:
            continue
        seen.add(e.type)
        for kind, w in _ENTITY_EVIDENCE.get(e.type, {}).items():
            if e.type in ("theme", "concept") and (when_form or cue_lead == 0 and other_cue >= 1.5):
                w = 1.0 if not when_form else 0.0  # a theme named in a question that asks something else
            scores[kind] += w
    if "agenda" in t and any(w in t for w in ("ask", "request", "put", "item", "add", "raise", "onto", "include", "table")):
        scores["challenge"] += 4.0  # "can our chair ask for something to go on the HWB agenda": an agenda request
    rungs = [e for e in entities if e.type == "rung"]
    if rungs:
        also_meeting = any(m.type == "meeting" and m.start < r.end and r.start < m.end for m in entities for r in rungs)
        if not also_meeting:
            scores["challenge"] += 2.5
        elif scores["challenge"] > 0:
            # "the chairs' meeting" is a step of the ladder as much as a meeting: what else is asked decides
            scores["challenge"] += 2.5
            scores["meeting"] -= 2.0
    if scores["chair"] > 0 and any(w in lexicon.CHAIR_ACTIVITIES for w in t) and t[:2] not in (("who", "chair"),):
        scores["chair"] *= 0.4
    if scores["chair"] > 0 and max(v for k, v in scores.items() if k != "chair") >= 2.0 and _GROUP_OF_OFFICES.search(raw):
        scores["chair"] *= 0.4  # "the chairs", "the business managers": a group that meets, not an office
    roles = [e for e in entities if e.type == "role"]
    boards = [e for e in entities if e.type == "board"]
    if len({b.key for b in boards}) >= 2 and any(w in ("common", "both", "between", "shared") for w in t) and (
            "member" in t or "membership" in t or "sit" in t):
        scores["membership"] += 7.0  # "the common members of the HWB and the BSCB"
    if roles and any(b.start > roles[0].start and b.start > 0 and t[b.start - 1] in ("on", "of") or
                     b.start > 1 and t[b.start - 2 : b.start] in (("on", "the"), ("of", "the")) for b in boards):
        if t and t[0] in lexicon.YESNO_OPENERS:
            scores["membership"] += 6.0  # "is the LSCB chair on the Children's Trust?"
    named = [e for e in entities if e.type in ("board", "subgroup", "role", "report", "meeting")]
    people = [e for e in entities if e.type == "person"]
    wh_other = any(t[: len(p)] == p for p in _WH_OTHER)
    if people and (wh_other or t[:2] in (("who", "is"), ("whos",), ("who", "are"))):
        scores["chair"] += 3.0
    elif named and wh_other:
        scores["other"] += 2.0
    return scores


def facet_of(kind: str, t: tuple[str, ...]) -> str | None:
    """The narrower question within ``kind`` (the chair's appointment, a report's deadline): the first facet named."""
    for facet, phrases in lexicon.facet_phrases(kind):
        if any(lexicon.contains(t, p) for p in phrases):
            return facet
    return None
