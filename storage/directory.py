"""Who is who and where: workspaces linked to areas, people and their roles, linked channels.

Plain data access; what roles mean is decided in :mod:`bot.identity` and the workflows.
"""

from __future__ import annotations

from dataclasses import dataclass
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


@dataclass(frozen=True)
class PersonInfo:
    id: int
    area_slug: str
    platform: str
    workspace: str
    user_id: str
    display_name: str | None
    roles: frozenset[str]
    is_admin: bool


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


async def link_workspace(session: AsyncSession, platform: str, external_id: str, area_slug: str, name: str | None = None) -> None:
    _changed()
    aid = await area_id(session, area_slug)
    ws = (
        await session.execute(select(Workspace).where(Workspace.platform == platform, Workspace.external_id == external_id))
    ).scalar_one_or_none()
    if ws is None:
        session.add(Workspace(platform=platform, external_id=external_id, area_id=aid, name=name))
    else:
        ws.area_id = aid
        ws.name = name or ws.name
    await session.flush()


async def get_person(session: AsyncSession, platform: str, workspace: str, user_id: str) -> PersonInfo | None:
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
    return PersonInfo(p.id, slug, p.platform, p.workspace, p.user_id, p.display_name,
                      frozenset(r.role for r in p.roles), p.is_admin)


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
    _changed()
    aid = await area_id(session, area_slug)
    p = (
        await session.execute(
            select(Person).where(Person.platform == platform, Person.workspace == workspace, Person.user_id == user_id)
        )
    ).scalar_one_or_none()
    if p is None:
        p = Person(area_id=aid, platform=platform, workspace=workspace, user_id=user_id, display_name=display_name,
                   is_admin=bool(is_admin), roles=[])
        session.add(p)
    else:
        p.area_id = aid
        if display_name:
            p.display_name = display_name
        if is_admin is not None:
            p.is_admin = is_admin
    have = {r.role for r in p.roles}
    for role in sorted(add_roles - have):
        p.roles.append(PersonRole(role=role))
    for r in list(p.roles):
        if r.role in remove_roles:
            p.roles.remove(r)
    await session.flush()
    return PersonInfo(p.id, area_slug, platform, workspace, user_id, p.display_name,
                      frozenset(r.role for r in p.roles), p.is_admin)


async def people_with_role(session: AsyncSession, area_slug: str, role: str) -> list[PersonInfo]:
    aid = await area_id(session, area_slug)
    rows = (
        await session.execute(
            select(Person).join(PersonRole, PersonRole.person_id == Person.id).where(Person.area_id == aid, PersonRole.role == role)
        )
    ).scalars()
    return [PersonInfo(p.id, area_slug, p.platform, p.workspace, p.user_id, p.display_name,
                       frozenset(r.role for r in p.roles), p.is_admin) for p in rows]


async def people_in_area(session: AsyncSession, area_slug: str) -> list[PersonInfo]:
    aid = await area_id(session, area_slug)
    rows = (await session.execute(select(Person).where(Person.area_id == aid).order_by(Person.id))).scalars()
    return [PersonInfo(p.id, area_slug, p.platform, p.workspace, p.user_id, p.display_name,
                       frozenset(r.role for r in p.roles), p.is_admin) for p in rows]


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
