"""The protocol document itself: its title, versions, signatories and review."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from storage.protocol.schema.facts import Fact, Key, Part, PartialDate, Source, Text


class Version(Part):
    """One entry of the protocol's version history."""

    version: Text
    """The version number or name.

    Example: "2.1"
    Answers: protocol; what version is the protocol?"""
    date: PartialDate | None = None
    """When this version was made: 2016, 2016-04 or 2016-04-28.

    Example: 2016-04
    Answers: protocol"""
    change: Text
    """What changed.

    Example: Updated for Working Together 2018.
    Answers: protocol (history)"""
    source: Source
    """Where the history table gives it.

    Example: {doc: protocol, clause: "Version control"}
    Answers: the citation under the answer"""


class Signatory(Part):
    """Someone who signed the protocol."""

    name: Text
    """The person's name.

    Example: Jane Booth
    Answers: protocol; who signed the protocol?"""
    title: Text
    """Their post, as printed under the signature.

    Example: Chair, Lancashire Safeguarding Children Board
    Answers: protocol"""
    board: Key | None = None
    """The key of the board they signed for.

    Example: lscb
    Answers: protocol"""
    source: Source
    """Where the signature is.

    Example: {doc: protocol, clause: "Signatures"}
    Answers: the citation under the answer"""


class Review(Part):
    """When the protocol is reviewed. ``rule`` says how the next date is found."""

    rule: Literal["annual_from_signing", "annual", "every_years", "every_years_from_signing", "on_date", "unspecified"]
    """How the next review date is found: annual (yearly from the last review), annual_from_signing, every_years / every_years_from_signing (give every_years: 2 for a biennial or "bi-annual" review), on_date (give next_due) or unspecified.

    Example: annual
    Answers: when is the protocol due for review?; review reminders"""
    every_years: Annotated[int, Field(ge=2, le=10)] | None = None
    """How many years between reviews, for the every_years rules (2 for a review every two years).

    Example: 2
    Answers: when is the protocol due for review?; review reminders"""
    next_due: PartialDate | None = None
    """The next review date where the protocol states one: 2019, 2019-04 or 2019-04-28.

    Example: 2019-04
    Answers: when is the protocol due for review?; review reminders"""
    also_when: list[Text] = []
    """Events that also trigger a review, in the protocol's words.

    Example: [national guidance is revised]
    Answers: when is the protocol due for review?"""
    text: Text
    """What the protocol says about its review, in its words.

    Example: This Protocol will be reviewed on an annual basis.
    Answers: when is the protocol due for review?"""
    source: Source
    """Where the protocol says it.

    Example: {doc: protocol, clause: "6.4"}
    Answers: the citation under the answer"""


    @model_validator(mode="after")
    def _years_with_rule(self) -> Review:
        if self.rule.startswith("every_years") and self.every_years is None:
            raise ValueError(f"rule: {self.rule} needs every_years (e.g. every_years: 2 for a review every two years)")
        if not self.rule.startswith("every_years") and self.every_years is not None:
            raise ValueError("every_years goes with rule: every_years or every_years_from_signing")
        if self.rule == "on_date" and not self.next_due:
            raise ValueError("rule: on_date needs next_due (the date the protocol gives, e.g. 2019-04)")
        return self

    @property
    def years(self) -> int:
        """Years between reviews: 1 for the annual rules."""
        return self.every_years or 1

    @property
    def from_signing(self) -> bool:
        return self.rule in ("annual_from_signing", "every_years_from_signing")


class ProtocolInfo(Part):
    """The protocol document itself: title, version, approval, signatories, review, history.

    ``review`` may be left out only where ``coverage`` marks ``review`` not transcribed.
    """

    title: Text
    """The protocol's title.

    Example: Joint Working Protocol
    Answers: protocol"""
    version: Text | None = None
    """The current version, as printed.

    Example: "3.0"
    Answers: protocol; what version is the protocol?"""
    version_date: PartialDate | None = None
    """The date of the current version: 2018, 2018-04 or 2018-04-28.

    Example: 2018-04
    Answers: protocol"""
    created: PartialDate | None = None
    """When the protocol was first written.

    Example: 2013-09
    Answers: protocol"""
    agreed: PartialDate | None = None
    """When the boards agreed it.

    Example: 2018-06-14
    Answers: protocol; when was the protocol agreed?"""
    approved_by: list[Text] = []
    """The bodies that approved it.

    Example: [Health and Wellbeing Board, Safeguarding Children Board]
    Answers: protocol"""
    authors: Text | None = None
    """Who wrote it, where the document says.

    Example: the Boards' business managers
    Answers: protocol"""
    signatories: list[Signatory] = []
    """Who signed it.

    Example: [{name: Jane Booth, title: Chair, board: lscb, source: {doc: protocol, clause: Signatures}}]
    Answers: protocol; who signed the protocol?"""
    review: Review | None = None
    """When and how the protocol is reviewed.

    Example: {rule: annual, text: "Reviewed annually.", source: {doc: protocol, clause: "6.4"}}
    Answers: when is the protocol due for review?; review reminders"""
    notes: list[Fact] = []
    """What the document itself says or leaves blank about its dates and approval (a "date agreed" field left empty), so that answers can say so.

    Example: [{text: "The 'Date agreed' field of the document's header is blank.", source: {doc: protocol, clause: "Header"}}]
    Answers: protocol; when was the protocol agreed?"""
    history: list[Version] = []
    """The version history, oldest first.

    Example: [{version: "1.0", date: 2013-09, change: First version, source: {doc: protocol, clause: Version control}}]
    Answers: protocol"""
    source: Source
    """Where the document gives its title.

    Example: {doc: protocol, clause: "1.1"}
    Answers: protocol"""

