"""Who may do what, and where. Enforced in the core, whatever the UI shows.

The tenancy model. Every stored object (challenge, agenda request, meeting, reminder,
audit event, channel link) belongs to one area, and a person's roles are held in one area
each: (area, board, role), administration included. So every check here takes the area of
the thing acted on — for an existing object, the area stored with it; for something new,
the area of the workspace or tenant the request came from — and looks only at the roles
held *there*. Suffolk's HWB chair is nobody in Buckinghamshire, though both have an HWB.

- Reading another area's public protocol (leads, boards, chairs, the ladder, meetings,
  reports) needs nothing: it is published anyway.
- Reading an area's work (challenges, agenda requests and items, the directory, exports,
  reminders, personal calendars) needs a role in that area, or the request to come from
  that area's own workspace (:func:`may_read_area`); what each role sees is then decided
  per object (:func:`may_see`).
- Starting new work or administering from chat happens in the area the workspace answers
  for (:func:`may_start_in`), never in one a typed "in …", a button or a form names.

A button is only a suggestion: a forged press, a replayed payload or a typed command by
the wrong person reaches these checks and is refused (and the refusal recorded by the
caller, in the audit of the area concerned).
"""

from __future__ import annotations

from bot.knowledge import AreaKnowledge
from bot.messages import Actor
from bot.tenancy import home_area, may_read_area, may_start_in  # noqa: F401  (the wall between areas)


def delegates(area: AreaKnowledge) -> tuple[str, ...]:
    """The roles that may raise a challenge on a chair's behalf, as the area's file states them
    (``challenge.on_behalf``): vice_chair, deputy, delegated_officer. Where the file says
    nothing, boardbot's default is the chair alone (:func:`delegation_is_default`)."""
    return tuple(area.protocol.challenge.on_behalf or ())


def delegation_is_default(area: AreaKnowledge) -> bool:
    """True where the protocol file does not say who may raise on a chair's behalf."""
    return area.protocol.challenge.on_behalf is None


def delegation_allowed(area: AreaKnowledge) -> bool:
    """Whether anyone but the chair may raise a challenge for a board in this area."""
    return bool(delegates(area))


def delegation_words(area: AreaKnowledge) -> str:
    """Who may raise, in words: "the chair, a vice-chair or an officer acting at the chair's direction"."""
    from storage.protocol.schema import DELEGATE_WORDS

    words = ["the chair", *(DELEGATE_WORDS[k] for k in delegates(area))]
    text = words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]
    if delegation_is_default(area):
        text += " (boardbot's default: the protocol names no one who may raise on a chair's behalf)"
    return text


# --- roles within an area --------------------------------------------------------------------------


def is_admin(actor: Actor, area: str) -> bool:
    return actor.is_admin_in(area)


def can_raise_for(area: AreaKnowledge, actor: Actor) -> list[str]:
    """Board keys of ``area`` the actor may raise a challenge (or agenda request) on behalf of."""
    kinds = ("chair", *delegates(area))
    boards = [k for k in actor.boards_with(area.slug, *kinds) if k in area.boards]
    return sorted(boards, key=lambda k: [b.key for b in area.protocol.boards].index(k))


# the roles that stand in for a board's chair once a challenge exists (raising one is decided
# by the area's file: can_raise_for); a vice-chair or nominated deputy who raised it follows it up
_FOR_THE_CHAIR = ("chair", "delegated_officer", "vice_chair", "deputy")


def speaks_for(actor: Actor, area: str, board_key: str) -> bool:
    """Chair (or someone standing in for the chair) or business manager of the area's board, or its admin."""
    return actor.is_admin_in(area) or bool(
        {f"{k}:{board_key}" for k in (*_FOR_THE_CHAIR, "business_manager")} & actor.roles_in(area)
    )


def chairs_for(actor: Actor, area: str, board_key: str) -> bool:
    """Chair (or a delegated officer, vice-chair or nominated deputy) of the area's board, or the area's admin."""
    return actor.is_admin_in(area) or bool({f"{k}:{board_key}" for k in _FOR_THE_CHAIR} & actor.roles_in(area))


def manages(actor: Actor, area: str, board_key: str) -> bool:
    """Business manager (or chair) of the area's board, or its admin: may run its agenda and meetings."""
    return actor.is_admin_in(area) or bool({f"business_manager:{board_key}", f"chair:{board_key}"} & actor.roles_in(area))


def is_director(actor: Actor, area: str) -> bool:
    return "director" in actor.roles_in(area)


def may_see(actor: Actor, area: str, boards: tuple[str, ...]) -> bool:
    """An area's challenges and agenda requests are visible to the boards involved, its directors and its admins."""
    return actor.is_admin_in(area) or is_director(actor, area) or any(speaks_for(actor, area, b) for b in boards)


def board_roles(actor: Actor, area: str) -> set[str]:
    """The area's boards the actor is chair (or stands in for the chair) or business manager of."""
    return actor.boards_with(area, "business_manager", *_FOR_THE_CHAIR)


def who_may_raise_text(area: AreaKnowledge) -> str:
    who = area.protocol.challenge.who_may_raise
    return who.text if who else "The chairs of the boards (the protocol names no other route)."


# --- reminders: who set one, and which boards it is for ----------------------------------------


def actor_key(actor: Actor) -> str:
    """Who someone is, wherever they type: ``platform:workspace:user`` (how a reminder's ``created_by`` begins)."""
    return f"{actor.platform}:{actor.workspace}:{actor.user_id}"


def set_by(actor: Actor, created_by: str | None) -> bool:
    """Whether a reminder's ``created_by`` ("slack:T1:U1|Jo Smith") names ``actor``."""
    return (created_by or "").split("|", 1)[0] == actor_key(actor)


def rule_boards(audience: list[str] | None) -> set[str]:
    """The boards a reminder is for: the keys in its ``board:<key>`` audience."""
    return {a.partition(":")[2] for a in (audience or []) if a.startswith("board:")}
