"""Who may do what in a workflow. Enforced in the core, whatever the UI shows.

A button is only a suggestion: a forged press, a replayed payload or a typed command by
the wrong person reaches these checks and is refused (and the refusal recorded by the
caller).
"""

from __future__ import annotations

from bot.knowledge import AreaKnowledge
from bot.messages import Actor


def delegation_allowed(area: AreaKnowledge) -> bool:
    """Whether the protocol lets a chair's delegate raise a challenge ("or at their direction")."""
    who = area.protocol.challenge.who_may_raise
    text = (who.text if who else "").lower()
    return "direction" in text or "delegat" in text


def can_raise_for(area: AreaKnowledge, actor: Actor) -> list[str]:
    """Board keys the actor may raise a challenge (or agenda request) on behalf of."""
    kinds = ("chair", "delegated_officer") if delegation_allowed(area) else ("chair",)
    boards = [k for k in actor.boards_with(*kinds) if k in area.boards]
    return sorted(boards, key=lambda k: [b.key for b in area.protocol.boards].index(k))


def speaks_for(actor: Actor, board_key: str) -> bool:
    """Chair, delegated officer or business manager of the board, or an admin."""
    return actor.is_admin or bool(
        {f"chair:{board_key}", f"delegated_officer:{board_key}", f"business_manager:{board_key}"} & actor.roles
    )


def chairs_for(actor: Actor, board_key: str) -> bool:
    return actor.is_admin or bool({f"chair:{board_key}", f"delegated_officer:{board_key}"} & actor.roles)


def manages(actor: Actor, board_key: str) -> bool:
    """Business manager (or chair) of the board, or an admin: may run its agenda and meetings."""
    return actor.is_admin or bool({f"business_manager:{board_key}", f"chair:{board_key}"} & actor.roles)


def is_director(actor: Actor) -> bool:
    return "director" in actor.roles


def may_see(actor: Actor, boards: tuple[str, ...]) -> bool:
    """Challenges and agenda requests are visible to the boards involved, directors and admins."""
    return actor.is_admin or is_director(actor) or any(speaks_for(actor, b) for b in boards)


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
