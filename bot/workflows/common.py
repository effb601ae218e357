"""Pieces every workflow uses: the area row, board choices, people to address, refusals."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import replace
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.context import Context
from bot.knowledge import AreaKnowledge
from bot.limits import over_limit
from bot.messages import Button, Form, Reply, error
from bot.tenancy import home_area, may_read_area, may_start_in
from storage import directory
from storage.audit import record
from storage.models import Area


async def area_row(session: AsyncSession, slug: str) -> Area:
    return (await session.execute(select(Area).where(Area.slug == slug))).scalar_one()


async def next_number(session: AsyncSession, model, area_id: int) -> int:
    """The area's next C-/A-number. Two chairs raising at once must not both get the same:
    a no-op write to the area's row first takes its lock (a row lock on PostgreSQL, the write
    lock on SQLite) until the caller commits, so the maximum read here stays true."""
    await session.execute(update(Area).where(Area.id == area_id).values(id=Area.id))
    current = (await session.execute(select(func.max(model.number)).where(model.area_id == area_id))).scalar_one()
    return (current or 0) + 1


def idempotency_key(ctx: Context, kind: str) -> str:
    """The platform's own id for this submission (a modal's view id, a Teams activity id), so a
    re-sent or double-submitted form creates one record; a fresh id in the terminal."""
    rid = str(ctx.request.request_id or ctx.request.value.get("_rid") or uuid.uuid4().hex)
    key = f"{kind}:{ctx.request.platform}:{rid}"
    # the column holds 300 characters: a longer platform id is kept as its digest, whole
    return key if len(key) <= 300 else f"{kind}:{ctx.request.platform}:sha256:{hashlib.sha256(rid.encode()).hexdigest()}"


def field_text(value: dict[str, Any], name: str) -> str:
    """A form field's text, stripped: "" for anything that is not text (a crafted list or object)."""
    v = value.get(name)
    if isinstance(v, bool) or v is None:
        return ""
    if isinstance(v, (int, float)):
        return str(v)
    return v.strip() if isinstance(v, str) else ""


def too_long_reply(value: dict[str, Any], fields: dict[str, tuple[str, int]]) -> Reply | None:
    """An error naming every over-long field and its limit (nothing is stored), or None when all fit."""
    problems = over_limit(value, fields)
    if not problems:
        return None
    return error(" ".join(problems.values()), data={"field_errors": problems})


async def addressees(session: AsyncSession, area: AreaKnowledge, board_key: str, kinds: tuple[str, ...]) -> str:
    """"the Chair (Independent Chair) and the Business Manager (BSCB Business Manager) of the BSCB",
    with the people the directory knows in those roles."""
    b = area.boards[board_key]
    parts = []
    for kind in kinds:
        office = b.chair if kind == "chair" else b.business_manager
        label = "Chair" if kind == "chair" else "Business Manager"
        people = await directory.people_with_role(session, area.slug, f"{kind}:{board_key}")
        names = ", ".join(p.display_name or p.user_id for p in people)
        desc = office.title if office else label
        if office and office.name:
            desc += f", {office.name}"
        parts.append(f"the {label} ({desc}{'; here: ' + names if names else ''})")
    return " and ".join(parts) + f" of the {b.short_name}"


async def refuse(ctx: Context, session: AsyncSession, subject: str, subject_id: int | None, what: str, hint: str = "") -> Reply:
    """Record a refused action in the audit of the area it was in, and say why."""
    area = ctx.here
    await session.rollback()  # whatever the step had begun is not kept
    await record(session, area.slug, subject, subject_id, ctx.request.actor.label, "refused",
                 {"action": ctx.request.action or ctx.request.text[:200], "reason": what, "platform": ctx.request.platform,
                  "workspace": ctx.request.actor.workspace, "from_area": home_area(ctx.request.actor, ctx.request.area)})
    await session.commit()
    return error(what, hint=hint)


async def _refused_in_both(ctx: Context, session: AsyncSession, subject: str, reason: str) -> None:
    """Record a refusal in the audit of the area asked about and of the workspace's own area."""
    area = ctx.here
    actor = ctx.request.actor
    home = home_area(actor, ctx.request.area)
    for slug in dict.fromkeys(x for x in (area.slug, home) if x and x in ctx.knowledge.areas):
        await record(session, slug, subject, None, actor.label, "refused",
                     {"action": ctx.request.action or ctx.request.text[:200], "reason": reason, "platform": ctx.request.platform,
                      "workspace": actor.workspace, "from_area": home, "area_asked": area.slug})
    await session.commit()


async def refuse_unseen(ctx: Context, what: str, subject: str = "area") -> Reply | None:
    """Refuse reading ``ctx.area``'s work (its challenges, agenda items, directory, reminders,
    exports) to someone holding no role there and asking from another area's workspace,
    recorded in both areas' audits; None when they may read it. Public protocol facts are
    not guarded: they are answered anywhere."""
    area = ctx.here
    actor = ctx.request.actor
    if may_read_area(actor, area.slug, ctx.request.area):
        return None
    home = home_area(actor, ctx.request.area)
    here = ctx.knowledge.areas.get(home) if home else None
    if ctx.services.store is not None:
        async with ctx.services.store.session() as s:
            await _refused_in_both(ctx, s, subject, f"{what} of {area.name}: holds no role there")
    return error(f"{area.name}'s {what} are only for people who hold a role in {area.name}, and you hold none there.",
                 hint=(f"This workspace answers for {here.name}. " if here else "")
                 + f"Questions about {area.name}'s protocol still work, e.g. “who chairs the boards in {area.name}?”")


async def refuse_elsewhere(ctx: Context, session: AsyncSession, subject: str, what: str) -> Reply | None:
    """Refuse starting new work (or administering) in an area other than the one the workspace
    answers for, recorded in both areas' audits; None when the request may go on."""
    area = ctx.here
    actor = ctx.request.actor
    if may_start_in(actor, area.slug, ctx.request.area):
        return None
    home = home_area(actor, ctx.request.area)
    here = ctx.knowledge.areas.get(home) if home else None
    await _refused_in_both(ctx, session, subject, f"{what} in {area.name} from a workspace that answers for {here.name if here else home}")
    return error(f"You can't {what} in {area.name} from here: this workspace answers for "
                 f"{here.name if here else home}, and {area.name}'s work is done in {area.name}'s own workspace.",
                 hint=f"Questions about {area.name}'s protocol still work here, e.g. “who leads on CSE in {area.name}?”")


def board_short(area: AreaKnowledge, key: str) -> str:
    return area.boards[key].short_name if key in area.boards else key


async def load_in_area(session: AsyncSession, ctx: Context, model):
    """The ``model`` row whose id a button or form carries, only if it belongs to this area.

    A forged or stale payload naming another area's record gets None, never that record.
    """
    try:
        rid = int(ctx.request.value.get("id", 0))
    except (TypeError, ValueError):
        return None
    if not -(2**63) < rid < 2**63:
        return None
    row = await session.get(model, rid)
    if row is None:
        return None
    area = await area_row(session, ctx.area.slug)  # type: ignore[union-attr]
    return row if row.area_id == area.id else None


def check_before_posting(found: list[str], action: str, values: dict, request_id: str | None) -> Reply:
    """Ask for confirmation when the text looks like personal data; "Post anyway" resubmits."""
    return Reply(
        title="Check before posting", ok=False,
        text=(f"This looks like it contains personal data: {', '.join(found)}. Protocols are about systems, not "
              "cases: edit it out, or post anyway if you are sure it is not about a child or an adult at risk."),
        buttons=(Button("Post anyway", action, {**values, "confirmed": 1, "_rid": values.get("_rid") or request_id or ""},
                        style="danger"),),
        data={"personal_data": found},
    )


def form_again(form: Form, values: dict[str, Any], problems: dict[str, str], message: str) -> Reply:
    """The form once more with every answer kept (the wrong ones too, to correct) and each problem
    beside its field: one bad answer never throws the others away, and nobody retypes them.
    ``data["field_errors"]`` names the fields, so Slack marks them in the open modal, Teams shows
    the card again filled in, and the terminal asks only those again."""
    fields = tuple(replace(f, initial=field_text(values, f.name) or f.initial,
                           hint=f"{problems[f.name]}" + (f" ({f.hint})" if f.hint else "") if f.name in problems else f.hint)
                   for f in form.fields)
    return Reply(text=message, ok=False, form=replace(form, fields=fields), data={"field_errors": problems})
