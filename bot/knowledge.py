"""The in-memory index of every area's protocol, built once per import.

The protocols are read-mostly and every lookup must be fast (well under a millisecond),
so the current documents are loaded from the database once and indexed here: boards,
themes and posts by key and by every name people use for them. The theme vocabulary is
shared across areas, so a question about a theme that only another area's protocol
names is still recognised, and answered plainly ("this protocol names no lead").

An area's whole protocol is validated the first time something asks for it
(:class:`storage.documents.StoredProtocol`): the index itself needs only each area's names
and its themes' names, so a server for a thousand areas starts without validating a
thousand documents, and holds only the ones people ask about.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from types import MappingProxyType
from typing import TYPE_CHECKING

from bot.board_kinds import KIND_PHRASES
from bot.default_ladder import DEFAULT_LADDER
from bot.language.lexicon import STOPWORDS
from bot.language.match import (
    Lookup,
    Match,
    PhraseMatcher,
    Span,
    longest_first,
    phrases_at,
    starts_of,
)
from bot.language.normalise import tokens
from bot.messages import Citation
from storage import collector
from storage.documents import StoredProtocol, ThemeNames
from storage.protocol.schema import (
    SECTION_WORDS,
    AreaInfo,
    Board,
    Document,
    Protocol,
    Role,
    Rung,
    Source,
    Theme,
)

if TYPE_CHECKING:
    from bot.language.entities import Vocabulary
    from bot.language.search import FactIndex

# Words that carry no meaning for telling themes apart; ignored on both sides of a match.
THEME_FILLER = frozenset(
    "the a an of on for about in with to and our all any every each we i issue work working theme topic area matter agenda "
    "strategy strategic response multiagency partnership".split()
)

# Only the smallest words, ignored when finding a theme's name inside a sentence.
LIGHT_FILLER = frozenset("the a an of on for about in with to and our all any every each".split())


def _initials_of(areas: Iterable[AreaKnowledge]) -> dict[str, tuple[str, ...]]:
    """Each area of two or more words by its initials ("CB" for Central Bedfordshire, as its
    people write it), where no other area has the same initials and they are no word of their own."""
    by_initials: dict[str, list[str]] = {}
    for a in areas:
        words = [w for w in a.name.replace("-", " ").split() if w.lower() not in ("and", "of", "the", "upon", "on")]
        if len(words) >= 2:
            by_initials.setdefault("".join(w[0] for w in words).lower(), []).append(a.slug)
    return {slugs[0]: (i,) for i, slugs in by_initials.items() if len(slugs) == 1 and i not in STOPWORDS}


@dataclass(frozen=True)
class Seated:
    role: Role
    capacity: str
    source: Source


class AreaKnowledge:
    """One area's protocol, indexed for answering questions.

    Built from a validated :class:`Protocol`, or from a :class:`StoredProtocol` whose whole
    document is validated when first needed (``protocol`` and everything built from it);
    ``head`` (the area's names and the protocol's own details) never needs that.
    """

    def __init__(self, protocol: Protocol | StoredProtocol) -> None:
        if isinstance(protocol, StoredProtocol):
            self._protocol: Protocol | None = None
            self._theme_names: tuple[ThemeNames, ...] | list[Theme] = protocol.theme_names
        else:
            self._protocol = protocol
            self._theme_names = protocol.themes
        self.head: Protocol | StoredProtocol = protocol
        self.slug = protocol.area.slug
        self.name = protocol.area.name

    @property
    def protocol(self) -> Protocol:
        p = self._protocol
        if p is None:  # built from a StoredProtocol, not used until now
            p = self._protocol = self.head.load()  # type: ignore[union-attr]
        return p

    @property
    def loaded(self) -> bool:
        """Whether the whole protocol has been validated (for measuring what a server holds)."""
        return self._protocol is not None

    @property
    def area_info(self) -> AreaInfo:
        return self.head.area

    @property
    def theme_names_only(self) -> tuple[ThemeNames, ...] | list[Theme]:
        """Each theme's key, name and aliases, without validating the whole protocol."""
        return self._theme_names

    @cached_property
    def boards(self) -> dict[str, Board]:
        return {b.key: b for b in self.protocol.boards}

    @cached_property
    def board_kinds(self) -> Mapping[str, str]:
        """Each board's key and kind, read-only (every conversation's turn holds it, to carry a
        board named in one area to its kind's board in another)."""
        return MappingProxyType({b.key: b.kind for b in self.protocol.boards})

    @cached_property
    def themes(self) -> dict[str, Theme]:
        return {t.key: t for t in self.protocol.themes}

    @cached_property
    def theme_words(self) -> tuple[tuple[str, frozenset[str]], ...]:
        """Each theme's name and the words of its name and aliases, in the protocol's order (for
        "themes it does name that may be related", worked out once rather than per question)."""
        return tuple((t.name, frozenset(tokens(t.name)).union(*(tokens(a) for a in t.aliases)))
                     for t in self.protocol.themes)

    @cached_property
    def themes_by_word(self) -> Mapping[str, tuple[int, ...]]:
        """Each word of a theme's name or aliases, and the themes that use it (their places in
        :attr:`theme_words`): the themes a phrase shares a word with are found from its own few
        words, rather than by trying every theme."""
        out: dict[str, list[int]] = {}
        for i, (_name, words) in enumerate(self.theme_words):
            for w in words:
                out.setdefault(w, []).append(i)
        return MappingProxyType({w: tuple(v) for w, v in out.items()})

    @cached_property
    def roles(self) -> dict[str, Role]:
        return {r.key: r for r in self.protocol.roles}

    @cached_property
    def _docs(self) -> dict[str, Document]:
        return {d.key: d for d in self.protocol.documents}

    # --- the area's matchers (built on the first question about the area, not at start: a
    # deployment serving hundreds of areas is asked about a few of them at a time) -------------

    @cached_property
    def name_words(self) -> frozenset[str]:
        """The words of the area's own name and aliases ("central", "beds"): never a topic asked about."""
        return frozenset(tokens(self.name)) | {w for alias in self.area_info.aliases for w in tokens(alias)}

    @cached_property
    def board_matcher(self) -> PhraseMatcher:
        """Boards by short name, name, alias and key; the generic phrases of a kind ("the
        adults board") for the party board of that kind when it is the only one."""
        protocol = self.protocol
        kinds: dict[str, list[str]] = {}
        for b in protocol.boards:
            kinds.setdefault(b.kind, []).append(b.key)
        board_names: list[tuple[str, Iterable[str]]] = [
            (b.key, (b.short_name, b.name, *b.aliases, b.key.replace("_", " "))) for b in protocol.boards
        ]
        # the party board of a kind owns the generic phrases only when it is the only one
        for kind, keys in kinds.items():
            party = [k for k in keys if self.boards[k].party]
            if len(party) == 1 and kind in KIND_PHRASES:
                board_names.append((party[0], KIND_PHRASES[kind]))
        return PhraseMatcher(board_names)

    @cached_property
    def theme_matcher(self) -> PhraseMatcher:
        return PhraseMatcher(
            ((t.key, (t.name, *t.aliases, t.key.replace("_", " "))) for t in self.protocol.themes), ignore=THEME_FILLER
        )

    @cached_property
    def role_matcher(self) -> PhraseMatcher:
        return PhraseMatcher(
            (r.key, (r.title, *r.aliases, *([r.name] if r.name else []))) for r in self.protocol.roles
        )

    @cached_property
    def members(self) -> dict[str, list[Seated]]:
        """Each board's seated posts, in the protocol's order."""
        members: dict[str, list[Seated]] = {}
        for r in self.protocol.roles:
            for seat in r.seats:
                members.setdefault(seat.board, []).append(Seated(r, seat.capacity, seat.source))
        return members

    # --- coverage ----------------------------------------------------------------------

    def transcribed(self, section: str) -> bool:
        """Whether ``section`` of the protocol has been entered in full.

        False where the file's ``coverage`` marks it ``not_transcribed``: then a gap in it
        is a gap in boardbot's copy, not in the protocol, and an answer must say so
        (:meth:`not_entered`) instead of "the protocol names no ...".
        """
        return self.protocol.transcribed(section)

    def not_entered(self, section: str) -> str:
        """The sentence for a part not yet transcribed, e.g. "That part of Suffolk's protocol
        (the themes and who leads on them) hasn't been entered into boardbot yet." """
        return f"That part of {self.name}'s protocol ({SECTION_WORDS[section]}) hasn't been entered into boardbot yet."

    # --- understanding (built on the first question about the area, not at start) ---------

    @cached_property
    def vocabulary(self) -> Vocabulary:
        """Every name the protocol uses (boards, posts, people, sub-groups, reports…)."""
        from bot.language.entities import build

        return build(self.protocol, board_matcher=self.board_matcher, role_matcher=self.role_matcher,
                     theme_words=self.theme_matcher.words())

    @cached_property
    def facts(self) -> FactIndex:
        """The protocol's cited statements, searchable (SQLite FTS5, in memory)."""
        from bot.language.search import FactIndex, passages

        return FactIndex(passages(self.protocol))

    @cached_property
    def theme_names(self) -> PhraseMatcher:
        """Theme names and aliases with only the smallest words ignored, for finding themes
        inside a sentence ("strategic partnership priorities" must not shrink to "priorities")."""
        return PhraseMatcher(((t.key, (t.name, *t.aliases)) for t in self.protocol.themes), ignore=LIGHT_FILLER)

    def themes_in(self, t: tuple[str, ...]) -> list[Match]:
        """Every theme of this area named inside ``t``, longest first."""
        return _find_ignoring(self.theme_names, t, LIGHT_FILLER)

    # --- citing ------------------------------------------------------------------------

    def cite(self, source: Source) -> Citation:
        doc = self._docs.get(source.doc)
        if doc is None:  # boardbot's own default (e.g. the default ladder)
            return Citation(self.slug, "boardbot", source.clause, "boardbot default")
        return Citation(self.slug, doc.file, source.clause, doc.title)

    # --- naming ------------------------------------------------------------------------

    def board_label(self, key: str) -> str:
        b = self.boards.get(key)
        return f"{b.name} ({b.short_name})" if b else key

    def board_ref(self, key: str) -> dict[str, str]:
        b = self.boards[key]
        return {"key": b.key, "name": b.name, "short_name": b.short_name}

    def find_board(self, text: str | tuple[str, ...]) -> Lookup:
        return self.board_matcher.lookup(text)

    def find_role(self, text: str | tuple[str, ...]) -> Lookup:
        return self.role_matcher.lookup(text)

    # --- the challenge route -----------------------------------------------------------

    @property
    def ladder(self) -> tuple[Rung, ...]:
        return tuple(self.protocol.challenge.ladder) if self.protocol.challenge.named else DEFAULT_LADDER

    @property
    def ladder_is_default(self) -> bool:
        return not self.protocol.challenge.named

    def attendees(self, rung: Rung, boards: Iterable[str]) -> list[str]:
        """Who attends ``rung`` of a challenge between ``boards``.

        The protocol's own rungs name their attendees. boardbot's default ladder names them
        from the boards involved: their chairs, and the posts the file marks ``director``
        that sit on those boards (an adults-only dispute brings no children's director).
        """
        if not self.ladder_is_default or not rung.attendees:
            return list(rung.attendees)
        keys = [k for k in boards if k in self.boards]
        out = []
        for k in keys:
            b = self.boards[k]
            chairs = b.chairs or ([b.chair] if b.chair else [])
            out.extend(f"{c.title} of the {b.short_name}" + (f" ({c.name})" if c.name else "") for c in chairs)
            if not chairs:
                out.append(f"the chair of the {b.short_name}")
        if rung.notify_directors:
            directors = [r.title + (f" ({r.name})" if r.name else "") for r in self.protocol.roles
                         if r.director and any(seat.board in keys for seat in r.seats)]
            out.extend(directors or [f"the directors responsible for the {' and the '.join(self.boards[k].short_name for k in keys)}"
                                     " (the protocol names no director's post on these boards)"])
        return out


class Knowledge:
    """Every area's :class:`AreaKnowledge`, plus the shared theme vocabulary and area names."""

    def __init__(self, protocols: Iterable[Protocol | StoredProtocol]) -> None:
        # The build allocates tens of thousands of small tuples; each collector pass they
        # trigger would walk every protocol object in memory, for nothing (none is garbage).
        with collector.paused():
            self._build(protocols)

    def _build(self, protocols: Iterable[Protocol | StoredProtocol]) -> None:
        self.areas: dict[str, AreaKnowledge] = {}
        self._theme_tables: dict[str, tuple[AreaKnowledge, _ThemeTable]] = {}  # one per area at most
        for p in protocols:
            self.areas[p.area.slug] = AreaKnowledge(p)
        initials = _initials_of(self.areas.values())
        self.area_matcher = PhraseMatcher(
            (a.slug, (a.slug.replace("-", " "), a.name, *a.area_info.aliases, *initials.get(a.slug, ())))
            for a in self.areas.values()
        )
        self.theme_names: dict[str, str] = {}
        # each theme's phrases once, however many areas name it (dicts keep the first-seen order)
        vocab: dict[str, dict[str, None]] = {}
        for a in self.areas.values():
            for t in a.theme_names_only:
                self.theme_names.setdefault(t.key, t.name)
                names = vocab.setdefault(t.key, {})
                names[t.name] = None
                names.update(dict.fromkeys(t.aliases))
                names[t.key.replace("_", " ")] = None
        self.theme_vocabulary = PhraseMatcher(vocab.items(), ignore=THEME_FILLER)

    def __contains__(self, slug: str) -> bool:
        return slug in self.areas

    def area(self, slug: str) -> AreaKnowledge:
        return self.areas[slug]

    def resolve_area(self, text: str) -> str | None:
        """An area slug from a slug, a name or an alias ("bucks"), or None."""
        m = self.area_matcher.lookup(text, allow_partial=False).match
        return m.key if m else None

    def area_in(self, t: tuple[str, ...]) -> tuple[str, int, int] | None:
        """The area a question names ("... in Suffolk?"), with its token span."""
        found = self.area_matcher.find_all(t)
        if not found:
            return None
        m = found[-1]  # the last mention is usually the "in X" qualifier
        return m.key, m.start, m.end

    def area_names(self) -> list[str]:
        return [f"{a.name} ({a.slug})" for a in self.areas.values()]

    @cached_property
    def theme_phrases(self) -> PhraseMatcher:
        """Every area's theme names and aliases, as :attr:`AreaKnowledge.theme_names`."""
        vocab: dict[str, dict[str, None]] = {}
        for a in self.areas.values():
            for t in a.theme_names_only:
                names = vocab.setdefault(t.key, {})
                names[t.name] = None
                names.update(dict.fromkeys(t.aliases))
        return PhraseMatcher(vocab.items(), ignore=LIGHT_FILLER)

    def themes_in(self, t: tuple[str, ...]) -> list[Match]:
        """Every theme any area's protocol names inside ``t``."""
        return _find_ignoring(self.theme_phrases, t, LIGHT_FILLER)

    def themes_named(self, area: AreaKnowledge, t: tuple[str, ...]) -> tuple[list[Span], list[Span]]:
        """The themes ``area`` names inside ``t`` and those any area names, as (key, start, end):
        what :meth:`AreaKnowledge.themes_in` and :meth:`themes_in` find, in one reading of ``t``
        (asked of every question). The table is made on the area's first question, and lives as
        long as this index (a protocol imported builds a new one)."""
        table = self._theme_tables.get(area.slug)
        if table is None or table[0] is not area:
            table = self._theme_tables[area.slug] = (area, _ThemeTable(area.theme_names, self.theme_phrases))
        return table[1].find(t)

    def area_for_place(self, authority: str) -> str | None:
        """The area whose protocol serves ``authority`` (a council's name), if boardbot has one."""
        wanted = tokens(authority)
        for a in self.areas.values():
            names = [a.name, a.slug.replace("-", " "), *a.area_info.aliases]
            council = getattr(a.area_info, "council", None)
            councils = council if isinstance(council, list) else [council] if council else []
            for c in councils:
                names.append(str(c).replace("County Council", "").replace("Council", "").strip())
            if any(tokens(n) == wanted for n in names if n):
                return a.slug
        return None


class _ThemeTable:
    """One area's theme names and every area's, as one table of phrases (without the smallest
    words), each with the key the area gives it and the key the shared vocabulary does: a
    question's words are read once, and its filler left out once, for both searches."""

    def __init__(self, own: PhraseMatcher, anywhere: PhraseMatcher) -> None:
        own_keys, any_keys = own.phrases(), anywhere.phrases()
        self._keys = {p: (own_keys.get(p), any_keys.get(p)) for p in {**own_keys, **any_keys}}
        self._first = starts_of(self._keys)  # the lengths of the phrases starting with each word

    def find(self, t: tuple[str, ...]) -> tuple[list[Span], list[Span]]:
        """The area's themes and any area's in ``t``, each as ``PhraseMatcher.find_spans`` on the
        words without filler would give them, with the spans mapped back onto ``t``."""
        kept = tuple([w for w in t if w not in LIGHT_FILLER])
        first = self._first
        if first.keys().isdisjoint(kept):
            return [], []
        own: list[tuple[int, int, str]] = []
        anywhere: list[tuple[int, int, str]] = []
        n = len(kept)
        for length, start, (here, elsewhere) in phrases_at(kept, first, self._keys):
            if here is not None:
                own.append((length, start, here))
            if elsewhere is not None:
                anywhere.append((length, start, elsewhere))
        mine, theirs = longest_first(own, n), longest_first(anywhere, n)
        if len(kept) == len(t):  # nothing left out: the spans are ``t``'s already
            return mine, theirs
        positions = [i for i, w in enumerate(t) if w not in LIGHT_FILLER]
        return ([(k, positions[s], positions[e - 1] + 1) for k, s, e in mine],
                [(k, positions[s], positions[e - 1] + 1) for k, s, e in theirs])


def _find_ignoring(matcher: PhraseMatcher, t: tuple[str, ...], ignore: frozenset[str]) -> list[Match]:
    """``matcher.find_all`` over ``t`` without its filler words, spans mapped back onto ``t``."""
    kept = tuple(w for w in t if w not in ignore)
    if not kept:
        return []
    found = matcher.find_all(kept)
    if not found or len(kept) == len(t):  # nothing found, or nothing left out: the spans are ``t``'s already
        return found
    positions = [i for i, w in enumerate(t) if w not in ignore]
    return [Match(m.key, m.method, m.score, positions[m.start], positions[m.end - 1] + 1) for m in found]


def strip_span(t: tuple[str, ...], start: int, end: int) -> tuple[str, ...]:
    """``t`` without the tokens [start, end) and a dangling "in"/"for"/"at" before them."""
    head = t[:start]
    if head and head[-1] in ("in", "for", "at", "within", "across"):
        head = head[:-1]
    return head + t[end:]

