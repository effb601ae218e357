"""A reminder as it is posted: what is due, when (London time), who for, which clause, and
its done / snooze / not-this-time buttons (handled in :mod:`bot.workflows.reminders`).

:class:`ReminderPosts` is what the scheduler's :class:`~scheduler.materialise.Calendar` asks
for each post it queues, so the wording and the buttons' action names live here, beside the
handlers, and the scheduler knows neither.
"""

from __future__ import annotations

import datetime as dt

from bot.messages import Button, Reply, Section, Visibility
from scheduler.materialise import ReminderReplies
from scheduler.timeutil import fmt, fmt_date, london
from scheduler.views import Planned, citation_of


def reminder_buttons(rule_id: int, area: str, occurs_at: dt.datetime) -> tuple[Button, ...]:
    value = {"area": area, "rule": rule_id, "occ": occurs_at.isoformat()}
    return (
        Button("Done", "reminder.done", value, style="primary"),
        Button("Snooze 1 day", "reminder.snooze", {**value, "for": "1d"}),
        Button("Snooze 1 week", "reminder.snooze", {**value, "for": "1w"}),
        Button("Not this time", "reminder.skip", value),
    )


def when_text(occurs_at: dt.datetime, all_day: bool) -> str:
    return fmt_date(occurs_at) if all_day else f"{fmt(occurs_at)} London time"


def relative(occurs_at: dt.datetime, now: dt.datetime) -> str:
    days = (london(occurs_at).date() - london(now).date()).days
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    if days > 1:
        return f"in {days} days"
    return "yesterday" if days == -1 else f"{-days} days ago"


def render_reminder(p: Planned) -> Reply:
    """The reminder as posted: what is due, when (London time), who for, which clause; done / snooze / not this time."""
    rule, occ = p.rule, p.occurrence
    when = when_text(occ.at, rule.all_day)
    rel = relative(occ.at, p.post_at)
    about = ""
    if occ.about:
        before = rule.recurrence.get("kind") == "board_meetings" and not rule.recurrence.get("working_days_after")
        about = f" {'For' if before else 'After'} {occ.about}."
    lines = [f"{rule.title}", f"Due: {when} \u2014 {rel}.{about}"]
    if p.lead is None:
        lines.append("(Posted again after a snooze.)")
    if rule.body:
        lines.append(rule.body)
    cite = citation_of(rule)
    if cite:
        lines.append(f"Required by: {cite.file}, {cite.clause}.")
    elif rule.origin == "user":
        lines.append(f"Set by {who_made(rule.created_by)} (reminder #{rule.id}).")
    if rule.origin == "protocol" and rule.key.split(":", 1)[0] in ("meeting", "report", "review"):
        lines.append(f"A business manager can change when this falls: /board remind edit {rule.id} <when>.")
    text = "\n".join(lines)
    return Reply(
        text=text,
        title=f"Reminder: {rule.title}"[:150],
        sections=(Section(text="\n".join(lines[1:]), heading=rule.title[:150], citation=cite),),
        citations=(cite,) if cite else (),
        buttons=reminder_buttons(rule.id, rule.area_slug, occ.at),
        visibility=Visibility.CHANNEL,
        data={"reminder": {"rule_id": rule.id, "rule_key": rule.key, "area": rule.area_slug, "occurs_at": occ.at.isoformat(),
                           "lead": p.lead, "post_at": p.post_at.isoformat()}},
    )


def default_note(body: str | None) -> str:
    """The sentence of a protocol reminder's text that says its date is boardbot's own default (the
    protocol gives only a cadence, or a date boardbot does not know), or "" where the protocol sets it."""
    for line in (body or "").splitlines():
        if "boardbot's default" in line or line.startswith(("boardbot reminds", "boardbot does not know")):
            return line.strip()
    return ""


def who_made(created_by: str | None) -> str:
    """The name part of a rule's ``created_by`` ("slack:T1:U1|Jo Smith" -> "Jo Smith")."""
    if not created_by:
        return "a business manager"
    return created_by.split("|", 1)[-1] if "|" in created_by else created_by


def render_summary(items: list[Planned], now: dt.datetime) -> Reply:
    items = sorted(items, key=lambda p: (p.occurrence.at, p.rule.title))
    lines = [
        f"{len(items)} reminder{'s' if len(items) != 1 else ''} for this channel fell due more than "
        "a week ago while boardbot could not post. Rather than post each one late, here they are together:"
    ]
    seen = set()
    cites = []
    for p in items:
        ident = (p.rule.id, p.occurrence.at)
        if ident in seen:
            continue
        seen.add(ident)
        cite = citation_of(p.rule)
        if cite:
            cites.append(cite)
        lines.append(f"\u2022 {p.rule.title} \u2014 due {when_text(p.occurrence.at, p.rule.all_day)}"
                     + (f" ({cite.file}, {cite.clause})" if cite else ""))
    lines.append("Type \u201ccalendar\u201d for what is coming up.")
    return Reply(text="\n".join(lines), title="Missed reminders (summary)", citations=tuple(dict.fromkeys(cites)),
                 visibility=Visibility.CHANNEL, data={"summary": [p.key for p in items]})


class ReminderPosts(ReminderReplies):
    def reminder(self, post: Planned) -> Reply:
        return render_reminder(post)

    def summary(self, posts: list[Planned], now: dt.datetime) -> Reply:
        return render_summary(posts, now)
