"""The App Home tab: who boardbot thinks you are, for which area, and what to try.

:func:`home_view` builds the view Slack shows when someone opens boardbot's Home tab
(``app_home_opened`` -> ``views.publish``). It is platform-neutral data in, Block Kit out;
no SDK import.

Later work adds to it through :data:`HOME_HOOKS`: each hook is an async function
``(services, actor, area) -> list[Section]`` whose sections are shown under "Your work".
The named hooks below are where the workflows plug in:

- :func:`open_challenges` — challenges the person raised or must answer;
- :func:`agenda_requests` — agenda requests waiting on them;
- :func:`upcoming_dates` — the next dates from the protocol's calendar (today: the
  protocol's review date, straight from the protocol).

A hook that fails is logged and left out, so one broken hook never blanks the tab.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from bot.identity import describe_roles
from bot.messages import Actor, Section
from bot.platforms.slack_blocks import escape, section_blocks, truncate

if TYPE_CHECKING:
    from bot.knowledge import AreaKnowledge
    from bot.services import Services

log = logging.getLogger("boardbot.slack.home")

HomeHook = Callable[["Services", Actor, "AreaKnowledge | None"], Awaitable[list[Section]]]
MAX_HOME_BLOCKS = 100


async def open_challenges(services: Services, actor: Actor, area: AreaKnowledge | None) -> list[Section]:
    """Open challenges the person may see: raised by or against their boards (all, for directors and admins)."""
    if area is None or services.store is None:
        return []
    from bot.workflows.challenges import summary_lines, visible_to

    rows = await visible_to(services, actor, area)
    return [Section("\n".join(summary_lines(area, rows)), heading="Open challenges")] if rows else []


async def agenda_requests(services: Services, actor: Actor, area: AreaKnowledge | None) -> list[Section]:
    """Agenda requests awaiting a decision that the person made or must decide."""
    if area is None or services.store is None:
        return []
    from bot.workflows.agenda import awaiting_decision
    from bot.workflows.common import board_short

    rows = await awaiting_decision(services, actor, area)
    text = "\n".join(f"• A{r.number} {board_short(area, r.from_board)} → {board_short(area, r.to_board)}: {r.title} ({r.status})"
                     for r in rows)
    return [Section(text, heading="Agenda requests awaiting a decision")] if rows else []


async def upcoming_dates(services: Services, actor: Actor, area: AreaKnowledge | None) -> list[Section]:
    """The next dates that matter to the person in the coming 30 days: the protocol's calendar for
    their boards, their private reminders and challenge deadlines (the same as their personal feed)."""
    if area is None or services.store is None:
        return []
    import datetime as dt

    from scheduler.calendar import person_events
    from scheduler.timeutil import fmt
    from storage.directory import PersonInfo

    now = services.clock()
    person = PersonInfo(actor.person_id or 0, area.slug, actor.platform, actor.workspace, actor.user_id,
                        actor.display_name, actor.roles_in(area.slug), actor.is_admin_in(area.slug))
    async with services.store.session() as s:
        upcoming = await person_events(s, person, start=now, end=now + dt.timedelta(days=30))
    if not upcoming:
        review = area.protocol.protocol.review
        if review is None or not review.next_due:
            return []
        from bot.commands.protocol import human_date

        return [Section(f"Protocol review due {human_date(review.next_due)}.", heading="Coming up",
                        citation=area.cite(review.source))]
    text = "\n".join(f"• {fmt(e.start)} — {e.title}" for e in upcoming[:8])
    if len(upcoming) > 8:
        text += f"\n…and {len(upcoming) - 8} more: /board calendar"
    return [Section(text, heading="Coming up (30 days)")]


HOME_HOOKS: list[HomeHook] = [open_challenges, agenda_requests, upcoming_dates]


def try_list(area: AreaKnowledge | None) -> list[str]:
    """A few things to type, using the area's own names where there is one."""
    if area is None:
        return ["/board areas", "/board who leads on CSE in <area>?", "/board help"]
    theme = next(iter(area.protocol.themes), None)
    board = next(iter(area.protocol.boards), None)
    out = [f"/board who leads on {theme.aliases[0] if theme and theme.aliases else theme.name if theme else 'CSE'}?"]
    out.append("/board boards")
    if board is not None:
        out.append(f"/board who chairs the {board.short_name}?")
    out += ["/board how do I challenge another board?", "/board help"]
    return out


async def home_view(services: Services, actor: Actor, area_slug: str | None) -> dict[str, Any]:
    """The Home tab for ``actor``: area, roles, their work (from the hooks) and what to try."""
    area = services.knowledge.areas.get(area_slug) if area_slug else None
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": truncate(f"boardbot — {area.name}" if area else "boardbot", 150)}},
    ]
    if area is None:
        names = ", ".join(services.knowledge.area_names()) or "none loaded"
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": escape(
            "This workspace is not linked to an area yet, so name one in your question "
            f"(\u201cwho leads on CSE in {next(iter(services.knowledge.areas.values())).name if services.knowledge.areas else '<area>'}?\u201d). Areas: {names}. "
            "An administrator can link it: /board admin link-area <area>.")}})
    else:
        roles = describe_roles(area, actor.roles_in(area.slug)) + (" (administrator)" if actor.is_admin_in(area.slug) else "")
        blocks.append({"type": "section", "fields": [
            {"type": "mrkdwn", "text": f"*Area*\n{escape(area.name)}"},
            {"type": "mrkdwn", "text": f"*You are*\n{escape(roles)}"},
        ]})
        if not actor.holds_role_in(area.slug):
            blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": escape(
                "The directory does not list a role for you, so you can look things up. "
                "An administrator links chairs and business managers: /board admin link-user @you chair of <board>.")}]})
    work: list[Section] = []
    for hook in HOME_HOOKS:
        try:
            work.extend(await hook(services, actor, area))
        except Exception:  # one broken hook must not blank the tab
            log.exception("home hook %s failed", getattr(hook, "__name__", hook))
    if work:
        blocks.append({"type": "divider"})
        blocks.append({"type": "header", "text": {"type": "plain_text", "text": "Your work"}})
        for s in work:
            blocks.extend(section_blocks(s, ()))
    blocks.append({"type": "divider"})
    tries = "\n".join(f"• `{escape(t)}`" for t in try_list(area))
    blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": f"*Try*\n{tries}"}})
    blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": escape(
        "Answers are shown only to you; add \u201cshare\u201d to post one to the channel. "
        "You can also message boardbot here or @mention it in a channel.")}]})
    if len(blocks) > MAX_HOME_BLOCKS:
        blocks = blocks[: MAX_HOME_BLOCKS - 1] + blocks[-1:]
    return {"type": "home", "callback_id": "bb_home", "blocks": blocks}
