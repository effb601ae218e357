"""Who is who and where: workspaces linked to areas, people and their roles, linked channels.

Plain data access; what roles mean is decided in :mod:`bot.identity` and the workflows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Area, ChannelLink, ConversationRef, Person, PersonRole, Workspace

_generation = 0


def generation() -> int:
    """Bumped by every write to the directory in this process, so caches of who is who
    (bot.identity) drop what they hold at once; other processes' writes reach them when
    the cache entry expires."""
    return _generation


def _changed() -> None:
    global _generation
    _generation += 1


ADMIN = "admin"  # the role that makes someone an administrator of an area


@dataclass(frozen=True)
class PersonInfo:
    """A person as one area sees them: ``roles`` and ``is_admin`` are what they hold in
    ``area_slug``; ``grants`` is everything, by area slug (``admin`` among the roles)."""

    id: int
    area_slug: str
    platform: str
    workspace: str
    user_id: str
    display_name: str | None
    roles: frozenset[str]
    is_admin: bool
    grants: Mapping[str, frozenset[str]] = field(default_factory=dict)


class WorkspaceLinked(ValueError):
    """The workspace is already linked to an area, or the area to a workspace; the message says which."""


async def area_id(session: AsyncSession, slug: str) -> int:
    found = (await session.execute(select(Area.id).where(Area.slug == slug))).scalar_one_or_none()
    if found is None:
        raise KeyError(slug)
    return found


async def area_slug_by_id(session: AsyncSession, id_: int) -> str:
    return (await session.execute(select(Area.slug).where(Area.id == id_))).scalar_one()


async def workspace_area(session: AsyncSession, platform: str, external_id: str) -> str | None:
    """The area slug a Slack team or Teams tenant is linked to, if any."""
    return (
        await session.execute(
            select(Area.slug).join(Workspace, Workspace.area_id == Area.id).where(
                Workspace.platform == platform, Workspace.external_id == external_id
            )
        )
    ).scalar_one_or_none()


async def area_workspaces(session: AsyncSession, area_slug: str, platform: str) -> list[str]:
    """The workspaces (Slack teams, Teams tenants) of ``platform`` linked to the area."""
    aid = await area_id(session, area_slug)
    return list((await session.execute(
        select(Workspace.external_id).where(Workspace.area_id == aid, Workspace.platform == platform).order_by(Workspace.id)
    )).scalars())


async def link_workspace(session: AsyncSession, platform: str, external_id: str, area_slug: str, name: str | None = None,
                         *, first_only: bool = False) -> bool:
    """Link a workspace to an area (moving it if it was linked elsewhere). False if it already was.

    With ``first_only`` (a link asked for from chat) only a first link is made: the workspace
    must be linked to no area and the area to no workspace of this platform, else
    :class:`WorkspaceLinked` says which. Moving a workspace, or giving an area a second one,
    is the server operator's act (``boardbot admin link-workspace``).
    """
    aid = await area_id(session, area_slug)
    ws = (
        await session.execute(select(Workspace).where(Workspace.platform == platform, Workspace.external_id == external_id))
    ).scalar_one_or_none()
    if ws is not None and ws.area_id == aid:
        return False
    if first_only:
        if ws is not None:
            raise WorkspaceLinked(f"this workspace already answers for {await area_slug_by_id(session, ws.area_id)}")
        others = await area_workspaces(session, area_slug, platform)
        if others:
            raise WorkspaceLinked(f"{area_slug} already has a {platform} workspace")
    _changed()
    if ws is None:
        session.add(Workspace(platform=platform, external_id=external_id, area_id=aid, name=name))
    else:
        ws.area_id = aid
        ws.name = name or ws.name
    await session.flush()
    return True


def _grants(p: Person, slugs: Mapping[int, str]) -> dict[str, frozenset[str]]:
    by_area: dict[str, set[str]] = {}
    for r in p.roles:
        slug = slugs.get(r.area_id)
        if slug:
            by_area.setdefault(slug, set()).add(r.role)
    return {k: frozenset(v) for k, v in by_area.items()}


async def _slugs(session: AsyncSession, *people: Person) -> dict[int, str]:
    """Slugs of the areas ``people`` hold roles in (one query)."""
    ids = {r.area_id for p in people for r in p.roles}
    if not ids:
        return {}
    return dict((await session.execute(select(Area.id, Area.slug).where(Area.id.in_(ids)))).all())


def _info(p: Person, seen_from: str, grants: dict[str, frozenset[str]]) -> PersonInfo:
    held = grants.get(seen_from, frozenset())
    return PersonInfo(p.id, seen_from, p.platform, p.workspace, p.user_id, p.display_name,
                      held - {ADMIN}, ADMIN in held, grants)


async def get_person(session: AsyncSession, platform: str, workspace: str, user_id: str) -> PersonInfo | None:
    """The person with every role they hold, seen from their home area."""
    row = (
        await session.execute(
            select(Person, Area.slug).join(Area, Area.id == Person.area_id).where(
                Person.platform == platform, Person.workspace == workspace, Person.user_id == user_id
            )
        )
    ).first()
    if row is None:
        return None
    p, slug = row
    return _info(p, slug, _grants(p, await _slugs(session, p)))


async def upsert_person(
    session: AsyncSession,
    *,
    area_slug: str,
    platform: str,
    workspace: str,
    user_id: str,
    display_name: str | None = None,
    add_roles: frozenset[str] = frozenset(),
    remove_roles: frozenset[str] = frozenset(),
    is_admin: bool | None = None,
) -> PersonInfo:
    """Record the person (new ones get ``area_slug`` as their home) and give or take away roles
    in ``area_slug`` only; ``is_admin`` grants or removes administration of ``area_slug``.
    Roles they hold in other areas, and their home, are left as they were."""
    _changed()
    aid = await area_id(session, area_slug)
    p = (
        await session.execute(
            select(Person).where(Person.platform == platform, Person.workspace == workspace, Person.user_id == user_id)
        )
    ).scalar_one_or_none()
    name = display_name[:200] if display_name else display_name
    if p is None:
        p = Person(area_id=aid, platform=platform, workspace=workspace, user_id=user_id, display_name=name, roles=[])
        session.add(p)
    elif name:
        p.display_name = name
    add, remove = set(add_roles), set(remove_roles)
    if is_admin is True:
        add.add(ADMIN)
    elif is_admin is False:
        remove.add(ADMIN)
    have = {r.role for r in p.roles if r.area_id == aid}
    for role in sorted(add - have):
        p.roles.append(PersonRole(role=role, area_id=aid))
    for r in list(p.roles):
        if r.area_id == aid and r.role in remove:
            p.roles.remove(r)
    await session.flush()
    return _info(p, area_slug, _grants(p, await _slugs(session, p)))


async def people_with_role(session: AsyncSession, area_slug: str, role: str) -> list[PersonInfo]:
    """Everyone holding ``role`` in the area (wherever their workspace is)."""
    aid = await area_id(session, area_slug)
    rows = (
        await session.execute(
            select(Person).join(PersonRole, PersonRole.person_id == Person.id)
            .where(PersonRole.area_id == aid, PersonRole.role == role).order_by(Person.id)
        )
    ).scalars().all()
    slugs = await _slugs(session, *rows)
    return [_info(p, area_slug, _grants(p, slugs)) for p in rows]


async def people_in_area(session: AsyncSession, area_slug: str) -> list[PersonInfo]:
    """The area's directory: everyone holding a role there, and everyone whose home it is."""
    aid = await area_id(session, area_slug)
    holders = select(PersonRole.person_id).where(PersonRole.area_id == aid)
    rows = (await session.execute(
        select(Person).where((Person.area_id == aid) | Person.id.in_(holders)).order_by(Person.id)
    )).scalars().all()
    slugs = await _slugs(session, *rows)
    return [_info(p, area_slug, _grants(p, slugs)) for p in rows]


async def link_channel(
    session: AsyncSession,
    *,
    area_slug: str,
    platform: str,
    workspace: str,
    channel_id: str,
    purpose: str,
    board_key: str = "",
    conversation_ref: dict[str, Any] | None = None,
) -> ChannelLink:
    _changed()
    aid = await area_id(session, area_slug)
    link = (
        await session.execute(
            select(ChannelLink).where(
                ChannelLink.area_id == aid, ChannelLink.platform == platform, ChannelLink.channel_id == channel_id,
                ChannelLink.purpose == purpose, ChannelLink.board_key == board_key,
            )
        )
    ).scalar_one_or_none()
    if link is None:
        link = ChannelLink(area_id=aid, platform=platform, workspace=workspace, channel_id=channel_id, purpose=purpose,
                           board_key=board_key, conversation_ref=conversation_ref)
        session.add(link)
    elif conversation_ref:
        link.conversation_ref = conversation_ref
    await session.flush()
    return link


async def unlink_channel(session: AsyncSession, *, area_slug: str, platform: str, channel_id: str) -> int:
    _changed()
    aid = await area_id(session, area_slug)
    result = await session.execute(
        delete(ChannelLink).where(ChannelLink.area_id == aid, ChannelLink.platform == platform, ChannelLink.channel_id == channel_id)
    )
    return result.rowcount or 0


async def channels_for(session: AsyncSession, area_slug: str, purpose: str, board_key: str = "") -> list[ChannelLink]:
    aid = await area_id(session, area_slug)
    q = select(ChannelLink).where(ChannelLink.area_id == aid, ChannelLink.purpose == purpose)
    if purpose == "board":
        q = q.where(ChannelLink.board_key == board_key)
    return list((await session.execute(q.order_by(ChannelLink.id))).scalars())


async def channel_links(session: AsyncSession, area_slug: str) -> list[ChannelLink]:
    aid = await area_id(session, area_slug)
    return list((await session.execute(select(ChannelLink).where(ChannelLink.area_id == aid).order_by(ChannelLink.id))).scalars())


async def save_conversation_ref(session: AsyncSession, conversation_id: str, tenant_id: str | None, reference: dict[str, Any]) -> None:
    row = await session.get(ConversationRef, conversation_id)
    if row is None:
        session.add(ConversationRef(conversation_id=conversation_id, tenant_id=tenant_id, reference=reference))
    elif row.reference != reference:
        row.reference = reference
        row.tenant_id = tenant_id
    await session.flush()


async def conversation_ref(session: AsyncSession, conversation_id: str) -> dict[str, Any] | None:
    row = await session.get(ConversationRef, conversation_id)
    return row.reference if row else None
