"""The challenges' clock: when a response window passes, the target board is nudged and the
raising chair told they may escalate, once per window (run by the scheduler's tick)."""

from __future__ import annotations

from sqlalchemy import select, update

from bot.notify import Target
from bot.workflows.challenges import rules
from bot.workflows.challenges.cards import card
from bot.workflows.challenges.rules import SUBJECT, Status
from bot.workflows.challenges.usecase import state_of
from bot.workflows.common import board_short
from scheduler.timeutil import fmt
from storage.audit import record
from storage.models import Area, Challenge


async def check_clocks(services) -> int:
    """Nudge the target and tell the raising chair they may escalate, once per window that passes."""
    now = services.clock()
    nudged = 0
    async with services.store.session() as s:
        due = (await s.execute(select(Challenge, Area.slug).join(Area, Area.id == Challenge.area_id).where(
            Challenge.status == Status.OPEN.value, Challenge.due_at < now, Challenge.nudged_at.is_(None)).limit(500))).all()
        for ch, slug in due:
            area = services.knowledge.areas.get(slug)
            moved = rules.window_passed(state_of(ch), now)
            if area is None or moved is None:
                continue
            # only where no other replica nudged it first; the batch's other nudges stand either way
            res = await s.execute(update(Challenge).where(Challenge.id == ch.id, Challenge.nudged_at.is_(None))
                                  .values(nudged_at=moved.state.nudged_at))
            if not res.rowcount:
                continue
            frm, to = board_short(area, ch.from_board), board_short(area, ch.to_board)
            await record(s, slug, SUBJECT, ch.id, "boardbot", moved.event.kind, moved.event.detail)
            for board, side, note in (
                (ch.to_board, "target", f"Reminder: the response to challenge C{ch.number} from the {frm} was due {fmt(ch.due_at)}."),
                (ch.from_board, "raiser", f"The {to} has not responded to challenge C{ch.number} by {fmt(ch.due_at)}. "
                                          "You may escalate it to the next step."),
            ):
                await services.notifier.post(s, area_slug=slug, target=Target.board(board), reply=card(area, ch, side=side, note=note),
                                             key=f"challenge:{ch.id}:nudge:{ch.rung_key}:{ch.due_at.isoformat()}:{board}",
                                             origin="challenge")
            nudged += 1
        await s.commit()
    if nudged:
        services.notifier.kick()
    return nudged
