"""Build the fresh held-out Word and PDF documents (committed; rerun after editing this file).

    python benchmarks/drafting_fresh/make.py

Calderbrook is a unitary authority's Word protocol with five partnerships (a Corporate
Parenting Panel and a Community Safety Partnership among them), an "Issue | Strategic owner"
table and a numbered escalation table; Norbury is a PDF protocol between two boards, in prose,
whose escalation steps are paragraphs rather than a list.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "drafting_heldout"))

from make import _table as _held_out_table  # noqa: E402


def _table(d, rows, style="Table Grid"):
    """The held-out documents' table, gridded unless told otherwise."""
    return _held_out_table(d, rows, style)


def calderbrook() -> None:
    import docx

    d = docx.Document()
    d.add_heading("Calderbrook Strategic Partnerships Protocol", 0)
    d.add_paragraph("Calderbrook Council (unitary authority) and its statutory and strategic partnerships")
    _table(d, [("Version", "1.2"), ("Approved", "March 2025"), ("Owner", "Calderbrook Partnerships Business Unit"),
               ("Review", "This protocol will be reviewed every two years.")])
    d.add_heading("1. Purpose", 1)
    d.add_paragraph("1.1 This protocol sets out how the following partnerships will work together, so that each shared "
                    "issue has one strategic owner and no issue falls between partnerships:")
    for n in ("Calderbrook Safeguarding Children Partnership (CSCP)",
              "Calderbrook Safeguarding Adults Board (CSAB)",
              "Calderbrook Health and Wellbeing Board (HWB)",
              "Safer Calderbrook Community Safety Partnership (the CSP)",
              "Calderbrook Corporate Parenting Panel (CPP)"):
        d.add_paragraph(n, style="List Bullet")
    d.add_paragraph("1.2 The Calderbrook Youth Justice Partnership Board and the Calderbrook Place Partnership are not "
                    "party to this protocol but will be kept informed of decisions that affect them.")
    d.add_heading("2. Chairing", 1)
    _table(d, [("Partnership", "Chair"),
               ("CSCP", "Independent Scrutineer and Chair: Mrs Ruth Adeyemi"),
               ("CSAB", "Independent Chair: Mr Colin Marsh"),
               ("HWB", "Councillor Anna Pryce, Leader of Calderbrook Council"),
               ("CSP", "Superintendent Mark Ellison, Calderbrook Police"),
               ("CPP", "Councillor Joe Harker, Lead Member for Children and Families")])
    d.add_heading("3. Shared issues", 1)
    d.add_paragraph("3.1 The strategic owner will take the lead: it holds the action plan and reports progress to the "
                    "others. Partnerships named as contributing send a representative to its task group.")
    _table(d, [("Issue", "Strategic owner", "Contributing partnerships"),
               ("Child exploitation and county lines", "CSCP", "CSP"),
               ("Domestic abuse", "CSP", "CSAB, CSCP, HWB"),
               ("Transition to adulthood for care leavers", "CPP", "CSAB"),
               ("Mental health and suicide prevention", "HWB", "CSAB, CSP"),
               ("Self-neglect and hoarding", "CSAB", ""),
               ("Serious violence", "CSP", "CSCP, HWB"),
               ("Educational attainment of children in care", "CPP", "")])
    d.add_paragraph("3.2 No single partnership leads on modern slavery; each will consider it in its own plan and the "
                    "business managers will share intelligence.")
    d.add_heading("4. Escalation", 1)
    d.add_paragraph("4.1 Where one partnership is concerned about another's work on a shared issue it will follow the "
                    "levels below in order.")
    _table(d, [("Level", "Action", "Timescale"),
               ("1", "The business managers discuss the concern and try to resolve it.", "Within 10 working days"),
               ("2", "The chair of the raising partnership writes formally to the chair of the other partnership.", "Reply within 20 working days"),
               ("3", "The chairs of the partnerships concerned meet to agree a way forward.", "Within one month"),
               ("4", "The chairs escalate to the Chief Executives of Calderbrook Council, Calderbrook Police and the Integrated Care Board, who meet to resolve the matter.", "Within six weeks")])
    d.add_heading("5. Meetings and reporting", 1)
    d.add_paragraph("5.1 The chairs of the five partnerships will meet every six months.")
    d.add_paragraph("5.2 The business managers will meet monthly.")
    d.add_paragraph("5.3 The CSCP and the CSAB will present their annual reports to the HWB each autumn.")
    d.add_paragraph("5.4 The CPP will present its annual report to the CSCP in the spring.")
    d.add_paragraph("5.5 The CSP will share its strategic assessment with the HWB and the CSCP each January.")
    d.add_heading("6. Signatures", 1)
    d.add_paragraph("Signed on behalf of each partnership by its chair, March 2025.")
    d.save(HERE / "calderbrook.docx")


def norbury() -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 15)
    pdf.multi_cell(0, 8, "Joint Working Protocol between the Norbury Safeguarding Adults Board and the Norbury "
                         "Health and Wellbeing Board", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    paras = [
        ("h", "Introduction"),
        ("p", "This protocol is agreed between the Norbury Safeguarding Adults Board (NSAB) and the Norbury Health and "
              "Wellbeing Board (the Board). It was agreed by both boards in September 2024 and will be reviewed every two "
              "years. The next review is due in September 2026."),
        ("h", "Chairs"),
        ("p", "The NSAB is chaired by its Independent Chair, Dr Helen Oduya. The Health and Wellbeing Board is chaired by "
              "Councillor Martin Slade, Cabinet Member for Adult Social Care."),
        ("h", "Who leads"),
        ("p", "The NSAB will take the lead on self-neglect and on financial abuse of adults. The Health and Wellbeing Board "
              "is the lead partnership for loneliness and social isolation. The two boards jointly lead on the health of "
              "people who are homeless. Where an issue is not named here the chairs will agree which board takes it forward."),
        ("h", "Resolving disagreements"),
        ("p", "In the first instance, a concern should be raised informally between the two business managers."),
        ("p", "If that does not resolve it, the chair of the board raising the concern writes to the other chair, who "
              "should respond within 20 working days."),
        ("p", "Should the matter remain unresolved, it will be placed on the agenda of the next meeting of the other board."),
        ("p", "As a last resort the chairs will escalate to the Chief Executives of Norbury Council and the Norbury and "
              "District Integrated Care Board, whose decision is final."),
        ("h", "Working together"),
        ("p", "The two chairs meet quarterly. The NSAB will present its annual report to the Health and Wellbeing Board "
              "each autumn, and the Health and Wellbeing Board will share its Joint Local Health and Wellbeing Strategy "
              "with the NSAB."),
    ]
    for kind, text in paras:
        if kind == "h":
            pdf.set_font("Helvetica", "B", 12)
            pdf.multi_cell(0, 7, text, new_x="LMARGIN", new_y="NEXT")
            pdf.set_font("Helvetica", "", 10)
        else:
            pdf.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
    pdf.output(str(HERE / "norbury.pdf"))


if __name__ == "__main__":
    calderbrook()
    norbury()
