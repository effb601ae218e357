"""A board sharing its strategy or plan with another is a reporting duty (action: inform)."""

from __future__ import annotations

import pytest

from tests.drafting.test_shapes import drafted


def duties(p) -> list[tuple[str, list[str], list[str], str, str]]:
    return [(r.from_board, sorted(r.to_boards), sorted(r.to_others), r.action, r.report.lower()) for r in p.reports]


@pytest.mark.parametrize("sentence,frm,to,others,words", [
    ("The SCSP will share its strategy with the Southwick Safeguarding Adults Board.", "scsp", ["ssab"], [], "strategy"),
    ("The SSAB shares its annual plan with the SSCP.", "ssab", ["sscp"], [], "annual plan"),
    ("Each year the SSAB will share its Strategic Plan with the SCSP.", "ssab", ["scsp"], [], "strategic plan"),
    ("The SCSP is to share its partnership plan with the SSAB and the SSCP.", "scsp", ["ssab", "sscp"], [], "partnership plan"),
    ("The SCSP shares its strategic assessment with the SSAB.", "scsp", ["ssab"], [], "strategic assessment"),
    ("The SSAB will share its three-year strategic plan with the Southwick Health and Wellbeing Board.", "ssab", [],
     ["Southwick Health and Wellbeing Board"], "strategic plan"),
    ("The SSCP will also share its Business Plan for 2025-28 with the SSAB once it is agreed.", "sscp", ["ssab"], [], "business plan"),
    ("The SSAB will share with the SSCP its strategic plan.", "ssab", ["sscp"], [], "strategic plan"),
    ("The SCSP shares its Joint Health and Wellbeing Strategy with both boards.", "scsp", ["ssab", "sscp"], [],
     "joint health and wellbeing strategy"),
    ("The SCSP's strategy will be shared with the SSAB.", "scsp", ["ssab"], [], "strategy"),
    ("The SSAB's Strategic Plan is shared with the SCSP each spring.", "ssab", ["scsp"], [], "strategic plan"),
])
def test_sharing_a_strategy_or_plan_is_a_reporting_duty(tmp_path, sentence, frm, to, others, words):
    p = drafted(tmp_path, f"## Reporting\n\n{sentence}\n")
    got = duties(p)
    assert len(got) == 1, got
    f, t, o, action, name = got[0]
    assert (f, t, o, action) == (frm, to, others, "inform")
    assert words in name


def test_a_second_clause_that_shares_a_strategy_is_its_own_duty(tmp_path):
    p = drafted(tmp_path, "## Reporting\n\nThe SSCP will present its annual report to the SSAB each autumn, and the SCSP "
                "will share its Community Safety Strategy with the SSCP.\n")
    got = sorted(duties(p))
    assert [(f, t, a) for f, t, _, a, _ in got] == [("scsp", ["sscp"], "inform"), ("sscp", ["ssab"], "present")]
    assert "community safety strategy" in got[0][4]
    assert got[1][4] == "sscp annual report"


def test_sharing_that_is_not_a_board_s_document_is_no_duty(tmp_path):
    p = drafted(tmp_path, "## Working together\n\nThe SSAB and the SSCP share an interest in transitional safeguarding. "
                "The boards will share learning with each other. The SCSP shares information with the police.\n")
    assert p.reports == []


@pytest.mark.parametrize("sentence", [
    "The SSAB and the SSCP will present their annual reports to the SCSP each autumn.",
    "The SSAB, the SSCP, and the SCSP will share their annual plans with the Southwick Health and Wellbeing Board.",
])
def test_two_boards_as_one_subject_are_not_two_clauses(tmp_path, sentence):
    p = drafted(tmp_path, f"## Reporting\n\n{sentence}\n")
    assert sorted(r.from_board for r in p.reports) in (["ssab", "sscp"], ["scsp", "ssab", "sscp"])
    assert all(r.to_boards or r.to_others for r in p.reports)


def test_a_purpose_after_to_is_no_recipient(tmp_path):
    p = drafted(tmp_path, "## Reporting\n\nThe SSAB and the SSCP will share their respective annual plans during their "
                "formation to enable coordination where there are common issues.\n")
    assert not [r for r in p.reports if any("enable" in o for o in r.to_others)]
