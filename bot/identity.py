"""Turn "who I am" phrases into directory roles, and a platform user into an Actor.

Roles are strings held in one area: ``chair:<board>``, ``business_manager:<board>``,
``delegated_officer:<board>``, ``vice_chair:<board>``, ``deputy:<board>``, ``director``, ``admin`` and ``post:<role key>`` for a post
the protocol names (e.g. ``post:dcs``). The terminal's ``--as`` and the administrator's
``admin link-user`` both go through :func:`roles_for`, so "Chair of BSCB",
"BSAB business manager", "DCS" and "Alan Caton" mean the same everywhere; the area they
are read in is the area they are held in.
"""

from __future__ import annotations

import re
import time
from dataclasses import replace

from bot.knowledge import AreaKnowledge
from bot.language.normalise import tokens
from bot.messages import Actor

_OFFICE = re.compile(
    r"^(?:the )?(?P<office>chair|co chair|cochair|joint chair|independent chair|chairperson|vice chair|vice chairman|"
    r"deputy chair|business manager|lead officer|manager|delegated officer|nominated deputy|deputy)"
    r"(?: of| for)? (?:the )?(?P<board>.+)$"
)
_OFFICE_AFTER = re.compile(
    r"^(?:the )?(?P<board>.+?) (?P<office>chair|co chair|cochair|vice chair|business manager|lead officer|manager|"
    r"delegated officer|nominated deputy|deputy)$"
)
# a co-chair holds the chair; a vice-chair and a nominated deputy are their own roles, which
# may raise on the chair's behalf only where the area's protocol says so (challenge.on_behalf)
_OFFICES = {
    "chair": "chair", "co chair": "chair", "cochair": "chair", "joint chair": "chair", "independent chair": "chair",
    "chairperson": "chair", "vice chair": "vice_chair", "vice chairman": "vice_chair", "deputy chair": "vice_chair",
    "business manager": "business_manager", "lead officer": "business_manager", "manager": "business_manager",
    "delegated officer": "delegated_officer", "nominated deputy": "deputy", "deputy": "deputy",
}


class UnknownIdentity(ValueError):
    """The phrase names no post, office or person the area's directory knows."""


def roles_for(area: AreaKnowledge, phrase: str) -> frozenset[str]:
    """Roles for one phrase, e.g. "chair of BSCB" -> {"chair:bscb"}. Raises UnknownIdentity."""
    norm = " ".join(tokens(phrase))
    if norm in ("admin", "administrator"):
        return frozenset({"admin"})
    if norm in ("director", "director channel"):
        return frozenset({"director"})
    if norm in ("member", "board member", "anyone", "guest"):
        return frozenset()
    for rx in (_OFFICE, _OFFICE_AFTER):
        m = rx.match(norm)
        if m:
            board = area.board_matcher.lookup(m.group("board")).match
            if board and board.method != "fuzzy":  # a role is never granted on a near miss
                return frozenset({f"{_OFFICES[m.group('office')]}:{board.key}"})
    # a named chair or co-chair ("Alan Caton") holds that board's chair
    for b in area.protocol.boards:
        for office in b.chairs or ([b.chair] if b.chair else []):
            if office.name and " ".join(tokens(office.name)) in norm:
                return frozenset({f"chair:{b.key}"})
    role = area.role_matcher.lookup(norm, allow_partial=False).match
    if role:
        r = area.roles[role.key]
        out = {f"post:{r.key}"}
        out.update(f"chair:{s.board}" for s in r.seats if s.capacity == "chairs")
        if r.director:  # the area's file says which posts are directors'
            out.add("director")
        return frozenset(out)
    raise UnknownIdentity(
        f"I don't know who \u201c{phrase}\u201d is in {area.name}. Try \"chair of <board>\", "
        f"\"business manager of <board>\", \"director\", \"admin\" or a post such as "
        + ", ".join(f'"{r.title}"' for r in area.protocol.roles[:3])
    )


def describe_roles(area: AreaKnowledge, roles: frozenset[str]) -> str:
    """Roles in words: "chair of the BSCB, business manager of the BSAB"."""
    out = []
    for r in sorted(roles):
        kind, _, key = r.partition(":")
        if kind == "post":
            out.append(area.roles[key].title if key in area.roles else key)
        elif key:
            board = area.boards[key].short_name if key in area.boards else key
            out.append(f"{kind.replace('_', ' ')} of the {board}")
        else:
            out.append(kind)
    return ", ".join(out) or "member"


ACTOR_TTL = 30.0  # seconds who-is-who is remembered between requests
_actors: dict[tuple[str, str, str], tuple[object, object, float, int]] = {}


async def resolve_actor(
    services, *, platform: str, workspace: str, user_id: str, display_name: str = "", other_ids: tuple[str, ...] = ()
):
    """The Actor for a platform user and the area their workspace is linked to.

    The area is the workspace's (Slack team / Teams tenant) link, else ``BOARDBOT_AREA``,
    else the person's home area, else None (the question must then name one); it is also the
    Actor's ``home_area``, which nothing in a payload can change. Roles come from the
    directory, each in its own area; people the directory does not know are plain members:
    they can look things up, nothing more.
    Answers are remembered for :data:`ACTOR_TTL` seconds; any directory change made in this
    process forgets them at once, one made by another process shows within the TTL.
    ``other_ids`` are further ids the same person may be known by (Teams: the ``29:`` user id
    an @mention carries, beside the AAD object id); the first one the directory knows becomes
    the Actor's ``user_id``, all looked up in one session.
    """
    # (storage.directory brings SQLAlchemy: loaded when first needed, not by every command line)
    from storage import directory

    key = (platform, workspace, "\x1f".join((user_id, *other_ids)))
    hit = _actors.get(key)
    now = time.monotonic()
    if hit is not None and hit[2] > now and hit[3] == directory.generation():
        actor = hit[0]
        if display_name and display_name != actor.display_name:
            actor = replace(actor, display_name=display_name)
        return actor, hit[1]
    generation = directory.generation()
    area = None
    person = None
    if services.store is not None:
        async with services.store.session() as s:
            area = await directory.workspace_area(s, platform, workspace)
            for uid in (user_id, *other_ids):
                person = await directory.get_person(s, platform, workspace, uid)
                if person is not None:
                    user_id = uid
                    break
    if area is None:
        area = services.default_area or None
    if person is not None:
        area = area or person.area_slug
        actor = Actor(platform, workspace, user_id, display_name or person.display_name or user_id,
                      person.grants, person.id, home_area=area)
    else:
        actor = Actor(platform, workspace, user_id, display_name or user_id, home_area=area)
    if len(_actors) > 10_000:
        _actors.clear()
    _actors[key] = (actor, area, now + ACTOR_TTL, generation)
    return actor, area
