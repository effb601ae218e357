"""Recognising what a question names, in the words of one area's protocol.

An area's protocol names boards, themes, posts, people, sub-groups, recurring meetings,
reports, the steps of its challenge ladder, the organisations on its boards and the
things it shares (minutes, agendas, annual plans). :class:`Vocabulary` indexes every name
and alias of each once per area (built on the first question about the area, not at
start-up), and :meth:`Vocabulary.recognise` finds them all in a question's tokens, as
:class:`Entity` spans. Spelling slips are corrected word by word against the area's own
vocabulary first (rapidfuzz), so "privatly fosterd" finds private fostering.

Where one name sits inside a longer one ("safeguarding adults" inside "Safeguarding Adults
Board") the longer wins; two things named by the same words (the Corporate Parenting
Panel and the corporate parenting theme) are both kept, for the question's kind to decide.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rapidfuzz import fuzz, process
from rapidfuzz.distance import DamerauLevenshtein

from bot.language import lexicon
from bot.language.english import is_word, same_word
from bot.language.match import PhraseMatcher
from bot.language.normalise import tokens

if TYPE_CHECKING:
    from storage.protocol.schema import Protocol

_PAREN = re.compile(r"\(([^)]*)\)")
_HONORIFICS = frozenset("councillor county cllr mr mrs ms miss dr prof professor sir dame obe mbe cbe qpm the".split())
_GENERIC_HEADS = frozenset("council trust partnership service board group team panel committee".split())

# Things boards share, by what people call them (the schema's SharedItem names).
ITEMS: dict[str, tuple[str, ...]] = {
    "minutes": ("minutes", "board minutes", "meeting minutes", "minute"),
    "agendas": ("agendas", "agenda", "copies of agendas"),
    "annual_plans": ("annual plans", "annual plan", "plans", "business plans", "work plans", "work plan"),
    "annual_reports": ("annual reports",),
    "strategies": ("strategies", "strategy", "plans and strategies"),
    "inspection_reports": ("inspection reports", "inspection report", "inspections", "ofsted reports"),
    "information": ("information", "info", "intelligence", "data"),
}

# The steps of a challenge ladder by what people call them, per rung kind.
RUNG_WORDS: dict[str, tuple[str, ...]] = {
    "written_request": ("written request", "formal written request", "letter", "write to", "wrote to", "writing to",
                        "formal request", "request for information"),
    "agenda_item": ("agenda item", "item on the agenda", "item on their agenda", "item on the hwb agenda", "on their agenda",
                    "item on another board agenda", "item on their meeting agenda", "an item"),
    "chairs_meeting": ("meeting of chairs", "meeting of the chairs", "meeting between chairs", "meeting between the chairs",
                       "chairs meeting", "meeting with the chair", "meeting with their chair", "meeting with the other chair"),
    "resolution_meeting": ("resolution meeting", "resolution"),
}


_MAX_FIXES = 20_000  # words whose correction an area's vocabulary remembers (about 2 MB at most)


@dataclass(frozen=True)
class Entity:
    """One thing a question names: its type, its key in the area, the words that named it."""

    type: str  # board theme role person subgroup meeting report rung org item concept area place
    key: str
    start: int
    end: int
    text: str = ""
    method: str = "exact"  # exact | corrected | concept | context
    extra: tuple[tuple[str, str], ...] = ()  # e.g. a person's board and office

    def get(self, name: str, default: str = "") -> str:
        return dict(self.extra).get(name, default)

    def as_json(self) -> dict[str, str]:
        out = {"type": self.type, "key": self.key, "text": self.text}
        if self.method != "exact":
            out["how"] = self.method
        return out


@dataclass
class Vocabulary:
    """Every name one area's protocol uses, indexed for :meth:`recognise`."""

    matchers: dict[str, PhraseMatcher]
    person_info: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    role_office: dict[str, str] = field(default_factory=dict)  # post key -> "chair" | "manager" (offices, not seats)
    corrigible: frozenset[str] = frozenset()  # the area's own words: what spelling slips are corrected to
    _words: list[str] | None = None
    _slip_words: list[str] | None = None
    _fixes: dict[str, str] = field(default_factory=dict, repr=False, compare=False)  # word -> correction
    _starts: dict[str, frozenset[str]] | None = field(default=None, repr=False, compare=False)  # word -> kinds

    def knows(self, w: str) -> bool:
        """A word never "corrected": the area's own, a function word, or one of the lexicon's."""
        return w in self.corrigible or w in lexicon.STOPWORDS or w in lexicon.cue_words()

    @property
    def words(self) -> list[str]:
        if self._words is None:
            self._words = sorted(w for w in self.corrigible if len(w) >= 5 and not w.isdigit())
        return self._words

    def recognise(self, t: tuple[str, ...], *, skip: Iterable[str] = ()) -> list[Entity]:
        """Every entity named in ``t``; nested names give way to the longer one."""
        skipped = set(skip)
        starts = self._starts if self._starts is not None else self._phrase_starts()
        named = {kind for w in t if w in starts for kind in starts[w]}
        found: list[Entity] = []
        for kind, matcher in self.matchers.items():
            if kind in skipped or kind not in named:
                continue
            for key, start, end in matcher.find_spans(t):
                extra = self.person_info.get(key, ()) if kind == "person" else ()
                found.append(Entity(kind, key, start, end, " ".join(t[start:end]), "exact", extra))
        return drop_nested(found)

    def _phrase_starts(self) -> dict[str, frozenset[str]]:
        """Each word some name starts with, and the kinds of thing whose names do: a question is
        matched only against the kinds it can name (most of a dozen kinds have no name starting
        with any of its words), worked out once per area rather than by each kind per question."""
        kinds: dict[str, set[str]] = {}
        for kind, matcher in self.matchers.items():
            for w in matcher.first_words():
                kinds.setdefault(w, set()).add(kind)
        self._starts = {w: frozenset(k) for w, k in kinds.items()}
        return self._starts

    def correct(self, t: tuple[str, ...], *, keep: frozenset[str] = frozenset()) -> tuple[str, ...]:
        """``t`` with words the area does not know replaced by close ones it does: never a word of
        ``keep``, nor an English word of its own (:mod:`bot.language.english`)."""
        out = []
        fixes = self._fixes
        for w in t:
            if len(w) < 5 or w.isdigit() or w in keep or self.knows(w):
                out.append(w)
                continue
            fixed = fixes.get(w)
            if fixed is None:
                if len(fixes) >= _MAX_FIXES:
                    fixes.clear()
                fixed = self._closest(w)
                if fixed != w and not same_word(w, fixed) and is_word(w):
                    fixed = w  # a word of its own, not a slip: "police" is not the protocol's "policy"
                fixes[w] = fixed
            out.append(fixed)
        return tuple(out)

    def _closest(self, w: str) -> str:
        """The area's word ``w`` is a slip for, or ``w`` itself. Worked out once per word: the
        same unknown word comes back in question after question, and the search is the
        costliest step of reading one."""
        if not self.words:
            return w
        cutoff = 86 if len(w) <= 7 else 84
        best = process.extractOne(w, self.words, scorer=fuzz.ratio, score_cutoff=cutoff)
        # a longer word built on a known one ("prevention", "prevent") is another word, not a slip
        if best and (w.startswith(best[0]) or best[0].startswith(w)) and abs(len(w) - len(best[0])) >= 2:
            best = None
        if best is None:
            # one slip of the keys: a letter missed, added, changed or two swapped ("saftey", "helth", "comunity");
            # words of four letters or fewer are left alone ("slow" is not "show", "form" not "from")
            slip = process.extractOne(w, self.slip_words, scorer=DamerauLevenshtein.distance, score_cutoff=1)
            if slip and slip[0][0] == w[0] and not (slip[0].startswith(w) and len(slip[0]) > len(w) + 1):
                best = slip
        return best[0] if best else w

    @property
    def slip_words(self) -> list[str]:
        """The area's own words and the lexicon's, that a one-key slip is corrected to."""
        if self._slip_words is None:
            self._slip_words = sorted({w for w in self.corrigible | lexicon.cue_words()
                                       if len(w) >= 4 and not w.isdigit() and w not in lexicon.STOPWORDS})
        return self._slip_words


def drop_nested(found: list[Entity]) -> list[Entity]:
    """Keep an entity unless its span lies strictly inside another's."""
    if len(found) <= 1:  # most often: nothing can lie inside anything else
        return list(found)
    keep = []
    for e in found:
        inside = any(
            o is not e and o.start <= e.start and e.end <= o.end and (o.end - o.start) > (e.end - e.start) for o in found
        )
        if not inside:
            keep.append(e)
    return sorted(keep, key=lambda e: (e.start, -(e.end - e.start)))


def _names(text: str) -> list[str]:
    """A name, and the abbreviation it carries in brackets: "Child Death Overview Panel (CDOP)"."""
    out = [_PAREN.sub("", text).strip()]
    out += [m.group(1).strip() for m in _PAREN.finditer(text) if 1 < len(m.group(1)) <= 12]
    return [n for n in out if n]


def _without_place(name: str, places: tuple[tuple[str, ...], ...]) -> str | None:
    """ "Pan Bedfordshire Neglect Group" -> "Neglect Group": the name without the area's place words."""
    t = tokens(name)
    for p in places:
        if t[: len(p)] == p and len(t) > len(p):
            rest = t[len(p) :]
            if len(rest) == 1 and rest[0] in _GENERIC_HEADS:
                return None
            return " ".join(rest)
    return None


def _person_variants(name: str) -> list[str]:
    words = [w for w in tokens(name) if w not in _HONORIFICS and len(w) > 1]
    out = [name, " ".join(words)] if words else [name]
    if words and len(words[-1]) >= 5:
        out.append(words[-1])  # the surname alone, where it is distinctive enough
    return out


def build(protocol: Protocol, *, board_matcher: PhraseMatcher, role_matcher: PhraseMatcher,
          theme_words: Iterable[str] = ()) -> Vocabulary:
    """The area's vocabulary. Boards and posts reuse the index's own matchers."""
    area = protocol.area
    places = tuple(t for t in (tokens(area.name), tokens("pan " + area.name), tokens("pan " + area.name.split()[-1]),
                               *(tokens(a) for a in area.aliases), tokens(area.name.split()[-1])) if t)

    people: dict[str, list[str]] = {}
    person_info: dict[str, tuple[tuple[str, str], ...]] = {}
    for b in protocol.boards:
        for i, chair in enumerate(b.chairs[1:], start=2):  # a co-chair beyond the first is a person too
            if chair.name:
                key = f"chair:{b.key}:{i}"
                people.setdefault(key, []).extend(_person_variants(chair.name))
                person_info[key] = (("board", b.key), ("office", "chair"), ("name", chair.name))
        if b.chair and b.chair.name:
            key = f"chair:{b.key}"
            people.setdefault(key, []).extend(_person_variants(b.chair.name))
            person_info[key] = (("board", b.key), ("office", "chair"), ("name", b.chair.name))
    for s in protocol.protocol.signatories:
        key = f"chair:{s.board}" if s.board else f"signatory:{tokens(s.name)[-1]}"
        people.setdefault(key, []).extend(_person_variants(s.name))
        person_info.setdefault(key, (("board", s.board or ""), ("office", "chair" if s.board else "signatory"),
                                     ("name", s.name)))
    # an office by its own title ("the Independent Scrutineer", "Head of Resilience and Community Safety")
    generic = {"chair", "chairman", "chairperson", "independent", "the", "of", "and", "for", "board", "business", "manager",
               "lead", "officer", "co", "vice", "rotating", "basis", "partnership", "a"}
    for b in protocol.boards:
        for which, office in (("chair", b.chair), ("manager", b.business_manager)):
            if office is None or not office.title:
                continue
            own = set(tokens(b.name)) | set(tokens(b.short_name)) | {w for a in b.aliases for w in tokens(a)}
            if not (set(tokens(office.title)) - generic - own) or role_matcher.lookup(office.title, allow_partial=False).match:
                continue
            key = f"chair:{b.key}" if which == "chair" and office.name else f"office:{b.key}:{which}"
            people.setdefault(key, []).append(office.title)
            person_info.setdefault(key, (("board", b.key), ("office", which), ("name", office.name or ""),
                                         ("title", office.title)))
    for r in protocol.roles:
        if r.name:
            key = f"role:{r.key}"
            people.setdefault(key, []).extend(_person_variants(r.name))
            person_info[key] = (("role", r.key), ("office", "post"), ("name", r.name))

    subgroups: list[tuple[str, list[str]]] = []
    for b in protocol.boards:
        for i, g in enumerate(b.subgroups):
            names = _names(g.name)
            for n in list(names):
                short = _without_place(n, places)
                if short:
                    names.append(short)
            subgroups.append((f"{b.key}:{i}", names))

    meetings = [(m.key, [m.title]) for m in protocol.meetings]

    theme_by_name = {_PAREN.sub("", t.name).strip().lower(): t for t in protocol.themes}
    reports: dict[str, list[str]] = {}
    for r in protocol.reports:
        if r.report in reports:
            continue
        reports[r.report] = _names(r.report)
        # a report that is also a theme ("Joint Strategic Needs Assessment") is named by its aliases too
        theme = theme_by_name.get(_PAREN.sub("", r.report).strip().lower())
        if theme is not None:
            reports[r.report] += [*_names(theme.name), *theme.aliases]
    reports = {" ".join(tokens(_PAREN.sub("", name))): names for name, names in reports.items()}

    rungs = [(rung.key, [rung.title, *RUNG_WORDS.get(rung.kind, ())]) for rung in protocol.challenge.ladder]
    if not protocol.challenge.named:
        rungs = [(k, list(words)) for k, words in RUNG_WORDS.items()]

    orgs: dict[str, list[str]] = {}
    for b in protocol.boards:
        if not b.membership:
            continue
        for member in b.membership.members:
            base = _PAREN.sub("", member.split(":", 1)[-1]).strip()
            key = " ".join(tokens(base))
            variants = [base]
            short = _without_place(base, places)
            if short and short not in _GENERIC_HEADS:
                variants.append(short)
            orgs.setdefault(key, []).extend(variants)

    items = [(k, list(v)) for k, v in ITEMS.items()]

    roles = []
    for r in protocol.roles:
        names = [r.title, *r.aliases, *([r.name] if r.name else [])]
        head = r.title.split(",")[0].strip()
        if head != r.title:
            names.append(head)  # "Director of Adult Social Care, Central Bedfordshire Council" -> its post
        roles.append((r.key, names))
    matchers = {
        "board": board_matcher,
        "role": PhraseMatcher(roles),
        "person": PhraseMatcher(people.items()),
        "subgroup": PhraseMatcher(subgroups),
        "meeting": PhraseMatcher(meetings),
        "report": PhraseMatcher(reports.items()),
        "rung": PhraseMatcher(rungs),
        "org": PhraseMatcher(orgs.items()),
        "item": PhraseMatcher(items),
    }
    corrigible: set[str] = set(theme_words)
    for m in matchers.values():
        corrigible |= m.words()
    role_office: dict[str, str] = {}
    for r in protocol.roles:
        title = tokens(r.title)
        if lexicon.contains(title, ("business", "manager")) or lexicon.contains(title, ("lead", "officer")):
            role_office[r.key] = "manager"
        elif "chair" in title or any(s.capacity == "chairs" for s in r.seats) and "chair" in " ".join(r.aliases).lower():
            role_office[r.key] = "chair"
    return Vocabulary(matchers=matchers, person_info=person_info, role_office=role_office, corrigible=frozenset(corrigible))
