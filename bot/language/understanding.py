"""What a message asks, as far as boardbot can tell: the :class:`Understanding` that
:func:`bot.language.understand.understand` returns and the answers read.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.language import lexicon
from bot.language.entities import Entity
from bot.language.places import Place


@dataclass
class Understanding:
    """What a message asks, as far as boardbot can tell."""

    text: str
    tokens: tuple[str, ...]  # the words as understood: abbreviations spelled out, slips corrected
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
    words: tuple[str, ...] = ()  # the words as typed, normalised (what "more" and a turn's options are matched against)
    says_about: tuple[str, ...] = ()  # "does the protocol mention air quality?": the topic asked of it

    def first(self, kind: str) -> Entity | None:
        return next((e for e in self.entities if e.type == kind), None)

    def all(self, kind: str) -> list[Entity]:
        return [e for e in self.entities if e.type == kind]

    def keys(self, kind: str) -> list[str]:
        return list(dict.fromkeys(e.key for e in self.entities if e.type == kind))

    def has(self, *phrases: str) -> bool:
        return any(lexicon.contains(self.tokens, lexicon.phrase_tokens(p)) for p in phrases)

    def content(self) -> list[str]:
        """The question's meaningful words (for searching)."""
        return lexicon.content_words(self.tokens)

    def as_json(self) -> dict[str, object]:
        return {"kind": self.kind, "confidence": round(self.confidence, 2),
                "entities": [e.as_json() for e in self.entities]}
