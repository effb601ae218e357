"""How a challenge reads: its card, its history in words, lists, notices, the export.

Plain functions of the protocol index and stored rows: no session, no posting. The card is
shown on two sides, the target board's (``target``: respond, ask, ask for time) and the
raising board's (``raiser``: escalate, resolve, withdraw, reopen); anyone else sees it
without buttons (``viewer``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from typing import Any

from bot.knowledge import AreaKnowledge
from bot.markdown_text import cell, plain
from bot.messages import Button, Reply, Visibility
from bot.safetext import csv_cell
from bot.workflows.challenges.rules import ANSWERABLE, CLOSED, OPEN_STATUSES, Status
from bot.workflows.common import board_short
from scheduler.timeutil import fmt, fmt_date
from storage.models import AuditEvent, Challenge

STATUS_WORDS = {
    Status.OPEN: "awaiting a response",
    Status.AWAITING_INFO: "paused: the raising board has been asked for more information",
    Status.RESPONDED: "responded; the raising chair may resolve or escalate",
    Status.RESOLVED: "resolved",
    Status.WITHDRAWN: "withdrawn",
}
KIND_WORDS = {"written_request": "a written request", "agenda_item": "an agenda item",
              "chairs_meeting": "a meeting of the chairs", "resolution_meeting": "a resolution meeting"}


def rung_of(area: AreaKnowledge, ch: Challenge):
    ladder = area.ladder
    return ladder[min(ch.rung_index, len(ladder) - 1)]


def card(area: AreaKnowledge, ch: Challenge, *, side: str, note: str = "", addressed: str = "",
         common: list[str] | None = None) -> Reply:
    """The challenge as a message. ``side`` is where it is shown: the target board's or the raiser's."""
    rung = rung_of(area, ch)
    frm, to = board_short(area, ch.from_board), board_short(area, ch.to_board)
    cite = area.cite(rung.source) if not area.ladder_is_default else None
    # everything is in the text: platforms show sections in place of it, and every line matters here
    return Reply(
        title=f"Challenge C{ch.number} — {frm} → {to}: {ch.subject}",
        text="\n".join(_lines(area, ch, note=note, addressed=addressed, common=common)),
        buttons=tuple(_buttons(area, ch, side)),
        citations=(cite,) if cite else (),
        visibility=Visibility.CHANNEL,
        data={"intent": "challenge", "id": ch.id, "number": ch.number, "status": ch.status, "rung": ch.rung_index,
              "rung_key": ch.rung_key, "due_at": ch.due_at.isoformat() if ch.due_at else None},
    )


def _lines(area: AreaKnowledge, ch: Challenge, *, note: str, addressed: str, common: list[str] | None) -> list[str]:
    rung = rung_of(area, ch)
    frm, to = board_short(area, ch.from_board), board_short(area, ch.to_board)
    lines = [note] if note else []
    lines.append(f"Challenge C{ch.number}: the {frm} challenges the {to}.")
    if addressed:
        lines.append(f"For {addressed}.")
    lines += [
        f"Subject: {ch.subject}",
        f"Area of concern: {ch.concern}",
        f"Response asked for: {ch.response_sought}",
        f"Step {ch.rung_index + 1} of {len(area.ladder)}: {rung.title}" + (" (boardbot's default ladder)" if area.ladder_is_default else ""),
        f"Status: {STATUS_WORDS[Status(ch.status)]}",
    ]
    if rung.attendees or rung.notify_directors:
        lines.append(f"Must attend at this step: {', '.join(rung.attendees) or 'Board chairs'}.")
    if ch.status in ANSWERABLE and ch.due_at:
        lines.append(f"Response due: {fmt(ch.due_at)}")
    if ch.status == Status.AWAITING_INFO and ch.paused_days_left is not None:
        lines.append(f"Clock paused with {ch.paused_days_left} working day(s) left.")
    if ch.outcome:
        lines.append(f"Outcome: {ch.outcome}")
    if common:
        who = "; ".join(common)
        lines.append(f"Declare: {who} {'sits' if len(common) == 1 else 'sit'} on both the {frm} and the {to}.")
    lines.append(f"Raised by {ch.raised_by}.")
    return lines


def _buttons(area: AreaKnowledge, ch: Challenge, side: str) -> list[Button]:
    """What the side shown may do next: the target board answers; the raiser escalates or closes."""
    value = {"area": area.slug, "id": ch.id, "side": side, "rung": ch.rung_index}
    if side == "target":
        if ch.status not in ANSWERABLE:
            return []
        return [Button("Acknowledge", "challenge.ack", value), Button("Respond", "challenge.respond", value, style="primary"),
                Button("Ask for more time", "challenge.more_time", value),
                Button("Ask for more information", "challenge.ask_info", value)]
    if side != "raiser":
        return []
    buttons: list[Button] = []
    if ch.status == Status.AWAITING_INFO:
        buttons.append(Button("Provide information", "challenge.provide_info", value, style="primary"))
    if ch.status in OPEN_STATUSES:
        if ch.rung_index + 1 < len(area.ladder):
            # the button opens a preview of what escalating does (and asks why, when early): its confirmation
            buttons.append(Button(f"Escalate: {area.ladder[ch.rung_index + 1].title}", "challenge.escalate", value))
        buttons.append(Button("Resolve", "challenge.resolve", value, style="primary"))
        buttons.append(Button("Withdraw", "challenge.withdraw", value, style="danger"))
    if ch.status in CLOSED:
        buttons.append(Button("Reopen", "challenge.reopen", value))
    return buttons


def with_note(reply: Reply, **data: Any) -> Reply:
    """``reply`` with more in its data (what was queued, the conflicts declared)."""
    return Reply(title=reply.title, text=reply.text, sections=reply.sections, buttons=reply.buttons, citations=reply.citations,
                 data={**reply.data, **data})


def already(area: AreaKnowledge, ch: Challenge, side: str, last: AuditEvent | None) -> Reply:
    """The card for someone whose press came second (a double click, two people at once, a stale
    button): what already happened to the challenge, by whom and when. Nothing was changed."""
    if last is None:
        note = f"Challenge C{ch.number} is {ch.status.replace('_', ' ')}; nothing was changed."
    else:
        note = (f"Nothing was changed: challenge C{ch.number} had already moved on — {last.actor} "
                f"{describe(last, area)} ({fmt(last.at)}).")
    return card(area, ch, side=side, note=note)


# --- the record in words --------------------------------------------------------------------


def _escalated_words(d: dict[str, Any], area: AreaKnowledge | None) -> str:
    kinds = {r.key: r.kind for r in area.ladder} if area is not None else {}
    steps = {r.key: (i + 1, r.title) for i, r in enumerate(area.ladder)} if area is not None else {}

    def words(key) -> str:
        kind = kinds.get(key, key)
        return KIND_WORDS.get(str(kind), str(key or "").replace("_", " "))

    said = f"escalated it from {words(d.get('from'))} to {words(d.get('to'))}"
    if d.get("to") in steps:
        n, title = steps[d["to"]]
        said += f" (step {n}: {title})"
    return said + (f"; reason: {d['reason']}" if d.get("reason") else "")


def describe(e: AuditEvent, area: AreaKnowledge | None = None) -> str:
    """An audit event of a challenge as the history shows it: "responded: …", "escalated it from …"."""
    d = e.detail or {}
    if e.kind == "escalated":
        return _escalated_words(d, area)
    words = {
        "raised": f"raised (due {d.get('due', '')[:10]})", "acknowledged": "acknowledged", "responded": f"responded: {d.get('text', '')}",
        "information-requested": f"asked for information: {d.get('question', '')}",
        "information-provided": f"provided information: {d.get('text', '')}",
        "time-requested": f"asked for {d.get('days')} more working day(s): {d.get('reason', '')}",
        "time-agreed": f"agreed {d.get('days')} more working day(s)", "time-refused": "refused more time",
        "resolved": f"resolved: {d.get('text', '')}",
        "withdrawn": f"withdrawn: {d.get('text', '')}", "reopened": "reopened", "window-passed": "response window passed",
        "refused": f"refused: {d.get('reason', '')}",
        "agenda-closed": f"agenda request closed with the challenge ({d.get('reason', '')})",
    }
    return words.get(e.kind, e.kind.replace("-", " "))


def with_history(area: AreaKnowledge, base: Reply, events: Sequence[AuditEvent]) -> Reply:
    """A card followed by the challenge's history, each event in words."""
    log = [f"• {fmt(e.at)} — {e.actor}: {describe(e, area)}" for e in events]
    text = base.text + "\nHistory:\n" + "\n".join(log)
    return Reply(title=base.title, text=text, sections=base.sections, buttons=base.buttons, citations=base.citations,
                 data={**base.data, "history": [{"at": e.at.isoformat(), "actor": e.actor, "kind": e.kind, "detail": e.detail}
                                                for e in events]})


# --- lists and the export ------------------------------------------------------------------


def summary_lines(area: AreaKnowledge, rows: list[Challenge]) -> list[str]:
    """One line per challenge: number, boards, subject, step, status and due date."""
    out = []
    for c in rows:
        rung = rung_of(area, c)
        due = f"due {fmt_date(c.due_at)}" if c.due_at and c.status != Status.AWAITING_INFO else "clock paused"
        out.append(f"• C{c.number} {board_short(area, c.from_board)} → {board_short(area, c.to_board)}: {c.subject} — "
                   f"step {c.rung_index + 1} ({rung.title}), {c.status.replace('_', ' ')}, {due}")
    return out


def list_reply(area: AreaKnowledge, rows: list[Challenge]) -> Reply:
    if not rows:
        text = f"No open challenges you can see in {area.name}."
        return Reply(text=text, data={"intent": "challenges", "challenges": [], "text": text})
    lines = [f"Open challenges in {area.name}:", *summary_lines(area, rows),
             "\u201cchallenge <number>\u201d shows one in full, with its history."]
    text = "\n".join(lines)
    return Reply(text=text, title=f"Challenges — {area.name}",
                 data={"intent": "challenges", "text": text,
                       "challenges": [{"number": c.number, "status": c.status, "rung": c.rung_key,
                                       "due_at": c.due_at.isoformat() if c.due_at else None} for c in rows]})


def export_reply(area: AreaKnowledge, rows: list[Challenge], logs: dict[int, list[AuditEvent]], start: dt.date,
                 end: dt.date) -> Reply:
    """The challenges raised in [start, end] as CSV and Markdown files, for the annual report."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["number", "raised", "from", "to", "subject", "theme", "step", "step_title", "status", "due", "closed", "outcome", "events"])
    for c in rows:
        w.writerow([csv_cell(v) for v in [f"C{c.number}", c.created_at.date().isoformat(), board_short(area, c.from_board), board_short(area, c.to_board),
                    c.subject, c.theme_key or "", c.rung_index + 1, rung_of(area, c).title, c.status,
                    c.due_at.isoformat() if c.due_at else "", c.closed_at.date().isoformat() if c.closed_at else "",
                    c.outcome or "", len(logs[c.id])]])
    md = [f"# Mutual challenges — {area.name}, {start.isoformat()} to {end.isoformat()}", "",
          "A record of decisions and actions taken.", ""]
    for c in rows:
        # what people typed (subject, outcome, names, reasons) stays text in any Markdown viewer
        md += [f"## C{c.number}: {plain(c.subject)}", "",
               f"- From the {board_short(area, c.from_board)} to the {board_short(area, c.to_board)}; raised {fmt_date(c.created_at)} by {plain(c.raised_by)}",
               f"- Step reached: {c.rung_index + 1} ({plain(rung_of(area, c).title)}); status: {c.status}" + (f"; outcome: {plain(c.outcome)}" if c.outcome else ""),
               "", "| when | who | what |", "| --- | --- | --- |"]
        md += [f"| {fmt(e.at)} | {cell(e.actor)} | {cell(describe(e, area))} |" for e in logs[c.id]]
        md.append("")
    csv_text, md_text = buf.getvalue(), "\n".join(md)
    text = f"{len(rows)} challenge(s) in {area.name} raised {start.isoformat()} to {end.isoformat()}.\n\n{md_text}"
    return Reply(text=text, title=f"Challenges export — {area.name}",
                 data={"intent": "challenge_export", "count": len(rows), "files": {"challenges.csv": csv_text, "challenges.md": md_text}})
