"""Information-sharing arrangements: what the boards share, by whom, with whom, when."""

from __future__ import annotations

from typing import Literal

from storage.protocol.schema.facts import Key, Part, Source, Text

SharedItem = Literal[
    "agendas", "minutes", "annual_reports", "annual_plans", "strategies", "inspection_reports", "information"
]


class SharingRule(Part):
    """An information-sharing arrangement: what is shared, by whom, with whom, when."""

    key: Key
    """A short key for the arrangement.

    Example: minutes_to_chairs
    Answers: (internal)"""
    text: Text
    """The arrangement in the protocol's words.

    Example: Minutes of each Board are shared with the other Boards' chairs.
    Answers: who gets the minutes?; information sharing"""
    items: list[SharedItem]
    """What is shared.

    Example: [minutes, agendas]
    Answers: who gets the minutes?; information sharing"""
    from_boards: list[Key] = []
    """The keys of the boards that share.

    Example: [lscb, hwb]
    Answers: who gets the minutes?; minutes reminders"""
    to: list[Text] = []
    """Who receives them, in the protocol's words.

    Example: [the other Boards' chairs]
    Answers: who gets the minutes?"""
    when: Text | None = None
    """When they are shared, in the protocol's words.

    Example: within two weeks of each meeting
    Answers: who gets the minutes?"""
    source: Source
    """Where the protocol sets out the arrangement.

    Example: {doc: protocol, clause: "6.1"}
    Answers: the citation under the answer"""

