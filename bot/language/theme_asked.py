"""Which theme a question asks about: named in the slot after "leads on" or "responsible
for", named in passing in a sentence that tells of a harm, in another form of its words, a
situation the concept table knows, or a theme no protocol here has (said so, never guessed).
"""

from __future__ import annotations

import re
import weakref
from functools import lru_cache
from typing import Any

from bot.language import lexicon
from bot.language.concepts import Concept, concepts_in, describes_harm, stems
from bot.language.entities import Entity
from bot.language.kinds import NAME_TYPES
from bot.language.normalise import last_sentence, sentence_spans, tokens
from bot.language.understanding import Understanding

# The protocol index (bot.knowledge.Knowledge / AreaKnowledge) is used by duck typing, not
# imported: bot.knowledge builds on this package, and imports point one way.
Index = Any
AreaIndex = Any


_LEAD_SLOT = tuple(lexicon.phrase_tokens(p) for p in (
    "take the lead on", "take the lead for", "have the lead on", "has the lead on", "has the lead for", "lead on", "lead for",
    "leads on", "leads for", "lead with", "lead of", "lead over", "responsible for", "responsibility for", "in charge of",
    "accountable for", "whose job is", "deal with", "deals with", "handles", "handle", "covers", "oversees", "owns",
    "champions", "talk to about", "speak to about", "contact about", "go to about", "lead in", "the lead for", "lead",
    "look after", "look at", "oversee", "ownership of", "owner of",
))


_SLOT_HEADS = frozenset("board boards partnership partnerships group body agency one".split())


_SLOT_STOP = frozenset("in please pls thanks today now here currently at the moment across county countywide borough "
                       "district patch locally round whole city".split())

# words that say which part or kind of a theme is meant ("that sort of hate crime"): no other theme
_PART_OF = frozenset("sort sorts kind kinds type types form forms aspect aspects side bit bits".split())


# "who is responsible for making sure…": a duty of a post, not a theme
_DOING = frozenset("making ensuring improving appointing holding setting keeping getting organising running chairing "
                   "writing sending producing publishing approving signing checking sure".split())


# the lead-slot cues by their first word, the longest first (at one word, only the longest found counts)
_SLOT_CUES: dict[str, tuple[tuple[str, ...], ...]] = {
    w: tuple(sorted(cues, key=len, reverse=True)) for w, cues in lexicon.by_first_word(_LEAD_SLOT).items()}


@lru_cache(maxsize=512)
def lead_slot(t: tuple[str, ...]) -> tuple[int, int] | None:
    """The span after "lead(s) on", "responsible for", "in charge of": where a theme is named
    (the last such cue, the longer of two ending at the same word)."""
    best = None
    if _SLOT_CUES.keys().isdisjoint(t):
        return None
    for i, w in enumerate(t):
        for cue in _SLOT_CUES.get(w, ()):
            n = len(cue)
            if t[i : i + n] == cue:
                start = i + n
                if best is None or start > best[0] or (start == best[0] and n > best[2]):
                    best = (start, len(t), n)
                break  # a shorter cue at this word ends sooner: it cannot be the one
    if best is None:
        return None
    start, end, _ = best
    while start < end and (t[start] in ("on", "for", "of", "over", "with", "about", "the", "a", "an", "our", "this", "that")
                           or t[start] in _SLOT_HEADS and start + 1 < end and t[start + 1] in ("for", "on", "of")):
        start += 1  # "the lead board for ASB": the board is not the theme
    return _trimmed(t, start, end)


def _trimmed(t: tuple[str, ...], start: int, end: int) -> tuple[int, int] | None:
    """A slot without the words that end a question and name no theme ("please", "across the county")."""
    while end > start and t[end - 1] in _SLOT_STOP:
        end -= 1
    return (start, end) if start < end else None


def _within_its_sentence(slot: tuple[int, int] | None, text: str, t: tuple[str, ...]) -> tuple[int, int] | None:
    """The slot cut at the end of its sentence ("…the board that has the strategic lead across the
    county. Can you confirm which one it is?": not "can you confirm" as the theme). Only where the
    message's words line up one for one with ``t`` (no abbreviation was spelled out)."""
    if slot is None or (". " not in text and "? " not in text and "! " not in text):
        return slot
    spans = sentence_spans(text, t)
    if spans is None:
        return slot
    end = next(e for _, e, _ in spans if e > slot[0])
    return _trimmed(t, slot[0], min(slot[1], end))


def not_a_theme(u: Understanding, t: tuple[str, ...]) -> bool:
    """"Who is responsible for making sure…": a post's duty or a board's, not a theme to look up."""
    slot = lead_slot(t)
    if slot is None:
        return bool(u.first("board") or u.first("role")) and not lexicon.contains(t, ("lead",))
    words = lexicon.content_words(t[slot[0] : slot[1]])
    if not words:
        return "responsible" in t or "responsibility" in t
    if any(e.type in ("board", "role") and slot[0] <= e.start < slot[1] for e in u.entities):
        return True
    return words[0] in _DOING


def _named_in_the_question(text: str, t: tuple[str, ...], theme) -> bool:
    """Whether a message of several sentences names ``theme`` in its last, the question (the
    others tell the case): "...she's now sofa surfing. Is forced marriage something any board
    leads on?" asks of forced marriage, whatever the case around it."""
    if ". " not in text and "? " not in text and "! " not in text:
        return False
    return theme.start >= len(t) - len(tokens(last_sentence(text)))


def pick_theme(u: Understanding, area: AreaIndex, knowledge: Index, t: tuple[str, ...], area_spans: set[int]) -> None:
    """Set ``u.theme`` (and how it was found, and the words that named it) from what ``t`` names."""
    themes = u.all("theme")
    slot = lead_slot(t)
    in_slot = [e for e in themes if slot and slot[0] <= e.start and e.end <= slot[1]]
    chosen = in_slot[0] if in_slot else None
    if chosen is not None and slot is not None:
        head = [w for w in t[slot[0] : chosen.start]
                if w not in lexicon.STOPWORDS and w not in lexicon.THEME_MODIFIERS and w not in _PART_OF]
        # "drink and drugs": a head word that is the same theme in other words is no other theme
        same = {_theme_for_concept(area, knowledge, c) for c in concepts_in(tuple(head))} if head else set()
        if head and chosen.key not in same and not any(knowledge.theme_vocabulary.has_word(w) for w in head):
            # "fraud and scams targeting older people": the theme asked about is the fraud, not older people
            u.theme_phrase = " ".join(w for w in t[slot[0] : slot[1]] if w not in ("in",))
            u.theme_how = "unknown"
            return
    slot = _within_its_sentence(slot, u.text, t)
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
    if chosen is not None and not in_slot and not (slot and lexicon.content_words(slot_words)) \
            and not _named_in_the_question(u.text, t, chosen):
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
    names = {i for e in u.entities if e.type in NAME_TYPES for i in range(e.start, e.end)}
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


# each area's theme names by their first stem, kept as long as the area's index is (a protocol
# imported again builds a new index, and so a new entry)
_STEMMED: weakref.WeakKeyDictionary[AreaIndex, dict[str, list[tuple[tuple[str, ...], tuple[str, ...], str]]]] = (
    weakref.WeakKeyDictionary())


def _stem_theme(area: AreaIndex, t: tuple[str, ...]) -> str | None:
    """A theme of this area whose name or alias the words hold in another form ("isolated"
    for "isolation", "hoarders" for "hoarding"): the longest such name wins."""
    index = _STEMMED.get(area)
    if index is None:
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
        _STEMMED[area] = index
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
