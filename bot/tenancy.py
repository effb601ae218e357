"""The wall between areas: which area a request may read or change.

One server serves many areas. Every stored object belongs to one area and every role is
held in one area (see :mod:`bot.workflows.permissions` for what each role may do there).
The area a request acts in comes from the stored object it names, or from the workspace or
tenant it came from (:attr:`bot.messages.Actor.home_area`, set from the directory by
:func:`bot.identity.resolve_actor`) — never from a button value, a form field or a typed
"in …", which only say which area someone *asks about* and are checked here.
"""

from __future__ import annotations

from bot.messages import Actor


def home_area(actor: Actor, requested: str | None = None) -> str | None:
    """The area the request came from: the actor's workspace's, else (the terminal, a core call
    with an Actor built by hand) the area the request was made for."""
    return actor.home_area or requested


def may_read_area(actor: Actor, area: str, requested: str | None = None) -> bool:
    """Whether ``actor`` may see anything of ``area``'s work (not only its public protocol):
    someone holding a role there, or asking from the area's own workspace. What they see of
    each object is then decided by their roles (:func:`bot.workflows.permissions.may_see`)."""
    return actor.everywhere or actor.holds_role_in(area) or home_area(actor, requested) == area


def may_start_in(actor: Actor, area: str, requested: str | None = None) -> bool:
    """Whether ``actor`` may start new work in ``area``, or administer it, from where they are:
    only from the area's own workspace (or from one linked to no area, where the roles held in
    ``area`` decide). A typed "in <another area>" never starts anything there."""
    home = home_area(actor, requested)
    return actor.everywhere or home is None or home == area
