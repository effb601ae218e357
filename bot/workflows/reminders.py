"""The buttons on a posted reminder: done, snooze, "not this time" (with a reason).

Each answers one occurrence of a rule (``occurrence_states``, one row per rule and
occurrence, so a double click or a second person's press changes the same row). Done and
"not this time" stop any further posts for that occurrence (queued ones are cancelled);
a snooze holds them back and has the reminder posted again when it ends. Who may press is
checked here, in the core: the chairs, business managers and delegated officers of the
boards the reminder is for, whoever set it, and admins. Anyone else is refused (privately;
the message everyone sees stays as it was) and the refusal is recorded.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from bot.context import Context, Subject, action
from bot.limits import LONG_TEXT, too_long
from bot.messages import Button, Form, FormField, Reply, Visibility, error
from bot.workflows.permissions import board_roles, rule_boards, set_by
from bot.workflows.reminder_posts import when_text
from scheduler.calendar import calendar_for
from scheduler.rules import REVIEW_KEY
from scheduler.stored_rules import cancel_pending
from scheduler.timeutil import fmt, local_to_utc, london
from scheduler.views import citation_of, rule_view
from storage import directory
from storage.audit import record
from storage.models import OccurrenceState, ReminderRule
from storage.sql import insert_for

SNOOZES = {"1d": (1, "1 day"), "1w": (7, "1 week")}  # days, words
REMINDER = Subject("reminder", ReminderRule, key="rule", audit="reminder")  # a reminder's buttons act in its area


def _may_answer(ctx: Context, row: ReminderRule) -> bool:
    actor = ctx.request.actor
    area = ctx.area.slug  # type: ignore[union-attr]
    if actor.is_admin_in(area):
        return True
    if rule_boards(row.audience) & board_roles(actor, area):
        return True
    return row.origin == "user" and set_by(actor, row.created_by)


async def _load(ctx: Context, s: Any) -> tuple[ReminderRule | None, dt.datetime | None, Reply | None]:
    value = ctx.request.value
    try:
        rule_id = int(value.get("rule"))
        occurs_at = dt.datetime.fromisoformat(str(value.get("occ"))).astimezone(dt.UTC)
    except (TypeError, ValueError):
        return None, None, error("That reminder button is damaged; nothing was changed.")
    row = await s.get(ReminderRule, rule_id)
    area = ctx.area
    if row is None or area is None or row.area_id != (await directory.area_id(s, area.slug)):
        return None, None, error("That reminder no longer exists (it was cancelled or the protocol changed).")
    if not _may_answer(ctx, row):
        await record(s, area.slug, "reminder", row.id, ctx.request.actor.label, "refused",
                     {"action": ctx.request.action, "occurs_at": occurs_at.isoformat()})
        return None, None, error("Only the chairs, business managers and delegated officers of the boards this reminder is "
                                 "for (or an admin) can answer it.")
    return row, occurs_at, None


async def _set_state(s: Any, row: ReminderRule, occurs_at: dt.datetime, state: str, by: str, now: dt.datetime,
                     until: dt.datetime | None = None, reason: str | None = None) -> OccurrenceState | None:
    """Record the answer for one occurrence. None when it is recorded; the earlier answer, untouched,
    when that occurrence already has this very answer (two people pressing "done" at once: the
    insert of the second does nothing, even before the first commits, and it is told who did)."""
    res = await s.execute(
        insert_for(s)(OccurrenceState)
        .values(rule_id=row.id, occurs_at=occurs_at, state=state, until=until, reason=reason, by=by, at=now)
        .on_conflict_do_nothing(index_elements=["rule_id", "occurs_at"])
    )
    if res.rowcount:
        return None
    st = (await s.execute(select(OccurrenceState).where(OccurrenceState.rule_id == row.id,
                                                         OccurrenceState.occurs_at == occurs_at))).scalar_one()
    if st.state == state and st.until == until:
        return st
    st.state, st.until, st.reason, st.by, st.at = state, until, reason, by, now  # a later, different answer replaces it
    await s.flush()
    return None


def _snooze_length(ctx: Context) -> tuple[int, str]:
    return SNOOZES.get(str(ctx.request.value.get("for", "1d")), SNOOZES["1d"])


def snooze_until(now: dt.datetime, days: int) -> dt.datetime:
    """The same London wall-clock time ``days`` later (to the minute): "1 day" from 09:10 on the
    Saturday the clocks go forward is 09:10 on Sunday, 23 hours on, not 10:10."""
    local = london(now)
    return local_to_utc(local.date() + dt.timedelta(days=days), local.time().replace(second=0, microsecond=0))


async def _answer(ctx: Context, state: str, *, until: dt.datetime | None = None, reason: str | None = None) -> Reply:
    """Record ``state`` (done | snoozed | skipped) for the pressed occurrence, cancel its queued posts, and say so.

    The answer replaces the reminder in the channel, so everyone sees who answered and how.
    """
    area = ctx.here
    now = ctx.services.clock()
    async with ctx.services.store.session() as s, s.begin():
        row, occ, problem = await _load(ctx, s)
        if problem or row is None or occ is None:
            return problem or error("That reminder no longer exists.")
        by = ctx.request.actor.label
        earlier = await _set_state(s, row, occ, state, by, now, until=until, reason=reason)
        if earlier is not None:
            word = {"done": "marked done", "snoozed": "snoozed", "skipped": "marked \u201cnot this time\u201d"}[state]
            return Reply(text=f"Nothing was changed: {row.title} (due {when_text(occ, bool(row.recurrence.get('all_day')))}) "
                              f"was already {word} by {earlier.by} on {fmt(earlier.at)}.",
                         title=f"Already answered: {row.title}"[:150], visibility=Visibility.CHANNEL,
                         data={"rule_id": row.id, "state": state, "already": True, "by": earlier.by})
        n = await cancel_pending(s, row.id, occ)
        details: dict[str, Any] = {"occurs_at": occ.isoformat()}
        if until is not None:
            details["until"] = until.isoformat()
        if reason is not None:
            details["reason"] = reason
        await record(s, area.slug, "reminder", row.id, by, state, {**details, "cancelled": n})
    cal = calendar_for(ctx.services)
    if cal is not None:
        cal.invalidate()
    view = rule_view(row, area.slug)
    due = when_text(occ, view.all_day)
    cite = citation_of(view)
    buttons: tuple[Button, ...] = ()
    if state == "done":
        text = f"\u2713 Done: {row.title} (due {due}). Marked done by {by} on {fmt(now)}; no more reminders for this one."
        title = f"Done: {row.title}"
        if row.key == REVIEW_KEY:
            text, buttons = _record_the_review(area.slug, text, london(now).date())
    elif state == "snoozed":
        if until is None:
            raise ValueError("a snooze has an end")
        text = (f"Snoozed for {_snooze_length(ctx)[1]} by {by}: {row.title} (due {due}). "
                f"boardbot will post it again on {fmt(until)}.")
        title = f"Snoozed: {row.title}"
    else:
        text = f"Not this time: {row.title} (due {due}), recorded by {by}. Reason: {reason}"
        title = f"Not this time: {row.title}"
    return Reply(text=text, title=title[:150], citations=(cite,) if cite else (), visibility=Visibility.CHANNEL,
                 buttons=buttons, data={"rule_id": row.id, "state": state, **details})


def _record_the_review(area_slug: str, text: str, today: dt.date) -> tuple[str, tuple[Button, ...]]:
    """Done on the review reminder answers the reminder, not the review: the answers go on saying
    the protocol is overdue until a review is recorded. So the reply says how, typed or pressed
    (a business manager's or an admin's to do, as typing it is)."""
    typed = f"remind reviewed protocol {today.isoformat()}"
    text += (f"\nIf the review itself has been held, record it with \u201c{typed}\u201d (or the date it was held), or "
             "press Record the review: until then answers quoting the protocol say its review is overdue.")
    return text, (Button("Record the review (today)", "ask", {"q": typed, "area": area_slug}),)


@action("reminder.done", on=REMINDER)
async def done(ctx: Context) -> Reply:
    return await _answer(ctx, "done")


@action("reminder.snooze", on=REMINDER)
async def snooze(ctx: Context) -> Reply:
    days = _snooze_length(ctx)[0]
    return await _answer(ctx, "snoozed", until=snooze_until(ctx.services.clock(), days))


@action("reminder.skip", on=REMINDER)
async def skip(ctx: Context) -> Reply:
    """Ask why, in a form: "not this time" is recorded with its reason."""
    area = ctx.here
    async with ctx.services.store.session() as s, s.begin():
        row, occ, problem = await _load(ctx, s)
        if problem or row is None or occ is None:
            return problem or error("That reminder no longer exists.")
    v = ctx.request.value
    due = when_text(occ, bool(row.recurrence.get("all_day")))
    return Reply(
        text=f"Not this time: {row.title} (due {due}). Say why, for the record.",
        form=Form(action="reminder.skip_reason", title="Not this time", submit_label="Record",
                  context={"area": area.slug, "rule": v.get("rule"), "occ": v.get("occ")},
                  intro=f"{row.title} \u2014 due {due}. No more reminders will be posted for this occurrence.",
                  fields=(FormField("reason", "Why not this time?", "long_text",
                                    placeholder="e.g. the meeting was combined with the chairs' meeting"),)),
    )


@action("reminder.skip_reason", on=REMINDER)
async def skip_reason(ctx: Context) -> Reply:
    raw = ctx.request.value.get("reason")
    reason = raw.strip() if isinstance(raw, str) else ""
    if not reason:
        return error("Please say why (a few words are enough).", data={"field_errors": {"reason": "Say why, for the record."}})
    if (problem := too_long("The reason", reason, LONG_TEXT)) is not None:
        return error(problem, data={"field_errors": {"reason": problem}})
    return await _answer(ctx, "skipped", reason=reason)
