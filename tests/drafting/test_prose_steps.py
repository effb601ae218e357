"""A challenge route written as paragraphs, and a PDF paragraph whose wrapped line starts with a number."""

from __future__ import annotations

from drafting.readers import read
from tests.drafting.test_shapes import drafted


def test_a_challenge_route_written_as_paragraphs(tmp_path):
    p = drafted(tmp_path, "## Resolving disagreements\n\n"
                "In the first instance, a concern should be raised informally between the business managers.\n\n"
                "If that does not resolve it, the chair of the board raising the concern writes to the other chair, "
                "who should respond within 20 working days.\n\n"
                "Should the matter remain unresolved, it will be placed on the agenda of the next meeting of the other board.\n\n"
                "As a last resort the chairs will escalate to the Chief Executives, whose decision is final.\n")
    ladder = p.challenge.ladder
    assert [r.kind for r in ladder] == ["written_request", "written_request", "agenda_item", "resolution_meeting"]
    assert ladder[1].window_working_days == 20
    assert ladder[3].notify_directors


def test_paragraphs_that_are_not_a_route_give_no_steps(tmp_path):
    p = drafted(tmp_path, "## Resolving disagreements\n\nThe boards expect to settle most concerns between business managers.\n\n"
                "If a concern is about a child, the child protection procedures apply.\n")
    assert p.challenge is None or not p.challenge.ladder


def test_a_wrapped_pdf_line_starting_with_a_number_continues_its_paragraph(tmp_path):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", "", 10)
    for line in ("If that does not resolve it, the chair of the board raising the concern writes to the other chair, who",
                 "should respond within", "20 working days.", "3 The chairs meet within a month."):
        pdf.cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
    path = tmp_path / "wrapped.pdf"
    pdf.output(str(path))
    blocks = [(b.number, b.text) for b in read(path).blocks if b.kind != "heading"]
    assert blocks[0] == (None, "If that does not resolve it, the chair of the board raising the concern writes to the "
                               "other chair, who should respond within 20 working days.")
    assert blocks[1] == ("3", "The chairs meet within a month.")  # a clause after a full stop is still a clause


def test_a_first_step_where_the_business_managers_seek_to_resolve_it_is_the_informal_approach(tmp_path):
    p = drafted(tmp_path, "## Escalation\n\n- Step 1: the business managers seek to resolve the concern within 10 working days.\n"
                "- Step 2: the chair writes to the other chair, who responds within 20 working days.\n"
                "- Step 3: the chairs meet.\n- Step 4: the chairs escalate to the Chief Executives, who meet to resolve it.\n")
    assert [r.kind for r in p.challenge.ladder] == ["written_request", "written_request", "chairs_meeting", "resolution_meeting"]
