"""The review rule a new area's protocol states, drafted as a rule boardbot can set reminders by."""

from __future__ import annotations

import pytest

from tests.drafting.test_shapes import drafted


@pytest.mark.parametrize("sentence, rule, years", [
    ("This protocol will be reviewed every two years.", "every_years", 2),
    ("This agreement will be reviewed biennially.", "every_years", 2),
    ("This protocol will be reviewed every three years.", "every_years", 3),
    ("This protocol will be reviewed every two years from the date of signing.", "every_years_from_signing", 2),
    ("This protocol will be reviewed annually.", "annual", None),
])
def test_a_review_every_few_years_is_drafted_with_its_years(tmp_path, sentence, rule, years):
    review = drafted(tmp_path, f"## Review\n\n{sentence}\n").protocol.review
    assert (review.rule, review.every_years) == (rule, years)
    assert review.text == sentence


def test_a_review_rule_in_a_document_control_table(tmp_path):
    review = drafted(tmp_path, "| Version | 1.2 |\n|---|---|\n| Review | This protocol will be reviewed every two years. |\n").protocol.review
    assert (review.rule, review.every_years) == ("every_years", 2)


def test_a_next_review_date_in_the_sentence_after_the_rule(tmp_path):
    review = drafted(tmp_path, "## Introduction\n\nThis protocol is agreed between the three boards. It was agreed in "
                     "September 2024 and will be reviewed every two years. The next review is due in September 2026.\n").protocol.review
    assert (review.rule, str(review.next_due)) == ("on_date", "2026-09")
    assert review.text == "It was agreed in September 2024 and will be reviewed every two years. The next review is due in September 2026."


def test_a_next_review_date_in_the_rule_s_own_sentence(tmp_path):
    review = drafted(tmp_path, "## Review\n\nThis agreement is reviewed every two years; date of next review: January 2027.\n").protocol.review
    assert (review.rule, str(review.next_due)) == ("on_date", "2027-01")
