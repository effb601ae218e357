"""The mutual-challenge route: who may raise a challenge, and the rungs of its ladder."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from storage.protocol.schema.facts import Fact, Key, Part, Source, Text

DelegateKind = Literal["vice_chair", "deputy", "delegated_officer"]
DELEGATE_WORDS: dict[str, str] = {
    "vice_chair": "a vice-chair", "deputy": "a nominated deputy", "delegated_officer": "an officer acting at the chair's direction",
}


RungKind = Literal["written_request", "agenda_item", "chairs_meeting", "resolution_meeting"]


class Rung(Part):
    """One step of the mutual-challenge route.

    ``notify_directors`` marks the resolution rungs whose escalation notice goes to the
    area's directors' channel; ``attendees`` is who the protocol says must attend.
    """

    key: Key
    """A short key for the step.

    Example: chairs_meeting
    Answers: challenge (the step a challenge is at)"""
    kind: RungKind
    """What the step is: a written request, an agenda item, a chairs' meeting or a resolution meeting.

    Example: chairs_meeting
    Answers: challenge route; challenge (what happens next)"""
    title: Text
    """The step's name as the protocol gives it.

    Example: Meeting of the Chairs
    Answers: challenge route; challenge"""
    text: Text
    """What the protocol says happens at this step.

    Example: The Chairs meet to resolve the matter.
    Answers: challenge route; how do I challenge another board?"""
    note: Text | None = None
    """A correction or explanation of the step's text, shown beside the protocol's own words (e.g. a clause number the protocol gets wrong).

    Example: The protocol's "8.1 and 8.2" means its clauses 10.1 and 10.2.
    Answers: challenge route; challenge"""
    attendees: list[Text] = []
    """Who the protocol says attends this step.

    Example: [Chairs of both boards, Director of Children's Services]
    Answers: challenge route; challenge (who is invited)"""
    window_working_days: Annotated[int, Field(ge=1, le=365)] | None = None
    """The working days the protocol gives the other board to respond at this step (cited by the step's source). Left out, boardbot uses its default window and says so.

    Example: 20
    Answers: how long do they have to respond?; challenge (the due date at each step)"""
    notify_directors: bool = False
    """true where this step's escalation notice goes to the directors' channel.

    Example: true
    Answers: challenge (escalation notices)"""
    source: Source
    """Where the protocol sets out this step.

    Example: {doc: protocol, clause: "10.2"}
    Answers: the citation under the answer"""


class ChallengeRoute(Part):
    """The area's mutual-challenge route.

    ``named`` is False where the protocol commits the boards to mutual challenge but
    names no steps; boardbot then uses its default ladder and labels it as such.
    """

    named: bool
    """true where the protocol sets out the steps of a challenge (then give `ladder`); false where it names none.

    Example: true
    Answers: challenge route; how do I challenge another board?"""
    who_may_raise: Fact | None = None
    """Who the protocol says may raise a challenge.

    Example: {text: "Any Chair, or an officer at the Chair's direction.", source: {doc: protocol, clause: "10.1"}}
    Answers: challenge route; challenge (who may raise)"""
    on_behalf: list[DelegateKind] | None = None
    """Who may raise a challenge on a chair's behalf, as `who_may_raise` says: vice_chair, deputy (a nominated deputy), delegated_officer (an officer at the chair's direction). Leave it out where the protocol names no one: boardbot then lets only the chair raise, and says that is its default; write [] where the protocol says only the chair may.

    Example: [vice_chair, delegated_officer]
    Answers: challenge (who may raise); how do I challenge another board?"""
    statement: Fact | None = None
    """The protocol's commitment to mutual challenge, in its words.

    Example: {text: "The Boards will hold each other to account.", source: {doc: protocol, clause: "10"}}
    Answers: challenge route"""
    ladder: list[Rung] = []
    """The steps of the route, first to last.

    Example: [{key: letter, kind: written_request, title: Letter, text: "...", source: {doc: protocol, clause: "10.1"}}]
    Answers: challenge route; challenge"""

    @model_validator(mode="after")
    def _ladder_when_named(self) -> ChallengeRoute:
        if self.named and not self.ladder:
            raise ValueError("'named: true' needs the protocol's 'ladder' of steps")
        if not self.named and self.ladder:
            raise ValueError("'named: false' means the protocol names no steps: leave 'ladder' out")
        keys = [r.key for r in self.ladder]
        if len(set(keys)) != len(keys):
            raise ValueError("two rungs of the ladder share a key")
        return self

