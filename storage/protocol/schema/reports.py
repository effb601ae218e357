"""Reports boards owe each other and other bodies, and statutory deadlines counted from an
event the area records."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from storage.protocol.schema.facts import Key, Part, Season, Source, Text

ReportAction = Literal["present", "inform", "consult", "submit", "receive", "respond"]


class ReportingDuty(Part):
    """A report one board owes another body: what, to whom, how, in which season, how often."""

    key: Key
    """A short key for the duty.

    Example: lscb_annual_report_to_hwb
    Answers: (internal: its reminders)"""
    report: Text
    """The report's name.

    Example: LSCB Annual Report
    Answers: reports; who receives the LSCB annual report?"""
    from_board: Key | None = None
    """The key of the board that owes the report (or give `by`).

    Example: lscb
    Answers: reports; report year"""
    by: Text | None = None
    """Who owes the report, where it is not one of the boards (e.g. the Director of Public Health).

    Example: Director of Public Health
    Answers: reports"""
    to_boards: list[Key] = []
    """The keys of the boards that receive it.

    Example: [hwb]
    Answers: reports; who receives the LSCB annual report?"""
    to_others: list[Text] = []
    """Other recipients, named as the protocol names them (only those it names).

    Example: [the Police and Crime Commissioner]
    Answers: reports"""
    no_recipient: Text | None = None
    """Where the protocol names no one the report goes to: what it says instead, in plain words (instead of `to_boards` / `to_others`).

    Example: The protocol says the CSP must produce the plan but not to whom it is given.
    Answers: reports; who receives the CSP plan?"""
    action: ReportAction
    """What is done with the report.

    Example: present
    Answers: reports"""
    season: Season | None = None
    """The season it is due in, where the protocol says.

    Example: autumn
    Answers: reports; reminders; report year"""
    every_years: Annotated[int, Field(ge=1, le=10)] = 1
    """How many years between reports (1 is yearly).

    Example: 3
    Answers: reports; reminders"""
    text: Text | None = None
    """The duty in the protocol's words.

    Example: The LSCB Annual Report will be presented to the HWB each autumn.
    Answers: reports"""
    source: Source
    """Where the protocol sets out the duty.

    Example: {doc: protocol, clause: "8.2"}
    Answers: the citation under the answer"""

    @model_validator(mode="after")
    def _has_recipient(self) -> ReportingDuty:
        named = bool(self.to_boards or self.to_others)
        if not named and not self.no_recipient:
            raise ValueError("a reporting duty needs 'to_boards' or 'to_others', or 'no_recipient' saying that the "
                             "protocol names no one it goes to")
        if named and self.no_recipient:
            raise ValueError("give either recipients ('to_boards' / 'to_others') or 'no_recipient', not both")
        if not self.from_board and not self.by:
            raise ValueError("a reporting duty needs 'from_board' or 'by'")
        return self


class Deadline(Part):
    """A statutory deadline counted from an event the area records (e.g. publication)."""

    key: Key
    """A short key for the deadline.

    Example: report_to_panel
    Answers: (internal: its reminders)"""
    title: Text
    """What must be done by the deadline.

    Example: Send the annual report to the national panel
    Answers: reminders; deadlines"""
    after: Text
    """The event the deadline is counted from.

    Example: publication of the annual report
    Answers: reminders"""
    working_days: Annotated[int, Field(ge=0, le=365)] | None = None
    """The deadline in working days after the event (or give `days`).

    Example: 7
    Answers: reminders"""
    days: Annotated[int, Field(ge=0, le=365)] | None = None
    """The deadline in calendar days after the event (or give `working_days`).

    Example: 28
    Answers: reminders"""
    board: Key | None = None
    """The key of the board the deadline falls on.

    Example: lscb
    Answers: reminders (which channel)"""
    recipients: list[Text] = []
    """Who must receive it.

    Example: [the Child Safeguarding Practice Review Panel]
    Answers: reminders"""
    source: Source
    """Where the deadline is set out.

    Example: {doc: protocol, clause: "8.4"}
    Answers: the citation under the reminder"""

    @model_validator(mode="after")
    def _one_period(self) -> Deadline:
        if (self.working_days is None) == (self.days is None):
            raise ValueError("give exactly one of 'working_days' or 'days'")
        return self

