"""Build the corpus's Word and PDF documents (committed; rerun after editing this file).

    python benchmarks/drafting_corpus/make.py

Wexford Vale is a Word document with Word's own clause numbering, a priorities table, a
membership matrix and Stage 1-4 headings; Northbridge is a PDF with numbered clauses,
prose leads, a "Level 1-3" route and a signature table.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent


def wexford() -> None:
    import docx

    d = docx.Document()
    d.add_heading("Memorandum of understanding between the Wexford Vale Safeguarding Children Board, "
                  "the Wexford Vale Community Safety Board and the Wexford Vale Children and Young People's Partnership", 0)
    d.add_paragraph("Next review date: March 2026")
    d.add_heading("Purpose", 1)
    d.add_paragraph("This memorandum sets out how the Wexford Vale Safeguarding Children Board (WVSCB), the Wexford Vale "
                    "Community Safety Board (WVCSB) and the Wexford Vale Children and Young People's Partnership (CYPP) "
                    "work together on the issues they share.", style="List Number")
    d.add_paragraph("The boards will also inform the Wexford Vale Safeguarding Adults Board of their work where adults "
                    "are affected; that board is not a signatory to this memorandum.", style="List Number")
    d.add_heading("Shared priorities", 1)
    t = d.add_table(rows=6, cols=3)
    rows = [("Priority", "Lead board", "Supporting boards"),
            ("Child exploitation", "WVSCB", "WVCSB"),
            ("Youth violence", "WVCSB", "WVSCB, CYPP"),
            ("Emotional wellbeing of young people", "CYPP", "WVSCB"),
            ("Online safety", "Joint: WVSCB and CYPP", ""),
            ("Neglect", "No single lead - to be agreed", "All")]
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            t.cell(r, c).text = text
    d.add_heading("Membership", 1)
    d.add_paragraph("Some posts sit on more than one board:")
    m = d.add_table(rows=4, cols=4)
    mrows = [("", "WVSCB", "WVCSB", "CYPP"),
             ("Director of Children's Services", "Member", "", "Chair"),
             ("Chief Superintendent, Wexford Vale Police", "Member", "Chair", ""),
             ("Director of Public Health", "Member", "Member", "Member")]
    for r, row in enumerate(mrows):
        for c, text in enumerate(row):
            m.cell(r, c).text = text
    d.add_heading("Resolving disagreements", 1)
    for title, text in [("Stage 1: informal discussion", "The chairs discuss the concern by telephone or email and record what was agreed."),
                        ("Stage 2: formal letter", "The raising chair writes formally to the other chair, who responds in writing within 15 working days."),
                        ("Stage 3: chairs' meeting", "The chairs meet, with their business managers, to agree a way forward."),
                        ("Stage 4: escalation", "The concern is escalated to the Chief Executive of Wexford Vale Council, who convenes a resolution meeting.")]:
        d.add_heading(title, 2)
        d.add_paragraph(text)
    d.add_heading("Meetings and reporting", 1)
    d.add_paragraph("The chairs of the three boards will meet quarterly.", style="List Number")
    d.add_paragraph("The WVSCB will present its annual report to the CYPP and the WVCSB each autumn.", style="List Number")
    d.add_paragraph("The WVCSB will share its minutes with the other boards after each meeting.", style="List Number")
    d.add_heading("Version history", 1)
    v = d.add_table(rows=3, cols=3)
    for r, row in enumerate([("Version", "Date", "Changes"), ("1.0", "January 2023", "First agreed"),
                             ("1.1", "February 2024", "Online safety added as a joint priority")]):
        for c, text in enumerate(row):
            v.cell(r, c).text = text
    d.save(str(HERE / "wexford-vale.docx"))


def northbridge() -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.multi_cell(0, 8, "Northbridge Joint Protocol", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 11)
    pdf.multi_cell(0, 6, "A protocol between the Northbridge Safeguarding Adults Board, the Northbridge Health and Wellbeing "
                         "Board and the Northbridge Community Safety Partnership", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)

    def h(text):
        pdf.ln(2)
        pdf.set_font("Helvetica", "B", 13)
        pdf.multi_cell(0, 7, text, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 11)
        pdf.ln(1)

    def p(text):
        pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)

    h("1. Introduction")
    p("1.1 The Northbridge Safeguarding Adults Board (NSAB), the Northbridge Health and Wellbeing Board (HWBB) and the "
      "Northbridge Community Safety Partnership (NCSP) agree this protocol to make clear who leads on shared issues.")
    p("1.2 The Northbridge Safeguarding Children Partnership is consulted on matters affecting children but is not a party to this protocol.")
    h("2. Leadership")
    p("2.1 The NSAB is chaired by an Independent Chair, Dr Helen Moss.")
    p("2.2 The HWBB is chaired by the Cabinet Member for Adult Care.")
    p("2.3 The NCSP leads on hate crime and anti-social behaviour.")
    p("2.4 The HWBB has the strategic lead for dementia and for loneliness and social isolation.")
    p("2.5 The NSAB is the lead board for self-neglect.")
    p("2.6 Substance misuse is led by the NCSP and the HWBB jointly.")
    h("3. Challenge between the boards")
    p("Level 1: a chair raises the concern in writing with the other chair.")
    p("Level 2: the concern is tabled as an agenda item at the other board's next meeting.")
    p("Level 3: where the concern cannot be resolved, a resolution meeting is held with the Director of Adult Social Services and the Chief Executive.")
    h("4. Working arrangements")
    p("4.1 The NSAB will submit its annual report to the HWBB in the summer.")
    p("4.2 The lead officers of the three boards will meet every six months.")
    p("4.3 This protocol will be reviewed annually from the date of signing.")
    h("Signatures")
    with pdf.table(col_widths=(60, 60, 60)) as table:
        for row in [("Board", "Name", "Signature"),
                    ("Northbridge Safeguarding Adults Board", "Dr Helen Moss, Independent Chair", ""),
                    ("Northbridge Community Safety Partnership", "Inspector Tom Reed, Chair", "")]:
            r = table.row()
            for text in row:
                r.cell(text)
    pdf.output(str(HERE / "northbridge.pdf"))


def riverside() -> None:
    """Typed clause numbers (no Word numbering), a meetings table, co-chairs in a "Co-Chairs:" line."""
    import docx

    d = docx.Document()
    d.add_paragraph("RIVERSIDE").runs[0].bold = True
    d.add_heading("Terms of Engagement", 0)
    d.add_paragraph("between the Riverside Children's Safeguarding Partnership, the Riverside Safer Communities Partnership "
                    "and the Riverside Health and Wellbeing Board")
    d.add_paragraph("Version 3 | Approved by the three chairs | Owner: Partnerships Manager")
    d.add_heading("1. Purpose", 1)
    d.add_paragraph("1.1 These terms set out how the Riverside Children's Safeguarding Partnership (RCSP), the Riverside Safer "
                    "Communities Partnership (RSCP) and the Riverside Health and Wellbeing Board (RHWB) will work together.")
    d.add_paragraph("1.2 The Riverside Adults Safeguarding Board and the Integrated Care Board are kept informed but are outside the scope of these terms.")
    d.add_heading("2. Chairing", 1)
    d.add_paragraph("2.1 RSCP Co-Chairs: Superintendent Kate Lowe and Councillor Ben Adams.")
    d.add_paragraph("2.2 The RHWB is chaired by the Cabinet Member for Health and Adult Care.")
    d.add_heading("3. Accountability for shared issues", 1)
    t = d.add_table(rows=5, cols=3)
    for r, row in enumerate([("Area of work", "Accountable board", "Link"),
                             ("Serious youth violence", "RSCP", "Violence reduction unit"),
                             ("Perinatal mental health", "RHWB", ""),
                             ("Child sexual abuse", "RCSP", ""),
                             ("Gambling harm", "RHWB and RSCP jointly", "")]):
        for c, text in enumerate(row):
            t.cell(r, c).text = text
    d.add_paragraph("3.2 Responsibility for the Prevent duty was moved from the RCSP to the RSCP in 2022.")
    d.add_heading("4. Escalation protocol", 1)
    d.add_paragraph("4.1 Step one: the chair raising the issue writes to the chair of the receiving partnership, who will respond within 20 working days.")
    d.add_paragraph("4.2 Step two: the issue is added to the agenda of the receiving partnership.")
    d.add_paragraph("4.3 Step three: unresolved issues are referred to a resolution meeting with the Director of Children's Services and the Chief Executive.")
    d.add_heading("5. Meetings", 1)
    m = d.add_table(rows=3, cols=3)
    for r, row in enumerate([("Meeting", "Frequency", "Who attends"),
                             ("Joint chairs' meeting", "Annually", "The three chairs"),
                             ("Business managers' group", "Quarterly", "The business managers")]):
        for c, text in enumerate(row):
            m.cell(r, c).text = text
    d.add_heading("6. Review", 1)
    d.add_paragraph("6.1 These terms will be reviewed annually.")
    d.save(str(HERE / "riverside.docx"))


def castlegate() -> None:
    """Word numbering on clauses, unnumbered headings, parties and "for information" lists, "Signed:" lines."""
    import docx

    d = docx.Document()
    d.add_heading("Castlegate Partnership Boards Protocol", 0)
    d.add_heading("Who is party to this protocol", 1)
    d.add_paragraph("This protocol is agreed between:")
    for n in ("Castlegate Safeguarding Adults Board (CSAB)", "Castlegate Safeguarding Children Partnership (CSCP)",
              "Castlegate Community Safety Partnership (CCSP)"):
        d.add_paragraph(n, style="List Bullet")
    d.add_paragraph("For information only:")
    d.add_paragraph("Castlegate Youth Offending Service Management Board", style="List Bullet")
    d.add_heading("Leadership of shared issues", 1)
    for t in ("The Safeguarding Adults Board will be the lead board for modern slavery.",
              "Responsibility for tackling violence against women and girls sits with the Community Safety Partnership.",
              "The CSAB and the CSCP will share leadership of transitional safeguarding.",
              "The CSCP is the lead partnership for child exploitation."):
        d.add_paragraph(t, style="List Number")
    d.add_heading("Escalation of concerns", 1)
    for t in ("Informal resolution between the business managers.",
              "A formal letter from one chair to the other chair, answered within 21 days.",
              "A meeting of the chairs of the boards concerned.",
              "Referral to the Chief Executives' group for resolution."):
        d.add_paragraph(t, style="List Bullet")
    d.add_heading("Working together", 1)
    d.add_paragraph("The chairs of the three boards will meet twice a year.", style="List Number")
    d.add_paragraph("The CSAB will present its annual report to the CSCP and CCSP in the autumn.", style="List Number")
    d.add_paragraph("This protocol will be reviewed every year.", style="List Number")
    d.add_heading("Signatures", 1)
    d.add_paragraph("Signed: Jane Doe, Independent Chair, Castlegate Safeguarding Adults Board")
    d.add_paragraph("Signed: Superintendent Mark Ellis, Chair, Castlegate Community Safety Partnership")
    d.save(str(HERE / "castlegate.docx"))


if __name__ == "__main__":
    wexford()
    northbridge()
    riverside()
    castlegate()
