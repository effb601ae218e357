"""Follow-ups ("and in Suffolk?", "who chairs it?"): whether a message leans on the conversation's
last question, and what it takes from it.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from bot.language import lexicon
from bot.language.entities import Entity
from bot.language.understanding import Understanding

if TYPE_CHECKING:
    from bot.language.conversation import Turn

# The protocol index (bot.knowledge.Knowledge / AreaKnowledge) is used by duck typing, not
# imported: bot.knowledge builds on this package, and imports point one way.
Index = Any
AreaIndex = Any


def _by_first_word(phrases: tuple[str, ...]) -> dict[str, tuple[tuple[str, ...], ...]]:
    out: dict[str, list[tuple[str, ...]]] = {}
    for p in phrases:
        words = tuple(p.split())
        out.setdefault(words[0], []).append(words)
    return {w: tuple(v) for w, v in out.items()}


# the openers as words, by their first (every message is asked whether it starts with one)
_OPENERS = _by_first_word(lexicon.FOLLOWUP_OPENERS)


def looks_like_followup(t: tuple[str, ...], u: Understanding | None) -> bool:
    """Whether a message leans on the question before it: an opener ("and …", "what about …"), a
    pronoun, or too few words of its own to be a question by itself."""
    if t and any(t[: len(o)] == o for o in _OPENERS.get(t[0], ())):
        return True
    if t and t[0] == "in" and len(t) <= 4:
        return True
    if u is None:
        return len(lexicon.content_words(t)) <= 2
    if not lexicon.PRONOUNS.isdisjoint(t) and not u.first("theme"):
        return True
    strongest = max(u.scores.values()) if u.scores else 0.0
    if strongest >= 3.0:
        return False  # too strong a question of its own to lean on the one before
    if strongest >= 2.0 and any(e.type in ("board", "subgroup", "meeting", "report", "org", "role") and e.method != "context"
                                for e in u.entities):
        return False  # "what is the FSCP for?", "is healthwatch on the HWB?": a question of its own, naming what it is about
    return len(lexicon.content_words(t)) <= 2


# words that make a follow-up a question of its own kind rather than a name in the last one's place
_NAMING_ONLY = frozenset(("who", "whos", "which", "whose", "chairing", "chaired"))


def merge(u: Understanding, turn: Turn, knowledge: Index) -> None:
    """Fill what a follow-up leaves out from the conversation's last question."""
    u.followup = True
    strongest = max(u.scores.values()) if u.scores else 0.0
    own_kind = u.kind if strongest >= 3.0 else None
    # "and the chairs?" after "how often do the business managers meet?": the chairs' meeting,
    # not who chairs; the words name another meeting's attendees, so the last one is not carried
    attendees = (own_kind == "chair" and turn.kind == "meeting" and not u.yesno and _NAMING_ONLY.isdisjoint(u.tokens)
                 and len(lexicon.content_words(u.tokens)) <= 2)
    if attendees:
        own_kind = None
    if u.theme and not own_kind and turn.kind != "lead" and not u.first("board"):
        own_kind = "lead"  # "and sexual abuse?" after a chair question is still a theme question
    u.kind = own_kind or turn.kind
    if not u.yesno and turn.yesno and not own_kind:
        u.yesno = False
    same_area = u.area == turn.area
    owned = _report_of(u, turn, knowledge) if u.kind == "report" == turn.kind and same_area else None
    if owned is not None:
        # "and the BSAB one?" after "when does the BSCB annual report go to the HWB?": the BSAB's
        # report, to the same board
        u.entities = [owned] + [replace(e, method="context", start=0, end=0) for e in turn.entities if e.type == "board"]
        return
    other = _the_other_board(u, turn, knowledge) if same_area else None
    if other is not None:
        u.entities = [*u.entities, other]
    have = {e.type for e in u.entities}
    carried: list[Entity] = []
    if u.kind == turn.kind:
        for e in turn.entities:
            if e.type in have or e.type in ("area", "place") or attendees and e.type in ("meeting", "rung"):
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


def _the_other_board(u: Understanding, turn: Turn, knowledge: Index) -> Entity | None:
    """"And the other board?" where the area has two boards and the last question was of one."""
    t = u.tokens
    if u.first("board") or "other" not in t:
        return None
    i = t.index("other")
    if i + 1 < len(t) and t[i + 1] not in ("board", "one", "partnership", "side"):
        return None
    area = knowledge.areas.get(u.area) if u.area else None
    last = next((e.key for e in turn.entities if e.type == "board"), None) or turn.focus
    if area is None or last not in area.boards or len(area.boards) != 2:
        return None
    key = next(k for k in area.boards if k != last)
    return Entity("board", key, 0, 0, area.boards[key].short_name or area.boards[key].name, "context")


def _report_of(u: Understanding, turn: Turn, knowledge: Index) -> Entity | None:
    """The same report of another board, where a follow-up names only that board as the report's
    owner ("and the BSAB one?", "what about the adults board's?"), and the area has it."""
    boards = [e for e in u.entities if e.type == "board"]
    report = next((e for e in turn.entities if e.type == "report"), None)
    if len(boards) != 1 or report is None or u.first("report") or len(lexicon.content_words(u.tokens)) > 3:
        return None
    if not _OWNER.search(u.text):
        return None
    area = knowledge.areas.get(u.area) if u.area else None
    if area is None or boards[0].key not in area.boards:
        return None
    words = tuple(report.key.split())
    for b in area.boards.values():
        old = tuple(b.short_name.lower().split())
        if words[: len(old)] == old:
            wanted = (*area.boards[boards[0].key].short_name.lower().split(), *words[len(old):])
            matcher = area.vocabulary.matchers.get("report")
            found = matcher.find_spans(wanted) if matcher is not None else []
            whole = [key for key, start, end in found if (start, end) == (0, len(wanted))]
            return Entity("report", whole[0], 0, 0, " ".join(wanted), "context") if whole else None
    return None


# a board named as a report's owner: "the BSAB one", "the adults board's"
_OWNER = re.compile(r"\bones?\b|['\u2019]s?\W*$", re.I)


def _move(e: Entity, turn: Turn, target: AreaIndex | None) -> Entity | None:
    """A board carried to another area: the board of the same kind there."""
    if e.type != "board" or target is None:
        return e if e.type != "board" else None
    kind = turn.board_kinds.get(e.key)
    if not kind:
        return None
    same = [b for b in target.protocol.boards if b.kind == kind and b.party] or [b for b in target.protocol.boards if b.kind == kind]
    return replace(e, key=same[0].key, text=same[0].short_name) if same else None
