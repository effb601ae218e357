"""Small protocol documents the drafting tests build themselves, one per source format.

All say the same: a fictional area (Northshire) whose protocol is between its Safeguarding
Children Partnership, Safeguarding Adults Board and Community Safety Partnership; a Youth
Justice Board is only mentioned (it is not a party); a themes table with a joint lead; a
four-stage challenge route with response windows; a review rule.
"""

from __future__ import annotations

from pathlib import Path

TITLE = "Joint working protocol between the Northshire Safeguarding Children Partnership, the Northshire Safeguarding Adults Board and the Northshire Community Safety Partnership"
INTRO = ("This protocol sets out how the Northshire Safeguarding Children Partnership (NSCP), the Northshire Safeguarding "
         "Adults Board (NSAB) and the Northshire Community Safety Partnership (CSP) work together.")
MENTION = "The Northshire Youth Justice Board is kept informed of this work but is not a party to this protocol."
THEMES = [("Theme", "Lead", "Further information"),
          ("Domestic abuse", "CSP", "The CSP leads on the domestic abuse strategy."),
          ("Transition to adulthood", "NSCP and NSAB jointly", "Both boards share the lead."),
          ("Modern slavery", "No single lead", "Each board considers it within its own plan.")]
STAGES = ["Stage 1: The chair of the raising board writes to the chair of the other board, who replies within 20 working days.",
          "Stage 2: The chair asks for an item on the other board's agenda at its next meeting.",
          "Stage 3: The chairs meet to agree a way forward within 15 working days.",
          "Stage 4: Where the concern cannot be resolved, a resolution meeting is held between the chairs and the Director of Children's Services."]
MEETING = "The business managers of the three boards will meet quarterly to align their forward plans."
REVIEW = "This protocol will be reviewed annually or when national guidance changes."


def write_docx(path: Path) -> Path:
    import docx

    d = docx.Document()
    d.add_heading(TITLE, level=0)
    d.add_heading("1 Purpose", level=1)
    d.add_paragraph(INTRO)
    d.add_paragraph(MENTION)
    d.add_heading("2 Themes", level=1)
    t = d.add_table(rows=len(THEMES), cols=3)
    for r, row in enumerate(THEMES):
        for c, text in enumerate(row):
            t.cell(r, c).text = text
    d.add_heading("3 Mutual challenge", level=1)
    for s in STAGES:
        d.add_paragraph(s, style="List Number")
    d.add_heading("4 Meetings", level=1)
    d.add_paragraph(MEETING)
    d.add_heading("5 Review", level=1)
    d.add_paragraph(REVIEW)
    d.save(str(path))
    return path


def write_pdf(path: Path) -> Path:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 15)
    pdf.multi_cell(0, 8, TITLE)
    pdf.ln(4)

    def heading(text: str) -> None:
        pdf.ln(3)
        pdf.set_font("Helvetica", "B", 13)
        pdf.multi_cell(0, 7, text)
        pdf.ln(1)
        pdf.set_font("Helvetica", "", 11)

    def para(text: str) -> None:
        pdf.multi_cell(0, 6, text)
        pdf.ln(3)

    heading("1 Purpose")
    para(INTRO)
    para(MENTION)
    heading("2 Themes")
    with pdf.table(col_widths=(40, 50, 100)) as table:
        for row in THEMES:
            r = table.row()
            for text in row:
                r.cell(text)
    heading("3 Mutual challenge")
    for s in STAGES:
        para(s)
    heading("4 Meetings")
    para(MEETING)
    heading("5 Review")
    para(REVIEW)
    pdf.output(str(path))
    return path


def html() -> str:
    rows = "".join("<tr>" + "".join(f"<{'th' if i == 0 else 'td'}>{c}</{'th' if i == 0 else 'td'}>" for c in row) + "</tr>"
                   for i, row in enumerate(THEMES))
    items = "".join(f"<li>{s}</li>" for s in STAGES)
    return (f"<!doctype html><html><head><title>Protocol</title><style>p{{color:red}}</style></head><body>"
            f"<nav>Home | Contact</nav><main><h1>{TITLE}</h1><h2>1 Purpose</h2><p>{INTRO}</p><p>{MENTION}</p>"
            f"<h2>2 Themes</h2><table>{rows}</table><h2>3 Mutual challenge</h2><ul>{items}</ul>"
            f"<h2>4 Meetings</h2><p>{MEETING}</p><h2>5 Review</h2><p>{REVIEW}</p></main><footer>Cookies</footer></body></html>")


def markdown() -> str:
    table = "\n".join("| " + " | ".join(row) + " |" + ("\n|---|---|---|" if i == 0 else "") for i, row in enumerate(THEMES))
    stages = "\n".join(f"- {s}" for s in STAGES)
    return (f"# {TITLE}\n\n## 1 Purpose\n\n{INTRO}\n\n{MENTION}\n\n## 2 Themes\n\n{table}\n\n"
            f"## 3 Mutual challenge\n\n{stages}\n\n## 4 Meetings\n\n{MEETING}\n\n## 5 Review\n\n{REVIEW}\n")


def text() -> str:
    table = "\n".join("\t".join(row) for row in THEMES)
    stages = "\n".join(STAGES)
    return (f"{TITLE.upper()}\n\n1 PURPOSE\n\n{INTRO}\n\n{MENTION}\n\n2 THEMES\n\n{table}\n\n"
            f"3 MUTUAL CHALLENGE\n\n{stages}\n\n4 MEETINGS\n\n{MEETING}\n\n5 REVIEW\n\n{REVIEW}\n")


def write(fmt: str, folder: Path) -> Path:
    if fmt == "docx":
        return write_docx(folder / "northshire.docx")
    if fmt == "pdf":
        return write_pdf(folder / "northshire.pdf")
    p = folder / f"northshire.{ {'html': 'html', 'md': 'md', 'txt': 'txt'}[fmt] }"
    p.write_text({"html": html, "md": markdown, "txt": text}[fmt](), encoding="utf-8")
    return p
