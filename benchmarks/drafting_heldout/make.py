"""Build the held-out Word and PDF documents (committed; rerun after editing this file).

    python benchmarks/drafting_heldout/make.py

These documents and their answer keys were written before the drafter was scored on them
and are never used to tune it: they measure how the drafter reads protocols it has not
seen. Ashworth and Fellbridge is a Word protocol for boards shared by two councils, with a
governance table, a priorities table, a five-stage escalation table and reporting table;
Greyford is a Word protocol in lettered parts with "Lead:" lines; Dunmere is a PDF with an
old-style LSCB, a lead/support matrix and a signature table; Westcombe and Ellingham is a
PDF in prose with two councils' community safety partnerships and "Level" steps.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent


def _table(d, rows, style=None):
    t = d.add_table(rows=len(rows), cols=max(len(r) for r in rows))
    if style:
        t.style = style
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            t.cell(r, c).text = text
    return t


def ashworth_fellbridge() -> None:
    import docx

    d = docx.Document()
    d.add_heading("Ashworth and Fellbridge Joint Working Protocol", 0)
    d.add_paragraph("Statutory Boards serving Ashworth Borough Council and Fellbridge District Council")
    _table(d, [("Document control", ""), ("Version", "2.0"), ("Date approved", "12 October 2024"),
               ("Review", "Every two years"), ("Owner", "Joint Partnership Business Unit")], "Table Grid")
    d.add_heading("1. Introduction and scope", 1)
    d.add_paragraph("1.1 This protocol sets out the working relationship between the following boards, which serve both "
                    "Ashworth Borough Council and Fellbridge District Council:")
    for n in ("Ashworth and Fellbridge Safeguarding Adults Board (the SAB)",
              "Ashworth and Fellbridge Safeguarding Children Partnership (the SCP)",
              "Ashworth Health and Wellbeing Board (Ashworth HWB)",
              "Fellbridge Health and Wellbeing Board (Fellbridge HWB)"):
        d.add_paragraph(n, style="List Bullet")
    d.add_paragraph("1.2 The community safety partnerships of the two councils and the Ashworth and Fellbridge Youth Justice "
                    "Management Board are not signatories, but will be consulted where a priority touches their work.")
    d.add_heading("2. Governance", 1)
    d.add_paragraph("2.1 Each board keeps its own governance. Chairing arrangements at the date of this protocol are:")
    _table(d, [("Board", "Chair", "Hosted by"),
               ("SAB", "Ms Lorraine Achebe (Independent Chair)", "Ashworth Borough Council"),
               ("SCP", "Detective Chief Superintendent Neil Barker (chair for 2024/25; the chair rotates between the three safeguarding partners)", "Fellbridge District Council"),
               ("Ashworth HWB", "Councillor Priya Shah, Leader of Ashworth Borough Council", "Ashworth Borough Council"),
               ("Fellbridge HWB", "Councillor Tom Whitlock, Cabinet Member for Communities and Wellbeing", "Fellbridge District Council")],
           "Table Grid")
    d.add_heading("3. Shared priorities", 1)
    d.add_paragraph("3.1 The boards have agreed the lead arrangements below. The lead board owns the action plan and reports "
                    "progress to the others; the other boards contribute.")
    _table(d, [("Shared priority", "Lead board", "Contributing boards"),
               ("Transitional safeguarding (14 to 25)", "SAB and SCP (joint lead)", "Both HWBs"),
               ("Exploitation (criminal and sexual)", "SCP", "SAB"),
               ("Self-neglect and hoarding", "SAB", "Ashworth HWB, Fellbridge HWB"),
               ("Suicide prevention", "Ashworth HWB and Fellbridge HWB", "SAB, SCP"),
               ("Domestic abuse", "Ashworth HWB", "SAB, SCP"),
               ("Health inequalities in rural communities", "Fellbridge HWB", "")],
           "Table Grid")
    d.add_paragraph("3.2 A new shared priority is agreed by the Joint Chairs' Group, which names its lead board.")
    d.add_heading("4. Escalation", 1)
    d.add_paragraph("4.1 Any board may challenge another about its work on a shared priority. Concerns are escalated in the "
                    "following stages; a stage is only used when the one before has not resolved the concern.")
    _table(d, [("Stage", "What happens", "Timescale"),
               ("1", "The business managers discuss the concern and try to resolve it informally.", "Within 10 working days"),
               ("2", "The chair of the raising board writes to the chair of the other board.", "Written response within 20 working days"),
               ("3", "The concern is placed on the agenda of the receiving board.", "Next scheduled board meeting"),
               ("4", "The chairs of the boards concerned meet.", "Within one month of stage 3"),
               ("5", "The matter is referred to the Chief Executives of both councils, who convene a resolution meeting.", "Within six weeks")],
           "Table Grid")
    d.add_heading("5. Meetings", 1)
    _table(d, [("Meeting", "Attendees", "Frequency"),
               ("Joint Chairs' Group", "Chairs of the four boards", "Quarterly"),
               ("Business Managers' Forum", "Business managers of the four boards", "Monthly"),
               ("Joint development session", "Members of all four boards", "Annually")],
           "Table Grid")
    d.add_heading("6. Reporting", 1)
    _table(d, [("Report", "From", "To", "Timing"),
               ("SAB Annual Report", "SAB", "Ashworth HWB; Fellbridge HWB", "Autumn"),
               ("SCP Yearly Report", "SCP", "Ashworth HWB; Fellbridge HWB", "September"),
               ("Joint Strategic Needs Assessment", "Ashworth HWB", "SAB; SCP", "Spring"),
               ("Health and Wellbeing Strategy progress report", "Fellbridge HWB", "SAB", "March")],
           "Table Grid")
    d.add_heading("7. Information sharing", 1)
    d.add_paragraph("7.1 Approved minutes of each board are shared with the other boards' business managers.")
    d.add_heading("8. Review", 1)
    d.add_paragraph("8.1 This protocol will be reviewed every two years, or sooner if legislation or the boards' structures change.")
    d.save(str(HERE / "ashworth-fellbridge.docx"))


def greyford() -> None:
    import docx

    d = docx.Document()
    d.add_paragraph("GREYFORD COUNTY COUNCIL").runs[0].bold = True
    d.add_heading("Children's Partnerships Protocol", 0)
    d.add_paragraph("Agreement between the Greyford Children and Young People's Partnership (CYPP), the Greyford Safeguarding "
                    "Children Partnership (GSCP), the Greyford Corporate Parenting Panel (the Panel) and the Greyford Health "
                    "and Wellbeing Board (GHWB)")
    d.add_heading("Part A: Introduction", 1)
    d.add_paragraph("A1. Greyford's children's partnerships have distinct statutory roles but overlapping memberships. This "
                    "protocol clarifies who does what so that children, young people and families experience joined-up services.")
    d.add_paragraph("A2. The Greyford Youth Offending Service Management Board and the Greyford Schools Forum are consulted on "
                    "relevant items but are not parties to the protocol.")
    d.add_heading("Part B: Chairing", 1)
    d.add_paragraph("B1. The CYPP is chaired by the Director of Children's Services, Ms Rachel Kaur.")
    d.add_paragraph("B2. The GSCP is co-chaired by the three safeguarding partners: the Director of Children's Services, the "
                    "Chief Nurse of the Integrated Care Board and the Assistant Chief Constable.")
    d.add_paragraph("B3. The Panel is chaired by the Lead Member for Children, Councillor Ann Kirby.")
    d.add_paragraph("B4. The GHWB is chaired by the Leader of the Council, Councillor Philip Dunn.")
    d.add_heading("Part C: Leadership of shared issues", 1)
    d.add_paragraph("C1. For each shared issue, one partnership leads and the others support.")
    for issue, lead, support in [("Care leavers' accommodation", "the Panel", "CYPP"),
                                 ("Early help and family support", "CYPP", "GSCP"),
                                 ("Child neglect", "GSCP", "CYPP and the Panel"),
                                 ("Health of children in care", "the Panel and the GHWB jointly", "GSCP"),
                                 ("School readiness", "CYPP", "GHWB")]:
        d.add_paragraph(f"{issue}. Lead: {lead}. Support: {support}.", style="List Bullet")
    d.add_paragraph("C2. Childhood obesity is a shared concern for which no lead has yet been agreed; the GHWB will bring "
                    "proposals to the chairs.")
    d.add_heading("Part D: Resolving disagreements", 1)
    for t in ("Stage 1 – the lead officers of the partnerships concerned discuss the issue informally.",
              "Stage 2 – the chair of the partnership raising the issue writes to the other chair, who replies in writing within 14 days.",
              "Stage 3 – the chairs meet to agree a way forward.",
              "Stage 4 – the issue is referred to the Chief Executive of Greyford County Council, who convenes a resolution meeting with the chairs."):
        d.add_paragraph(t)
    d.add_heading("Part E: Working arrangements", 1)
    d.add_paragraph("E1. The chairs of the four partnerships meet every six months.")
    d.add_paragraph("E2. The Panel presents its annual report to the CYPP and the GSCP in June.")
    d.add_paragraph("E3. The GSCP yearly report is presented to the GHWB, the CYPP and the Panel each December.")
    d.add_paragraph("E4. The CYPP receives the Director of Public Health's annual report in the spring.")
    d.add_heading("Part F: Review", 1)
    d.add_paragraph("F1. The protocol will be reviewed in March 2026.")
    d.add_heading("Version history", 1)
    _table(d, [("Version", "Date", "Summary of changes"), ("1.0", "June 2021", "First version"),
               ("2.0", "March 2024", "Corporate Parenting Panel added as a party")], "Table Grid")
    d.save(str(HERE / "greyford.docx"))


class _Pdf:
    def __init__(self):
        from fpdf import FPDF

        self.pdf = FPDF()
        self.pdf.add_page()
        fonts = Path("/usr/share/fonts/truetype/dejavu")
        self.pdf.add_font("body", "", str(fonts / "DejaVuSans.ttf"))
        self.pdf.add_font("body", "B", str(fonts / "DejaVuSans-Bold.ttf"))

    def title(self, text, size=16):
        self.pdf.set_font("body", "B", size)
        self.pdf.multi_cell(0, 8, text, new_x="LMARGIN", new_y="NEXT")
        self.pdf.ln(2)

    def h(self, text):
        self.pdf.ln(2)
        self.pdf.set_font("body", "B", 12)
        self.pdf.multi_cell(0, 7, text, new_x="LMARGIN", new_y="NEXT")
        self.pdf.ln(1)

    def p(self, text):
        self.pdf.set_font("body", "", 10)
        self.pdf.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")
        self.pdf.ln(2)

    def table(self, rows, widths=None):
        self.pdf.set_font("body", "", 9)
        n = max(len(r) for r in rows)
        with self.pdf.table(col_widths=widths or tuple([1] * n)) as t:
            for r in rows:
                row = t.row()
                for j in range(n):
                    row.cell(r[j] if j < len(r) else "")
        self.pdf.ln(3)

    def save(self, name):
        self.pdf.output(str(HERE / name))


def dunmere() -> None:
    p = _Pdf()
    p.title("Dunmere Strategic Boards Protocol")
    p.p("Dunmere Local Safeguarding Children Board, Dunmere Safeguarding Adults Board, Dunmere Health and Wellbeing "
        "Board and Dunmere Community Safety Partnership")
    p.p("Version 3.1. Next review: April 2026.")
    p.h("1 Introduction")
    p.p("1.1 This protocol describes the relationship between the Dunmere Local Safeguarding Children Board (LSCB), the "
        "Dunmere Safeguarding Adults Board (DSAB), the Dunmere Health and Wellbeing Board (HWB) and the Dunmere Community "
        "Safety Partnership (CSP).")
    p.p("1.2 Each board remains independent and accountable for its own statutory functions. This protocol does not change "
        "those functions.")
    p.p("1.3 The Dunmere Corporate Parenting Panel and the Dunmere Children's Trust Executive are consulted where relevant "
        "but are not parties to this protocol.")
    p.h("2 Principles")
    p.p("2.1 The boards will avoid duplicating work, share intelligence about risk, and challenge each other constructively.")
    p.h("3 Lead responsibilities")
    p.p("3.1 The matrix below shows which board leads (L) and which boards support (S) each shared theme.")
    p.table([("Theme", "LSCB", "DSAB", "HWB", "CSP"),
             ("Child sexual exploitation", "L", "", "", "S"),
             ("Domestic abuse", "S", "S", "", "L"),
             ("Mental capacity and deprivation of liberty", "", "L", "S", ""),
             ("Alcohol and substance misuse", "", "", "L", "L"),
             ("Radicalisation (Prevent)", "S", "S", "", "L"),
             ("Female genital mutilation", "L", "", "S", "")],
            widths=(60, 20, 20, 20, 20))
    p.h("4 Challenge")
    p.p("4.1 Level 1: the chair of the board raising a concern writes to the chair of the other board, who will respond "
        "within 20 working days.")
    p.p("4.2 Level 2: the concern is added to the agenda of the next meeting of the board concerned.")
    p.p("4.3 Level 3: the chairs of the boards concerned and the Chief Executive of Dunmere Council hold a resolution "
        "meeting.")
    p.h("5 Communication and reporting")
    p.p("5.1 The chairs of the four boards will meet twice a year. The business managers will meet quarterly.")
    p.p("5.2 The LSCB and the DSAB will present their annual reports to the HWB in September.")
    p.p("5.3 The CSP will consult the LSCB and the DSAB on its annual partnership plan each January.")
    p.h("6 Signatures")
    p.table([("Signed on behalf of", "Name", "Position"),
             ("Dunmere Local Safeguarding Children Board", "Mrs Janet Oyelaran", "Independent Chair"),
             ("Dunmere Safeguarding Adults Board", "Mr David Firth", "Independent Chair"),
             ("Dunmere Health and Wellbeing Board", "Cllr Susan Peel", "Chair"),
             ("Dunmere Community Safety Partnership", "Chief Superintendent Omar Said", "Chair")])
    p.save("dunmere.pdf")


def westcombe_ellingham() -> None:
    p = _Pdf()
    p.title("Westcombe and Ellingham Joint Safeguarding and Community Safety Protocol", 14)
    p.p("Agreed by the Westcombe and Ellingham Safeguarding Adults Board, the Westcombe and Ellingham Local Safeguarding "
        "Children Partnership, the Westcombe Community Safety Partnership and the Ellingham Community Safety Partnership.")
    p.p("Date of agreement: 3 February 2025")
    p.h("Background")
    p.p("Westcombe City Council and Ellingham Borough Council share one Safeguarding Adults Board (WESAB) and one Local "
        "Safeguarding Children Partnership (the LSCP). Each council has its own community safety partnership: the Westcombe "
        "Community Safety Partnership (Westcombe CSP) and the Ellingham Community Safety Partnership (Ellingham CSP).")
    p.p("The health and wellbeing boards of both councils are kept informed of this protocol but are not bound by it.")
    p.h("Leadership")
    p.p("WESAB has an Independent Chair, Ms Bernadette Lyle. The LSCP is led by its three statutory safeguarding partners "
        "and its meetings are chaired by an independent chair, Mr Victor Hamid. Westcombe CSP is chaired by Councillor "
        "Jenny Ash. Ellingham CSP is co-chaired by Superintendent Paul Greaves and Councillor Ruth Oduya.")
    p.h("Who leads on what")
    p.p("Westcombe CSP and Ellingham CSP jointly lead on county lines and drug-related exploitation. WESAB takes the lead on "
        "adults at risk of exploitation. The LSCP takes the lead on safeguarding children from exploitation, working with "
        "both community safety partnerships. Anti-social behaviour in Ellingham is led by Ellingham CSP. Serious violence "
        "prevention across both council areas is led by Westcombe CSP on behalf of the two partnerships.")
    p.h("Raising and escalating concerns")
    p.p("Level 1 - Informal: practitioners or business managers raise the concern with their counterparts and try to "
        "resolve it within five working days.")
    p.p("Level 2 - Written: the chair of the raising partnership writes to the chair of the other partnership. A written "
        "response is expected within 15 working days.")
    p.p("Level 3 - Chairs: the chairs of the partnerships concerned meet within 30 days of the written response.")
    p.p("Level 4 - Executive: the matter is referred to the Chief Executives of Westcombe City Council and Ellingham "
        "Borough Council, who will chair a resolution meeting.")
    p.h("Meetings and reports")
    p.p("The four chairs meet every six months. The business managers of the four partnerships meet every quarter.")
    p.p("WESAB will present its annual report to both community safety partnerships in the autumn. The LSCP will share its "
        "yearly report with WESAB in the autumn.")
    p.h("Review of this protocol")
    p.p("This protocol will be reviewed every two years from the date of agreement.")
    p.save("westcombe-ellingham.pdf")


if __name__ == "__main__":
    ashworth_fellbridge()
    greyford()
    dunmere()
    westcombe_ellingham()
