"""The "your work" panel: who boardbot thinks you are, for which area, what waits on you, what to try.

Built here once, as neutral data (:class:`HomePanel`), and rendered by each platform that
has a place for it (Slack's Home tab today: :func:`bot.platforms.slack.home.home_view`).
This is the only code that reaches into the workflows, the calendar and the directory for
it, so a platform never does.

What waits on the person comes from :data:`WORK`: each entry is an async function
``(services, actor, area, prefix) -> list[Section]`` whose sections are shown under
"Your work":

- :func:`open_challenges` — challenges the person raised or must answer;
- :func:`agenda_requests` — agenda requests waiting on them;
- :func:`upcoming_dates` — the next 30 days of their calendar (else the protocol's review date).

One that fails is logged and left out, so one broken part never blanks the panel.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.identity import describe_roles
from bot.messages import Actor, Section

if TYPE_CHECKING:
    from bot.knowledge import AreaKnowledge
    from bot.services import Services

log = logging.getLogger("boardbot.home")

WorkPart = Callable[["Services", Actor, "AreaKnowledge | None", str], Awaitable[list[Section]]]


@dataclass(frozen=True)
class HomePanel:
    """The panel as data. ``area_name`` is None when the workspace answers for no area yet (then
    ``area_names`` lists the loaded ones and ``example_area`` is one to name in a question).
    ``tries`` are things to type, already prefixed the way the platform asked."""

    area_name: str | None
    area_names: tuple[str, ...]
    example_area: str
    roles: str
    holds_role: bool
    work: tuple[Section, ...]
    tries: tuple[str, ...]


async def open_challenges(services: Services, actor: Actor, area: AreaKnowledge | None, prefix: str) -> list[Section]:
    """Open challenges the person may see: raised by or against their boards (all, for directors and admins)."""
    if area is None or services.store is None:
        return []
    from bot.workflows.challenges import summary_lines, visible_to

    rows = await visible_to(services, actor, area)
    return [Section("\n".join(summary_lines(area, rows)), heading="Open challenges")] if rows else []


async def agenda_requests(services: Services, actor: Actor, area: AreaKnowledge | None, prefix: str) -> list[Section]:
    """Agenda requests awaiting a decision that the person made or must decide."""
    if area is None or services.store is None:
        return []
    from bot.workflows.agenda import awaiting_decision
    from bot.workflows.common import board_short

    rows = await awaiting_decision(services, actor, area)
    text = "\n".join(f"• A{r.number} {board_short(area, r.from_board)} → {board_short(area, r.to_board)}: {r.title} ({r.status})"
                     for r in rows)
    return [Section(text, heading="Agenda requests awaiting a decision")] if rows else []


async def upcoming_dates(services: Services, actor: Actor, area: AreaKnowledge | None, prefix: str) -> list[Section]:
    """The next dates that matter to the person in the coming 30 days: the protocol's calendar for
    their boards, their private reminders and challenge deadlines (the same as their personal feed)."""
    if area is None or services.store is None:
        return []
    from scheduler.calendar import person_events
    from scheduler.timeutil import fmt
    from storage.directory import PersonInfo

    now = services.clock()
    person = PersonInfo(actor.person_id or 0, area.slug, actor.platform, actor.workspace, actor.user_id,
                        actor.display_name, actor.roles_in(area.slug), actor.is_admin_in(area.slug))
    async with services.store.session() as s:
        upcoming = await person_events(s, person, start=now, end=now + dt.timedelta(days=30))
    if not upcoming:
        from bot.workflows.protocol_review import review_now

        review, status = area.protocol.protocol.review, await review_now(services, area.slug)
        if review is None or status is None or status.due is None:
            return []
        # when it is due as the answers and the overdue note say, with the reviews and signings recorded
        return [Section(f"Protocol review due by {status.due:%-d %B %Y} ({status.basis})"
                        + (", and overdue." if status.overdue else "."), heading="Coming up",
                        citation=area.cite(review.source))]
    text = "\n".join(f"• {fmt(e.start)} — {e.title}" for e in upcoming[:8])
    if len(upcoming) > 8:
        text += f"\n…and {len(upcoming) - 8} more: {prefix}calendar"
    return [Section(text, heading="Coming up (30 days)")]


WORK: list[WorkPart] = [open_challenges, agenda_requests, upcoming_dates]


def tries(area: AreaKnowledge | None, prefix: str = "") -> list[str]:
    """A few things to type, using the area's own names where there is one."""
    if area is None:
        return [f"{prefix}areas", f"{prefix}who leads on CSE in <area>?", f"{prefix}help"]
    theme = next(iter(area.protocol.themes), None)
    board = next(iter(area.protocol.boards), None)
    out = [f"{prefix}who leads on {theme.aliases[0] if theme and theme.aliases else theme.name if theme else 'CSE'}?"]
    out.append(f"{prefix}boards")
    if board is not None:
        out.append(f"{prefix}who chairs the {board.short_name}?")
    out += [f"{prefix}how do I challenge another board?", f"{prefix}help"]
    return out


async def build_panel(services: Services, actor: Actor, area_slug: str | None, *, prefix: str = "") -> HomePanel:
    """The panel for ``actor`` in ``area_slug`` (None: not linked). ``prefix`` is what the platform's
    people type before a command (Slack's ``"/board "``), used in what the panel suggests."""
    area = services.knowledge.areas.get(area_slug) if area_slug else None
    work: list[Section] = []
    for part in WORK:
        try:
            work.extend(await part(services, actor, area, prefix))
        except Exception:  # one broken part must not blank the panel
            log.exception("home panel part %s failed", getattr(part, "__name__", part))
    first = next(iter(services.knowledge.areas.values()), None)
    roles = ""
    if area is not None:
        roles = describe_roles(area, actor.roles_in(area.slug)) + (" (administrator)" if actor.is_admin_in(area.slug) else "")
    return HomePanel(
        area_name=area.name if area else None,
        area_names=tuple(services.knowledge.area_names()),
        example_area=first.name if first else "<area>",
        roles=roles,
        holds_role=area is not None and actor.holds_role_in(area.slug),
        work=tuple(work),
        tries=tuple(tries(area, prefix)),
    )
