"""The figures of a board's year, gathered from the record.

For one board and a period (London dates, both ends included): the challenges it raised
and received (rung reached, first response against the response window, outcome), the
agenda items it asked for and was asked for (and what became of them), the reports the
protocol says it presents and to whom (and whether their reminders were marked done), and
the reminders for its board that fell due in the period and were neither done nor marked
"not this time". Nothing is written; the figures are as the record stands on ``now``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.knowledge import AreaKnowledge
from scheduler.recurrence import occurrences
from scheduler.timeutil import LONDON, local_to_utc
from scheduler.views import load_facts, rule_view
from scheduler.workdays import working_days_between
from storage.models import AgendaRequest, Area, AuditEvent, Challenge, OccurrenceState, ReminderRule

OPEN = ("open", "awaiting_info", "responded")


@dataclass(frozen=True)
class ChallengeLine:
    number: int
    direction: str  # "raised" (by this board) | "received"
    other: str  # the other board's short name
    subject: str
    raised_on: dt.date
    month: str  # "2025-04"
    rung: int  # 1-based step reached
    rung_title: str
    status: str
    outcome: str | None
    first_response: dt.datetime | None
    response_days: int | None  # working days from raised to the first response
    window: int  # working days the first step allowed
    due: dt.datetime | None  # when the first response was due (after any extension agreed before it)
    within_window: bool | None  # None: no response yet and the window has not passed
    extended: bool  # more time was agreed before the first response
    escalations: int


@dataclass(frozen=True)
class AgendaLine:
    number: int
    direction: str  # "requested" (by this board) | "received"
    other: str
    title: str
    requested_on: dt.date
    status: str
    meeting: dt.datetime | None
    from_challenge: int | None  # the challenge number whose escalation asked for it


@dataclass(frozen=True)
class ReportLine:
    report: str
    to: list[str]
    action: str
    season: str | None
    clause: str
    due: list[dt.datetime]  # occurrences of its reminder in the period
    done: list[dt.datetime]


@dataclass(frozen=True)
class MissedLine:
    title: str
    due: dt.datetime
    clause: str


@dataclass
class YearFigures:
    area: str
    area_name: str
    board: str
    board_short: str
    board_name: str
    start: dt.date
    end: dt.date
    as_at: dt.datetime
    ladder: list[str]
    challenges: list[ChallengeLine] = field(default_factory=list)
    agenda: list[AgendaLine] = field(default_factory=list)
    reports: list[ReportLine] = field(default_factory=list)
    reminders_due: int = 0
    reminders_done: int = 0
    reminders_not_this_time: list[tuple[str, dt.datetime, str]] = field(default_factory=list)
    missed: list[MissedLine] = field(default_factory=list)
    # reminder rule key -> (occurrences due in the period, those marked done): the reports' record
    occurrences_by_rule: dict[str, tuple[list[dt.datetime], list[dt.datetime]]] = field(default_factory=dict, repr=False)

    # --- the summary figures ---------------------------------------------------------------

    def raised(self) -> list[ChallengeLine]:
        return [c for c in self.challenges if c.direction == "raised"]

    def received(self) -> list[ChallengeLine]:
        return [c for c in self.challenges if c.direction == "received"]

    def summary(self) -> dict[str, object]:
        def resp(rows: list[ChallengeLine]) -> dict[str, object]:
            answered = [c for c in rows if c.response_days is not None]
            days = sorted(c.response_days for c in answered if c.response_days is not None)
            median = days[len(days) // 2] if len(days) % 2 else (days[len(days) // 2 - 1] + days[len(days) // 2]) / 2 if days else None
            return {"responded": len(answered), "within_window": sum(1 for c in rows if c.within_window is True),
                    "late_or_unanswered": sum(1 for c in rows if c.within_window is False),
                    "median_working_days": median}

        def outcomes(rows: list[ChallengeLine]) -> dict[str, int]:
            out = Counter("open" if c.status in OPEN else c.status for c in rows)
            return {k: out.get(k, 0) for k in ("resolved", "withdrawn", "open")}

        def rungs(rows: list[ChallengeLine]) -> dict[str, int]:
            got = Counter(c.rung_title for c in rows)
            return {title: got.get(title, 0) for title in self.ladder}

        def agenda(direction: str) -> dict[str, int]:
            rows = [a for a in self.agenda if a.direction == direction]
            got = Counter(a.status for a in rows)
            return {"total": len(rows), **{k: got.get(k, 0) for k in ("accepted", "deferred", "declined", "withdrawn", "requested")}}

        return {
            "challenges_raised": len(self.raised()), "challenges_received": len(self.received()),
            "raised_by_rung": rungs(self.raised()), "received_by_rung": rungs(self.received()),
            "raised_outcomes": outcomes(self.raised()), "received_outcomes": outcomes(self.received()),
            "responses_to_our_challenges": resp(self.raised()), "our_responses": resp(self.received()),
            "agenda_requested": agenda("requested"), "agenda_received": agenda("received"),
            "reports_due": sum(len(r.due) for r in self.reports), "reports_done": sum(len(r.done) for r in self.reports),
            "reminders_due": self.reminders_due, "reminders_done": self.reminders_done,
            "reminders_not_this_time": len(self.reminders_not_this_time), "reminders_missed": len(self.missed),
        }

    def by_rung_and_month(self) -> tuple[list[str], dict[str, list[int]]]:
        """Months of the period and, per rung reached, how many challenges (raised or received) each month."""
        months = []
        y, m = self.start.year, self.start.month
        while (y, m) <= (self.end.year, self.end.month):
            months.append(f"{y:04d}-{m:02d}")
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        counts = {title: [0] * len(months) for title in self.ladder}
        for c in self.challenges:
            if c.month in months:
                counts.setdefault(c.rung_title, [0] * len(months))[months.index(c.month)] += 1
        return months, counts


def _window(raised: dt.datetime, due: dt.datetime) -> int:
    """The working days a step allowed, from when it started to when its response was due."""
    return working_days_between(raised.astimezone(LONDON).date(), due.astimezone(LONDON).date())


def _period(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    return local_to_utc(start, dt.time(0, 0)), local_to_utc(end + dt.timedelta(days=1), dt.time(0, 0))


async def _challenges(s: AsyncSession, area: AreaKnowledge, area_id: int, board: str, lo: dt.datetime, hi: dt.datetime,
                      now: dt.datetime) -> list[ChallengeLine]:
    rows = list((await s.execute(select(Challenge).where(
        Challenge.area_id == area_id, Challenge.created_at >= lo, Challenge.created_at < hi,
        (Challenge.from_board == board) | (Challenge.to_board == board)).order_by(Challenge.number))).scalars())
    if not rows:
        return []
    events: dict[int, list[AuditEvent]] = {}
    for e in (await s.execute(select(AuditEvent).where(
            AuditEvent.area_id == area_id, AuditEvent.subject_type == "challenge",
            AuditEvent.subject_id.in_([c.id for c in rows])).order_by(AuditEvent.at, AuditEvent.id))).scalars():
        events.setdefault(e.subject_id or 0, []).append(e)
    ladder = area.ladder
    out = []
    for c in rows:
        log = events.get(c.id, [])
        raised_at = c.created_at
        due = next((dt.datetime.fromisoformat(e.detail["due"]) for e in log if e.kind == "raised" and e.detail.get("due")), None)
        first_due = due  # the first step's window, as set when it was raised (the area's own, or boardbot's default)
        response = None
        extended = False
        for e in log:
            if e.kind == "responded":
                response = e.at
                break
            if e.kind == "time-agreed" and e.detail.get("due"):
                due = dt.datetime.fromisoformat(e.detail["due"])
                extended = True
        if response is not None:
            within = due is None or response <= due
        else:
            within = False if due is not None and now > due else None
        rung = ladder[min(c.rung_index, len(ladder) - 1)]
        local = c.created_at.astimezone(LONDON)
        out.append(ChallengeLine(
            number=c.number, direction="raised" if c.from_board == board else "received",
            other=area.boards[c.to_board if c.from_board == board else c.from_board].short_name
            if (c.to_board if c.from_board == board else c.from_board) in area.boards else c.to_board,
            subject=c.subject, raised_on=local.date(), month=f"{local.year:04d}-{local.month:02d}",
            rung=c.rung_index + 1, rung_title=rung.title, status=c.status, outcome=c.outcome,
            first_response=response,
            response_days=(working_days_between(raised_at.astimezone(LONDON).date(), response.astimezone(LONDON).date())
                           if response else None),
            window=_window(raised_at, first_due) if first_due else 0, due=due, within_window=within, extended=extended,
            escalations=sum(1 for e in log if e.kind == "escalated"),
        ))
    return out


async def _agenda(s: AsyncSession, area: AreaKnowledge, area_id: int, board: str, lo: dt.datetime,
                  hi: dt.datetime) -> list[AgendaLine]:
    from storage.models import BoardMeeting

    rows = (await s.execute(
        select(AgendaRequest, BoardMeeting.starts_at, Challenge.number)
        .outerjoin(BoardMeeting, BoardMeeting.id == AgendaRequest.meeting_id)
        .outerjoin(Challenge, Challenge.id == AgendaRequest.challenge_id)
        .where(AgendaRequest.area_id == area_id, AgendaRequest.created_at >= lo, AgendaRequest.created_at < hi,
               (AgendaRequest.from_board == board) | (AgendaRequest.to_board == board))
        .order_by(AgendaRequest.number))).all()
    out = []
    for r, starts_at, challenge_number in rows:
        other = r.to_board if r.from_board == board else r.from_board
        out.append(AgendaLine(number=r.number, direction="requested" if r.from_board == board else "received",
                              other=area.boards[other].short_name if other in area.boards else other, title=r.title,
                              requested_on=r.created_at.astimezone(LONDON).date(), status=r.status, meeting=starts_at,
                              from_challenge=challenge_number))
    return out


async def _reminders(s: AsyncSession, area: AreaKnowledge, area_id: int, board: str, lo: dt.datetime, hi: dt.datetime,
                     now: dt.datetime, fig: YearFigures) -> None:
    """Every reminder for the board that fell due in the period (and before ``now``), and what was said about it."""
    rows = list((await s.execute(select(ReminderRule).where(ReminderRule.area_id == area_id))).scalars())
    mine = [r for r in rows if f"board:{board}" in (r.audience or [])]
    facts = await load_facts(s, area_id)
    states: dict[tuple[int, dt.datetime], OccurrenceState] = {
        (st.rule_id, st.occurs_at): st for st in (await s.execute(select(OccurrenceState).where(
            OccurrenceState.rule_id.in_([r.id for r in mine] or [0])))).scalars()}
    until = min(hi, now)
    due_by_rule = fig.occurrences_by_rule
    for row in mine:
        try:
            view = rule_view(row, area.slug)
        except (ValueError, KeyError, TypeError):
            continue
        begin = max(lo, view.since) if view.since else lo
        if begin >= until:
            continue
        clause = f"{row.citation['clause']}" if row.citation else ""
        for occ in occurrences(view.recurrence, start=begin, end=until, at=view.at, facts=facts):
            st = states.get((row.id, occ.at))
            fig.reminders_due += 1
            done = st is not None and st.state == "done"
            if done:
                fig.reminders_done += 1
            elif st is not None and st.state == "skipped":
                fig.reminders_not_this_time.append((row.title, occ.at, st.reason or ""))
            else:
                fig.missed.append(MissedLine(row.title, occ.at, clause))
            slot = due_by_rule.setdefault(row.key, ([], []))
            slot[0].append(occ.at)
            if done:
                slot[1].append(occ.at)


def _reports(area: AreaKnowledge, board: str, fig: YearFigures) -> None:
    """The reports the protocol says this board presents, and to whom, with their reminders' record.

    The protocol may list one report once per recipient (Buckinghamshire's table): they are one
    report, presented to each, with one reminder."""
    from scheduler.rules import slug

    grouped: dict[tuple[str, str | None, int], list] = {}
    for r in area.protocol.reports:
        if r.from_board == board:
            grouped.setdefault((r.report, r.season, r.every_years), []).append(r)
    for (report, season, years), duties in grouped.items():
        to = list(dict.fromkeys([area.boards[k].short_name for d in duties for k in d.to_boards if k in area.boards]
                                + [o for d in duties for o in d.to_others]))
        actions = list(dict.fromkeys(d.action for d in duties))
        key = f"report:{board}:{slug(report, 50)}:{season or 'unseasoned'}:{years}"
        due, done = fig.occurrences_by_rule.get(key, ([], []))
        fig.reports.append(ReportLine(report=report, to=to, action=" / ".join(actions), season=season,
                                      clause="; ".join(dict.fromkeys(d.source.clause for d in duties)),
                                      due=sorted(due), done=sorted(done)))


async def gather(session: AsyncSession, area: AreaKnowledge, board: str, start: dt.date, end: dt.date,
                 now: dt.datetime) -> YearFigures:
    """The figures of ``board``'s year [start, end] in ``area``, as the record stands on ``now``."""
    b = area.boards[board]
    area_id = (await session.execute(select(Area.id).where(Area.slug == area.slug))).scalar_one()
    lo, hi = _period(start, end)
    fig = YearFigures(area=area.slug, area_name=area.name, board=board, board_short=b.short_name, board_name=b.name,
                      start=start, end=end, as_at=now, ladder=[r.title for r in area.ladder])
    fig.challenges = await _challenges(session, area, area_id, board, lo, hi, now)
    fig.agenda = await _agenda(session, area, area_id, board, lo, hi)
    await _reminders(session, area, area_id, board, lo, hi, now, fig)
    _reports(area, board, fig)
    return fig
