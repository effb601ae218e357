"""The statutory and senior posts of English local partnerships, whatever a protocol names.

An area's own posts come from its protocol (``protocol.roles``). People also ask about posts
their protocol never names: "is the PCC on any of the boards?", "which boards is the director
of public health on?" in an area whose protocol gives no seat to either. Without these names
such a question is misread (the words "public health" as the health theme) or not understood
at all; with them it is a question about a post, and the answer can say plainly that the
protocol names no seat for it. The list is of posts that exist in every English area (set by
statute or by the usual shape of a council, the NHS and the police), not of any protocol's.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from bot.language.match import PhraseMatcher
from bot.language.normalise import tokens

# key -> (the post's title, the other ways people name it)
POSTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "director_of_public_health": ("Director of Public Health", ("dph", "public health director")),
    "director_of_childrens_services": ("Director of Children's Services",
                                       ("dcs", "director of children's social care", "children's services director")),
    "director_of_adult_social_services": ("Director of Adult Social Services",
                                          ("dass", "director of adult social care", "director of adult services",
                                           "director of adults' services", "adult social care director")),
    "police_and_crime_commissioner": ("Police and Crime Commissioner", ("pcc", "police commissioner")),
    "chief_constable": ("Chief Constable", ()),
    "chief_fire_officer": ("Chief Fire Officer", ("chief fire and rescue officer",)),
    "council_chief_executive": ("Chief Executive of the Council", ("council chief executive", "council's chief executive")),
    "leader_of_the_council": ("Leader of the Council", ("council leader", "council's leader")),
    "lead_member_for_childrens_services": ("Lead Member for Children's Services",
                                           ("lead member for children", "lead member for children's services")),
    "designated_doctor": ("Designated Doctor for Safeguarding", ("designated doctor",)),
    "designated_nurse": ("Designated Nurse for Safeguarding", ("designated nurse",)),
}


@cache
def _matcher() -> PhraseMatcher:
    return PhraseMatcher((key, (title, *aliases)) for key, (title, aliases) in POSTS.items())


def posts_in(t: tuple[str, ...]) -> list[tuple[str, int, int]]:
    """The posts of :data:`POSTS` named in the words ``t``, as (key, start, end): exactly, as
    written or abbreviated (a post is never guessed from a slip)."""
    return _matcher().find_spans(t)


def area_post(area: Any, key: str) -> str | None:
    """The key of the area's own post that is post ``key`` in other words, if it names one: every
    content word of one of the post's names is in the title (or a name) of that post, and of two
    such the one with fewest other words ("Director of Adult's Services" before "Director of Adult
    and Community Services" for the director of adult services)."""
    best: tuple[int, str] | None = None
    title_, aliases = POSTS[key]
    wanted = [set(tokens(n)) - _FILLER for n in (title_, *aliases) if len(tokens(n)) > 1]
    for role in area.roles.values():
        have = set().union(*(set(tokens(n)) for n in (role.title, *getattr(role, "aliases", ()))))
        for words in wanted:
            if words and words <= have:
                extra = len(have - words)
                if best is None or extra < best[0]:
                    best = (extra, role.key)
    return best[1] if best else None


_FILLER = frozenset(("of", "the", "for", "and"))


def title(key: str) -> str:
    """A post's title ("Director of Public Health")."""
    return POSTS[key][0]
