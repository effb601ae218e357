"""How an agenda request reads: its card, its forms, a board's agenda. Plain functions of the
protocol index and stored rows: no session, no posting."""

from __future__ import annotations

from bot.knowledge import AreaKnowledge
from bot.messages import Button, Form, FormField, Reply, Visibility
from bot.workflows.agenda.rules import AWAITING, Status
from bot.workflows.common import board_short
from scheduler.timeutil import fmt
from storage.models import AgendaRequest, BoardMeeting
from storage.protocol.schema import Board


def public_warning(area: AreaKnowledge, board_key: str) -> str:
    b = area.boards[board_key]
    if b.meets_in_public is not None:
        if b.meets_in_public.value:
            return f"The {b.short_name} meets in public: anything on its agenda is public."
        return ""
    if b.kind == "health_and_wellbeing":
        return (f"The {b.short_name} is a health and wellbeing board; these usually meet in public as council committees "
                "(the protocol does not say). Assume the item will be public.")
    return ""


def request_form(area: AreaKnowledge, from_boards: list[str], *, to_board: str = "", title: str = "", reason: str = "",
                 preferred: str = "", challenge_id: int | None = None) -> Form:
    fields = []
    if len(from_boards) > 1:
        fields.append(FormField("from_board", "On behalf of", "choice",
                                choices=tuple((k, board_short(area, k)) for k in from_boards)))
    targets = tuple((b.key, f"{b.short_name} — {b.name}") for b in area.protocol.boards if b.party and b.key not in from_boards[:1])
    fields += [
        FormField("to_board", "Board whose agenda", "choice", choices=targets, initial=to_board),
        FormField("title", "Item title", placeholder="e.g. CSE profile in the JSNA", initial=title),
        FormField("reason", "Why it should be discussed", "long_text", initial=reason),
        FormField("preferred_meeting", "Preferred meeting", required=False, placeholder="e.g. the March meeting",
                  initial=preferred),
    ]
    context = {"area": area.slug, "from_board": from_boards[0] if len(from_boards) == 1 else ""}
    if challenge_id:
        context["challenge_id"] = challenge_id
    return Form(action="agenda.submit", title="Request an agenda item", fields=tuple(fields), submit_label="Send request",
                context=context, intro="Ask for an item on another board's agenda. Its business manager will accept it "
                "onto a meeting, defer it or decline it, and you will be told.")


def _status_words(req: AgendaRequest, meeting: BoardMeeting | None) -> str:
    because = f": {req.decision_reason}" if req.decision_reason else ""
    return {
        Status.REQUESTED: "Awaiting a decision",
        Status.ACCEPTED: f"Accepted onto the meeting of {fmt(meeting.starts_at)}" if meeting else "Accepted",
        Status.DEFERRED: "Deferred" + because,
        Status.DECLINED: "Declined" + because,
        Status.WITHDRAWN: "Withdrawn by the requester",
        Status.CLOSED: "Closed" + because,
    }[Status(req.status)]


def request_card(area: AreaKnowledge, req: AgendaRequest, *, meeting: BoardMeeting | None = None, for_target: bool = True,
                 addressed: str = "") -> Reply:
    """The request as a message: on the target board's side with its decisions, else with Withdraw."""
    frm, to = board_short(area, req.from_board), board_short(area, req.to_board)
    lines = [f"Agenda request A{req.number}: the {frm} asks for an item on the {to} agenda."]
    if addressed:
        lines.append(f"For {addressed}.")
    lines += [f"Item: {req.title}", f"Why: {req.reason}"]
    if req.preferred_meeting:
        lines.append(f"Preferred meeting: {req.preferred_meeting}")
    if req.challenge_id:
        lines.append("Raised as a step of a mutual challenge.")
    warn = public_warning(area, req.to_board)
    if warn and req.status == Status.REQUESTED:
        lines.append(f"Note: {warn}")
    lines.append(f"Status: {_status_words(req, meeting)}")
    agenda_rung = next((r for r in area.ladder if r.kind == "agenda_item"), None)
    cites = (area.cite(agenda_rung.source),) if agenda_rung and not area.ladder_is_default else ()
    value = {"area": area.slug, "id": req.id}
    buttons: tuple[Button, ...] = ()
    if req.status in AWAITING:
        buttons = ((Button("Accept onto a meeting", "agenda.accept", value, style="primary"), Button("Defer", "agenda.defer", value),
                    Button("Decline", "agenda.decline", value, style="danger")) if for_target else
                   (Button("Withdraw", "agenda.withdraw", value, style="danger"),))
    return Reply(
        title=f"Agenda request A{req.number} — {frm} → {to}",
        text="\n".join(lines),
        buttons=buttons,
        citations=cites,
        visibility=Visibility.CHANNEL,
        data={"intent": "agenda_request", "id": req.id, "number": req.number, "status": req.status},
    )


def already(area: AreaKnowledge, req: AgendaRequest, meeting: BoardMeeting | None, who: str, when: str, *,
            for_target: bool = True) -> Reply:
    """The card for someone whose decision came second: what was already decided, by whom and when."""
    done = {"accepted": "accepted" + (f" onto the meeting of {fmt(meeting.starts_at)}" if meeting else ""),
            "deferred": "deferred", "declined": "declined", "withdrawn": "withdrawn",
            "closed": "closed with its challenge"}.get(req.status, req.status)
    card = request_card(area, req, meeting=meeting, for_target=for_target)
    note = f"Nothing was changed: agenda request A{req.number} was already {done} by {who}{when}."
    return Reply(title=card.title, text=f"{note}\n{card.text}", buttons=card.buttons, citations=card.citations,
                 visibility=card.visibility, data={**card.data, "already": True, "decided_by": who})


def confirmation(area: AreaKnowledge, req: AgendaRequest, queued: int, where: str) -> Reply:
    """What the requester sees once the request is made (or found made already: ``queued`` -1)."""
    to = board_short(area, req.to_board)
    warn = public_warning(area, req.to_board)
    text = f"Agenda request A{req.number} to the {to}: \u201c{req.title}\u201d. {where}" + (f"\nNote: {warn}" if warn else "")
    card = request_card(area, req, for_target=False)
    return Reply(title=card.title, text=text, buttons=card.buttons, data={**card.data, "queued": queued})


def decision_form(area: AreaKnowledge, req: AgendaRequest, kind: str, meetings: list[BoardMeeting]) -> Form:
    # "seen": the request as it was when the form opened, so of two people deciding from the same
    # view (even both deferring) the second is told what the first did
    ctxv = {"area": area.slug, "id": req.id, "seen": req.updated_at.isoformat()}
    if kind == "accept":
        choices = tuple((str(m.id), fmt(m.starts_at) + (f" — {m.title}" if m.title else "")) for m in meetings)
        fields = (
            FormField("meeting_id", "Meeting", "choice", required=False, choices=choices) if choices else None,
            FormField("new_meeting", "Or a new meeting date and time (YYYY-MM-DD HH:MM)", required=not choices,
                      placeholder="2026-12-03 10:00", max_length=40),
        )
        return Form("agenda.accept.submit", f"Accept A{req.number} onto a meeting", tuple(f for f in fields if f), "Accept", ctxv)
    label = "Why defer, and until when" if kind == "defer" else "Why decline"
    return Form(f"agenda.{kind}.submit", f"{kind.capitalize()} A{req.number}",
                (FormField("reason", label, "long_text"),), kind.capitalize(), ctxv)


def board_agenda_reply(area: AreaKnowledge, b: Board, meetings: list[BoardMeeting], visible: list[AgendaRequest]) -> Reply:
    """A board's upcoming meetings, the items accepted onto each, and the requests awaiting a decision."""
    lines = [f"{b.short_name} — upcoming meetings:"]
    if not meetings:
        lines.append("• none recorded (its business manager can add one: meeting add "
                     f"{b.short_name} 2026-12-03 10:00)")
    for m in meetings:
        accepted = [i for i in visible if i.meeting_id == m.id]
        lines.append(f"• {fmt(m.starts_at)}" + (f" — {m.title}" if m.title else ""))
        lines += [f"    – A{i.number}: {i.title} (from the {board_short(area, i.from_board)})" for i in accepted]
    pending = [i for i in visible if i.status in AWAITING]
    if pending:
        lines.append("Requests awaiting a decision:")
        lines += [f"• A{i.number}: {i.title} (from the {board_short(area, i.from_board)}; {i.status})" for i in pending]
    text = "\n".join(lines)
    return Reply(text=text, title=f"Agenda — {b.short_name}",
                 data={"intent": "agenda", "board": b.short_name, "meetings": [m.starts_at.isoformat() for m in meetings],
                       "items": [{"number": i.number, "title": i.title, "status": i.status} for i in visible], "text": text})
