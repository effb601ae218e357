"""The posts in an area's directory (Director of Children's Services, ...) and their seats on
the boards."""

from __future__ import annotations

from typing import Literal

from storage.protocol.schema.facts import Fact, Key, Part, Source, Text

SeatCapacity = Literal["chairs", "member", "attends", "participant_observer", "invited"]


class Seat(Part):
    """A post's place on a board."""

    board: Key
    """The key of the board.

    Example: hwb
    Answers: which boards does the DCS sit on?; who sits on both the HWB and the LSCB?"""
    capacity: SeatCapacity
    """How the post sits on the board: chairs, member, attends, participant_observer or invited.

    Example: member
    Answers: which boards does the DCS sit on?"""
    source: Source
    """Where the protocol gives the seat.

    Example: {doc: protocol, clause: "Appendix 1"}
    Answers: the citation under the answer"""


class Role(Part):
    """A post in the area's directory (Director of Children's Services, ...) and its seats."""

    key: Key
    """A short key for the post.

    Example: dcs
    Answers: (internal: people are linked to posts by it)"""
    title: Text
    """The post's title.

    Example: Director of Children's Services
    Answers: which boards does the DCS sit on?; who sits on both ...?"""
    aliases: list[Text] = []
    """Other names for the post.

    Example: [DCS]
    Answers: recognising the post in any question"""
    name: Text | None = None
    """The person in the post, where the protocol names them.

    Example: Jo Smith
    Answers: which boards does Jo Smith sit on?"""
    director: bool = False
    """true for a director-level post (a director, a chief executive, a police commander co-chairing a board): its holders get the directors' escalation notices and join the default ladder's resolution meeting.

    Example: true
    Answers: challenge (who attends the resolution meeting); --as and admin link-user (the post counts as a director)"""
    seats: list[Seat] = []
    """The boards the post sits on.

    Example: [{board: hwb, capacity: member, source: {doc: protocol, clause: "Appendix 1"}}]
    Answers: which boards does the DCS sit on?; who sits on both the HWB and the LSCB?"""
    responsibilities: list[Fact] = []
    """What the protocol makes the post responsible for.

    Example: [{text: "Reports on CSE to the HWB.", source: {doc: protocol, clause: "5.2"}}]
    Answers: what is the DCS responsible for?"""

