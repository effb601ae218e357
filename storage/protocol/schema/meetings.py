"""The meetings a protocol commits people to hold (officers' quarterly, chairs' annual...)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from storage.protocol.schema.facts import Key, Part, Source, Text

MeetingCadence = Literal["quarterly", "annual", "six_monthly", "monthly", "after_each_meeting", "as_needed"]


class RecurringMeeting(Part):
    """A meeting the protocol commits people to hold (officers' quarterly, chairs' annual...)."""

    key: Key
    """A short key for the meeting.

    Example: chairs_annual
    Answers: (internal: its reminders)"""
    title: Text
    """The meeting's name.

    Example: Annual meeting of the Chairs
    Answers: meetings; when do the chairs meet?"""
    cadence: MeetingCadence
    """How often it is held.

    Example: annual
    Answers: meetings; reminders (when they are posted)"""
    attendees: list[Text]
    """Who attends, in the protocol's words.

    Example: [the Chairs of the four Boards]
    Answers: meetings; who attends the chairs' meeting?"""
    boards: list[Key] = []
    """The keys of the boards whose people attend.

    Example: [lscb, hwb]
    Answers: meetings; reminders (which channels)"""
    months: list[Annotated[int, Field(ge=1, le=12)]] = []
    """The months (1-12) it is held in, where the protocol says.

    Example: [3, 6, 9, 12]
    Answers: meetings; reminders"""
    when: Text | None = None
    """When it is held, in the protocol's words.

    Example: in the spring
    Answers: meetings"""
    purpose: Text | None = None
    """What the meeting is for.

    Example: to review the protocol and agree shared priorities
    Answers: meetings"""
    source: Source
    """Where the protocol commits to the meeting.

    Example: {doc: protocol, clause: "7.1"}
    Answers: the citation under the answer"""

