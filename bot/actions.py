"""Button presses and form submissions, routed by action name.

An action is the second half of a conversation a command started: a button on a
challenge notice, the submit of a challenge form. Handlers are registered with
:func:`bot.context.action` by the workflow modules and take the same
:class:`~bot.context.Context` as commands; what they return replaces the message the button sat on.
Permissions are checked in the handlers (the core), never by hiding buttons.

Which area an action is in is decided here, never by the payload. An action on a stored
object names its :class:`Subject`: the object is looked up by the id the button or form
carries and the action runs in the object's own area; someone holding no role in that area
(and not asking from its workspace) is refused before the handler runs, and the refusal is
recorded in that area's audit. An action that makes something new (a form's submit) runs in
the area of the workspace or tenant the request came from; a form whose ``area`` names
another is refused. An ``area`` in a button value is never read.
"""

from __future__ import annotations

from typing import Any

from bot.context import ACTIONS, SUBJECTS, ActionHandler, Context, Subject, action
from bot.messages import Reply, Request, error
from bot.services import Services
from bot.tenancy import home_area, may_read_area

__all__ = ["ACTIONS", "SUBJECTS", "ActionHandler", "Subject", "action", "handle_action", "load_all", "refused"]


def load_all() -> dict[str, ActionHandler]:
    from bot.workflows import agenda, challenges, reminders, risks  # noqa: F401  (importing registers their actions)

    return ACTIONS


async def _locate(services: Services, subject: Subject, value: dict[str, Any]) -> tuple[str, int] | None:
    """The area slug and id of the object ``value`` names, or None if there is no such object."""
    from sqlalchemy import select

    from storage.models import Area

    try:
        oid = int(str(value.get(subject.key, "")).strip())
    except ValueError:
        return None
    if not -(2**63) < oid < 2**63:
        return None
    async with services.store.session() as s:
        slug = (await s.execute(select(Area.slug).join(subject.model, subject.model.area_id == Area.id)
                                .where(subject.model.id == oid))).scalar_one_or_none()
    return (slug, oid) if slug else None


async def refused(services: Services, request: Request, area_slug: str, subject_type: str, subject_id: int | None,
                  reason: str, **detail: Any) -> None:
    """Record a refusal in ``area_slug``'s audit (the area of the object, or of the workspace)."""
    from storage.audit import record

    if services.store is None or area_slug not in services.knowledge.areas:
        return
    async with services.store.session() as s, s.begin():
        await record(s, area_slug, subject_type, subject_id, request.actor.label, "refused",
                     {"action": request.action or request.text[:200], "reason": reason, "platform": request.platform,
                      "workspace": request.actor.workspace, "from_area": home_area(request.actor, request.area), **detail})


async def handle_action(request: Request, services: Services) -> Reply:
    load_all()
    if request.action is None:
        return error("That button is no longer supported.", hint='Type "help" to see what you can do.')
    handler = ACTIONS.get(request.action)
    if handler is None:
        return error("That button is no longer supported.", hint='Type "help" to see what you can do.')
    actor = request.actor
    home = home_area(actor, request.area)
    subject = SUBJECTS.get(request.action)
    if subject is not None and services.store is not None:
        located = await _locate(services, subject, request.value)
        if located is None:
            return error(f"That {subject.noun} no longer exists (or the button is damaged); nothing was changed.")
        slug, oid = located
        area = services.knowledge.areas.get(slug)
        if area is None:
            return error("That action is for an area boardbot no longer has.")
        if not may_read_area(actor, slug, request.area):
            await refused(services, request, slug, subject.audit or subject.noun, oid, f"holds no role in {area.name}")
            here = services.knowledge.areas.get(home) if home else None
            return error(f"That {subject.noun} belongs to {area.name}, where you hold no role, so nothing was changed.",
                         hint=f"This workspace answers for {here.name}." if here else "")
    else:
        slug = home or str(request.value.get("area") or "") or None
        claimed = request.value.get("area")
        if claimed and slug and claimed != slug and not actor.everywhere:
            # on the record of the workspace's area, and of the area the form named (if it is one)
            for where in dict.fromkeys((slug, str(claimed))):
                await refused(services, request, where, request.action.split(".")[0], None,
                              f"a form for {str(claimed)[:64]} sent from a workspace that answers for {slug}")
            here = services.knowledge.areas.get(slug)
            return error("That form was for another area, so nothing was done.",
                         hint=f"This workspace answers for {here.name}; start again here." if here else "")
        area = services.knowledge.areas.get(slug) if slug else None
        if area is None and len(services.knowledge.areas) == 1:
            area = next(iter(services.knowledge.areas.values()))
        if area is None:
            return error("That action is for an area boardbot no longer has.")
    ctx = Context(request=request, services=services, area=area, args={k: str(v) for k, v in request.value.items()})
    from bot.workflows.protocol_review import with_review_note

    return await with_review_note(await handler(ctx), services)  # a card quoting an overdue protocol says so too
