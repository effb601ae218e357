"""Places a question names, including the many boardbot has no protocol for.

"Who leads on domestic abuse in Kent?" must not be answered with the asker's own area:
the answer is "boardbot has no protocol for Kent". And "…in Ipswich?" is Suffolk's
question, Ipswich being one of Suffolk's districts. ``data/places.txt`` lists England's
local authority areas and main towns, each with the upper-tier authority whose
safeguarding boards serve it; :meth:`Gazetteer.find` finds them in a question.

Many place names are also words ("Reading", "Sandy", "Bury", "Hart"), and protocols name
places inside their boards' names ("Bedford Borough and Central Bedfordshire
Safeguarding Adults Board", "Bedford Hospital"). So a place counts only where a place is
expected: after "in", "for", "across", "at"…, at the start of a follow-up ("and Kent?",
"what about Kent?"), or as the subject of "does Kent have a protocol"; a name that is
also a word must be written with its capital letter; and tokens that belong to a board,
post or organisation the area knows are never a place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from bot.language import lexicon
from bot.language.match import starts_of
from bot.language.normalise import tokens

_BEFORE = frozenset("in for at across around covering near from within".split())
_OPENERS = (("and",), ("what", "about"), ("how", "about"), ("and", "in"), ("and", "for"), ("what", "about", "in"))
# Place names that are also ordinary words, or parts of common phrases: only with a capital letter.
_WORDLIKE = frozenset(
    "reading bath sandy hart bury rugby wells deal march sale street ware barrow grays hove leek nelson blyth boston "
    "dover sutton swale staff".split()
)


@dataclass(frozen=True)
class Place:
    name: str  # as written in the list ("Milton Keynes")
    authority: str  # the upper-tier authority that serves it ("Milton Keynes", "Suffolk")


@dataclass(frozen=True)
class PlaceMention:
    place: Place
    start: int
    end: int


class Gazetteer:
    """Every place in ``data/places.txt``, by its normalised tokens."""

    def __init__(self, lines: list[str]) -> None:
        self._by_tokens: dict[tuple[str, ...], Place] = {}
        for line in lines:
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            name, _, authority = (part.strip() for part in line.partition("|"))
            place = Place(name, authority or name)
            self._by_tokens.setdefault(tokens(name), place)
        # the lengths of the names starting with each word: a question is only looked into where a name
        # may start (thousands of places, most questions naming none, and none starting at most of its words)
        self._first = starts_of(self._by_tokens)
        self._words: frozenset[str] | None = None

    def __len__(self) -> int:
        return len(self._by_tokens)

    @property
    def words(self) -> frozenset[str]:
        """Every word of every place's name (never "corrected" to a word of the protocol: Leeds is not lead)."""
        if self._words is None:
            self._words = frozenset(w for k in self._by_tokens for w in k)
        return self._words

    def lookup(self, name: str) -> Place | None:
        return self._by_tokens.get(tokens(name))

    def find(self, t: tuple[str, ...], original: str, *, blocked: frozenset[int] = frozenset()) -> list[PlaceMention]:
        """Places named where a place is expected in ``t`` (the question's tokens).

        ``blocked`` holds token positions that belong to something else the area knows
        (a board, a post, an organisation); ``original`` is the question as typed, for the
        capital letters of names that are also words.
        """
        first = self._first
        if first.keys().isdisjoint(t):
            return []
        found: list[PlaceMention] = []
        i = 0
        while i < len(t):
            lengths = first.get(t[i])
            if lengths is None:
                i += 1
                continue
            hit = None
            room = len(t) - i
            for length in lengths:
                if length <= room:
                    place = self._by_tokens.get(t[i : i + length])
                    if place is not None:
                        hit = (place, length)
                        break
            if hit is None:
                i += 1
                continue
            place, length = hit
            span = range(i, i + length)
            if not any(j in blocked for j in span) and (self._expected(t, i, i + length) or _possessive(place, original)
                                                         or _referred_back(t, i, i + length)) \
                    and self._written(place, original, t[i : i + length]):
                found.append(PlaceMention(place, i, i + length))
                i += length
            else:
                i += 1
        return found

    @staticmethod
    def _expected(t: tuple[str, ...], start: int, end: int) -> bool:
        if start > 0 and t[start - 1] in _BEFORE:
            return True
        head = t[:start]
        if head in _OPENERS or start == 0 and (end == len(t) or t[end] in ("have", "has", "protocol")):
            return True
        # "does Devon have a protocol", "is there a protocol for" is covered by "for"
        return start == 1 and t[0] in ("does", "do", "is", "has") and end < len(t) and t[end] in ("have", "has", "got")

    @staticmethod
    def _written(place: Place, original: str, toks: tuple[str, ...]) -> bool:
        if " ".join(toks) not in _WORDLIKE:
            return True
        first = place.name.split()[0]
        return re.search(rf"\b{re.escape(first)}", original) is not None


def _referred_back(t: tuple[str, ...], start: int, end: int) -> bool:
    """A place the question goes on to ask of ("joint work with Norfolk - which of their boards…",
    "seconded to Milton Keynes… who leads over there?")."""
    if not (start > 0 and t[start - 1] in ("to", "with", "visiting", "and")):
        return False
    later = t[end:]
    return any(w == "their" and k + 1 < len(later) and (later[k + 1] in lexicon.BOARD_WORDS or later[k + 1] == "protocol")
               or w == "there" and k and later[k - 1] in ("over", "up", "down", "out")
               for k, w in enumerate(later))


def _possessive(place: Place, original: str) -> bool:
    """A place written as the owner of what is asked ("does Cheshire's HWB meet monthly?")."""
    return re.search(rf"\b{re.escape(place.name)}['\u2019]s\b", original, re.IGNORECASE) is not None


@cache
def gazetteer() -> Gazetteer:
    """The bundled list of places (read once, on first use)."""
    text = resources.files("bot.language").joinpath("data/places.txt").read_text(encoding="utf-8")
    return Gazetteer(text.splitlines())
