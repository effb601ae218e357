"""What a conversation has been about, so a follow-up can lean on it.

"Who leads on FGM?" then "who chairs it?", "and in Suffolk?", "what about the adults
board?": each platform puts a neutral conversation id on the Request (a Slack DM or
thread, a Teams conversation, a terminal session) and the core keeps, per id, the last
question's :class:`Turn`: its area, kind, facet, the things it named, the board it was
about, the typed command for its full answer ("more") and the options of a clarifying
question. The store is bounded in size (least recently used go first) and in time (a
turn older than :data:`TTL` seconds is forgotten), and lives in the process: a follow-up
that reaches another replica is simply answered on its own.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field

from bot.language.entities import Entity
from bot.language.normalise import tokens
from bot.language.places import Place

TTL = 30 * 60.0
SIZE = 10_000
_ORDINALS = {"1": 0, "first": 0, "one": 0, "2": 1, "second": 1, "two": 1, "3": 2, "third": 2, "three": 2,
             "4": 3, "fourth": 3, "four": 3}


@dataclass
class Turn:
    area: str | None
    kind: str
    facet: str | None = None
    yesno: bool = False
    entities: list[Entity] = field(default_factory=list)
    theme: str | None = None
    theme_phrase: str = ""
    focus: str | None = None  # the board the answer was about (a theme's lead board, the board asked)
    board_kinds: Mapping[str, str] = field(default_factory=dict)  # board key -> kind, to carry boards across areas
    place: Place | None = None
    more: str | None = None  # the typed command for the full answer
    options: tuple[tuple[str, str], ...] = ()  # a clarifying question's (label, typed question)
    at: float = field(default_factory=time.monotonic)

    def choose(self, t: tuple[str, ...]) -> str | None:
        """The option a reply picks ("adults", "2", "the second one"), as its typed question."""
        if not self.options or not t:
            return None
        words = [w for w in t if w not in ("the", "a", "an", "please", "one", "option", "board", "pls")]
        for w in words:
            if w in _ORDINALS and _ORDINALS[w] < len(self.options) and len(words) <= 2:
                return self.options[_ORDINALS[w]][1]
        if len(words) > 4:
            return None
        wanted = set(words)
        hits = [q for label, q in self.options if wanted and wanted <= set(tokens(label)) | set(tokens(q))]
        return hits[0] if hits else None  # options are in order of relevance: the first that fits


class ConversationStore:
    """The last :class:`Turn` of each conversation, bounded in number and in age."""

    def __init__(self, *, size: int = SIZE, ttl: float = TTL, clock=time.monotonic) -> None:
        self._turns: OrderedDict[str, Turn] = OrderedDict()
        self._size = size
        self._ttl = ttl
        self._clock = clock

    def get(self, conversation: str | None) -> Turn | None:
        if not conversation:
            return None
        turn = self._turns.get(conversation)
        if turn is None:
            return None
        if self._clock() - turn.at > self._ttl:
            del self._turns[conversation]
            return None
        self._turns.move_to_end(conversation)
        return turn

    def put(self, conversation: str | None, turn: Turn) -> None:
        if not conversation:
            return
        turn.at = self._clock()
        self._turns[conversation] = turn
        self._turns.move_to_end(conversation)
        while len(self._turns) > self._size:
            self._turns.popitem(last=False)

    def __len__(self) -> int:
        return len(self._turns)
