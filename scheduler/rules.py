"""Reminder rules: derived from each area's protocol, or added by business managers.

**From the protocol** (origin ``protocol``), :func:`derive` turns an area's protocol into
rules, each citing its clause, keyed so that re-importing a revised protocol updates
them in place and removes the ones it no longer supports (:func:`sync_area`):

- ``meeting:<key>``: recurring meetings (officers' / business managers' quarterly meeting,
  chairs' annual meeting, Prevent six-monthly updates ...). "As needed" meetings have no date
  and get no reminder.
- ``report:<from>:<report>:<season>:<years>``: the reporting calendar, one rule per report
  per season (the boards it goes to in one reminder).
- ``review:protocol``: the protocol's review date.
- ``deadline:<key>``: statutory deadlines counted from a date the area records.
- ``minutes:<board>`` / ``agenda:<board>``: sharing minutes after, and agendas before, each
  recorded board meeting, where the protocol says boards share them.

Where a protocol gives only a cadence, boardbot's defaults apply (:data:`DEFAULTS`), and an
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

import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from scheduler.recurrence import SEASON_STARTS, describe, validate
from storage.models import Delivery, ReminderRule
from storage.protocol.schema import Protocol, Source, parse_partial_date
from storage.sql import insert_for

# Bump when derive() changes what it produces, so every replica re-syncs on start.
DERIVATION_VERSION = 3

# The first Tuesday of a month at 10:00 is boardbot's default meeting date: boards in
# England commonly meet early in the month, and a Tuesday avoids Monday bank holidays.
DEFAULTS: dict[str, Any] = {
    "lead_days": [14, 1],
    "deadline_lead_days": [5, 1, 0],
    "minutes_lead_days": [0],
    "agenda_lead_days": [7, 1],
    "meeting_time": "10:00",
    "post_time": "09:00",
    "default_report_season": "autumn",
    "minutes_working_days": 5,
    # the annual chairs' meeting follows the annual reports (published in the summer/autumn)
    "annual_meeting": {"kind": "nth_weekday", "n": 1, "weekday": 1, "months": [10]},
    "quarterly_meeting": {"kind": "nth_weekday", "n": 1, "weekday": 1, "months": [1, 4, 7, 10]},
    "six_monthly_meeting": {"kind": "nth_weekday", "n": 1, "weekday": 1, "months": [4, 10]},
    "monthly_meeting": {"kind": "nth_weekday", "n": 1, "weekday": 1},
    # where a protocol is reviewed yearly from a date boardbot does not know
    "review_default": [4, 1],
    # the first year of an "every N years" cycle when the protocol gives no year at all
    "cycle_anchor_year": 2025,
}

RECORDABLE = {
    "protocol_signed": "signing of the protocol",
    "protocol_reviewed": "last review of the protocol",
}

ACTION_WORDS = {"present": "present to", "inform": "inform", "consult": "consult", "submit": "submit to",
                "receive": "be received by", "respond": "respond to"}


@dataclass(frozen=True)
class RuleSpec:
    """What a reminder_rules row should hold."""

    key: str
    title: str
    body: str
    citation: dict[str, str] | None
    recurrence: dict[str, Any]
    audience: list[str]
    lead_days: list[int]
    local_time: str
    public: bool = True
    all_day: bool = False

    def row_values(self) -> dict[str, Any]:
        return {"title": self.title[:500], "body": self.body, "citation": self.citation,
                "recurrence": {**self.recurrence, "all_day": self.all_day}, "audience": self.audience,
                "lead_days": self.lead_days, "local_time": self.local_time, "public": self.public}


def slug(text: str, limit: int = 60) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")[:limit] or "x"


def date_key(after: str) -> str:
    """The AreaDate key a deadline counts from: "publication of the yearly report" -> publication_of_the_yearly_report."""
    return slug(after, 100)


def calendar_settings(settings: Mapping[str, Any] | None) -> dict[str, Any]:
    """The area's calendar settings over boardbot's defaults."""
    own = dict((settings or {}).get("calendar") or {})
    return {**DEFAULTS, **{k: v for k, v in own.items() if k != "overrides"}, "overrides": own.get("overrides") or {}}


def settings_fingerprint(settings: Mapping[str, Any] | None) -> str:
    own = (settings or {}).get("calendar") or {}
    return hashlib.sha1(json.dumps(own, sort_keys=True, default=str).encode()).hexdigest()[:16]


def _season_date(cfg: Mapping[str, Any], season: str) -> tuple[int, int]:
    own = (cfg.get("seasons") or {}).get(season)
    if own:
        try:
            m, d = (int(x) for x in str(own).split("-"))
            return m, d
        except ValueError:
            pass
    return SEASON_STARTS[season]


def _join(items: Iterable[str]) -> str:
    items = [i for i in dict.fromkeys(items) if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


class _Cites:
    def __init__(self, protocol: Protocol) -> None:
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


def derive(protocol: Protocol, settings: Mapping[str, Any] | None = None) -> list[RuleSpec]:
    """Every reminder the protocol commits the area to, with boardbot's defaults where it gives only a cadence."""
    cfg = calendar_settings(settings)
    cite = _Cites(protocol)
    boards = {b.key: b for b in protocol.boards}
    party = [b.key for b in protocol.boards if b.party]

    def label(key: str) -> str:
        return boards[key].short_name if key in boards else key

    lead = [int(x) for x in cfg["lead_days"]]
    out: list[RuleSpec] = []

    # --- recurring meetings ---------------------------------------------------------------
    for m in protocol.meetings:
        defaulted = True
        if m.cadence == "as_needed":
            continue
        if m.cadence == "after_each_meeting":
            spec: dict[str, Any] = {"kind": "board_meetings", "boards": list(m.boards) or party, "working_days_after": 0}
            defaulted = False
        elif m.cadence == "quarterly":
            spec = dict(cfg["quarterly_meeting"])
        elif m.cadence == "annual":
            spec = dict(cfg["annual_meeting"])
        elif m.cadence == "six_monthly":
            spec = dict(cfg["six_monthly_meeting"])
        else:  # monthly
            spec = dict(cfg["monthly_meeting"])
        if m.months and spec["kind"] != "board_meetings":
            spec = {**spec, "months": sorted(m.months)} if spec["kind"] in ("nth_weekday", "working_day", "monthly") else spec
        lines = [f"For: {_join(m.attendees)}."]
        if m.purpose:
            lines.append(f"Purpose: {m.purpose}")
        if m.when:
            lines.append(f"The protocol says: {m.when}.")
        if defaulted:
            how = "months" if m.months else "dates"
            lines.append(f"The protocol gives no {'day' if m.months else 'date'} for this {m.cadence.replace('_', '-')} meeting; "
                         f"boardbot's default is {describe(spec, cfg['meeting_time'])}"
                         + (" (the months are the protocol's)." if how == "months" else "."))
        out.append(RuleSpec(
            key=f"meeting:{m.key}", title=m.title, body="\n".join(lines), citation=cite(m.source), recurrence=spec,
            audience=[f"board:{b}" for b in dict.fromkeys(m.boards)] or ["admins"], lead_days=lead,
            local_time=cfg["meeting_time"],
        ))

    # --- the reporting calendar -----------------------------------------------------------------
    deadline_recipients = [frozenset(d.recipients) for d in protocol.deadlines if d.recipients]
    groups: dict[tuple[str, str, str | None, int], list] = {}
    for r in protocol.reports:
        if r.to_others and not r.to_boards and frozenset(r.to_others) in deadline_recipients:
            continue  # a statutory deadline with a real date covers it (deadline:<key>)
        who = r.from_board or slug(r.by or "unnamed")
        groups.setdefault((who, r.report, r.season, r.every_years), []).append(r)
    anchor_src = protocol.protocol.version_date or protocol.protocol.agreed or protocol.protocol.created
    anchor = parse_partial_date(anchor_src).year if anchor_src else int(cfg["cycle_anchor_year"])
    for (who, report, season, years), duties in groups.items():
        first = duties[0]
        eff_season = season or cfg["default_report_season"]
        month, day = _season_date(cfg, eff_season)
        spec = {"kind": "seasonal", "season": eff_season, "month": month, "day": day}
        if years > 1:
            spec.update(every_years=years, anchor_year=anchor)
        by_action: dict[str, list[str]] = {}
        for d in duties:
            targets = [label(b) for b in d.to_boards] + list(d.to_others)
            by_action.setdefault(d.action, []).extend(targets)
        actions = "; ".join(f"{ACTION_WORDS[a]} {_join(t)}" for a, t in by_action.items())
        owner = label(first.from_board) if first.from_board else (first.by or "")
        lines = [f"Who: {owner}{' (' + first.by + ')' if first.by and first.from_board else ''} to {actions}."]
        for d in duties:
            if d.text:
                lines.append(d.text)
        lines.append(f"The protocol's season: {season}" + (f", every {years} years" if years > 1 else "")
                     + f". boardbot reminds from the season's first day ({day} {_month(month)})."
                     if season else
                     f"The protocol gives no season for this; boardbot's default is {eff_season} ({day} {_month(month)})"
                     + (f", every {years} years as the protocol says" if years > 1 else "") + ".")
        if years > 1:
            lines.append(f"Cycle counted from {anchor} (the protocol's date); a business manager can change the year.")
        audience = [f"board:{b}" for b in dict.fromkeys([*([first.from_board] if first.from_board else []),
                                                          *(b for d in duties for b in d.to_boards)])]
        title = f"{report}: {actions}"
        out.append(RuleSpec(
            key=f"report:{who}:{slug(report, 50)}:{season or 'unseasoned'}:{years}", title=title,
            body="\n".join(lines), citation=cite(*(d.source for d in duties)), recurrence=spec,
            audience=audience or ["admins"], lead_days=lead, local_time=cfg["post_time"], all_day=True,
        ))

    # --- the protocol's review ------------------------------------------------------------------
    review = protocol.protocol.review
    if review is not None and review.rule != "unspecified":
        lines = [review.text]
        if review.rule == "on_date" and review.next_due:
            due = review.next_due
            base = parse_partial_date(due)
            if len(due) == 10:
                spec = {"kind": "yearly", "month": base.month, "day": base.day, "from": base.isoformat()}
            else:  # a month (or a year) only: the first working day of it
                spec = {"kind": "working_day", "n": 1, "months": [base.month], "from": base.isoformat()}
            lines.append(f"The protocol gives the review date as {due}; boardbot reminds on {describe(spec)} "
                         "(the reviews are yearly) until a revised protocol is imported.")
        else:
            key = "protocol_signed" if review.rule == "annual_from_signing" else "protocol_reviewed"
            known = protocol.protocol.agreed if review.rule == "annual_from_signing" else None
            if known and len(known) == 10:
                base = parse_partial_date(known)
                spec = {"kind": "anniversary", "date_key": key, "month": base.month, "day": base.day}
                lines.append(f"Counted yearly from {base:%d %B %Y}.")
            else:
                m_, d_ = cfg["review_default"]
                spec = {"kind": "anniversary", "date_key": key, "month": int(m_), "day": int(d_)}
                verb = "signed" if key == "protocol_signed" else "reviewed"
                lines.append(f"boardbot does not know the date of the {RECORDABLE[key]}: it reminds on {d_} {_month(m_)} "
                             f"each year until someone records it (e.g. \u201cremind {verb} protocol 2026-03-01\u201d).")
        for when in review.also_when:
            lines.append(f"Review sooner: {when}.")
        out.append(RuleSpec(
            key="review:protocol",
            title="Review of the joint protocol" + (f" ({protocol.protocol.version})" if protocol.protocol.version else ""),
            body="\n".join([f"For: the chairs and business managers of {_join(label(b) for b in party)}.", *lines]),
            citation=cite(review.source), recurrence=spec, audience=[f"board:{b}" for b in party] or ["admins"],
            lead_days=lead, local_time=cfg["post_time"], all_day=True,
        ))

    # --- statutory deadlines -------------------------------------------------------------------------
    for d in protocol.deadlines:
        period = {"working_days": d.working_days} if d.working_days is not None else {"days": d.days}
        spec = {"kind": "after_date", "date_key": date_key(d.after), **period}
        n = d.working_days if d.working_days is not None else d.days
        unit = "working days (England and Wales bank holidays excluded)" if d.working_days is not None else "days"
        lines = [f"For: {label(d.board) if d.board else 'the area'}" + (f"; to {_join(d.recipients)}" if d.recipients else "") + ".",
                 f"Due {n} {unit} after the {d.after}.",
                 f"Record the date when it happens, e.g. \u201cremind {_record_phrase(d.after)} 2026-06-30\u201d."]
        out.append(RuleSpec(
            key=f"deadline:{d.key}", title=d.title, body="\n".join(lines), citation=cite(d.source), recurrence=spec,
            audience=[f"board:{d.board}"] if d.board else ["admins"],
            lead_days=[int(x) for x in cfg["deadline_lead_days"]], local_time=cfg["post_time"], all_day=True,
        ))

    # --- minutes after, agendas before, each board meeting ----------------------------------------------
    for item, prefix in (("minutes", "minutes"), ("agendas", "agenda")):
        per_board: dict[str, list] = {}
        for s in protocol.information_sharing:
            if item in s.items:
                for b in s.from_boards:
                    if b in boards and boards[b].party:
                        per_board.setdefault(b, []).append(s)
        for b, rules in per_board.items():
            to = _join(t for s in rules for t in s.to)
            if prefix == "minutes":
                n = int(cfg["minutes_working_days"])
                spec = {"kind": "board_meetings", "boards": [b], "working_days_after": n}
                title = f"Share the {label(b)} minutes with {to}"
                lead_days = [int(x) for x in cfg["minutes_lead_days"]]
                when = (f"boardbot reminds {n} working days after each {label(b)} meeting recorded in boardbot "
                        "(the protocol says after every meeting).")
            else:
                spec = {"kind": "board_meetings", "boards": [b], "working_days_after": 0}
                title = f"Send the {label(b)} agenda to {to}"
                lead_days = [int(x) for x in cfg["agenda_lead_days"]]
                when = f"boardbot reminds before each {label(b)} meeting recorded in boardbot."
            lines = [f"For: the {label(b)} business manager.", *(s.text for s in rules), when]
            out.append(RuleSpec(
                key=f"{prefix}:{b}", title=title, body="\n".join(lines), citation=cite(*(s.source for s in rules)),
                recurrence=spec, audience=[f"board:{b}"], lead_days=lead_days, local_time=cfg["post_time"], all_day=True,
            ))

    # --- a business manager's changes to the defaults -----------------------------------------------------
    overrides = cfg["overrides"]
    final = []
    for r in out:
        o = overrides.get(r.key)
        if o:
            r = RuleSpec(
                key=r.key, title=r.title, body=r.body, citation=r.citation,
                recurrence=validate(o["recurrence"]) if o.get("recurrence") else r.recurrence,
                audience=r.audience, lead_days=[int(x) for x in o.get("lead_days", r.lead_days)],
                local_time=o.get("local_time", r.local_time), public=r.public, all_day=r.all_day,
            )
        final.append(r)
    for r in final:
        validate(r.recurrence)
    return final


def _month(m: int) -> str:
    import calendar

    return calendar.month_name[int(m)]


def _record_phrase(after: str) -> str:
    words = after.lower().split()
    if words and words[0] == "publication":
        rest = [w for w in words[1:] if w not in ("of", "the")]
        return "published " + " ".join(rest)
    return "record " + after.lower()


def recordable_events(protocol: Protocol) -> dict[str, str]:
    """AreaDate keys people can record for this area, with their labels."""
    out = {date_key(d.after): d.after for d in protocol.deadlines}
    rule = protocol.protocol.review.rule if protocol.protocol.review else "unspecified"
    if rule == "annual_from_signing":
        out["protocol_signed"] = RECORDABLE["protocol_signed"]
    if rule == "annual":
        out["protocol_reviewed"] = RECORDABLE["protocol_reviewed"]
    return out


# --- storing rules ---------------------------------------------------------------------------


def _schedule_part(recurrence: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in recurrence.items() if k != "since"}


def schedule_changed(row: ReminderRule, recurrence: Mapping[str, Any] | None = None, *, local_time: str | None = None,
                     lead_days: list[int] | None = None, audience: list[str] | None = None) -> bool:
    """Whether the new values (None: unchanged) change *when or where* ``row`` posts.

    Its dates and time, and also its lead days and audience: a new lead time or a newly
    named board has posts "due" in the past (a 14-day notice for a meeting next week), and
    none of them was ever promised, so the rule counts from the change (``since``) instead
    of catching them up late or in a summary.
    """
    return ((recurrence is not None and _schedule_part(row.recurrence) != _schedule_part(recurrence))
            or (local_time is not None and row.local_time != local_time)
            or (lead_days is not None and [int(x) for x in row.lead_days or []] != [int(x) for x in lead_days])
            or (audience is not None and list(row.audience or []) != list(audience)))


@dataclass
class SyncResult:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed)


async def sync_area(session: AsyncSession, area_id: int, specs: list[RuleSpec], now: dt.datetime) -> SyncResult:
    """Make the area's protocol rules match ``specs``: insert, update in place, delete the stale.

    A rule whose schedule changes (see :func:`schedule_changed`) starts counting from ``now``
    (``recurrence["since"]``), so a changed date never makes boardbot post "late" reminders
    for dates that were never set.
    Pending posts of removed rules are cancelled. The caller commits.
    """
    result = SyncResult()
    existing = {
        r.key: r
        for r in (await session.execute(
            select(ReminderRule).where(ReminderRule.area_id == area_id, ReminderRule.origin == "protocol")
        )).scalars()
    }
    for spec in specs:
        values = spec.row_values()
        row = existing.pop(spec.key, None)
        if row is None:
            values["recurrence"] = {**values["recurrence"], "since": now.isoformat()}
            await session.execute(
                insert_for(session)(ReminderRule).values(
                    area_id=area_id, key=spec.key, origin="protocol", active=True, created_by="protocol",
                    created_at=now, updated_at=now, **values,
                ).on_conflict_do_nothing(index_elements=["area_id", "key"])
            )
            result.added.append(spec.key)
            continue
        new_schedule = _schedule_part(values["recurrence"])
        if schedule_changed(row, new_schedule, local_time=values["local_time"], lead_days=values["lead_days"],
                            audience=values["audience"]):
            values["recurrence"] = {**new_schedule, "since": now.isoformat()}
        else:
            values["recurrence"] = dict(row.recurrence)
        changed = {k: v for k, v in values.items() if getattr(row, k) != v}
        if not row.active:
            changed["active"] = True
        if changed:
            for k, v in changed.items():
                setattr(row, k, v)
            row.updated_at = now
            result.updated.append(spec.key)
    for row in existing.values():
        await cancel_pending(session, row.id)
        # by statement, not session.delete: another process removing it too is not an error
        await session.execute(delete(ReminderRule).where(ReminderRule.id == row.id))
        result.removed.append(row.key)
    await session.flush()
    return result


async def cancel_pending(session: AsyncSession, rule_id: int, occurs_at: dt.datetime | None = None) -> int:
    """Cancel posts of a rule (or one occurrence) that are queued but not yet sent."""
    q = update(Delivery).where(Delivery.rule_id == rule_id, Delivery.status == "pending")
    if occurs_at is not None:
        q = q.where(Delivery.occurs_at == occurs_at)
    result = await session.execute(q.values(status="cancelled", last_error="cancelled: the reminder was answered or removed"))
    return result.rowcount or 0
