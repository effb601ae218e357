"""What a challenge's steps post beyond its card: the preview of an escalation, a proposed meeting
of the chairs, the directors' escalation notice, a request for more time to agree."""

from __future__ import annotations

import datetime as dt

from bot.knowledge import AreaKnowledge
from bot.messages import Button, Reply, Visibility
from bot.workflows.challenges.cards import card, rung_of
from bot.workflows.challenges.rules import Status, reason_needed
from bot.workflows.common import board_short
from bot.workflows.windows import due_after, rung_window
from scheduler.timeutil import fmt
from storage.models import Challenge

NOT_LINKED = " (no channel is linked for it yet: it would wait in their inbox, and the admins be asked to link one)"


def chairs(area: AreaKnowledge, ch: Challenge) -> list[str]:
    """The two boards' chairs, as the protocol names them: "LSCB: Independent Chair (Jo Bloggs)"."""
    frm, to = area.boards[ch.from_board], area.boards[ch.to_board]
    return [f"{b.short_name}: {b.chair.title}" + (f" ({b.chair.name})" if b.chair and b.chair.name else "")
            if b.chair else f"{b.short_name}: chair" for b in (frm, to)]


def escalation_preview(area: AreaKnowledge, ch: Challenge, nxt, *, days: int, now: dt.datetime, state,
                       board_linked: bool, directors_linked: bool) -> list[str]:
    """What escalating ``ch`` to rung ``nxt`` will do, in words: who is told, what is proposed, the new window.
    ``board_linked`` / ``directors_linked`` say whether the target board's and the directors' channels are linked."""
    to = area.boards[ch.to_board]
    cur = rung_of(area, ch)
    lines = [f"Escalate C{ch.number} from step {ch.rung_index + 1} ({cur.title}) to step {ch.rung_index + 2}: {nxt.title}."
             + (" (boardbot's default ladder)" if area.ladder_is_default else "")]
    lines.append(f"The protocol says: {nxt.text}")
    if nxt.kind == "agenda_item":
        lines.append(f"This will send an agenda request to the {to.short_name}'s business manager for an item on its agenda"
                     + ("" if board_linked else NOT_LINKED) + ".")
    elif nxt.kind == "chairs_meeting":
        lines.append(f"This will propose a meeting of the chairs ({'; '.join(chairs(area, ch))}"
                     + (f"; with {', '.join(nxt.attendees)}" if nxt.attendees else "")
                     + f") to both boards, to be held within {days} working days.")
    if nxt.notify_directors:
        lines.append("This will post an escalation notice to the directors' channel" + ("" if directors_linked else NOT_LINKED)
                     + f"; must attend: {', '.join(nxt.attendees) or 'Board chairs'}.")
    lines.append(f"The {to.short_name} is told, and its response is then due within {days} working days "
                 f"({fmt(due_after(now, days))}).")
    if reason_needed(state, now):
        why = ("it has responded" if ch.status == Status.RESPONDED else "its clock is paused for information"
               if ch.status == Status.AWAITING_INFO else f"its response is not due until {fmt(ch.due_at)}" if ch.due_at else "")
        lines.append(f"The {to.short_name}'s window has not passed ({why}): say why you escalate now. It is recorded.")
    else:
        lines.append(f"The {to.short_name}'s response was due {fmt(ch.due_at)} and has not come.")
    return lines


def chairs_meeting(area: AreaKnowledge, ch: Challenge, rung) -> Reply:
    """The proposal of a meeting of the chairs, posted to both boards."""
    frm = area.boards[ch.from_board]
    return Reply(
        title=f"Meeting of the chairs proposed — challenge C{ch.number}",
        text=(f"The {frm.short_name} asks for a meeting of the chairs to agree a way forward on challenge C{ch.number} "
              f"({ch.subject}).\nChairs: {'; '.join(chairs(area, ch))}" + (f"; with {', '.join(rung.attendees)}" if rung.attendees else "")
              + f".\n{rung.text}\nPlease agree a date within {rung_window(rung)} working days."),
        citations=(area.cite(rung.source),) if not area.ladder_is_default else (), visibility=Visibility.CHANNEL,
    )


def directors_notice(area: AreaKnowledge, ch: Challenge, rung, attendees: list[str]) -> Reply:
    """The escalation notice for the directors' channel at a resolution rung, naming who must attend."""
    frm, to = area.boards[ch.from_board], area.boards[ch.to_board]
    return Reply(
        title=f"Escalation notice — challenge C{ch.number}: {rung.title}",
        text=(f"Challenge C{ch.number} from the {frm.name} ({frm.short_name}) to the {to.name} ({to.short_name}) "
              f"could not be resolved at the earlier steps and has been escalated to: {rung.title}.\n"
              f"Subject: {ch.subject}\nArea of concern: {ch.concern}\n"
              f"The protocol says: {rung.text}\nMust attend: {', '.join(attendees)}.\n"
              f"Please arrange the meeting within {rung_window(rung)} working days."),
        citations=(area.cite(rung.source),) if not area.ladder_is_default else (), visibility=Visibility.CHANNEL,
        data={"escalation": True, "challenge": ch.number, "rung": rung.key, "attendees": attendees},
    )


def directors_closed(ch: Challenge, status: str, text: str) -> Reply:
    """The directors told that a challenge they were told of was resolved or withdrawn."""
    return Reply(title=f"Challenge C{ch.number} {status}", text=f"Challenge C{ch.number} ({ch.subject}) was {status} "
                 f"at step {ch.rung_index + 1}: {text}", visibility=Visibility.CHANNEL)


def more_time_asked(area: AreaKnowledge, ch: Challenge, *, days: int, reason: str, who: str, event_id: int) -> Reply:
    """The raiser's card with the target board's request for more time, to agree or refuse."""
    ask = card(area, ch, side="raiser",
               note=f"The {board_short(area, ch.to_board)} asks for {days} more working day(s) ({who}): {reason}")
    value = {"area": area.slug, "id": ch.id, "days": days, "event": event_id, "rung": ch.rung_index}
    return Reply(title=ask.title, text=ask.text, sections=ask.sections, visibility=Visibility.CHANNEL, data=ask.data,
                 buttons=(Button(f"Agree {days} more days", "challenge.extend", value, style="primary"),
                          Button("Refuse", "challenge.refuse_extension", value)))
