"""From the words typed to what is asked: the understanding step.

    normalise -> recognise what the protocol names -> decide what is asked (with a
    confidence) -> hand a narrow question to the answer

:func:`understand` returns an :class:`Understanding`: the area the question is about (the
one it names, the one a named town lies in, or the asker's), a place boardbot has no
protocol for, every entity recognised (boards, themes, posts, people, sub-groups,
meetings, reports, ladder steps, organisations, shared items), the theme in question and
how it was found, the kind of question (who leads, who chairs, membership, meetings,
reports, challenge, sharing, the protocol, other facts) with a confidence, the facet
within the kind, whether yes or no was asked, and whether it leans on the conversation
before it ("and in Suffolk?", "who chairs it?").

The kind is decided by weighing evidence: cue phrases (:mod:`bot.language.lexicon`),
the kinds of thing named, and the form of the question. Nothing here answers; the
commands do that from the Understanding, and say plainly when the protocol is silent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from bot.language import lexicon
from bot.language.concepts import Concept, concepts_in, describes_harm, has_person_at_risk, stems
from bot.language.entities import Entity, drop_nested
from bot.language.normalise import tokens
from bot.language.places import Place, gazetteer

if TYPE_CHECKING:
    from bot.language.conversation import Turn

# The protocol index (bot.knowledge.Knowledge / AreaKnowledge) is used by duck typing, not
# imported: bot.knowledge builds on this package, and imports point one way.
Index = Any
AreaIndex = Any

_LEAD_SLOT = tuple(lexicon._norm(p) for p in (
    "take the lead on", "take the lead for", "have the lead on", "has the lead on", "has the lead for", "lead on", "lead for",
    "leads on", "leads for", "lead with", "lead of", "lead over", "responsible for", "responsibility for", "in charge of",
    "accountable for", "whose job is", "deal with", "deals with", "handles", "handle", "covers", "oversees", "owns",
    "champions", "talk to about", "speak to about", "contact about", "go to about", "lead in", "the lead for", "lead",
))
# Abbreviations that are also ordinary words, read as abbreviations only when typed in capitals.
_CAPITAL_WORDS = {"SEND": "special educational needs and disabilities", "CIN": "children in need", "CP": "child protection"}
_CAPITALS = re.compile(r"\b(?:SEND|CIN|CP)\b")
_SLOT_HEADS = frozenset("board boards partnership partnerships group body agency one".split())
_SLOT_STOP = frozenset("in please pls thanks today now here currently at the moment".split())
_GREETING = frozenset("hi hello hey morning afternoon evening please ok okay so quick question boardbot board um erm".split())
# entity types whose words are names, not evidence for a kind
_NAME_TYPES = frozenset({"board", "role", "person", "subgroup", "meeting", "report", "org", "theme"})
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
# "who is responsible for making sure…": a duty of a post, not a theme
_DOING = frozenset("making ensuring improving appointing holding setting keeping getting organising running chairing "
                   "writing sending producing publishing approving signing checking sure".split())
_GROUP_OF_OFFICES = re.compile(r"\b(?:chairs|business managers|lead officers|officers|managers)\b(?!\s*(?:of|for)\b)", re.I)
_SAYS_ABOUT = tuple(lexicon._norm(p) for p in ("say about", "says about", "say anything", "says anything", "anything about",
                                              "anything on", "mention", "mentions", "cover", "covers"))
_WH_OTHER = tuple(lexicon._norm(p) for p in ("what is", "whats", "what are", "what does", "what do", "tell me about", "describe"))


@dataclass
class Understanding:
    """What a message asks, as far as boardbot can tell."""

    text: str
    tokens: tuple[str, ...]
    kind: str
    confidence: float
    scores: dict[str, float] = field(default_factory=dict)
    area: str | None = None
    area_named: bool = False
    place: Place | None = None  # a place named that boardbot has no protocol for
    place_note: str = ""  # "Ipswich is in Suffolk."
    entities: list[Entity] = field(default_factory=list)
    theme: str | None = None  # the theme key in question
    theme_phrase: str = ""  # the words that named it (or named a theme no protocol has)
    theme_how: str = ""  # exact | corrected | concept | related | unknown | context
    facet: str | None = None
    yesno: bool = False
    ours: bool = False  # "our board", "our challenge"
    followup: bool = False
    more: bool = False  # "more": the full answer to the last question
    choice: str | None = None  # a clarifying question's option, chosen by typing it
    suggestions: tuple[str, ...] = ()  # themes of this area the question may be near (shown, never as its lead)

    def first(self, kind: str) -> Entity | None:
        return next((e for e in self.entities if e.type == kind), None)

    def all(self, kind: str) -> list[Entity]:
        return [e for e in self.entities if e.type == kind]

    def keys(self, kind: str) -> list[str]:
        return list(dict.fromkeys(e.key for e in self.entities if e.type == kind))

    def has(self, *phrases: str) -> bool:
        return any(lexicon.contains(self.tokens, lexicon._norm(p)) for p in phrases)

    def content(self) -> list[str]:
        """The question's meaningful words (for searching)."""
        return lexicon.content_words(self.tokens)

    def as_json(self) -> dict[str, object]:
        return {"kind": self.kind, "confidence": round(self.confidence, 2),
                "entities": [e.as_json() for e in self.entities]}


def _strip(t: tuple[str, ...]) -> tuple[str, ...]:
    i = 0
    while i < len(t) - 1 and t[i] in _GREETING:
        i += 1
    t = t[i:]
    while t and t[-1] in ("please", "pls", "thanks", "thank", "you", "cheers", "ta") and len(t) > 1:
        t = t[:-1]
    return t


def _expand(t: tuple[str, ...], area: AreaIndex) -> tuple[str, ...]:
    """Abbreviations the area's own vocabulary does not know, spelled out."""
    vocabulary = area.vocabulary
    table = lexicon.abbreviations()
    out: list[str] = []
    for w in t:
        full = table.get((w,))
        if full and (not vocabulary.knows(w) or w in ("ad", "ce", "bm", "coo", "ops", "cllr", "exec")):
            out.extend(full)
        else:
            out.append(w)
    return tuple(out)


def _board_one(t: tuple[str, ...]) -> tuple[str, ...]:
    """ "the adults one" -> "the adults board", so a board named by its kind is found."""
    return tuple("board" if w in ("one", "ones") and i > 0 and t[i - 1] not in lexicon.STOPWORDS else w
                 for i, w in enumerate(t))


def _score(t: tuple[str, ...], entities: list[Entity], role_office: dict[str, str] | None = None,
           raw: str = "") -> dict[str, float]:
    role_office = role_office or {}
    names = set()
    for e in entities:
        if e.type in _NAME_TYPES:
            names.update(range(e.start, e.end))
    cues = lexicon.kind_cues()
    longest = lexicon.cue_max_len()
    scores: dict[str, float] = dict.fromkeys(lexicon.KINDS, 0.0)
    i = 0
    while i < len(t):
        if i in names:
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


def _facet(kind: str, t: tuple[str, ...]) -> str | None:
    for facet, phrases in lexicon.facet_phrases(kind):
        if any(lexicon.contains(t, p) for p in phrases):
            return facet
    return None


def _lead_slot(t: tuple[str, ...]) -> tuple[int, int] | None:
    """The span after "lead(s) on", "responsible for", "in charge of": where a theme is named."""
    best = None
    for cue in _LEAD_SLOT:
        n = len(cue)
        for i in range(len(t) - n + 1):
            if t[i : i + n] == cue:
                start = i + n
                if best is None or start > best[0] or (start == best[0] and n > best[2]):
                    best = (start, len(t), n)
    if best is None:
        return None
    start, end, _ = best
    while start < end and (t[start] in ("on", "for", "of", "over", "with", "about", "the", "a", "an", "our", "this", "that")
                           or t[start] in _SLOT_HEADS and start + 1 < end and t[start + 1] in ("for", "on", "of")):
        start += 1  # "the lead board for ASB": the board is not the theme
    while end > start and t[end - 1] in _SLOT_STOP:
        end -= 1
    return (start, end) if start < end else None


def _themes(area: AreaIndex, knowledge: Index, t: tuple[str, ...], blocked: set[int]) -> list[Entity]:
    """Themes named in ``t``: the area's own first, then any area's (a theme only another area
    names is still recognised, so the answer can say this protocol names no lead for it)."""
    found: list[Entity] = []
    for m in area.themes_in(t):
        found.append(Entity("theme", m.key, m.start, m.end, " ".join(t[m.start : m.end])))
    for m in knowledge.themes_in(t):
        if any(e.start <= m.start and m.end <= e.end for e in found):
            continue
        found.append(Entity("theme", m.key, m.start, m.end, " ".join(t[m.start : m.end]), extra=(("elsewhere", "1"),)))
    return [e for e in drop_nested(found) if not any(i in blocked for i in range(e.start, e.end))]


def understand(
    text: str,
    knowledge: Index,
    *,
    area_slug: str | None,
    turn: Turn | None = None,
    roles: frozenset[str] = frozenset(),
    _carried_area: bool = False,
) -> Understanding:
    """What ``text`` asks, in the area it is about. ``turn`` is the conversation so far."""
    raw = _strip(tokens(_CAPITALS.sub(lambda m: _CAPITAL_WORDS[m.group(0)], text)))
    t = raw
    u = Understanding(text=text, tokens=t, kind="other", confidence=0.0)
    if not t:
        return u

    # --- "more", or a clarifying question's option, answered by typing it
    if turn is not None:
        if t in lexicon.more_phrases() and turn.more:
            return replace(u, kind=turn.kind, more=True, followup=True, area=turn.area, confidence=1.0)
        choice = turn.choose(t)
        if choice is not None:
            return replace(u, kind=turn.kind, choice=choice, followup=True, area=turn.area, confidence=1.0)

    # --- the area: named, or the one a named town lies in, or the conversation's, or the asker's
    mentions = knowledge.area_matcher.find_all(t)
    area_spans: set[int] = set()
    for m in mentions:
        area_spans.update(range(m.start, m.end))
    slug = area_slug
    if mentions:
        slug, u.area_named = mentions[-1].key, True
    area = knowledge.areas.get(slug) if slug else None
    if area is None and len(knowledge.areas) == 1:
        area = next(iter(knowledge.areas.values()))

    if area is not None:
        t = _board_one(area.vocabulary.correct(_expand(t, area), keep=gazetteer().words))
    u.tokens = t
    entities = area.vocabulary.recognise(t) if area is not None else []
    # an area's name inside a longer name ("Safer Bucks Plan") belongs to that name
    entities = [e for e in entities if e.type == "board" or not any(m.start <= e.start and e.end <= m.end for m in mentions)]
    blocked = {i for e in entities if e.type in ("board", "role", "org", "person", "subgroup") for i in range(e.start, e.end)}

    if not mentions:
        found = gazetteer().find(t, text, blocked=frozenset(blocked | area_spans))
        if found:
            mention = found[-1]
            covered = knowledge.area_for_place(mention.place.authority)
            if covered:
                if covered != (area.slug if area else None):
                    return understand(text, knowledge, area_slug=covered, turn=turn, roles=roles, _carried_area=_carried_area)
                if mention.place.name.lower() != (area.name.lower() if area else ""):
                    u.place_note = f"{mention.place.name} is in {area.name if area else covered}."
            else:
                u.place = mention.place
            area_spans.update(range(mention.start, mention.end))

    if area is not None:
        theme_entities = _themes(area, knowledge, t, area_spans)
        entities = drop_nested(entities + theme_entities)
    u.area = area.slug if area else slug
    u.entities = entities

    # --- what is asked
    scores = _score(t, entities, area.vocabulary.role_office if area is not None else None, text)
    if scores["protocol"] > 0 and any(lexicon.contains(t, p) for p in _SAYS_ABOUT):
        scores["protocol"] = max(0.0, scores["protocol"] - 2.5)  # "what does the protocol say about X": X is asked about
    if scores["lead"] > 0 and has_person_at_risk(t) and any(c.rank == 1 for c in concepts_in(t)):
        scores["lead"] += 3.0  # a case told in a sentence ("a pupil has been sharing far right videos…, which board")
    u.yesno = bool(t) and (t[0] in lexicon.YESNO_OPENERS or t[:2] == ("is", "there"))
    u.ours = any(w in lexicon.OURS for w in t)
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    top, second = ranked[0], ranked[1]
    u.scores = scores
    u.kind = top[0] if top[1] > 0 else "other"
    when_form = any(t[: len(p)] == p for p in lexicon.WHEN_OPENERS)
    if top[1] < 2.0 and not when_form and t[:1] in (("who",), ("which",), ("whose",), ("where",)) and any(
            e.type == "theme" for e in entities):
        u.kind = "lead"
    u.confidence = 0.0 if top[1] <= 0 else min(1.0, (top[1] - second[1]) / max(top[1], 1.0) + min(top[1], 6.0) / 12.0)

    # --- the theme, where one is asked about
    if area is not None:
        _pick_theme(u, area, knowledge, t, area_spans)
        if u.kind == "lead" and not u.theme and _not_a_theme(u, t):
            u.kind = "other"  # "who is responsible for making sure a SAB exists": a post's duty, not a theme

    # --- a follow-up: lean on the conversation for what this message leaves out
    if (turn is not None and not _carried_area and not u.area_named and u.place is None and turn.area
            and turn.area != u.area and turn.area in knowledge.areas and _looks_like_followup(t, u)):
        return understand(text, knowledge, area_slug=turn.area, turn=turn, roles=roles, _carried_area=True)
    if turn is not None and _looks_like_followup(t, u):
        _merge(u, turn, knowledge)
    u.facet = _facet(u.kind, t) or (turn.facet if u.followup and turn is not None and turn.kind == u.kind else None)
    return u


def _not_a_theme(u: Understanding, t: tuple[str, ...]) -> bool:
    slot = _lead_slot(t)
    if slot is None:
        return bool(u.first("board") or u.first("role")) and not lexicon.contains(t, ("lead",))
    words = lexicon.content_words(t[slot[0] : slot[1]])
    if not words:
        return "responsible" in t or "responsibility" in t
    if any(e.type in ("board", "role") and slot[0] <= e.start < slot[1] for e in u.entities):
        return True
    return words[0] in _DOING


def _looks_like_followup(t: tuple[str, ...], u: Understanding | None) -> bool:
    if any(t[: len(o.split())] == tuple(o.split()) for o in lexicon.FOLLOWUP_OPENERS):
        return True
    if t and t[0] == "in" and len(t) <= 4:
        return True
    if u is None:
        return len(lexicon.content_words(t)) <= 2
    words = lexicon.content_words(t)
    if any(w in lexicon.PRONOUNS for w in t) and not u.first("theme"):
        return True
    strongest = max(u.scores.values()) if u.scores else 0.0
    if strongest >= 2.0 and any(e.type in ("board", "subgroup", "meeting", "report", "org", "role") and e.method != "context"
                                for e in u.entities):
        return False  # "what is the FSCP for?", "is healthwatch on the HWB?": a question of its own, naming what it is about
    return len(words) <= 2 and strongest < 3.0


def _merge(u: Understanding, turn: Turn, knowledge: Index) -> None:
    """Fill what a follow-up leaves out from the conversation's last question."""
    u.followup = True
    strongest = max(u.scores.values()) if u.scores else 0.0
    own_kind = u.kind if strongest >= 3.0 else None
    if u.theme and not own_kind and turn.kind != "lead" and not u.first("board"):
        own_kind = "lead"  # "and sexual abuse?" after a chair question is still a theme question
    u.kind = own_kind or turn.kind
    if not u.yesno and turn.yesno and not own_kind:
        u.yesno = False
    same_area = u.area == turn.area
    have = {e.type for e in u.entities}
    carried: list[Entity] = []
    if u.kind == turn.kind:
        for e in turn.entities:
            if e.type in have or e.type in ("area", "place"):
                continue
            if e.type == "theme" and u.theme:
                continue
            if e.type == "board" and ("theme" in have or "subgroup" in have or "role" in have and u.kind != "membership"):
                continue
            carried.append(replace(e, method="context", start=0, end=0))
    elif "board" not in have and turn.focus:
        carried.append(Entity("board", turn.focus, 0, 0, turn.focus, "context"))
    if not same_area and u.area:
        target = knowledge.areas.get(u.area)
        carried = [c for c in (_move(c, turn, target) for c in carried) if c is not None]
    u.entities = u.entities + carried
    if not u.theme and turn.theme and u.kind == "lead" and "board" not in have:
        u.theme, u.theme_phrase, u.theme_how = turn.theme, turn.theme_phrase, "context"
        if u.area and u.area != turn.area:
            target = knowledge.areas.get(u.area)
            if target is not None and turn.theme not in target.themes:
                u.theme_how = "context"
    if turn.place and not u.place and not u.area_named and same_area and turn.area == u.area:
        u.place = turn.place if not carried else None


def _move(e: Entity, turn: Turn, target: AreaIndex | None) -> Entity | None:
    """A board carried to another area: the board of the same kind there."""
    if e.type != "board" or target is None:
        return e if e.type != "board" else None
    kind = turn.board_kinds.get(e.key)
    if not kind:
        return None
    same = [b for b in target.protocol.boards if b.kind == kind and b.party] or [b for b in target.protocol.boards if b.kind == kind]
    return replace(e, key=same[0].key, text=same[0].short_name) if same else None


def _pick_theme(u: Understanding, area: AreaIndex, knowledge: Index, t: tuple[str, ...], area_spans: set[int]) -> None:
    themes = u.all("theme")
    slot = _lead_slot(t)
    in_slot = [e for e in themes if slot and slot[0] <= e.start and e.end <= slot[1]]
    chosen = in_slot[0] if in_slot else None
    if chosen is not None and slot is not None:
        head = [w for w in t[slot[0] : chosen.start] if w not in lexicon.STOPWORDS and w not in lexicon.THEME_MODIFIERS]
        # "drink and drugs": a head word that is the same theme in other words is no other theme
        same = {_theme_for_concept(area, knowledge, c) for c in concepts_in(tuple(head))} if head else set()
        if head and chosen.key not in same and not any(knowledge.theme_vocabulary.has_word(w) for w in head):
            # "fraud and scams targeting older people": the theme asked about is the fraud, not older people
            u.theme_phrase = " ".join(w for w in t[slot[0] : slot[1]] if w not in ("in",))
            u.theme_how = "unknown"
            return
    slot_words = []
    if slot:
        slot_words = [w for i, w in enumerate(t[slot[0] : slot[1]], slot[0]) if i not in area_spans]
        slot_words = [w for w in slot_words if w not in ("in", "for", "at")] if not chosen else slot_words
    if chosen is None and themes and (slot is None or not lexicon.content_words(slot_words)):
        chosen = max(themes, key=lambda e: (e.end - e.start, e.get("elsewhere") != "1"))
    if chosen is None and themes and slot is not None:
        # a theme named outside the slot, the slot itself naming no theme: a case told around it
        slot_content = [w for w in lexicon.content_words(slot_words) if w not in lexicon.cue_words()]
        if not slot_content:
            chosen = max(themes, key=lambda e: e.end - e.start)
    if chosen is not None and not in_slot and not (slot and lexicon.content_words(slot_words)):
        # a theme named in passing ("an elderly resident…", "…sell drugs for a gang") in a sentence that
        # tells of a harm: the harm this area's protocol names is what is asked about
        local = chosen.get("elsewhere") != "1"
        if not local:
            outside = tuple("_" if chosen.start <= i < chosen.end else w for i, w in enumerate(t))
            key = _stem_theme(area, outside)
            if key is not None:  # "isolated older people": this area's "social isolation", not another's older people
                u.theme, u.theme_phrase, u.theme_how = key, chosen.text, "corrected"
                return
        if not local or _related(knowledge, t, chosen) or describes_harm(t):
            found = _local_concept(area, knowledge, t, chosen, max_rank=2 if local else 3)
            if found is not None:
                key, phrase = found
                u.theme, u.theme_phrase, u.theme_how = key, phrase, "concept"
                u.entities.append(Entity("concept", key, 0, 0, phrase, "concept"))
                return
    if chosen is not None:
        u.theme, u.theme_phrase = chosen.key, chosen.text
        u.theme_how = "exact"
        if chosen.end - chosen.start == 1 and chosen.start > 0:
            before = t[chosen.start - 1]
            known = knowledge.theme_vocabulary.has_word(before) or before in lexicon.STOPWORDS or before in lexicon.cue_words()
            if not known and not before.isdigit():
                u.theme_how = "related"  # "knife crime" is not "crime"
                u.theme_phrase = f"{before} {chosen.text}"
        return
    # no theme named: a situation told in a sentence, or a theme no protocol here has
    names = {i for e in u.entities if e.type in _NAME_TYPES for i in range(e.start, e.end)}
    residual = tuple(w if i not in names and i not in area_spans else "_" for i, w in enumerate(t))
    region = residual[slot[0] : slot[1]] if slot and lexicon.content_words(slot_words) else residual
    key = _stem_theme(area, region)
    if key is not None:  # the area's own theme, in another form of its words
        u.theme, u.theme_how = key, "corrected"
        u.theme_phrase = " ".join(w for w in region if w != "_")
        return
    concepts = concepts_in(region) or (concepts_in(residual) if region is not residual else [])
    explicit_slot = bool(slot) and bool(lexicon.content_words(slot_words)) and len(lexicon.content_words(slot_words)) <= 5
    named_harm = any(c.rank == 1 for c in concepts)
    for c in concepts:
        if c.rank == 3 and (explicit_slot or named_harm):
            # a named harm this protocol gives no lead is not the general safeguarding of a child; shown as near
            general = _theme_for_concept(area, knowledge, c) if named_harm else None
            if general and general in area.themes:
                u.suggestions = (*u.suggestions, general)
            continue
        key = _theme_for_concept(area, knowledge, c)
        if key and key in area.themes:
            u.theme, u.theme_phrase, u.theme_how = key, c.phrase, "concept"
            u.entities.append(Entity("concept", key, 0, 0, c.phrase, "concept"))
            return
    if concepts and not (explicit_slot and all(c.rank == 3 for c in concepts)):
        first = next((c for c in concepts if not (explicit_slot and c.rank == 3)), concepts[0])
        key = _theme_for_concept(area, knowledge, first)
        u.theme, u.theme_phrase, u.theme_how = key, first.phrase, "concept" if key else "unknown"
        u.entities.append(Entity("concept", key or first.phrase, 0, 0, first.phrase, "concept"))
        return
    if explicit_slot:
        phrase = " ".join(w for w in slot_words if w != "_")
        found = area.theme_matcher.lookup(phrase)
        if found.match is None:
            found = knowledge.theme_vocabulary.lookup(phrase, fuzzy=len(knowledge.theme_vocabulary) <= 5000)
        if found.match is not None and found.match.method in ("fuzzy", "corrected"):
            u.theme, u.theme_phrase, u.theme_how = found.match.key, phrase, "corrected"
            return
        u.theme_phrase, u.theme_how = _tidy(phrase), "unknown"


_STEMMED: dict[tuple[str, int], dict[str, list[tuple[tuple[str, ...], tuple[str, ...], str]]]] = {}


def _stem_theme(area: AreaIndex, t: tuple[str, ...]) -> str | None:
    """A theme of this area whose name or alias the words hold in another form ("isolated"
    for "isolation", "hoarders" for "hoarding"): the longest such name wins."""
    cache_key = (area.slug, id(area.protocol))
    index = _STEMMED.get(cache_key)
    if index is None:
        if len(_STEMMED) > 4096:
            _STEMMED.clear()
        names: list[tuple[tuple[str, ...], tuple[str, ...], str]] = []
        for theme in area.protocol.themes:
            for name in (re.sub(r"\([^)]*\)", "", theme.name), *theme.aliases):
                words = tokens(name)
                if lexicon.content_words(words):
                    names.append((stems(words), words, theme.key))
        names.sort(key=lambda x: -len(x[0]))
        index = {}
        for entry in names:  # by first stem, longest first
            index.setdefault(entry[0][0], []).append(entry)
        _STEMMED[cache_key] = index
    st = stems(t)
    best: tuple[int, str] | None = None
    for i, w in enumerate(st):
        for phrase, words, key in index.get(w, ()):
            n = len(phrase)
            if st[i : i + n] == phrase and all(_same_sense(x, a) for x, a in zip(t[i : i + n], words, strict=True)):
                if best is None or n > best[0]:
                    best = (n, key)
                break
    return best[1] if best else None


_DERIVED = ("ion", "ed", "ing", "es")


def _same_sense(typed: str, name: str) -> bool:
    """ "isolated" is "isolation", but "prevention" is not "Prevent": a noun in -ion meets only
    another derived form, never the bare word it is made from."""
    if typed == name:
        return True
    return not (typed.endswith("ion") and not name.endswith(_DERIVED) or name.endswith("ion") and not typed.endswith(_DERIVED))


def _related(knowledge: Index, t: tuple[str, ...], chosen: Entity) -> bool:
    """ "knife crime" is not "crime": a one-word theme with an unknown word before it."""
    if chosen.end - chosen.start != 1 or chosen.start == 0:
        return False
    before = t[chosen.start - 1]
    return not (knowledge.theme_vocabulary.has_word(before) or before in lexicon.STOPWORDS or before in lexicon.cue_words()
                or before.isdigit())


def _local_concept(area: AreaIndex, knowledge: Index, t: tuple[str, ...], chosen: Entity,
                   max_rank: int) -> tuple[str, str] | None:
    """The first situation concept, beyond ``chosen``'s own words, that names a theme of this area."""
    for c in concepts_in(t):
        if c.rank > max_rank or (c.end > c.start and chosen.start <= c.start and c.end <= chosen.end):
            continue
        key = _theme_for_concept(area, knowledge, c)
        if key and key in area.themes and key != chosen.key:
            return key, c.phrase
    return None


def _theme_for_concept(area: AreaIndex, knowledge: Index, c: Concept) -> str | None:
    """The area's own theme under any of the concept's names; else any area's under its first."""
    for i, name in enumerate(c.names):
        words = tokens(name)
        local = area.themes_in(words)
        if i > 0:
            local = [m for m in local if m.end - m.start == len(words)]  # another name, whole: "knife crime" is not "crime"
        if local:
            return max(local, key=lambda m: m.end - m.start).key
    return _theme_for_phrase(area, knowledge, c.phrase)


def _theme_for_phrase(area: AreaIndex, knowledge: Index, phrase: str) -> str | None:
    t = tokens(phrase)
    local = area.themes_in(t)
    if local:
        return max(local, key=lambda m: m.end - m.start).key
    anywhere = knowledge.themes_in(t)
    return max(anywhere, key=lambda m: m.end - m.start).key if anywhere else None


def _tidy(phrase: str) -> str:
    return re.sub(r"\s+", " ", phrase).strip()
