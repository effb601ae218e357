"""A risk log the partners share, where an area's protocol names one.

Central Bedfordshire's protocol has the chairs meet yearly "to review the Risk Log held by the
Local Safeguarding Children Board" (7 Information sharing). Where a protocol names a risk log,
boardbot keeps it: a partner board's chair or business manager raises a risk (what, who owns it,
when it is next reviewed), the holding board (or the raising board) reviews it, setting the next
review date, and closes it with a reason. Everyone with a role in the area sees the log; a review
falling due is posted to the holding board. Where no protocol names one, nothing is invented.

    open --review (next date)--> open --close (reason)--> closed
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Context, Subject, action
from bot.knowledge import AreaKnowledge
from bot.limits import LONG_TEXT, SHORT_TEXT, too_long
from bot.messages import Button, Citation, Form, FormField, Reply, Visibility, error
from bot.notify import Target, where_sent
from bot.workflows.common import (
    area_row,
    board_short,
    field_text,
    form_again,
    idempotency_key,
    load_in_area,
    next_number,
    refuse,
    refuse_elsewhere,
)
from bot.workflows.permissions import board_roles, speaks_for
from scheduler.timeutil import fmt, fmt_date, london
from storage.audit import history, record
from storage.models import RiskEntry

SUBJECT = "risk"
RISK = Subject("risk", RiskEntry, audit=SUBJECT)
_NAMED = re.compile(r"risk (?:log|register)(?: held by (?:the )?(?P<board>[A-Za-z'’ ]+?))?(?=[.,;]|$)", re.I)


@dataclass(frozen=True)
class RiskLog:
    """Where a protocol names a risk log: the board holding it and the clause that says so."""

    board_key: str
    citation: Citation
    text: str


def risk_log_of(area: AreaKnowledge) -> RiskLog | None:
    """The risk log the area's protocol names (who holds it, where it says so), or None."""
    texts = [(r.text, r.source) for r in area.protocol.information_sharing]
    texts += [(m.purpose or "", m.source) for m in area.protocol.meetings]
    for text, source in texts:
        m = _NAMED.search(" ".join((text or "").split()))
        if not m:
            continue
        holder = area.find_board(m.group("board")).match if m.group("board") else None
        board = holder.key if holder else next((b.key for b in area.protocol.boards if b.party), "")
        return RiskLog(board, area.cite(source), " ".join(text.split()))
    return None


def card(area: AreaKnowledge, log: RiskLog, r: RiskEntry, *, note: str = "") -> Reply:
    lines = [note] if note else []
    lines += [f"Risk R{r.number} in the risk log held by the {board_short(area, log.board_key)}: {r.title}",
              f"What: {r.description}", f"Owner: {r.owner}",
              f"Raised by {r.raised_by} for the {board_short(area, r.raised_for)}, {fmt_date(r.created_at)}."]
    if r.status == "open":
        lines.append(f"Next review: {fmt_date(r.review_on)}" if r.review_on else "Next review: not set")
    if r.last_review:
        lines.append(f"Last review ({fmt_date(r.reviewed_at)}): {r.last_review}" if r.reviewed_at else f"Last review: {r.last_review}")
    lines.append("Status: open" if r.status == "open" else f"Status: closed ({fmt_date(r.closed_at)}): {r.closed_reason}")
    value = {"area": area.slug, "id": r.id}
    buttons = (Button("Review", "risk.review", value, style="primary"), Button("Close", "risk.close", value)) if r.status == "open" else ()
    return Reply(title=f"Risk R{r.number} \u2014 {r.title}"[:150], text="\n".join(lines), buttons=buttons, citations=(log.citation,),
                 visibility=Visibility.CHANNEL,
                 data={"intent": "risk", "id": r.id, "number": r.number, "status": r.status,
                       "review_on": r.review_on.isoformat() if r.review_on else None})


def _no_log(area: AreaKnowledge) -> Reply:
    return error(f"{area.name}'s protocol names no risk log, so boardbot keeps none for it.",
                 hint="Central Bedfordshire's names one (the Risk Log held by its LSCB).")


def _parse_date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        return None


def raise_form(area: AreaKnowledge, boards: list[str], values: dict | None = None) -> Form:
    v = values or {}
    fields = []
    if len(boards) > 1:
        fields.append(FormField("raised_for", "On behalf of", "choice", choices=tuple((b, board_short(area, b)) for b in boards),
                                initial=v.get("raised_for", "")))
    fields += [
        FormField("title", "The risk, in a line", placeholder="e.g. No CSE profile in the JSNA", initial=v.get("title", "")),
        FormField("description", "What it is and why it matters", "long_text", initial=v.get("description", ""),
                  hint="About systems and services, not individual cases."),
        FormField("owner", "Who owns it", placeholder="e.g. the HWB's business manager", initial=v.get("owner", ""),
                  max_length=SHORT_TEXT),
        FormField("review_on", "Next review (YYYY-MM-DD)", placeholder="2027-03-01", initial=v.get("review_on", ""), max_length=10),
    ]
    return Form("risk.submit", "Raise a risk", tuple(fields), "Add to the risk log",
                {"area": area.slug, "raised_for": boards[0] if len(boards) == 1 else ""})


def _raisers(ctx: Context) -> list[str]:
    area = ctx.here
    mine = [b for b in board_roles(ctx.request.actor, area.slug) if b in area.boards and area.boards[b].party]
    if not mine and ctx.request.actor.is_admin_in(area.slug):
        log = risk_log_of(area)
        mine = [log.board_key] if log else []
    return sorted(mine)


async def start(ctx: Context) -> Reply:
    area = ctx.here
    log = risk_log_of(area)
    if log is None:
        return _no_log(area)
    async with ctx.services.store.session() as s:
        if (refused := await refuse_elsewhere(ctx, s, SUBJECT, "raise a risk")) is not None:
            return refused
        boards = _raisers(ctx)
        if not boards:
            return await refuse(ctx, s, SUBJECT, None, "Only a partner board's chair or business manager (or an admin) can raise a risk.")
    return Reply(text=f"Raise a risk in the risk log held by the {board_short(area, log.board_key)}.", form=raise_form(area, boards))


@action("risk.submit")
async def submit(ctx: Context) -> Reply:
    area = ctx.here
    log = risk_log_of(area)
    if log is None:
        return _no_log(area)
    v = ctx.request.value
    now = ctx.services.clock()
    async with ctx.services.store.session() as s:
        if (refused := await refuse_elsewhere(ctx, s, SUBJECT, "raise a risk")) is not None:
            return refused
        boards = _raisers(ctx)
        raised_for = field_text(v, "raised_for") or (boards[0] if len(boards) == 1 else "")
        if raised_for not in boards:
            return await refuse(ctx, s, SUBJECT, None, "Only a partner board's chair or business manager (or an admin) can raise a risk.")
        title, description, owner = (field_text(v, k) for k in ("title", "description", "owner"))
        problems = {k: "Required" for k, val in (("title", title), ("description", description), ("owner", owner)) if not val}
        review_on = _parse_date(field_text(v, "review_on"))
        if review_on is None:
            problems["review_on"] = "A date as YYYY-MM-DD, e.g. 2027-03-01"
        elif review_on <= london(now).date():
            problems["review_on"] = "A date still to come"
        for k, label, limit in (("title", "The risk", SHORT_TEXT), ("description", "What it is", LONG_TEXT), ("owner", "The owner", SHORT_TEXT)):
            if (p := too_long(label, field_text(v, k), limit)) is not None:
                problems[k] = p
        if problems:
            return form_again(raise_form(area, boards), v, problems,
                              "Please correct: " + "; ".join(f"{k.replace('_', ' ')}: {m}" for k, m in problems.items())
                              + ". Your other answers are kept.")
        key = idempotency_key(ctx, "risk")
        existing = (await s.execute(select(RiskEntry).where(RiskEntry.idempotency_key == key))).scalar_one_or_none()
        if existing is not None:
            return card(area, log, existing, note="This risk was already added.")
        row = await area_row(s, area.slug)
        r = RiskEntry(area_id=row.id, number=await next_number(s, RiskEntry, row.id), idempotency_key=key, board_key=log.board_key,
                      raised_for=raised_for, title=title, description=description, owner=owner, status="open", review_on=review_on,
                      raised_by=ctx.request.actor.label, created_at=now, updated_at=now)
        s.add(r)
        await s.flush()
        await record(s, area.slug, SUBJECT, r.id, ctx.request.actor.label, "raised",
                     {"title": title, "owner": owner, "review_on": review_on.isoformat(), "for": raised_for})  # type: ignore[union-attr]
        queued = await ctx.services.notifier.post(s, area_slug=area.slug, target=Target.board(log.board_key),
                                                  reply=card(area, log, r, note=f"A risk was added to the log by the {board_short(area, raised_for)}."),
                                                  key=f"risk:{r.id}:raised", origin="risk")
        where = await where_sent(s, area.slug, Target.board(log.board_key), queued, board_short(area, log.board_key))
        await s.commit()
    ctx.services.notifier.kick()
    return card(area, log, r, note=f"Risk R{r.number} added to the risk log. {where}")


@dataclass(frozen=True)
class _Press:
    """A press on a stored risk: the area, its risk log, and what is asked (``review`` or ``close``)."""

    area: AreaKnowledge
    log: RiskLog
    act: str


def _press(ctx: Context) -> _Press | Reply:
    area = ctx.here
    log = risk_log_of(area)
    if log is None:
        return _no_log(area)
    return _Press(area, log, (ctx.request.action or "").split(".")[1])


async def _loaded(ctx: Context, s: AsyncSession, press: _Press) -> RiskEntry | Reply:
    """The risk the button names, if it is this area's and the presser may act on it: the holding
    board's or the raising board's chair or business manager, or an admin. Else why not (recorded)."""
    area, log = press.area, press.log
    r = await load_in_area(s, ctx, RiskEntry)
    if r is None:
        return error("That risk no longer exists.")
    actor = ctx.request.actor
    if speaks_for(actor, area.slug, log.board_key) or speaks_for(actor, area.slug, r.raised_for):
        return r
    return await refuse(ctx, s, SUBJECT, r.id, f"Only the chair or business manager of the {board_short(area, log.board_key)} "
                        f"(which holds the log) or of the {board_short(area, r.raised_for)} (which raised it) can {press.act} it.")


@action("risk.review", on=RISK)
@action("risk.close", on=RISK)
async def step_form(ctx: Context) -> Reply:
    press = _press(ctx)
    if isinstance(press, Reply):
        return press
    async with ctx.services.store.session() as s:
        r = await _loaded(ctx, s, press)
        if isinstance(r, Reply):
            return r
        if r.status != "open":
            return card(press.area, press.log, r, note=f"Nothing was changed: R{r.number} is already closed.")
    return Reply(text=f"{press.act.capitalize()} R{r.number}.", form=_step_form(press.area, r, press.act))


def _step_form(area: AreaKnowledge, r: RiskEntry, act: str) -> Form:
    ctxv = {"area": area.slug, "id": r.id}
    if act == "review":
        return Form("risk.review.submit", f"Review R{r.number}",
                    (FormField("text", "What the review found", "long_text"),
                     FormField("review_on", "Next review (YYYY-MM-DD)", placeholder="2027-06-01", max_length=10)),
                    "Record the review", ctxv)
    return Form("risk.close.submit", f"Close R{r.number}", (FormField("text", "Why it is closed", "long_text"),), "Close", ctxv)


def _step_problems(v: dict, act: str, text: str, now: dt.datetime) -> tuple[dict[str, str], dt.date | None]:
    """Every problem with a review or closing form, by field, and the next review date (a review's)."""
    problems: dict[str, str] = {}
    if not text:
        problems["text"] = "Required"
    elif (p := too_long("The text", text, LONG_TEXT)) is not None:
        problems["text"] = p
    next_on = None
    if act == "review":
        next_on = _parse_date(field_text(v, "review_on"))
        if next_on is None:
            problems["review_on"] = "A date as YYYY-MM-DD, e.g. 2027-06-01"
        elif next_on <= london(now).date():
            problems["review_on"] = "A date still to come"
    return problems, next_on


@action("risk.review.submit", on=RISK)
@action("risk.close.submit", on=RISK)
async def step(ctx: Context) -> Reply:
    """A review (what it found, the next review date) or a closing (why): both boards are told."""
    press = _press(ctx)
    if isinstance(press, Reply):
        return press
    area, log, act = press.area, press.log, press.act
    v = ctx.request.value
    text = field_text(v, "text")
    now = ctx.services.clock()
    async with ctx.services.store.session() as s:
        r = await _loaded(ctx, s, press)
        if isinstance(r, Reply):
            return r
        problems, next_on = _step_problems(v, act, text, now)
        if problems:
            return form_again(_step_form(area, r, act), v, problems,
                              "Please correct: " + "; ".join(problems.values()) + ". Your other answers are kept.")
        values = ({"last_review": text, "reviewed_at": now, "review_on": next_on, "updated_at": now} if act == "review"
                  else {"status": "closed", "closed_reason": text, "closed_at": now, "updated_at": now})
        res = await s.execute(update(RiskEntry).where(RiskEntry.id == r.id, RiskEntry.status == "open",
                                                      RiskEntry.updated_at == r.updated_at).values(**values))
        if not res.rowcount:
            await s.rollback()
            await s.refresh(r)
            return card(area, log, r, note=f"Nothing was changed: R{r.number} changed a moment ago; here it is as it stands.")
        await s.refresh(r)
        kind = "reviewed" if act == "review" else "closed"
        await record(s, area.slug, SUBJECT, r.id, ctx.request.actor.label, kind,
                     {"text": text, **({"review_on": next_on.isoformat()} if next_on else {})})
        note = (f"R{r.number} reviewed by {ctx.request.actor.label}; next review {fmt_date(next_on)}." if next_on
                else f"R{r.number} closed by {ctx.request.actor.label}.")
        for b in dict.fromkeys((log.board_key, r.raised_for)):
            await ctx.services.notifier.post(s, area_slug=area.slug, target=Target.board(b), reply=card(area, log, r, note=note),
                                             key=f"risk:{r.id}:{kind}:{now.isoformat()}:{b}", origin="risk")
        await s.commit()
    ctx.services.notifier.kick()
    return card(area, log, r, note=note)


async def entries(ctx: Context, *, include_closed: bool = False) -> list[RiskEntry]:
    area = ctx.here
    async with ctx.services.store.session() as s:
        row = await area_row(s, area.slug)
        q = select(RiskEntry).where(RiskEntry.area_id == row.id)
        if not include_closed:
            q = q.where(RiskEntry.status == "open")
        return list((await s.execute(q.order_by(RiskEntry.number))).scalars())


async def list_reply(ctx: Context, *, include_closed: bool = False) -> Reply:
    area = ctx.here
    log = risk_log_of(area)
    if log is None:
        return _no_log(area)
    rows = await entries(ctx, include_closed=include_closed)
    today = london(ctx.services.clock()).date()
    head = f"The risk log held by the {board_short(area, log.board_key)} ({area.name})"
    if not rows:
        text = f"{head} has no {'entries' if include_closed else 'open risks'}. \u201crisk raise\u201d adds one."
    else:
        lines = [f"{head}, {'all entries' if include_closed else 'open risks'}:"]
        for r in rows:
            due = (f"review {'overdue since' if r.review_on and r.review_on < today else 'due'} {fmt_date(r.review_on)}"
                   if r.status == "open" and r.review_on else r.status)
            lines.append(f"\u2022 R{r.number} {r.title} \u2014 owner: {r.owner}; {due}")
        lines.append("\u201crisk R<number>\u201d shows one with its history; \u201crisk review R1 <what was found> next "
                     "2027-06-01\u201d, \u201crisk close R1 <why>\u201d.")
        text = "\n".join(lines)
    return Reply(text=text, title=f"Risk log \u2014 {area.name}", citations=(log.citation,),
                 data={"intent": "risks", "risks": [{"number": r.number, "title": r.title, "owner": r.owner, "status": r.status,
                                                     "review_on": r.review_on.isoformat() if r.review_on else None} for r in rows]})


async def entry(ctx: Context, s: AsyncSession, number: int) -> tuple[RiskEntry, None] | tuple[None, Reply]:
    """Risk R``number`` of the area's log, or the answer saying there is none."""
    area = ctx.here
    row = await area_row(s, area.slug)
    r = (await s.execute(select(RiskEntry).where(RiskEntry.area_id == row.id, RiskEntry.number == number))).scalar_one_or_none()
    if r is None:
        return None, error(f"No risk R{number} in {area.name}'s risk log.", hint="\u201crisks\u201d lists them.")
    return r, None


async def show(ctx: Context, number: int) -> Reply:
    area = ctx.here
    log = risk_log_of(area)
    if log is None:
        return _no_log(area)
    async with ctx.services.store.session() as s:
        r, missing = await entry(ctx, s, number)
        if r is None:
            return missing
        events = await history(s, SUBJECT, r.id)
    base = card(area, log, r)
    words = {"raised": "raised it", "reviewed": "reviewed it", "closed": "closed it", "refused": "was refused"}
    log_lines = [f"\u2022 {fmt(e.at)} \u2014 {e.actor}: {words.get(e.kind, e.kind)}"
                 + (f": {e.detail.get('text')}" if e.detail.get("text") else "")
                 + (f" (next review {e.detail['review_on']})" if e.detail.get("review_on") and e.kind == "reviewed" else "")
                 for e in events]
    return Reply(title=base.title, text=base.text + "\nHistory:\n" + "\n".join(log_lines), buttons=base.buttons,
                 citations=base.citations, data=base.data)


async def review_reminders(services) -> int:
    """Post, once per review date, each open risk whose review has fallen due to the board holding the log."""
    from storage.models import Area

    if services.store is None:
        return 0
    today = london(services.clock()).date()
    queued = 0
    async with services.store.session() as s:
        rows = (await s.execute(select(RiskEntry, Area.slug).join(Area, Area.id == RiskEntry.area_id).where(
            RiskEntry.status == "open", RiskEntry.review_on.is_not(None), RiskEntry.review_on <= today).limit(500))).all()
        for r, slug in rows:
            area = services.knowledge.areas.get(slug)
            log = risk_log_of(area) if area else None
            if log is None:
                continue
            note = f"The review of R{r.number} is due ({fmt_date(r.review_on)}): \u201crisk review R{r.number} <what was found> next <date>\u201d."
            for b in dict.fromkeys((log.board_key, r.raised_for)):
                queued += await services.notifier.post(s, area_slug=slug, target=Target.board(b), reply=card(area, log, r, note=note),
                                                       key=f"risk:{r.id}:review-due:{r.review_on.isoformat()}:{b}", origin="risk")
        await s.commit()
    if queued:
        services.notifier.kick()
    return queued
