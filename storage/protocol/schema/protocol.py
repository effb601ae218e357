"""An area's whole protocol, as one validated document (the top level of the file)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, ValidationInfo, field_validator
from pydantic_core import PydanticUndefined

from storage.protocol.schema.area import Agreement, AreaInfo, Document
from storage.protocol.schema.boards import Board
from storage.protocol.schema.challenge import ChallengeRoute
from storage.protocol.schema.coverage import (
    REQUIRED_UNLESS_NOT_TRANSCRIBED,
    SECTIONS,
    CoverageMark,
    Section,
    required_section,
)
from storage.protocol.schema.facts import Fact, Part
from storage.protocol.schema.meetings import RecurringMeeting
from storage.protocol.schema.protocol_info import ProtocolInfo
from storage.protocol.schema.reports import Deadline, ReportingDuty
from storage.protocol.schema.roles import Role
from storage.protocol.schema.sharing import SharingRule
from storage.protocol.schema.themes import Theme


class Protocol(Part):
    """An area's whole protocol, as one validated document.

    ``coverage`` says which parts have not been transcribed yet: a section it marks
    ``not_transcribed`` may be missing or incomplete, and answers about it say that part
    hasn't been entered into boardbot yet. A section not marked is complete: what it
    leaves out, the protocol does not say.
    """

    schema_version: Literal[1, 2]
    """The version of this file format: write 2. Files written as 1 still load (boardbot upgrades them as it reads them; `boardbot protocol upgrade FILE` rewrites them).

    Example: 2
    Answers: (checked on import)"""
    coverage: dict[Section, CoverageMark] = {}
    """The parts of the file not yet transcribed from the protocol: answers about them say so instead of "the protocol doesn't say".

    Example: {themes: not_transcribed, review: not_transcribed}
    Answers: every answer about a part marked not_transcribed"""
    area: AreaInfo
    """The area the protocol belongs to: its short name, name and council.

    Example: {slug: lancashire, name: Lancashire, council: Lancashire County Council}
    Answers: every answer"""
    documents: list[Document]
    """The documents the file is transcribed from; every `source` names one by its key.

    Example: [{key: protocol, file: joint-protocol.pdf, title: Joint Working Protocol}]
    Answers: every answer's citation"""
    protocol: ProtocolInfo
    """The protocol document itself: title, version, signatories, review and history.

    Example: {title: Joint Working Protocol, review: {...}, source: {doc: protocol, clause: "1"}}
    Answers: protocol; when is the protocol due for review?"""
    agreements: list[Agreement] = []
    """Where the documents set out more than one relationship (two protocols in one document), each and its parties; leave it out where there is one protocol between all the boards with `party: true`.

    Example: [{key: childrens, title: Children's protocol, parties: [lscb, hwb], source: {doc: protocol, clause: "Part A"}}]
    Answers: board; boards"""
    boards: list[Board] = Field(default=[], validate_default=True)
    """The boards that are parties to the protocol and the groups it links to.

    Example: [{key: lscb, short_name: LSCB, name: ..., kind: safeguarding_children}]
    Answers: boards; board; who chairs ...?; every answer naming a board"""
    themes: list[Theme] = []
    """The themes of shared interest and who leads on each.

    Example: [{key: cse, name: Child Sexual Exploitation, leads: [lscb], source: {...}}]
    Answers: who leads on CSE?; themes"""
    shared_priorities: list[Fact] = []
    """Priorities the boards share, one fact each.

    Example: [{text: Tackling neglect, source: {doc: protocol, clause: "5"}}]
    Answers: themes; what are the shared priorities?"""
    principles: list[Fact] = []
    """The principles the boards agree to work by, one fact each.

    Example: [{text: "We will be open and honest.", source: {doc: protocol, clause: "3 Key principles"}}]
    Answers: what are the protocol's principles?; search"""
    new_themes: Fact | None = Field(default=None, validate_default=True)
    """What the protocol says to do about a theme it names no lead for (who decides, how a lead is agreed).

    Example: {text: "New themes are allocated a lead at the annual chairs' meeting.", source: {doc: protocol, clause: "5.4"}}
    Answers: who leads on <a theme the protocol doesn't name>?"""
    # absent only where not transcribed; then boardbot's default ladder is used and labelled
    challenge: ChallengeRoute = Field(default=None, validate_default=True)  # type: ignore[assignment]
    """The protocol's mutual-challenge route: named: true with its ladder of steps, or named: false.

    Example: {named: true, ladder: [...]}
    Answers: challenge route; challenge"""
    information_sharing: list[SharingRule] = []
    """What the boards share with each other, by whom, with whom and when.

    Example: [{key: minutes, text: ..., items: [minutes], source: {...}}]
    Answers: information sharing; who gets the minutes?"""
    meetings: list[RecurringMeeting] = []
    """The meetings the protocol commits people to hold (officers' quarterly, chairs' annual, ...).

    Example: [{key: chairs_annual, title: Chairs' annual meeting, cadence: annual, attendees: [...], source: {...}}]
    Answers: meetings; when do the chairs meet?; reminders"""
    reports: list[ReportingDuty] = []
    """The reports boards owe each other and other bodies.

    Example: [{key: lscb_ar, report: LSCB Annual Report, from_board: lscb, to_boards: [hwb], action: present, source: {...}}]
    Answers: reports; report year; reminders"""
    deadlines: list[Deadline] = []
    """Statutory deadlines counted from an event the area records.

    Example: [{key: panel, title: ..., after: publication, working_days: 7, source: {...}}]
    Answers: reminders"""
    roles: list[Role] = []
    """The posts named in the protocol (Director of Children's Services, ...) and the boards they sit on.

    Example: [{key: dcs, title: Director of Children's Services, seats: [...]}]
    Answers: which boards does the DCS sit on?; who sits on both ...?"""

    @field_validator("documents")
    @classmethod
    def _documents_present(cls, docs: list[Document]) -> list[Document]:
        if not docs:
            raise ValueError("at least one source document is needed")
        return docs

    @field_validator("boards", "new_themes", "challenge", mode="wrap")
    @classmethod
    def _required_unless_not_transcribed(cls, value, handler, info: ValidationInfo):
        if value is PydanticUndefined or value is None or (info.field_name == "boards" and value == []):
            coverage = info.data.get("coverage") or {}
            if coverage.get(info.field_name) != "not_transcribed":
                raise required_section(REQUIRED_UNLESS_NOT_TRANSCRIBED[info.field_name], info.field_name)
            if info.field_name == "challenge":
                return ChallengeRoute(named=False)
        return handler(value)

    @field_validator("protocol")
    @classmethod
    def _review_unless_not_transcribed(cls, value: ProtocolInfo, info: ValidationInfo) -> ProtocolInfo:
        coverage = info.data.get("coverage") or {}
        if value.review is None and coverage.get("review") != "not_transcribed":
            raise required_section("when the protocol is reviewed (rule, text and source)", "review", field="review")
        return value

    def transcribed(self, section: str) -> bool:
        """Whether ``section`` has been entered in full (not marked ``not_transcribed``)."""
        if section not in SECTIONS:
            raise KeyError(f"unknown protocol section {section!r}; sections are {', '.join(SECTIONS)}")
        return self.coverage.get(section) != "not_transcribed"  # type: ignore[call-overload]

    def board(self, key: str) -> Board:
        for b in self.boards:
            if b.key == key:
                return b
        raise KeyError(key)

