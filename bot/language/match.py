"""Find which known thing (theme, board, role, area) a phrase refers to.

Matching goes from strict to loose and stops at the first level that finds something:

1. **exact** – the whole phrase is a known name or alias;
2. **contained** – a known alias appears inside the phrase ("who leads on tackling CSE
   in schools"); the longest such alias wins, so "child sexual abuse" beats "abuse";
3. **corrected** – spelling slips in single words are fixed against the vocabulary of
   known words ("mutiliation" -> "mutilation"), then 1 and 2 are tried again;
4. **fuzzy** – the phrase as a whole is close enough to an alias.

Short aliases (abbreviations such as CSE, CSP, FGM) are only ever matched exactly: one
letter separates the CSE from the CSP, and a wrong board is worse than no answer.
Below the acceptance threshold, close candidates are returned as suggestions for a
"did you mean" rather than answered.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from rapidfuzz import fuzz, process

from bot.language.normalise import tokens

ACCEPT = 88.0
SUGGEST = 62.0
_MIN_FUZZY_CHARS = 5
_CORRECT_MIN_LEN = 5
_LOOKUPS_MAX = 1024  # phrases whose lookup each matcher remembers (emptied when full: a few hundred KB at most)


@dataclass(frozen=True)
class Match:
    key: str
    method: str  # exact | contained | corrected | fuzzy
    score: float
    start: int = 0  # token span of the match within the phrase (exact/contained)
    end: int = 0


@dataclass(frozen=True)
class Lookup:
    match: Match | None
    suggestions: tuple[str, ...] = ()


# A phrase's cleaned tokens, per set of ignored words. Every area's matchers are built from
# much the same phrases (the themes, the posts, the kinds of board), so each is tokenised
# and cleaned once, not once per area. Only protocol phrases come here, never questions;
# bounded all the same (emptied when full).
_PHRASES: dict[frozenset[str], dict[str, tuple[str, ...]]] = {}
_PHRASES_MAX = 500_000


def _phrase_tokens(p: str, ignore: frozenset[str]) -> tuple[str, ...]:
    cache = _PHRASES.get(ignore)
    if cache is None:
        cache = _PHRASES[ignore] = {}
    t = cache.get(p)
    if t is None:
        t = tokens(p)
        if ignore:
            t = tuple(w for w in t if w not in ignore) or t
        if len(cache) >= _PHRASES_MAX:
            cache.clear()
        cache[p] = t
    return t


class PhraseMatcher:
    """Matches phrases against named things, each known by several phrases."""

    def __init__(self, names: Iterable[tuple[str, Iterable[str]]], *, ignore: frozenset[str] = frozenset()) -> None:
        self._ignore = ignore
        by_phrase: dict[tuple[str, ...], str] = {}
        for key, phrases in names:
            for p in phrases:
                t = _phrase_tokens(p, ignore)
                # first writer wins: callers list the most specific owner first
                if t and t not in by_phrase:
                    by_phrase[t] = key
        self._by_phrase = by_phrase
        self._max_len = max(map(len, by_phrase), default=1)
        # the lengths of the phrases starting with each word: a sentence is only scanned where a phrase may start
        self._first = starts_of(by_phrase)
        self._word_set = {w for t in self._by_phrase for w in t}
        self._fuzzy_ready = False  # the fuzzy lists are built on the first lookup that needs them
        self._looked_up: dict[tuple[tuple[str, ...], bool, bool], Lookup] = {}

    def _prepare_fuzzy(self) -> None:
        if self._fuzzy_ready:
            return
        self._choices = [" ".join(t) for t in self._by_phrase if len(" ".join(t)) >= _MIN_FUZZY_CHARS]
        self._choice_keys = [self._by_phrase[tuple(c.split(" "))] for c in self._choices]
        self._words = sorted(w for w in self._word_set if len(w) >= _CORRECT_MIN_LEN)
        self._fuzzy_ready = True

    def _clean(self, t: tuple[str, ...]) -> tuple[str, ...]:
        if not self._ignore:
            return t
        kept = tuple(w for w in t if w not in self._ignore)
        return kept or t

    def __len__(self) -> int:
        return len(self._by_phrase)

    def keys(self) -> set[str]:
        return set(self._by_phrase.values())

    def words(self) -> set[str]:
        """Every word of every phrase (for correcting spelling slips towards them)."""
        return set(self._word_set)

    def first_words(self) -> frozenset[str]:
        """The words a known phrase starts with: :meth:`find_all` finds nothing in a sentence with none of them."""
        return frozenset(self._first)

    def has_word(self, word: str) -> bool:
        return word in self._word_set

    def phrases(self) -> dict[tuple[str, ...], str]:
        """Each known phrase (normalised tokens) and the key it names."""
        return dict(self._by_phrase)

    def _strict(self, t: Sequence[str]) -> Match | None:
        t = tuple(t)
        key = self._by_phrase.get(t)
        if key is not None:
            return Match(key, "exact", 100.0, 0, len(t))
        for length in range(min(self._max_len, len(t)), 0, -1):
            for start in range(0, len(t) - length + 1):
                key = self._by_phrase.get(t[start : start + length])
                if key is not None:
                    return Match(key, "contained", 95.0, start, start + length)
        return None

    def correct(self, t: Sequence[str]) -> tuple[str, ...]:
        """Replace words the vocabulary does not know by close known words."""
        self._prepare_fuzzy()
        out = []
        for w in t:
            if w in self._word_set or len(w) < _CORRECT_MIN_LEN or w.isdigit():
                out.append(w)
                continue
            cutoff = 85 if len(w) <= 6 else 80
            best = process.extractOne(w, self._words, scorer=fuzz.ratio, score_cutoff=cutoff)
            out.append(best[0] if best else w)
        return tuple(out)

    def lookup(self, text_or_tokens: str | Sequence[str], *, allow_partial: bool = True, fuzzy: bool = True) -> Lookup:
        """Find what ``text_or_tokens`` names; with suggestions when nothing is close enough.

        ``allow_partial=False`` disables the "contained" level, for callers that need the
        whole phrase to be a name (e.g. telling a board name from a question).
        ``fuzzy=False`` stops after spelling correction: for very large vocabularies, where
        whole-phrase similarity would cost more than a lookup may.
        """
        t = tokens(text_or_tokens) if isinstance(text_or_tokens, str) else tuple(text_or_tokens)
        t = self._clean(t)
        if not t:
            return Lookup(None)
        key = (t, allow_partial, fuzzy)
        found = self._looked_up.get(key)
        if found is None:
            if len(self._looked_up) >= _LOOKUPS_MAX:
                self._looked_up.clear()
            found = self._looked_up[key] = self._lookup(t, allow_partial, fuzzy)
        return found

    def _lookup(self, t: tuple[str, ...], allow_partial: bool, fuzzy: bool) -> Lookup:
        """:meth:`lookup`, worked out: remembered per phrase, as the names never change once
        built and the same phrases ("domestic abuse", "cse") are looked up question after question."""
        m = self._strict(t) if allow_partial else self._exact(t)
        if m:
            return Lookup(m)
        fixed = self.correct(t)
        if fixed != t:
            m = self._strict(fixed) if allow_partial else self._exact(fixed)
            if m:
                return Lookup(Match(m.key, "corrected", 90.0, m.start, m.end))
        query = " ".join(fixed)
        self._prepare_fuzzy()
        if not fuzzy or len(query) < _MIN_FUZZY_CHARS or not self._choices:
            return Lookup(None)
        scored = self._fuzzy(query)
        if not scored:
            return Lookup(None)
        best_key = self._choice_keys[scored[0][2]]
        if scored[0][1] >= ACCEPT:
            runner_up = next((s for s in scored[1:] if self._choice_keys[s[2]] != best_key), None)
            if runner_up is None or scored[0][1] - runner_up[1] >= 3:
                return Lookup(Match(best_key, "fuzzy", scored[0][1]))
        seen: list[str] = []
        for _choice, _score_value, index in scored:
            key = self._choice_keys[index]
            if key not in seen:
                seen.append(key)
        return Lookup(None, tuple(seen[:4]))

    def _fuzzy(self, query: str) -> list[tuple[str, float, int]]:
        # Whole-string similarity, forgiving of word order. Partial matches are deliberately
        # not rewarded: they would make "abuse" an answer for "domestic abuse". Two native
        # scorers merged keep this fast on large vocabularies.
        best: dict[int, tuple[str, float, int]] = {}
        for scorer in (fuzz.ratio, fuzz.token_sort_ratio):
            for choice, score, index in process.extract(query, self._choices, scorer=scorer, limit=8, score_cutoff=SUGGEST):
                if index not in best or best[index][1] < score:
                    best[index] = (choice, score, index)
        return sorted(best.values(), key=lambda x: -x[1])[:8]

    def _exact(self, t: tuple[str, ...]) -> Match | None:
        key = self._by_phrase.get(t)
        return Match(key, "exact", 100.0, 0, len(t)) if key else None

    def find_all(self, t: Sequence[str]) -> list[Match]:
        """Every non-overlapping known phrase inside ``t``, longest first, left to right."""
        return [Match(key, "contained", 95.0, start, end) for key, start, end in self.find_spans(tuple(t))]

    def find_spans(self, t: tuple[str, ...]) -> list[Span]:
        """:meth:`find_all` as (key, start, end), for callers that make objects of their own from them."""
        first = self._first
        if first.keys().isdisjoint(t):
            return []  # no phrase starts with any of the words: most matchers, for most sentences
        return longest_first(list(phrases_at(t, first, self._by_phrase)), len(t))


Span = tuple[str, int, int]  # a key and the token span [start, end) that named it
V = TypeVar("V")


def starts_of(phrases: Iterable[tuple[str, ...]]) -> dict[str, tuple[int, ...]]:
    """For each word a phrase starts with, the lengths of the phrases starting with it, longest
    first: what :func:`phrases_at` looks up (only lengths some phrase has)."""
    lengths: dict[str, set[int]] = {}
    for t in phrases:
        if t:
            lengths.setdefault(t[0], set()).add(len(t))
    return {w: tuple(sorted(ns, reverse=True)) for w, ns in lengths.items()}


def phrases_at(t: tuple[str, ...], first: Mapping[str, tuple[int, ...]],
               known: Mapping[tuple[str, ...], V]) -> Iterator[tuple[int, int, V]]:
    """Every known phrase starting at each word of ``t``, as (length, start, what ``known`` holds
    for it): ``first`` (:func:`starts_of`) gives, for each word a phrase starts with, the lengths
    such phrases have, so a word no phrase starts with costs one lookup, and one that starts only
    short phrases is not looked up at every length up to the longest phrase's."""
    n = len(t)
    for start, w in enumerate(t):
        lengths = first.get(w)
        if lengths is None:
            continue
        room = n - start
        for length in lengths:
            if length <= room:
                found = known.get(t[start : start + length])
                if found is not None:
                    yield length, start, found


def longest_first(candidates: list[tuple[int, int, V]], n: int) -> list[tuple[V, int, int]]:
    """From every phrase found in a sentence of ``n`` words, as (length, start, key): the longest
    first, then the leftmost, never overlapping one taken; as (key, start, end) in order of start."""
    if len(candidates) <= 1:  # the usual case: one name, or none
        return [(key, start, start + length) for length, start, key in candidates]
    candidates.sort(key=lambda c: (-c[0], c[1]))
    found: list[tuple[V, int, int]] = []
    used = [False] * n
    for length, start, key in candidates:
        if any(used[start : start + length]):
            continue
        found.append((key, start, start + length))
        for i in range(start, start + length):
            used[i] = True
    found.sort(key=lambda s: s[1])
    return found
