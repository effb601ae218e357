"""Reminder rules: derived from each area's protocol, or added by business managers.

**From the protocol** (origin ``protocol``), :func:`derive` turns an area's protocol into
rules, each citing its clause, keyed so that re-importing a revised protocol updates
them in place and removes the ones it no longer supports
(:func:`scheduler.stored_rules.sync_area`):

- ``meeting:<key>``: recurring meetings (officers' / business managers' quarterly meeting,
  chairs' annual meeting, Prevent six-monthly updates ...). "As needed" meetings have no date
  and get no reminder.
- ``report:<from>:<report>:<season>:<years>``: the reporting calendar, one rule per report
  per season (the boards it goes to in one reminder).
- ``review:protocol``: the protocol's review, when :func:`scheduler.review_due.review_due`
  says it falls due (the date the answers give), moving when a review or signing is recorded.
- ``deadline:<key>``: statutory deadlines counted from a date the area records.
- ``minutes:<board>`` / ``agenda:<board>``: sharing minutes after, and agendas before, each
  recorded board meeting, where the protocol says boards share them.

Where a protocol gives only a cadence, boardbot's defaults apply (:data:`scheduler.rule_settings.DEFAULTS`), and an
area can set its own in ``areas.settings["calendar"]``::

    {"lead_days": [14, 1], "meeting_time": "10:00", "post_time": "09:00",
     "seasons": {"autumn": "10-01"}, "default_report_season": "autumn",
     "minutes_working_days": 5,
     "overrides": {"meeting:officers_quarterly": {"recurrence": {...}, "local_time": "14:00", "lead_days": [7, 1]}}}

``overrides`` is where a business manager's change to a protocol rule's date lives
(``/board remind edit``), so a re-import keeps it.

**Business managers' own** (origin ``user``) are added by ``/board remind``
(:mod:`bot.commands.remind`). Challenge response windows are not reminder rules: the
challenge workflow keeps its own clock (:func:`bot.workflows.challenges.check_clocks`), and
their deadlines reach personal feeds through :func:`scheduler.calendar.private_events_for`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict

from scheduler.recurrence import describe, validate
from scheduler.review_due import end_of, every_words, partial_words, review_due, review_terms
from scheduler.rule_settings import (
    RECORDABLE,
    RuleSpec,
    calendar_settings,
    date_key,
    overridden,
    record_phrase,
    recordable_events,
    season_date,
    slug,
)
from storage.protocol.schema import (
    Board,
    Deadline,
    Document,
    Protocol,
    ProtocolInfo,
    RecurringMeeting,
    ReportingDuty,
    SharingRule,
    Source,
    parse_partial_date,
)

__all__ = ["derive", "calendar_part", "CalendarPart", "RuleSpec", "RECORDABLE", "date_key", "recordable_events",
           "slug"]  # with what callers import here

REVIEW_KEY = "review:protocol"  # the protocol's review reminder: its Done reply offers to record the review

ACTION_WORDS = {"present": "present to", "inform": "inform", "consult": "consult", "submit": "submit to",
                "receive": "be received by", "respond": "respond to"}


def _join(items: Iterable[str]) -> str:
    items = [i for i in dict.fromkeys(items) if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


class BoardNames(BaseModel):
    """What :func:`derive` reads of a board: its key, short name and whether it is party to the protocol."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    key: str
    short_name: str
    party: bool = True  # as Board's


class CalendarPart(BaseModel):
    """The sections of a stored protocol document that :func:`derive` reads, validated on their own.

    A stored document was validated whole when it was imported. Deriving an area's rules again
    (at start on a fresh database, after new calendar settings) needs its meetings, reports,
    deadlines, sharing rules, review terms and sources as validated objects, and of its boards
    only the names: validating those alone costs a third of validating the whole document
    (themes, roles, the boards' members and people are most of it). :func:`derive` gives the
    same rules from this as from the :class:`Protocol` (tests/scheduler/test_rules.py).
    """

    model_config = ConfigDict(extra="ignore", frozen=True)

    documents: list[Document]
    protocol: ProtocolInfo
    boards: list[BoardNames] = []
    meetings: list[RecurringMeeting] = []
    reports: list[ReportingDuty] = []
    deadlines: list[Deadline] = []
    information_sharing: list[SharingRule] = []


def calendar_part(text: str | bytes) -> CalendarPart:
    """:class:`CalendarPart` of a stored document, from its JSON text."""
    return CalendarPart.model_validate_json(text)


Derivable = Protocol | CalendarPart  # what derive reads: a protocol, or the part of a stored one it needs


class _Cites:
    def __init__(self, protocol: Derivable) -> None:
        self.docs = {d.key: d for d in protocol.documents}

    def __call__(self, *sources: Source) -> dict[str, str] | None:
        if not sources:
            return None
        docs = list(dict.fromkeys(s.doc for s in sources))
        first = self.docs.get(docs[0])
        clauses = _join(dict.fromkeys(s.clause for s in sources if s.doc == docs[0]))
        if len(docs) > 1:  # cite the others too, by file
            extra = [f"{self.docs[d].file if d in self.docs else d}: " + _join(s.clause for s in sources if s.doc == d) for d in docs[1:]]
            clauses = "; ".join([clauses, *extra])
        return {"file": first.file if first else "boardbot", "clause": clauses,
                "document": first.title if first else "boardbot default"}


@dataclass(frozen=True)
class _Area:
    """What every section of :func:`derive` reads: the protocol, its settings over the defaults, its boards."""

    protocol: Derivable
    cfg: dict[str, Any]
    cite: _Cites
    boards: dict[str, Board | BoardNames]
    party: list[str]
    lead: list[int]

    @classmethod
    def of(cls, protocol: Derivable, settings: Mapping[str, Any] | None) -> _Area:
        cfg = calendar_settings(settings)
        return cls(protocol, cfg, _Cites(protocol), {b.key: b for b in protocol.boards},
                   [b.key for b in protocol.boards if b.party], [int(x) for x in cfg["lead_days"]])

    def label(self, key: str) -> str:
        return self.boards[key].short_name if key in self.boards else key


def derive(protocol: Derivable, settings: Mapping[str, Any] | None = None) -> list[RuleSpec]:
    """Every reminder the protocol commits the area to, with boardbot's defaults where it gives only a cadence."""
    area = _Area.of(protocol, settings)
    out = [*_meetings(area), *_reports(area), *_review(area), *_deadlines(area), *_sharing(area)]
    final = [overridden(r, area.cfg["overrides"].get(r.key)) for r in out]
    for r in final:
        validate(r.recurrence)
    return final


# --- recurring meetings ---------------------------------------------------------------


def _meeting_spec(m: RecurringMeeting, area: _Area) -> tuple[dict[str, Any], bool]:
    """The meeting's recurrence, and whether its date is boardbot's default (the protocol gives only a cadence)."""
    if m.cadence == "after_each_meeting":
        return {"kind": "board_meetings", "boards": list(m.boards) or area.party, "working_days_after": 0}, False
    cfg = area.cfg
    spec = dict(cfg[f"{m.cadence}_meeting"] if m.cadence in ("quarterly", "annual", "six_monthly") else cfg["monthly_meeting"])
    if m.months and spec["kind"] in ("nth_weekday", "working_day", "monthly"):
        spec = {**spec, "months": sorted(m.months)}
    return spec, True


def _meetings(area: _Area) -> list[RuleSpec]:
    out = []
    for m in area.protocol.meetings:
        if m.cadence == "as_needed":
            continue
        spec, defaulted = _meeting_spec(m, area)
        lines = [f"For: {_join(m.attendees)}."]
        if m.purpose:
            lines.append(f"Purpose: {m.purpose}")
        if m.when:
            lines.append(f"The protocol says: {m.when}.")
        if defaulted:
            lines.append(f"The protocol gives no {'day' if m.months else 'date'} for this {m.cadence.replace('_', '-')} meeting; "
                         f"boardbot's default is {describe(spec, area.cfg['meeting_time'])}"
                         + (" (the months are the protocol's)." if m.months else "."))
        out.append(RuleSpec(
            key=f"meeting:{m.key}", title=m.title, body="\n".join(lines), citation=area.cite(m.source), recurrence=spec,
            audience=[f"board:{b}" for b in dict.fromkeys(m.boards)] or ["admins"], lead_days=area.lead,
            local_time=area.cfg["meeting_time"],
        ))
    return out


# --- the reporting calendar -----------------------------------------------------------------


def _report_groups(protocol: Derivable) -> dict[tuple[str, str, str | None, int], list[ReportingDuty]]:
    """The reporting duties, one group per (who, report, season, cycle): one reminder each."""
    deadline_recipients = [frozenset(d.recipients) for d in protocol.deadlines if d.recipients]
    groups: dict[tuple[str, str, str | None, int], list[ReportingDuty]] = {}
    for r in protocol.reports:
        if r.to_others and not r.to_boards and frozenset(r.to_others) in deadline_recipients:
            continue  # a statutory deadline with a real date covers it (deadline:<key>)
        who = r.from_board or slug(r.by or "unnamed")
        groups.setdefault((who, r.report, r.season, r.every_years), []).append(r)
    return groups


def _season_words(season: str | None, eff_season: str, years: int, month: int, day: int) -> str:
    if season:
        return (f"The protocol's season: {season}" + (f", every {years} years" if years > 1 else "")
                + f". boardbot reminds from the season's first day ({day} {_month(month)}).")
    return (f"The protocol gives no season for this; boardbot's default is {eff_season} ({day} {_month(month)})"
            + (f", every {years} years as the protocol says" if years > 1 else "") + ".")


def _report_who(area: _Area, first: ReportingDuty, actions: str) -> str:
    owner = area.label(first.from_board) if first.from_board else (first.by or "")
    return f"Who: {owner}{' (' + first.by + ')' if first.by and first.from_board else ''} to {actions}."


def _report(area: _Area, who: str, report: str, season: str | None, years: int, duties: list[ReportingDuty],
            anchor: int) -> RuleSpec:
    first = duties[0]
    eff_season = season or area.cfg["default_report_season"]
    month, day = season_date(area.cfg, eff_season)
    spec: dict[str, Any] = {"kind": "seasonal", "season": eff_season, "month": month, "day": day}
    if years > 1:
        spec.update(every_years=years, anchor_year=anchor)
    by_action: dict[str, list[str]] = {}
    for d in duties:
        by_action.setdefault(d.action, []).extend([area.label(b) for b in d.to_boards] + list(d.to_others))
    actions = "; ".join(f"{ACTION_WORDS[a]} {_join(t)}" if t else
                        f"{ACTION_WORDS[a].removesuffix(' to')} it (the protocol names no recipient)"
                        for a, t in by_action.items())
    lines = [_report_who(area, first, actions), *(d.text for d in duties if d.text),
             _season_words(season, eff_season, years, month, day)]
    if years > 1:
        lines.append(f"Cycle counted from {anchor} (the protocol's date); a business manager can change the year.")
    audience = [f"board:{b}" for b in dict.fromkeys([*([first.from_board] if first.from_board else []),
                                                      *(b for d in duties for b in d.to_boards)])]
    return RuleSpec(
        key=f"report:{who}:{slug(report, 50)}:{season or 'unseasoned'}:{years}", title=f"{report}: {actions}",
        body="\n".join(lines), citation=area.cite(*(d.source for d in duties)), recurrence=spec,
        audience=audience or ["admins"], lead_days=area.lead, local_time=area.cfg["post_time"], all_day=True,
    )


def _reports(area: _Area) -> list[RuleSpec]:
    info = area.protocol.protocol
    anchor_src = info.version_date or info.agreed or info.created
    anchor = parse_partial_date(anchor_src).year if anchor_src else int(area.cfg["cycle_anchor_year"])
    return [_report(area, who, report, season, years, duties, anchor)
            for (who, report, season, years), duties in _report_groups(area.protocol).items()]


# --- the protocol's review ------------------------------------------------------------------


def _review_spec(area: _Area, terms: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The review's recurrence, and the lines saying where its date comes from.

    The reminder falls when :func:`scheduler.review_due.review_due` says the review is
    due, worked out again from the reviews and signings recorded, as the answers are."""
    cfg = area.cfg
    spec: dict[str, Any] = {"kind": "review", **terms}
    signing = terms["rule"].endswith("from_signing")
    every = every_words(int(terms.get("every_years") or 1))
    record = "\u201cremind reviewed protocol 2026-03-01\u201d"
    if terms.get("next_due"):
        given, years = terms["next_due"], int(terms.get("every_years") or 1)
        lines = [f"The protocol gives the review date as {given}: due by {end_of(given):%-d %B %Y}. Once a review is "
                 f"recorded (e.g. {record}), the next is due {'a year' if years == 1 else f'{years} years'} after it and "
                 "the reminder moves; while the review is overdue boardbot reminds again each year on the day it fell due."]
        return spec, lines
    if signing and terms.get("agreed"):
        agreed = terms["agreed"]
        due = review_due(terms, {}).due
        lines = [f"Due {every} from the signing ({partial_words(agreed)}, the protocol's date): by {due:%-d %B %Y}, "
                 f"or {every} from a later signing or review once one is recorded (e.g. {record}); while the review "
                 "is overdue boardbot reminds again each year on the day it fell due."]
        return spec, lines
    m_, d_ = cfg["review_default"]
    spec.update(month=int(m_), day=int(d_))
    key = "protocol_signed" if signing else "protocol_reviewed"
    verb = "signed" if signing else "reviewed"
    also = " (or a review)" if signing else ""
    lines = [f"boardbot does not know the date of the {RECORDABLE[key]}: it reminds on {d_} {_month(m_)} each year until "
             f"someone records it{also} (e.g. \u201cremind {verb} protocol 2026-03-01\u201d); then when the review falls "
             f"due, {every} from the date recorded."]
    return spec, lines


def _review(area: _Area) -> list[RuleSpec]:
    protocol = area.protocol
    review, terms = protocol.protocol.review, review_terms(protocol.protocol)
    if review is None or terms is None:
        return []
    spec, lines = _review_spec(area, terms)
    lines = [review.text, *lines, *(f"Review sooner: {when}." for when in review.also_when)]
    return [RuleSpec(
        key=REVIEW_KEY,
        title="Review of the joint protocol" + (f" ({protocol.protocol.version})" if protocol.protocol.version else ""),
        body="\n".join([f"For: the chairs and business managers of {_join(area.label(b) for b in area.party)}.", *lines]),
        citation=area.cite(review.source), recurrence=spec, audience=[f"board:{b}" for b in area.party] or ["admins"],
        lead_days=area.lead, local_time=area.cfg["post_time"], all_day=True,
    )]


# --- statutory deadlines -------------------------------------------------------------------------


def _deadlines(area: _Area) -> list[RuleSpec]:
    out = []
    for d in area.protocol.deadlines:
        period = {"working_days": d.working_days} if d.working_days is not None else {"days": d.days}
        spec = {"kind": "after_date", "date_key": date_key(d.after), **period}
        n = d.working_days if d.working_days is not None else d.days
        unit = "working days (England and Wales bank holidays excluded)" if d.working_days is not None else "days"
        lines = [f"For: {area.label(d.board) if d.board else 'the area'}" + (f"; to {_join(d.recipients)}" if d.recipients else "") + ".",
                 f"Due {n} {unit} after the {d.after}.",
                 f"Record the date when it happens, e.g. \u201cremind {record_phrase(d.after)} 2026-06-30\u201d."]
        out.append(RuleSpec(
            key=f"deadline:{d.key}", title=d.title, body="\n".join(lines), citation=area.cite(d.source), recurrence=spec,
            audience=[f"board:{d.board}"] if d.board else ["admins"],
            lead_days=[int(x) for x in area.cfg["deadline_lead_days"]], local_time=area.cfg["post_time"], all_day=True,
        ))
    return out


# --- minutes after, agendas before, each board meeting ----------------------------------------------


def _shared_by_board(area: _Area, item: str) -> dict[str, list[SharingRule]]:
    """The sharing rules that have each party board share ``item`` (minutes, agendas)."""
    per_board: dict[str, list[SharingRule]] = {}
    for s in area.protocol.information_sharing:
        if item in s.items:
            for b in s.from_boards:
                if b in area.boards and area.boards[b].party:
                    per_board.setdefault(b, []).append(s)
    return per_board


def _minutes(area: _Area, b: str, to: str) -> tuple[dict[str, Any], str, list[int], str]:
    n = int(area.cfg["minutes_working_days"])
    return ({"kind": "board_meetings", "boards": [b], "working_days_after": n},
            f"Share the {area.label(b)} minutes with {to}", [int(x) for x in area.cfg["minutes_lead_days"]],
            f"boardbot reminds {n} working days after each {area.label(b)} meeting recorded in boardbot "
            "(the protocol says after every meeting).")


def _agenda(area: _Area, b: str, to: str) -> tuple[dict[str, Any], str, list[int], str]:
    return ({"kind": "board_meetings", "boards": [b], "working_days_after": 0},
            f"Send the {area.label(b)} agenda to {to}", [int(x) for x in area.cfg["agenda_lead_days"]],
            f"boardbot reminds before each {area.label(b)} meeting recorded in boardbot.")


def _sharing(area: _Area) -> list[RuleSpec]:
    out = []
    for item, prefix, make in (("minutes", "minutes", _minutes), ("agendas", "agenda", _agenda)):
        for b, rules in _shared_by_board(area, item).items():
            spec, title, lead_days, when = make(area, b, _join(t for s in rules for t in s.to))
            lines = [f"For: the {area.label(b)} business manager.", *(s.text for s in rules), when]
            out.append(RuleSpec(
                key=f"{prefix}:{b}", title=title, body="\n".join(lines), citation=area.cite(*(s.source for s in rules)),
                recurrence=spec, audience=[f"board:{b}"], lead_days=lead_days, local_time=area.cfg["post_time"], all_day=True,
            ))
    return out


def _month(m: int) -> str:
    import calendar

    return calendar.month_name[int(m)]
