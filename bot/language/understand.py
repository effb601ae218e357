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

The steps live beside this module: :mod:`.kinds` (the kind and facet), :mod:`.theme_asked`
(the theme), :mod:`.followups` (what a follow-up takes from the conversation), and
:mod:`.understanding` (the result).
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cache
from typing import TYPE_CHECKING, Any

from bot.language import lexicon
from bot.language.concepts import concepts_in, has_person_at_risk
from bot.language.entities import Entity, drop_nested
from bot.language.followups import looks_like_followup, merge
from bot.language.kinds import facet_of, score
from bot.language.normalise import fold, last_sentence, tokens
from bot.language.places import gazetteer
from bot.language.posts import area_post, posts_in
from bot.language.posts import title as post_title
from bot.language.theme_asked import not_a_theme, pick_theme
from bot.language.understanding import Understanding

if TYPE_CHECKING:
    from bot.language.conversation import Turn

# The protocol index (bot.knowledge.Knowledge / AreaKnowledge) is used by duck typing, not
# imported: bot.knowledge builds on this package, and imports point one way.
Index = Any
AreaIndex = Any

__all__ = ["Understanding", "understand"]

# Abbreviations that are also ordinary words, read as abbreviations only when typed in capitals.
_CAPITAL_WORDS = {"SEND": "special educational needs and disabilities", "CIN": "children in need", "CP": "child protection"}


_CAPITALS = re.compile(r"\b(?:SEND|CIN|CP)\b")


_GREETING = frozenset("hi hello hey hiya morning afternoon evening please ok okay so quick question boardbot board um erm"
                      " thanks thank thx ta cheers great brilliant perfect lovely".split())


# the ways of asking what the protocol says of something ("does the protocol mention X?"), by first word
_MENTIONS: dict[str, tuple[tuple[str, ...], ...]] = {}
for _p in ("say about", "says about", "say anything", "says anything", "say anything about", "says anything about",
           "say anything on", "says anything on", "anything about", "anything on", "anything in", "mention", "mentions",
           "refer to", "refers to", "talk about", "talks about", "cover", "covers"):
    _words = lexicon.phrase_tokens(_p)
    _MENTIONS[_words[0]] = (*_MENTIONS.get(_words[0], ()), _words)
_NOT_TOPIC = frozenset(("the", "a", "an", "any", "anything", "about", "on", "in", "it", "its", "protocol", "document", "our", "this",
                        "please", "at", "all"))


def asking(t: tuple[str, ...]) -> list[tuple[int, tuple[str, ...]]]:
    """Each way of asking what the protocol says found in ``t`` (once each), with where it ends."""
    found: list[tuple[int, tuple[str, ...]]] = []
    for i, w in enumerate(t):
        for p in _MENTIONS.get(w, ()):
            if t[i : i + len(p)] == p and all(q != p for _, q in found):
                found.append((i + len(p), p))
    return found


def said_about(t: tuple[str, ...], asked: list[tuple[int, tuple[str, ...]]]) -> tuple[str, ...]:
    """What a message asks the protocol says anything about ("does the protocol mention air quality?",
    "anything in the protocol about county lines?"): the words after the asking (``asked``, from
    :func:`asking`), or () when it asks nothing of the kind, or asks about the protocol itself (its
    review, version, signing...)."""
    if not asked or "protocol" not in t and "document" not in t:
        return ()
    rest = list(t[max(end for end, _ in asked):])
    if "about" in rest[:4]:  # "anything in the protocol about X"
        rest = rest[rest.index("about") + 1:]
    while rest and rest[0] in _NOT_TOPIC:
        rest.pop(0)
    while rest and rest[-1] in _NOT_TOPIC:
        rest.pop()
    topic = tuple(rest)
    return topic if topic and not set(topic) <= _protocol_words() else ()


def _discount_asking(asked: list[tuple[int, tuple[str, ...]]], scores: dict[str, float]) -> None:
    """Take off what the words of the asking lent as cues ("talk about" is a meeting's cue as well):
    the kind is the topic's."""
    cues = lexicon.kind_cues()
    for _, p in asked:
        cue = next((p[:n] for n in range(len(p), 0, -1) if p[:n] in cues), None)
        for kind, w in cues.get(cue, {}).items() if cue else ():
            scores[kind] = max(0.0, scores[kind] - w)


def as_typed(words: tuple[str, ...], text: str) -> tuple[str, ...]:
    """Each word as the message typed it ("county lines", not the normalised "county line"), where one was."""
    if not words:
        return words
    typed: dict[str, str] = {}
    for w in _TYPED_WORD.findall(text):
        one = tokens(w)
        if len(one) == 1:
            typed.setdefault(one[0], w)
    return tuple(typed.get(w, w) for w in words)


_TYPED_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")


# words only the document itself has (its version, its date)
_OF_THE_DOCUMENT = frozenset("version versions history date dated updated current overdue created author authors wrote written".split())

# what names the protocol itself, so that its review is what "review" is of
_PROTOCOL_NOUNS = lexicon.DOCUMENT_WORDS | {"it", "this", "arrangements"}


@cache
def _protocol_words() -> frozenset[str]:
    """The words of the protocol's own facets (its review, version, signing...): a topic made only of
    these asks about the protocol itself ("what does the protocol say about its review")."""
    return frozenset(w for facet, phrases in lexicon.facet_phrases("protocol") if facet != "aim"
                     for p in phrases for w in p) | lexicon.STOPWORDS


def _strip(t: tuple[str, ...]) -> tuple[str, ...]:
    i = 0
    while i < len(t) - 1 and (t[i] in _GREETING or t[i] == "you" and i and t[i - 1] == "thank"):
        i += 1  # "hi", "quick question", "ta.", "thank you -" before the question
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
    if "one" not in t and "ones" not in t:
        return t
    return tuple("board" if w in ("one", "ones") and i > 0 and t[i - 1] not in lexicon.STOPWORDS
                 and t[i - 1] not in _COUNTED else w for i, w in enumerate(t))


# what is counted, not a board, before "one": "rung one", "step one"
_COUNTED = frozenset(("rung", "step", "stage", "level", "number", "option", "part", "section", "year", "day", "week"))


def _themes(area: AreaIndex, knowledge: Index, t: tuple[str, ...], blocked: set[int]) -> list[Entity]:
    """Themes named in ``t``: the area's own first, then any area's (a theme only another area
    names is still recognised, so the answer can say this protocol names no lead for it)."""
    own, anywhere = knowledge.themes_named(area, t)
    found = [Entity("theme", key, start, end, " ".join(t[start:end])) for key, start, end in own]
    for key, start, end in anywhere:
        if not any(s <= start and end <= e for _, s, e in own):
            found.append(Entity("theme", key, start, end, " ".join(t[start:end]), extra=(("elsewhere", "1"),)))
    return [e for e in drop_nested(found) if blocked.isdisjoint(range(e.start, e.end))]


def _with_posts(t: tuple[str, ...], entities: list[Entity], area: Any) -> list[Entity]:
    """``entities`` and the posts every area has (:mod:`bot.language.posts`) that the area's own
    names do not already cover. A post the protocol names in other words ("the council chief
    executive" for its "Chief Executive of Suffolk County Council") is that post of the area's;
    one it does not name is still a post (marked ``elsewhere``, so the answer says the protocol
    names no seat for it), never the words of a theme ("public health")."""
    spans = posts_in(t)
    if not spans:
        return entities
    found = []
    for key, start, end in spans:
        if any(e.start < end and start < e.end and e.end - e.start >= end - start for e in entities):
            continue
        own = area_post(area, key)
        text = " ".join(t[start:end])
        found.append(Entity("role", own, start, end, text) if own else
                     Entity("role", f"post:{key}", start, end, text, extra=(("elsewhere", "1"), ("title", post_title(key)))))
    return drop_nested(entities + found) if found else entities


_PLACE_LEAD_IN = frozenset(("in", "over", "up", "down", "for", "at", "here", "across"))


def _yes_or_no_after_place(t: tuple[str, ...], area_spans: set[int]) -> bool:
    """ "in Lancs is safer recruitment overseen by the LSCB?", "over in suffolk does the HWB…": a
    yes-or-no question after the area it is asked of."""
    if not area_spans or not t or t[0] not in _PLACE_LEAD_IN:
        return False
    i = 0
    while i < len(t) and (t[i] in _PLACE_LEAD_IN or i in area_spans):
        i += 1
    return 0 < i < len(t) and i - 1 in area_spans and t[i] in lexicon.YESNO_OPENERS


_BOARD_NOUNS = lexicon.BOARD_WORDS | {"one", "ones"}
# what, named in a "which board…" question, makes it a question of that thing, not of whose work something is
_NAMED_THINGS = frozenset(("board", "role", "person", "org", "subgroup", "meeting"))
_BEFORE_A_BOARD = frozenset(("of", "the", "our", "these", "those", "local", "statutory", "safeguarding", "two", "three", "four",
                             "five", "both", "main", "county"))


def asks_for_a_board(t: tuple[str, ...], area_spans: set[int]) -> bool:
    """Whether the message asks which board, or whether any board, does something ("which of the
    bucks partnerships has taken on…", "has any board got that on its plate?", "is there a board
    that…"), whatever verb it uses and wherever the question stands in the message ("got asked at
    the parish council which partnership heads up…")."""
    if _BOARD_NOUNS.isdisjoint(t):
        return False
    for j, w in enumerate(t):
        if w in ("which", "what"):
            i = j + 1
        elif w == "any" and j and t[j - 1] in lexicon.YESNO_OPENERS or t[j : j + 2] in (("there", "a"), ("there", "any")):
            i = j + 1 if w == "any" else j + 2
        else:
            continue
        while i < len(t) and (t[i] in _BEFORE_A_BOARD or i in area_spans):
            i += 1
        if i < len(t) - 1 and t[i] in _BOARD_NOUNS and (t[i] not in ("one", "ones") or t[i - 1] in ("the", "of")):
            return True
    return False


def _asks_whose_work(t: tuple[str, ...], top: tuple[str, float], entities: list[Entity], board_asked: bool) -> bool:
    """Whether a question the cues read weakly, or as one about the protocol, asks whose work
    something is: "who looks after deaths of all children", "who reviews the death of a child"
    (that work, not the protocol's review), "is the better care fund signed off by the SSBPB?",
    "which board commissions domestic homicide reviews?" (not the protocol's signing or review)."""
    theme = any(e.type == "theme" for e in entities)
    asks_who = t[:1] in (("who",), ("which",), ("whose",), ("where",)) or board_asked
    if asks_who and top[1] < 2.0 and theme:
        return True
    if top[0] != "protocol" or not _PROTOCOL_NOUNS.isdisjoint(t):
        return False
    if asks_who and (theme or any(c.rank == 1 for c in concepts_in(t))):
        return True
    return _OF_THE_DOCUMENT.isdisjoint(t) and (board_asked or theme and t[0] in lexicon.YESNO_OPENERS)


def _chaired_by_asker(t: tuple[str, ...], entities: list[Entity], roles: frozenset[str], area: Any) -> Entity | None:
    """The board a chair asking in the first person of themself chairs ("who am I answerable to?"),
    where the question names no board, post or person and the asker chairs exactly one board here."""
    if area is None or lexicon.FIRST_PERSON.isdisjoint(t) or any(e.type in ("board", "role", "person") for e in entities):
        return None
    chaired = [r.split(":", 1)[1] for r in roles if r.startswith("chair:")]
    if len(chaired) != 1 or chaired[0] not in area.boards:
        return None
    b = area.boards[chaired[0]]
    return Entity("board", b.key, 0, 0, b.short_name, "context")


def _means_there(t: tuple[str, ...]) -> bool:
    """Whether the words point back at the place the conversation was last about ("who chairs the
    HWB there?", "how does it work over there"), not "is there" / "there is"."""
    if "there" not in t:
        return False
    i = t.index("there")
    if i and t[i - 1] in ("over", "up", "down", "out", "in"):
        return True
    return i == len(t) - 1 and i > 1 and t[i - 1] not in ("is", "are", "was", "were", "get", "go", "be")


def asks_yes_or_no(text: str, t: tuple[str, ...]) -> bool:
    """Whether a message (``t``: its words) asks yes or no: it opens so ("is the PCC on the CSP?"),
    or its question does, after a few words set apart ("quick q, does the LSCB..."), as the last of
    several sentences ("...she's now sofa surfing. Is forced marriage something..."), as a clause
    asking back of what it named ("domestic abuse - is that the CSP?") or as a tag ("..., isn't
    it?").

    Asked of every message, so each later reading is tried only where a plain substring or a
    first or last word says it could apply."""
    if not t:
        return False
    if t[0] in lexicon.YESNO_OPENERS or t[:2] == ("is", "there"):
        return True
    if not _MAY_CONFIRM.isdisjoint(t) and "?" in text and _CONFIRMING.search(last_sentence(text)):
        return True
    if text.rstrip(" ?!.\t\n")[-8:].lower().endswith(_TAG_ENDS) and _TAG.search(text):
        return True
    sentences = ". " in text or "? " in text or "! " in text
    if not (sentences or "," in text or ";" in text or ":" in text or " -" in text or "\u2013" in text or "\u2014" in text):
        return False  # one clause, one sentence: most messages
    if sentences:
        last = last_sentence(text)
        if _opens_yes_or_no(last) or _after_preamble(last):
            return True
    if _after_preamble(text):
        return True
    # "…want to check: in Lancs, is it the HWB that…, public health and social care?": any clause that asks back
    for m in _CLAUSE_START.finditer(text):
        if _first_word(text[m.end():]) in lexicon.YESNO_OPENERS:
            clause = tokens(text[m.end():])
            if len(clause) >= 2 and clause[1] in _ASKS_BACK and (text.rstrip().endswith("?") or m.end() >= text.rfind(",")):
                return True
    return False


# where a clause starts: after a comma, semicolon, colon or dash
_CLAUSE_START = re.compile(r"[,;:]|\s[-\u2013\u2014]")
# "surely hate crime belongs to the BSAB?", "correct me if I'm wrong, but HBV is the SSBPB's?": a
# statement put to be confirmed
_MAY_CONFIRM = frozenset("surely presumably take assume presume guess guessing correct check confirm".split())
_CONFIRMING = re.compile(r"(?:^\W*|[,;:]\s*|\s[-\u2013\u2014]\s*)(?:surely|presumably|i take it|i assume|i presume|i[\u2019']?m guessing|i guess|"
                         r"correct me if i[\u2019']?m wrong,? but|just to (?:check|confirm),?|to confirm,?)\s+(?!wh|how\b)", re.I)


# "cse - is that the lscb?", "the hwb chair, is it a councillor": a yes or no asked of what the
# words before it named, in a clause of its own (after the last comma, semicolon, colon or dash)
_ASKS_BACK = frozenset(("that", "it", "this", "they", "these", "those", "she", "he", "we", "i", "you", "there"))
# "It's the SSBPB in Bucks, isn't it?", "... in the autumn, right?": a yes or no asked as a tag;
# _TAG_ENDS are its last words
_TAG = re.compile(r"(?:,|\s)\s*(?:isn['\u2019]?t it|is it|isn['\u2019]?t that|is that right|is that correct|right|correct|"
                  r"don['\u2019]?t they|doesn['\u2019]?t it|aren['\u2019]?t they|does it|do they)\W*$", re.I)
_TAG_ENDS = ("it", "that", "right", "correct", "they")
# "quick q, does the LSCB...", "sorry to bother you - is the...": a few words before the question
_PREAMBLE_END = re.compile(r",|\s[-\u2013\u2014]+|:")


def _first_word(text: str) -> str:
    """The first word as :func:`fold` has it ("Isn't" -> "isnt"), punctuation off."""
    words = text.lstrip(" \t\n-\u2013\u2014,;:(\"'\u201c").split(None, 1)
    return fold(words[0]).strip("?!.,;:)\"\u201d") if words else ""


def _opens_yes_or_no(text: str) -> bool:
    if _first_word(text) not in lexicon.YESNO_OPENERS:
        return False
    words = tokens(text)
    return bool(words) and words[0] in lexicon.YESNO_OPENERS


def _after_preamble(text: str) -> bool:
    """Whether a yes or no question follows a few words set apart by a comma, dash or colon."""
    m = _PREAMBLE_END.search(text)
    if m is None:
        return False
    before = text[:m.start()].split()
    return 1 <= len(before) <= 5 and all(w[0].isalpha() for w in before) and _opens_yes_or_no(text[m.end():])


def words(text: str) -> tuple[str, ...]:
    """The words of a message as understanding them starts: normalised, greetings and thanks off
    (what "more" and a clarifying question's options are matched against)."""
    return _strip(tokens(_CAPITALS.sub(lambda m: _CAPITAL_WORDS[m.group(0)], text)))


def stands_alone(u: Understanding) -> bool:
    """Whether the message, understood without a conversation, would be understood the same way
    in any conversation: it is no follow-up and no "more" (only a clarifying question's option,
    which :meth:`Turn.choose` tells from ``u.words``, is left to check)."""
    return not looks_like_followup(u.tokens, u) and u.words not in lexicon.more_phrases()


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
    raw = words(text)
    t = raw
    u = Understanding(text=text, tokens=t, kind="other", confidence=0.0, words=raw)
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

    uncorrected = t
    if area is not None:
        uncorrected = _expand(t, area)
        t = _board_one(area.vocabulary.correct(uncorrected, keep=gazetteer().words))
    u.tokens = t
    entities = area.vocabulary.recognise(t) if area is not None else []
    # an area's name inside a longer name ("Safer Bucks Plan") belongs to that name
    entities = [e for e in entities if e.type == "board" or not any(m.start <= e.start and e.end <= m.end for m in mentions)]
    if area is not None:
        entities = _with_posts(t, entities, area)
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
    chaired = _chaired_by_asker(t, entities, roles, area)
    if chaired is not None:
        entities = [*entities, chaired]
    u.entities = entities

    # --- what is asked
    scores = score(t, entities, area.vocabulary.role_office if area is not None else None, text)
    if chaired is not None and not lexicon.CHAIR_ASKS_OF_SELF.isdisjoint(t):
        scores["chair"] += 3.0  # "who am I accountable to?", asked by a chair: that chair's office
    asked = asking(t)
    u.says_about = as_typed(said_about(t, asked), text)
    if u.says_about:  # "does the protocol say anything about X": X is asked about, not the protocol
        scores["protocol"] = 0.0
        _discount_asking(asked, scores)
    elif scores["protocol"] > 0 and asked:
        scores["protocol"] = max(0.0, scores["protocol"] - 2.5)  # "what does the protocol say about its review": both
    if scores["lead"] > 0 and has_person_at_risk(t) and any(c.rank == 1 for c in concepts_in(t)):
        scores["lead"] += 3.0  # a case told in a sentence ("a pupil has been sharing far right videos…, which board")
    board_asked = asks_for_a_board(t, area_spans)
    weak = max(scores.values()) == scores["chair"] or max(v for k, v in scores.items() if k != "lead") < 1.0
    if board_asked and weak and not any(e.type in _NAMED_THINGS for e in entities):
        # "which of the partnerships has taken on NEET young people?", "which partnership heads up
        # school admissions?": whose work it is (a board is asked for, not who chairs one)
        scores["lead"] = max(2.0, scores["lead"], scores["chair"] + 0.5)
    u.yesno = asks_yes_or_no(text, t) or _yes_or_no_after_place(t, area_spans)
    u.ours = not lexicon.OURS.isdisjoint(t)
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    top, second = ranked[0], ranked[1]
    u.scores = scores
    u.kind = top[0] if top[1] > 0 else "other"
    when_form = lexicon.opens_with(t, lexicon.WHEN_OPENING)
    if not when_form and _asks_whose_work(t, top, entities, board_asked):
        u.kind = "lead"
    u.confidence = 0.0 if top[1] <= 0 else min(1.0, (top[1] - second[1]) / max(top[1], 1.0) + min(top[1], 6.0) / 12.0)

    # --- the theme, where one is asked about
    if area is not None:
        pick_theme(u, area, knowledge, t, area_spans)
        if u.theme_how == "unknown" and u.theme_phrase:  # a theme no protocol has: said back as it was typed
            typed = {a: b for a, b in zip(t, uncorrected, strict=True) if a != b}  # not "corrected" to a word it is not
            u.theme_phrase = " ".join(as_typed(tuple(typed.get(w, w) for w in u.theme_phrase.split()), text))
        if u.kind == "lead" and not u.theme and not_a_theme(u, t):
            u.kind = "other"  # "who is responsible for making sure a SAB exists": a post's duty, not a theme

    # --- a follow-up: lean on the conversation for what this message leaves out
    if (turn is not None and not _carried_area and not u.area_named and u.place is None and turn.area
            and turn.area != u.area and turn.area in knowledge.areas and (looks_like_followup(t, u) or _means_there(t))):
        return understand(text, knowledge, area_slug=turn.area, turn=turn, roles=roles, _carried_area=True)
    if turn is not None and looks_like_followup(t, u):
        merge(u, turn, knowledge)
    u.facet = facet_of(u.kind, t) or (turn.facet if u.followup and turn is not None and turn.kind == u.kind else None)
    return u
