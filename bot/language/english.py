"""Which words are English words in their own right, for spelling correction.

A word the area's protocol does not use is corrected to the closest one it does ("safegarding"
-> "safeguarding"). A real word is no slip, though: "police" is not "policy", nor "voice"
"vice". :func:`is_word` says which are words (SCOWL's British English list, five letters and
more: ``data/english_words.txt.gz``, made by ``scripts/english_words.py``), and
:func:`same_word` lets a correction through that only changes a word's ending ("policies" ->
"policy"). The list is read the first time a correction is in question, not at start.
"""

from __future__ import annotations

import gzip
from functools import cache
from importlib import resources


@cache
def _words() -> frozenset[str]:
    raw = resources.files("bot.language").joinpath("data", "english_words.txt.gz").read_bytes()
    return frozenset(w for w in gzip.decompress(raw).decode().splitlines() if w and not w.startswith("#"))


def is_word(word: str) -> bool:
    """Whether ``word`` (lower case) is an English word of its own."""
    return word in _words()


def same_word(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` are forms of one word: the same, or one the other plus "s", "es",
    or "y" for "ies" ("policies", "policy")."""
    if a == b:
        return True
    short, long = sorted((a, b), key=len)
    return long in (short + "s", short + "es") or (short.endswith("y") and long == short[:-1] + "ies")
