"""The calendar: what the protocols (and your boards' own reminders) have coming up.

``calendar`` lists the next 90 days for the boards you hold a role on (or the whole area
if you hold none), in London time, each with the clause that requires it. ``calendar
link`` gives you a private iCalendar address for Outlook / Google / Apple Calendar (shown
only to you; anyone with it can read your boards' private dates, so ``calendar revoke``
turns it off). The area's public protocol calendar is at ``/calendar/<area>.ics``.
"""

from __future__ import annotations

import datetime as dt
import re

from bot.commands.arguments import strip_area_words
from bot.commands.registry import command
from bot.context import Context
from bot.messages import Reply, Visibility, error
from bot.workflows.common import refuse_elsewhere
from bot.workflows.permissions import board_roles
from bot.workflows.reminder_posts import default_note
from scheduler.calendar import create_feed, events, revoke_feeds, sync_unless_in_step
from scheduler.timeutil import LONDON
from storage import directory
from storage.audit import record

DAYS = 90
_HEAD = re.compile(r"^\s*(?:/board\s+|@?boardbot\s+)?(?:my\s+)?calendar\b\s*(?P<rest>.*)$", re.I | re.S)


def _feed_base(ctx: Context) -> str:
    return ctx.services.public_url.rstrip("/")


@command("calendar", section="Reminders")
async def calendar(ctx: Context) -> Reply:
    """The next 90 days for your boards, with the clause behind each date; your private calendar link.

    Examples:
      calendar
      calendar {board}
      calendar area
      calendar link
      calendar revoke
    """
    area = ctx.here
    if ctx.services.store is None:
        return error("The calendar needs the database; it is not available here.")
    m = _HEAD.match(ctx.request.text or "")
    rest = strip_area_words(ctx, (m.group("rest") if m else "").strip())
    word = rest.lower().strip(" ?.!")
    if word in ("link", "subscribe", "feed", "ics", "url", "outlook"):
        return await _link(ctx)
    if word in ("revoke", "unlink", "stop", "turn off"):
        return await _revoke(ctx)
    actor = ctx.request.actor
    # another area's calendar shows its protocol's dates (public anyway) and nothing private
    mine = board_roles(actor, area.slug)
    boards: set[str] | None
    if word in ("", "mine", "my boards"):
        boards = {b for b in mine if b in area.boards} or None
    elif word in ("area", "all", "everything", "whole area", "all boards"):
        boards = None
    else:
        found = area.find_board(rest).match
        if found is None:
            return error(f"\u201c{rest}\u201d is not one of {area.name}'s boards.",
                         hint="Try \u201ccalendar\u201d, \u201ccalendar area\u201d, \u201ccalendar "
                              f"{area.protocol.boards[0].short_name}\u201d or \u201ccalendar link\u201d.")
        boards = {found.key}
    now = ctx.services.clock()
    end = now + dt.timedelta(days=DAYS)
    async with ctx.services.store.session() as s:
        await sync_unless_in_step(ctx.services, s, area.slug, now)
        found_events = await events(s, area.slug, start=now, end=end, boards=boards, public_only=False,
                                    include_private_for_boards=None if actor.is_admin_in(area.slug) else mine)
    scope = ", ".join(area.boards[b].short_name for b in sorted(boards)) if boards else "all boards"
    title = f"Calendar \u2014 {area.name} ({scope}), next {DAYS} days"
    base = _feed_base(ctx)
    feed = f"{base}/calendar/{area.slug}.ics" if base else f"/calendar/{area.slug}.ics on boardbot's web address"
    if not found_events:
        return Reply(text=f"Nothing falls due for {scope} in {area.name} in the next {DAYS} days.\n"
                          f"Public calendar to subscribe to: {feed}", title=title, data={"events": []})
    lines = [f"{area.name}, {scope}: the next {DAYS} days (London time)."]
    day = None
    data = []
    for e in found_events:
        local = e.start.astimezone(LONDON)
        if local.date() != day:
            day = local.date()
            lines.append(f"{local:%a %d %b %Y}")
        when = "all day" if e.all_day else f"{local:%H:%M}"
        names = ", ".join(area.boards[b].short_name for b in e.boards if b in area.boards)
        state = {"done": " \u2014 done", "skipped": " \u2014 not this time", "snoozed": " \u2014 snoozed"}.get(e.state or "", "")
        defaulted = bool(e.citation and default_note(e.description))
        lines.append(f"  \u2022 {when} {e.title}" + (f" ({names})" if names else "") + state
                     + (f" \u2014 when: boardbot's default, not the protocol's; what: {e.citation}" if defaulted
                        else f" \u2014 {e.citation}" if e.citation else " \u2014 your board's own reminder" if not e.public else ""))
        data.append({"start": e.start.isoformat(), "local": local.isoformat(), "title": e.title, "boards": list(e.boards),
                     "citation": e.citation, "default_date": defaulted, "public": e.public, "rule_id": e.rule_id, "state": e.state})
    lines.append(f"Subscribe in Outlook: {feed} (the protocol's dates); \u201ccalendar link\u201d gives your own, with private dates.")
    return Reply(text="\n".join(lines), title=title, data={"events": data})


async def _link(ctx: Context) -> Reply:
    area = ctx.here
    actor = ctx.request.actor
    if not ctx.request.private_possible:  # nothing is created (or revoked) where it can't be shown privately
        return error("Your calendar address is private: ask me for it in a 1:1 chat with boardbot.")
    now = ctx.services.clock()
    async with ctx.services.store.session() as s:
        if (refused := await refuse_elsewhere(ctx, s, "calendar", "make a personal calendar link")) is not None:
            return refused
    async with ctx.services.store.session() as s, s.begin():
        person = await directory.upsert_person(s, area_slug=area.slug, platform=actor.platform, workspace=actor.workspace,
                                               user_id=actor.user_id, display_name=actor.display_name or None)
        token = await create_feed(s, person.id, now)
        await record(s, area.slug, "calendar", person.id, actor.label, "feed-created", {})
    base = _feed_base(ctx)
    path = f"/calendar/personal/{token}.ics"
    url = f"{base}{path}" if base else path
    note = "" if base else " (after boardbot's web address; the server sets BOARDBOT_PUBLIC_URL to show it in full)"
    return Reply(
        text=f"Your private calendar address{note}:\n{url}\n"
             "Add it in Outlook (Add calendar > Subscribe from web) or Google Calendar (From URL). It shows your boards' "
             "dates, including private ones, so keep it to yourself. Any earlier address of yours no longer works. "
             "Type \u201ccalendar revoke\u201d to turn it off.",
        title="Your calendar link", visibility=Visibility.PERSONAL, data={"path": path},
    )


async def _revoke(ctx: Context) -> Reply:
    area = ctx.here
    actor = ctx.request.actor
    now = ctx.services.clock()
    async with ctx.services.store.session() as s:
        if (refused := await refuse_elsewhere(ctx, s, "calendar", "turn off a personal calendar link")) is not None:
            return refused
    async with ctx.services.store.session() as s, s.begin():
        person = await directory.get_person(s, actor.platform, actor.workspace, actor.user_id)
        n = await revoke_feeds(s, person.id, now) if person else 0
        if person:
            await record(s, area.slug, "calendar", person.id, actor.label, "feed-revoked", {"count": n})
    if not n:
        return Reply(text="You have no calendar link to turn off.", visibility=Visibility.PRIVATE)
    return Reply(text="Your calendar link is turned off: calendars subscribed to it will stop updating. "
                      "\u201ccalendar link\u201d makes a new one.", title="Calendar link revoked", visibility=Visibility.PRIVATE)
