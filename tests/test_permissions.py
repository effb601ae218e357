"""The tenancy model's rules, without a database: roles count only in their own area, admin is
per area, reading another area's work needs a role there, new work starts only at home."""

from __future__ import annotations

import pytest

from bot.identity import UnknownIdentity, roles_for
from bot.limits import LONG_TEXT, SHORT_TEXT, over_limit, too_long
from bot.messages import ANY_AREA, Actor
from bot.tenancy import home_area, may_read_area, may_start_in
from bot.workflows.permissions import (
    board_roles,
    can_raise_for,
    chairs_for,
    is_director,
    manages,
    may_see,
    speaks_for,
)

BUCKS, SUFFOLK = "buckinghamshire", "suffolk"


def suffolk_hwb_chair() -> Actor:
    return Actor.holding("slack", "T-SUFF", "U-chair", "Sam", area=SUFFOLK, roles={"chair:hwb"}, home_area=SUFFOLK)


def suffolk_admin() -> Actor:
    return Actor.holding("slack", "T-SUFF", "U-admin", "Ada", area=SUFFOLK, admin=True, home_area=SUFFOLK)


def test_a_role_counts_only_in_its_own_area_though_both_have_an_hwb():
    chair = suffolk_hwb_chair()
    assert chairs_for(chair, SUFFOLK, "hwb") and speaks_for(chair, SUFFOLK, "hwb") and manages(chair, SUFFOLK, "hwb")
    assert not chairs_for(chair, BUCKS, "hwb")
    assert not speaks_for(chair, BUCKS, "hwb")
    assert not manages(chair, BUCKS, "hwb")
    assert not may_see(chair, BUCKS, ("hwb", "bscb"))
    assert board_roles(chair, BUCKS) == set() and board_roles(chair, SUFFOLK) == {"hwb"}


def test_admin_is_per_area():
    admin = suffolk_admin()
    assert admin.is_admin_in(SUFFOLK) and not admin.is_admin_in(BUCKS)
    assert speaks_for(admin, SUFFOLK, "lscb") and not speaks_for(admin, BUCKS, "bscb")
    assert may_see(admin, SUFFOLK, ("lscb", "hwb")) and not may_see(admin, BUCKS, ("bscb", "hwb"))
    assert admin.roles_in(SUFFOLK) == frozenset()  # administration is not a board role


def test_a_director_sees_every_challenge_of_their_own_area_only():
    director = Actor.holding("teams", "tenant-b", "aad-d", "Dee", area=BUCKS, roles={"director"}, home_area=BUCKS)
    assert is_director(director, BUCKS) and may_see(director, BUCKS, ("bscb", "hwb"))
    assert not is_director(director, SUFFOLK) and not may_see(director, SUFFOLK, ("lscb", "hwb"))


def test_raising_needs_a_chair_in_the_area_asked_about(knowledge):
    chair = suffolk_hwb_chair()
    assert can_raise_for(knowledge.area(SUFFOLK), chair) == ["hwb"]
    assert can_raise_for(knowledge.area(BUCKS), chair) == []


def test_reading_another_areas_work_needs_a_role_there():
    chair = suffolk_hwb_chair()
    assert may_read_area(chair, SUFFOLK)
    assert not may_read_area(chair, BUCKS)
    member = Actor("slack", "T-SUFF", "U-m", "Mo", home_area=SUFFOLK)
    assert may_read_area(member, SUFFOLK)  # a member of the workspace's own area sees what members see
    assert not may_read_area(member, BUCKS)
    both = Actor("slack", "T-SUFF", "U-b", "Bo", {SUFFOLK: frozenset({"chair:hwb"}), BUCKS: frozenset({"director"})},
                 home_area=SUFFOLK)
    assert may_read_area(both, BUCKS)  # a role there (granted on the server) opens its work to them


def test_new_work_starts_only_in_the_workspaces_own_area():
    both = Actor("slack", "T-SUFF", "U-b", "Bo", {SUFFOLK: frozenset({"admin"}), BUCKS: frozenset({"admin"})},
                 home_area=SUFFOLK)
    assert may_start_in(both, SUFFOLK) and not may_start_in(both, BUCKS)
    unlinked = Actor("slack", "T-NEW", "U-x", "Xi", {BUCKS: frozenset({"admin"})})
    assert may_start_in(unlinked, BUCKS)  # a workspace linked to no area: the roles held decide
    # a core call with an Actor built by hand: the request's own area is home, whatever a payload says
    hand = Actor("slack", "T1", "U", "U")
    assert home_area(hand, BUCKS) == BUCKS and not may_start_in(hand, SUFFOLK, BUCKS)


def test_the_terminals_as_roles_apply_to_whichever_area_is_asked():
    console = Actor.holding("console", "console", "console:chair", "chair of HWB", roles={"chair:hwb"})
    assert console.grants.keys() == {ANY_AREA} and console.everywhere
    for area in (BUCKS, SUFFOLK):
        assert chairs_for(console, area, "hwb") and may_read_area(console, area) and may_start_in(console, area, BUCKS)


def test_roles_are_read_in_the_area_they_are_held_in(knowledge):
    suffolk = knowledge.area(SUFFOLK)
    assert roles_for(knowledge.area(BUCKS), "chair of BSCB") == frozenset({"chair:bscb"})
    with pytest.raises(UnknownIdentity):
        roles_for(suffolk, "chair of BSCB")  # Suffolk has no BSCB: no role is made, in any area


def test_a_long_display_name_is_cut_only_in_records():
    actor = Actor("teams", "t", "id-1", "x" * 5000)
    assert len(actor.label) == 200 and actor.display_name == "x" * 5000


def test_limits_name_the_limit():
    assert too_long("The concern", "a" * LONG_TEXT, LONG_TEXT) is None
    msg = too_long("The concern", "a" * 4635, LONG_TEXT)
    assert msg is not None and "4,635" in msg and "3,000" in msg
    assert over_limit({"subject": "a" * (SHORT_TEXT + 1), "concern": "ok", "theme": ["x" * 9999]},
                      {"subject": ("Subject", SHORT_TEXT), "concern": ("C", LONG_TEXT), "theme": ("T", 10)}).keys() == {"subject"}
