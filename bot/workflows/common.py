"""Pieces every workflow uses: the area row, board choices, people to address, refusals."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.commands import Context
from bot.knowledge import AreaKnowledge
from bot.messages import Button, Reply, error
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
    rid = ctx.request.request_id or ctx.request.value.get("_rid") or uuid.uuid4().hex
    return f"{kind}:{ctx.request.platform}:{rid}"


def party_boards(area: AreaKnowledge) -> list[tuple[str, str]]:
    return [(b.key, f"{b.short_name} — {b.name}") for b in area.protocol.boards if b.party]


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
    """Record a refused action and say why."""
    assert ctx.area is not None
    await record(session, ctx.area.slug, subject, subject_id, ctx.request.actor.label, "refused",
                 {"action": ctx.request.action or ctx.request.text, "reason": what, "platform": ctx.request.platform})
    await session.commit()
    return error(what, hint=hint)


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
