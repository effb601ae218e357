"""The kinds of statutory board, in words: the generic names people use for a board of each
kind (recognised only where an area has one board of that kind) and the label shown for it."""

from __future__ import annotations

# Generic ways of naming a board by what it is; used only where an area has one board of that kind.
KIND_PHRASES: dict[str, tuple[str, ...]] = {
    "safeguarding_children": (
        "safeguarding children board", "children safeguarding board", "childrens safeguarding board",
        "childrens board", "children board", "safeguarding children partnership", "childrens partnership",
        "lscb", "scb", "safeguarding children", "child safeguarding board",
    ),
    "safeguarding_adults": (
        "safeguarding adults board", "adult safeguarding board", "adults safeguarding board", "adults board",
        "adult board", "sab", "safeguarding adult board", "adults partnership",
    ),
    "health_and_wellbeing": ("health and wellbeing board", "hwb", "wellbeing board", "health board"),
    "community_safety": (
        "community safety partnership", "csp", "community safety board", "community safety",
        "safer communities partnership",
    ),
    "childrens_trust": ("childrens trust", "childrens trust board", "trust board"),
    "corporate_parenting": ("corporate parenting board", "corporate parenting panel", "corporate parenting"),
}

KIND_LABELS = {
    "safeguarding_children": "safeguarding children",
    "safeguarding_adults": "safeguarding adults",
    "health_and_wellbeing": "health and wellbeing",
    "community_safety": "community safety",
    "childrens_trust": "children's trust",
    "corporate_parenting": "corporate parenting",
    "commissioning": "commissioning",
    "scrutiny": "scrutiny",
    "policing": "policing",
    "early_help": "early help",
    "other": "other",
}
