"""Build the development set's Word and PDF documents (committed; rerun after editing this file).

    python benchmarks/drafting_dev/make.py

The drafter is developed against these (and ../drafting_corpus/); ../drafting_heldout/
only measures it. Linmouth and Carrow is a Word protocol for boards shared by two councils
with governance, priorities, escalation and reporting tables; Stourby is a PDF with an
old-style LSCB, a Lead/Support matrix written out in words and a signature table;
Quarrington is a Word protocol with lettered clauses, "Lead:" lines and stage headings.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "drafting_heldout"))

from make import _Pdf, _table  # noqa: E402


def linmouth() -> None:
    import docx

    d = docx.Document()
    d.add_heading("Linmouth and Carrow Partnership Protocol", 0)
    _table(d, [("Version", "3.0"), ("Approved", "1 July 2024"), ("Review frequency", "Every two years"),
               ("Author", "Strategic Partnerships Team")], "Table Grid")
    d.add_heading("1. Parties", 1)
    d.add_paragraph("1.1 This protocol is made between the following partnerships, which cover Linmouth City Council and "
                    "Carrow Borough Council:")
    for n in ("Linmouth and Carrow Safeguarding Children Partnership (LCSCP)",
              "Linmouth and Carrow Safeguarding Adults Board (LCSAB)",
              "Linmouth Health and Wellbeing Board (Linmouth HWB)",
              "Carrow Health and Wellbeing Board (Carrow HWB)",
              "Safer Linmouth and Carrow Partnership (SLCP)"):
        d.add_paragraph(n, style="List Bullet")
    d.add_paragraph("1.2 The Linmouth and Carrow Integrated Care Board is a member of each partnership but not a party to "
                    "this protocol.")
    d.add_heading("2. Chairs", 1)
    _table(d, [("Partnership", "Chair", "Vice-Chair"),
               ("LCSCP", "Independent Chair: Dr Rosa Whitfield", "Assistant Chief Constable"),
               ("LCSAB", "Mr Gordon Achterberg, Independent Chair", ""),
               ("Linmouth HWB", "Councillor Aled Price", "ICB Place Director"),
               ("Carrow HWB", "Councillor Zara Quinn", ""),
               ("SLCP", "Chief Superintendent Beth Norris", "Councillor Aled Price")], "Table Grid")
    d.add_heading("3. Priority areas", 1)
    _table(d, [("Priority area", "Lead partnership", "Supporting partnerships"),
               ("Child criminal exploitation", "LCSCP", "SLCP"),
               ("Safeguarding adults in care homes", "LCSAB", "Linmouth HWB, Carrow HWB"),
               ("Domestic abuse and stalking", "SLCP", "LCSAB, LCSCP"),
               ("Childhood immunisation", "Linmouth HWB and Carrow HWB", "LCSCP"),
               ("Coastal deprivation", "Carrow HWB", "")], "Table Grid")
    d.add_heading("4. Escalation", 1)
    _table(d, [("Stage", "Description", "Timeframe"),
               ("1", "The business managers discuss the disagreement informally.", "5 working days"),
               ("2", "The chair of the raising partnership writes to the other chair.", "Reply within 15 working days"),
               ("3", "The matter is considered as an agenda item at the other partnership's next meeting.", "Next meeting"),
               ("4", "The Chief Executives of the two councils convene a resolution meeting.", "Within 30 days")], "Table Grid")
    d.add_heading("5. Meetings", 1)
    _table(d, [("Group", "Members", "Frequency"),
               ("Chairs' Forum", "The five chairs", "Twice yearly"),
               ("Business Managers' Group", "Business managers", "Every month")], "Table Grid")
    d.add_heading("6. Reporting", 1)
    _table(d, [("Report", "Lead partnership", "Received by", "Month"),
               ("Annual report", "LCSAB", "Linmouth HWB; Carrow HWB; SLCP", "November"),
               ("Yearly report", "LCSCP", "Linmouth HWB; Carrow HWB", "October"),
               ("Strategic assessment", "SLCP", "LCSCP; LCSAB", "April")], "Table Grid")
    d.save(str(HERE / "linmouth.docx"))


def quarrington() -> None:
    import docx

    d = docx.Document()
    d.add_heading("Quarrington Joint Working Protocol", 0)
    d.add_paragraph("(a) This protocol is agreed by the Quarrington Safeguarding Adults Board (QSAB), the Quarrington "
                    "Community Safety Partnership (QCSP) and the Quarrington Health and Wellbeing Board (QHWB).")
    d.add_paragraph("(b) The Quarrington Safeguarding Children Partnership and the Police and Crime Panel are consulted on "
                    "relevant matters; they are not parties.")
    d.add_heading("Chairing", 1)
    d.add_paragraph("(c) The QSAB is chaired by an Independent Chair, Mrs Ellen Marsh.")
    d.add_paragraph("(d) The QCSP is co-chaired by Councillor Dev Patel and Superintendent Ian Cole.")
    d.add_paragraph("(e) The QHWB is chaired by the Cabinet Member for Health, Councillor Lucy Ward.")
    d.add_heading("Shared work", 1)
    for issue, lead in [("Scams targeting older people", "QSAB"), ("Street drinking", "QCSP"),
                        ("Dementia-friendly communities", "QHWB"), ("Domestic homicide reviews", "QCSP and QSAB jointly")]:
        d.add_paragraph(f"{issue}. Lead: {lead}.", style="List Bullet")
    d.add_paragraph("(f) Fire safety in the home has no lead board; each board considers it in its own plan.")
    d.add_heading("Stage one: informal resolution", 2)
    d.add_paragraph("Officers try to resolve the concern informally.")
    d.add_heading("Stage two: letter between chairs", 2)
    d.add_paragraph("The raising chair writes to the other chair, who responds within 10 working days.")
    d.add_heading("Stage three: chairs' meeting", 2)
    d.add_paragraph("The chairs meet to agree a resolution.")
    d.add_heading("Arrangements", 1)
    _table(d, [("Meeting", "Frequency", "Attendees"), ("Joint chairs' meeting", "Annually", "The three chairs"),
               ("Officers' group", "Quarterly", "Business managers")], "Table Grid")
    d.add_paragraph("(g) The QSAB presents its annual report to the QHWB and the QCSP each September.")
    d.add_paragraph("(h) This protocol will be reviewed annually from the date of signing.")
    d.save(str(HERE / "quarrington.docx"))


def stourby() -> None:
    p = _Pdf()
    p.title("Stourby Partnership Boards Protocol")
    p.p("Next review: January 2026")
    p.h("1 Scope")
    p.p("1.1 The Stourby Local Safeguarding Children Board (LSCB), the Stourby Safeguarding Adults Board (SSAB), the "
        "Stourby Health and Wellbeing Board (HWB) and the Stourby Safer Communities Partnership (SSCP) agree this protocol.")
    p.p("1.2 The Stourby Adults and Health Scrutiny Committee may review the boards' work but is not party to this protocol.")
    p.h("2 Lead and support")
    p.p("2.1 The table shows the lead and supporting boards for each shared theme.")
    p.table([("Theme", "LSCB", "SSAB", "HWB", "SSCP"),
             ("Online safety", "Lead", "", "", "Support"),
             ("Elder abuse", "", "Lead", "Support", ""),
             ("Obesity", "", "", "Lead", ""),
             ("Anti-social behaviour", "Support", "", "", "Lead"),
             ("Hidden harm (parental substance misuse)", "Lead", "", "Lead", "")], widths=(60, 20, 20, 20, 20))
    p.h("3 Challenge")
    p.p("3.1 Level 1: the chair raising the concern writes to the other chair, who replies within 15 working days.")
    p.p("3.2 Level 2: the concern is tabled at the other board's next meeting.")
    p.p("3.3 Level 3: the chairs meet.")
    p.p("3.4 Level 4: the Chief Executive of Stourby Council holds a resolution meeting with the chairs.")
    p.h("4 Reporting and meetings")
    p.p("4.1 The chairs meet quarterly.")
    p.p("4.2 The SSAB and the LSCB will each present their annual report to the HWB in October.")
    p.p("4.3 The HWB will consult the other boards on its strategy each spring.")
    p.h("5 Signed")
    p.table([("Board", "Name", "Role"),
             ("Stourby Local Safeguarding Children Board", "Mr Simon Eze", "Independent Chair"),
             ("Stourby Safeguarding Adults Board", "Ms Karen Holt", "Independent Chair"),
             ("Stourby Health and Wellbeing Board", "Councillor Amy Ross", "Chair"),
             ("Stourby Safer Communities Partnership", "Superintendent Neil Shaw", "Chair")])
    p.pdf.output(str(HERE / "stourby.pdf"))


def hawkridge() -> None:
    """Word's own list numbering for clauses, a key-value table per board, an 'Area of focus' table."""
    import docx

    d = docx.Document()
    d.add_heading("Hawkridge Joint Working Arrangements", 0)
    d.add_paragraph("Hawkridge Council and its statutory partners")
    d.add_heading("Scope", 1)
    d.add_paragraph("These arrangements apply to the Hawkridge Safeguarding Children Partnership (HSCP), the Hawkridge "
                    "Safeguarding Adults Board (HSAB) and the Safer Hawkridge Partnership (SHP).", style="List Number")
    d.add_paragraph("The Hawkridge Health and Wellbeing Board is consulted on the shared priorities but is not a signatory.",
                    style="List Number")
    d.add_heading("The partnerships", 1)
    for name, rows in [("HSCP", [("Chair", "Ms Laura Brennan, Independent Scrutineer"), ("Business manager", "Tom Ellis"), ("Meets", "Every two months")]),
                       ("HSAB", [("Chair", "Dr Kofi Mensah (Independent Chair)"), ("Business manager", "Sara Lund"), ("Meets", "Quarterly")]),
                       ("SHP", [("Chair", "Chief Inspector Rob Hale"), ("Vice-chair", "Councillor Jan Price"), ("Meets", "Quarterly")])]:
        d.add_heading(name, 2)
        _table(d, rows, "Table Grid")
    d.add_heading("Shared areas of focus", 1)
    _table(d, [("Area of focus", "Lead", "Link"),
               ("Exploitation of young adults (18 to 25)", "HSAB", "HSCP"),
               ("Harmful sexual behaviour", "HSCP", ""),
               ("Antisocial behaviour and hate crime", "SHP", "HSAB"),
               ("Modern slavery", "HSAB / SHP", "")], "Table Grid")
    d.add_heading("Disagreements", 1)
    for t in ("The business managers try to resolve the disagreement informally.",
              "The chair of the raising partnership writes to the other chair, who responds within 20 working days.",
              "The issue is placed on the agenda of the other partnership's next meeting.",
              "The chairs meet with the Chief Executive of Hawkridge Council to resolve the issue."):
        d.add_paragraph(t, style="List Number")
    d.add_heading("Reporting and meetings", 1)
    d.add_paragraph("The HSAB and the HSCP will each send their annual report to the SHP in the winter.", style="List Number")
    d.add_paragraph("The chairs of the three partnerships will meet twice yearly.", style="List Number")
    d.add_paragraph("This document will be reviewed annually.", style="List Number")
    d.save(str(HERE / "hawkridge.docx"))


def pinebrook() -> None:
    """Prose leads, a reporting table led by the reporting board, "Signed / Name / Position" lines."""
    p = _Pdf()
    p.title("PINEBROOK INTER-BOARD PROTOCOL")
    p.p("Pinebrook Safeguarding Adults Board | Pinebrook Safeguarding Children Partnership | Pinebrook Health and "
        "Wellbeing Board | Pinebrook Community Safety Partnership")
    p.h("1. Purpose")
    p.p("1.1 The four boards named above have agreed this protocol to set out how they work together. They are referred "
        "to as the SAB, the SCP, the HWB and the CSP.")
    p.h("2. Leadership of cross-cutting issues")
    p.p("2.1 The CSP will take the lead for serious violence and for drug-related harm.")
    p.p("2.2 The SAB will take the lead for adult exploitation.")
    p.p("2.3 The SCP will take the lead for the safeguarding of children missing education.")
    p.p("2.4 The HWB and the SCP will jointly lead the response to childhood poverty.")
    p.h("3. Resolving concerns")
    p.p("3.1 A chair may write to another chair setting out a concern; a response should be given within 21 days.")
    p.p("3.2 Where the response does not resolve it, the concern will be an agenda item at the next meeting of the board concerned.")
    p.p("3.3 Any matter still unresolved will be referred to the Chief Executive for a resolution meeting.")
    p.h("4. Reporting")
    p.table([("Board", "Report", "Presented to", "When"),
             ("SAB", "Annual report", "HWB", "November"),
             ("SCP", "Yearly report", "HWB, CSP", "October"),
             ("CSP", "Strategic assessment", "SAB, SCP", "Spring")])
    p.h("5. Meetings")
    p.p("5.1 The business managers of the four boards will meet monthly.")
    p.h("6. Review")
    p.p("6.1 Next review: June 2026.")
    p.h("Signatures")
    for name, pos in [("Mr Alan Reece", "Independent Chair, Pinebrook Safeguarding Adults Board"),
                      ("Councillor Beth Norton", "Chair, Pinebrook Health and Wellbeing Board"),
                      ("Superintendent Carl Yates", "Chair, Pinebrook Community Safety Partnership")]:
        p.p(f"Signed: ............................   Name: {name}   Position: {pos}")
    p.pdf.output(str(HERE / "pinebrook.pdf"))


def broadwater() -> None:
    """A contents list, parties in a lettered list, a priorities table with officers and timescales,
    an escalation written as one line with arrows, 'Chair: …; Vice Chair: …' lines and a glossary."""
    import docx

    d = docx.Document()
    d.add_heading("Protocol for Joint Working", 0)
    d.add_paragraph("Broadwater Borough Council")
    d.add_paragraph("Contents").runs[0].bold = True
    for line in ("1. Introduction ........ 2", "2. Governance ........ 3", "3. Priorities ........ 4",
                 "4. Escalation ........ 5", "5. Reporting ........ 5", "Appendix A: Glossary ........ 6"):
        d.add_paragraph(line)
    d.add_heading("1. Introduction", 1)
    d.add_paragraph("1.1 This protocol applies to:")
    for n in ("a) the Broadwater Safeguarding Adults Partnership Board (BSAPB);",
              "b) the Broadwater Children's Safeguarding Partnership (BCSP);",
              "c) the Broadwater Health & Wellbeing Board (HWB); and",
              "d) the Broadwater Safer and Stronger Communities Board (SSCB)."):
        d.add_paragraph(n)
    d.add_paragraph("1.2 The Broadwater Integrated Care Partnership will be kept informed, but it does not form part of this protocol.")
    d.add_heading("2. Governance", 1)
    d.add_paragraph("2.1 BSAPB — Chair: Mrs Hilary Dunne (Independent); Vice Chair: Director of Adult Social Care.")
    d.add_paragraph("2.2 BCSP — Chair: Detective Superintendent Mark Oyelowo; Vice Chair: Chief Nurse, ICB.")
    d.add_paragraph("2.3 HWB — Chair: Councillor Grace Afolabi, Leader of the Council.")
    d.add_paragraph("2.4 SSCB — Chair: Councillor Ian Moss, Cabinet Member for Community Safety.")
    d.add_heading("3. Priorities", 1)
    _table(d, [("Priority", "Lead Board", "Lead Officer", "Timescale"),
               ("Exploitation and county lines", "SSCB", "Community Safety Manager", "2025-26"),
               ("Safeguarding people who sleep rough", "BSAPB", "Head of Housing", "2025-27"),
               ("Childhood immunisations", "HWB", "Director of Public Health", "Ongoing"),
               ("Neglect", "BCSP", "Head of Safeguarding", "2025-26")], "Table Grid")
    d.add_heading("4. Escalation", 1)
    d.add_paragraph("4.1 Stage 1 – informal discussion between business managers → Stage 2 – letter from chair to chair, "
                    "answered within 15 working days → Stage 3 – meeting of the chairs → Stage 4 – referral to the Chief "
                    "Executive for a resolution meeting.")
    d.add_heading("5. Reporting", 1)
    d.add_paragraph("5.1 The BSAPB and the BCSP will present their annual reports to the HWB every October.")
    d.add_paragraph("5.2 Chairs of the four boards will meet quarterly.")
    d.add_paragraph("5.3 This protocol will be reviewed in 12 months' time.")
    d.add_heading("Appendix A: Glossary", 1)
    _table(d, [("Abbreviation", "Meaning"), ("BSAPB", "Broadwater Safeguarding Adults Partnership Board"),
               ("BCSP", "Broadwater Children's Safeguarding Partnership"), ("HWB", "Health & Wellbeing Board"),
               ("SSCB", "Safer and Stronger Communities Board"), ("ICP", "Integrated Care Partnership"),
               ("YJB", "Youth Justice Board"), ("MASH", "Multi-Agency Safeguarding Hub")], "Table Grid")
    d.save(str(HERE / "broadwater.docx"))


def cresswell() -> None:
    """Capitals headings, membership lists, a reporting table by frequency, 'does not form part' exclusions."""
    p = _Pdf()
    p.title("CRESSWELL PARTNERSHIP AGREEMENT")
    p.p("An agreement between the Cresswell Safeguarding Children Partnership (CSCP), the Cresswell Safeguarding Adults "
        "Board (CSAB) and the Cresswell Community Safety Partnership (CCSP).")
    p.h("SECTION 1 – MEMBERSHIP")
    p.p("1.1 The CSAB's members include the council, the police, the integrated care board, the ambulance service and "
        "Healthwatch Cresswell.")
    p.p("1.2 The Cresswell Health and Wellbeing Board receives the partnerships' annual reports but does not form part of "
        "this agreement.")
    p.h("SECTION 2 – CHAIRS")
    p.p("2.1 The CSCP's independent scrutineer is Ms Joy Adebayo.")
    p.p("2.2 The chair of the CSAB is Mr Martin Crane.")
    p.p("2.3 The CCSP is chaired by Inspector Dev Singh.")
    p.h("SECTION 3 – LEADERSHIP")
    p.p("3.1 Lead responsibility for tackling domestic abuse rests with the CCSP.")
    p.p("3.2 The CSAB is the lead body for financial abuse.")
    p.p("3.3 The CSCP will lead on online harms, supported by the CCSP.")
    p.h("SECTION 4 – CHALLENGE")
    p.p("4.1 Step 1: one chair writes to another, who replies within 20 working days.")
    p.p("4.2 Step 2: the item is placed on the next agenda of the partnership challenged.")
    p.p("4.3 Step 3: the chairs meet to agree a resolution.")
    p.h("SECTION 5 – REPORTING")
    p.table([("Report", "Frequency", "Presented by", "Presented to"),
             ("Annual report", "Annually", "CSAB", "CCSP, CSCP"),
             ("Strategic assessment", "Annually", "CCSP", "CSAB")])
    p.p("5.1 Quarterly meetings of the three chairs will be held.")
    p.p("5.2 This agreement will be reviewed by March 2027.")
    p.pdf.output(str(HERE / "cresswell.pdf"))


def fenmore() -> None:
    """A cover table with the title and review date, an early help partnership, an 'if … if …' escalation
    paragraph, reports presented 'at the HWB's October meeting'."""
    p = _Pdf()
    p.table([("Title", "Joint Working Protocol between the Fenmore Health and Wellbeing Board, the Safer Fenmore Partnership "
              "Board and the Fenmore Early Help Partnership"),
             ("Owner", "Fenmore Council Policy Team"), ("Review date", "October 2025")])
    p.h("1. Background")
    p.p("1.1 The Fenmore Health and Wellbeing Board (FHWB), the Safer Fenmore Partnership Board (SFPB) and the Fenmore "
        "Early Help Partnership (EHP) share an interest in prevention.")
    p.p("1.2 The FHWB is chaired by the Mayor of Fenmore. The SFPB is chaired by Superintendent Gail Morton. The EHP is "
        "chaired by the Assistant Director for Early Help, Mr Ravi Sood.")
    p.h("2. Leadership")
    p.p("2.1 The SFPB is the lead for youth violence and for anti-social behaviour.")
    p.p("2.2 The EHP is the lead partnership for parenting support.")
    p.p("2.3 The FHWB leads on healthy weight.")
    p.h("3. Disagreements")
    p.p("3.1 A chair who is concerned should first write to the other chair, who will reply within 14 days. If the matter "
        "is not resolved, it will be added to the agenda of the next meeting of the board concerned. If it remains "
        "unresolved, the Chief Executive will convene a resolution meeting.")
    p.h("4. Reporting")
    p.p("4.1 The SFPB's annual report will be presented at the FHWB's October meeting.")
    p.p("4.2 The three chairs will meet twice a year.")
    p.pdf.output(str(HERE / "fenmore.pdf"))


def kirkby_dale() -> None:
    """Leads by board: one row per partnership, the themes it leads on in a cell."""
    import docx

    d = docx.Document()
    d.add_heading("Kirkby Dale Partnership Working Protocol", 0)
    d.add_paragraph("This protocol is agreed between the Kirkby Dale Safeguarding Adults Board (KDSAB), the Kirkby Dale "
                    "Safeguarding Children Partnership (KDSCP) and the Kirkby Dale Community Safety Partnership (KDCSP).")
    d.add_heading("Roles and responsibilities", 1)
    _table(d, [("Partnership", "Leads on", "Contributes to"),
               ("KDSAB", "Self-neglect; financial abuse", "Domestic abuse"),
               ("KDSCP", "Child exploitation; neglect", "Serious violence"),
               ("KDCSP", "Domestic abuse; serious violence; hate crime", "Child exploitation")], "Table Grid")
    d.add_paragraph("Chair (interim): Ms Carol Hewitt, KDSAB. The KDSCP is chaired by Dr Femi Ade. The KDCSP is chaired by "
                    "Superintendent Joe Marr.")
    d.add_heading("Escalation", 1)
    for t in ("Stage one: the chair writes to the other chair, who responds within 10 working days.",
              "Stage two: the chairs meet.",
              "Stage three: the Chief Executive convenes a resolution meeting."):
        d.add_paragraph(t)
    d.add_paragraph("The chairs meet every six months. This protocol is reviewed annually.")
    d.save(str(HERE / "kirkby-dale.docx"))


if __name__ == "__main__":
    kirkby_dale()
    fenmore()
    broadwater()
    cresswell()
    hawkridge()
    pinebrook()
    linmouth()
    quarrington()
    stourby()
