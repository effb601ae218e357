"""A board's year as Markdown and Word, with a chart of challenges by rung and month.

matplotlib (with its non-interactive Agg backend) and python-docx are imported here, inside
the functions, so that nothing on boardbot's start-up path pays for them. The chart is a PNG
embedded in both documents: in the Word file as a picture, in the Markdown as a data URI
(one self-contained file).
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass

from bot.markdown_text import cell
from bot.reports.year import YearFigures
from scheduler.timeutil import fmt_date


@dataclass(frozen=True)
class Draft:
    """The documents of one draft: names are what a download or a file on disk is called."""

    stem: str
    markdown: str
    docx: bytes
    png: bytes
    summary_text: str

    def files(self) -> dict[str, bytes]:
        return {f"{self.stem}.md": self.markdown.encode("utf-8"), f"{self.stem}.docx": self.docx,
                f"{self.stem}.png": self.png}


def stem(fig: YearFigures) -> str:
    return f"partnership-working-{fig.area}-{fig.board}-{fig.start.isoformat()}-{fig.end.isoformat()}"


def chart_png(fig: YearFigures) -> bytes:
    """Challenges raised and received, by month (x) and the rung each reached (stacked)."""
    import matplotlib

    matplotlib.use("Agg", force=True)
    from matplotlib.figure import Figure

    months, counts = fig.by_rung_and_month()
    figure = Figure(figsize=(8, 4.2), dpi=110)
    ax = figure.subplots()
    bottom = [0] * len(months)
    labels = [m[2:].replace("-", "/") for m in months]  # 25/04
    for title, values in counts.items():
        ax.bar(labels, values, bottom=bottom, label=title)
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    ax.set_title(f"{fig.board_short}: challenges raised and received, by month and step reached", fontsize=10)
    ax.set_ylabel("challenges")
    ax.set_ylim(0, max(bottom, default=0) + 1)
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.tick_params(axis="x", labelsize=8)
    if any(any(v) for v in counts.values()):
        ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=2, frameon=False)
    else:
        ax.text(0.5, 0.5, "no challenges in this period", ha="center", va="center", transform=ax.transAxes)
    figure.tight_layout()
    buf = io.BytesIO()
    figure.savefig(buf, format="png")
    return buf.getvalue()


def _pct(n: int, of: int) -> str:
    return f"{n} of {of}" + (f" ({round(100 * n / of)}%)" if of else "")


def summary_lines(fig: YearFigures) -> list[str]:
    """The figures in a few sentences: the chat answer, and the draft's opening."""
    s = fig.summary()
    ours, theirs = s["our_responses"], s["responses_to_our_challenges"]
    ro, rr = s["raised_outcomes"], s["received_outcomes"]
    ar, ac = s["agenda_requested"], s["agenda_received"]
    lines = [
        f"Challenges raised by the {fig.board_short}: {s['challenges_raised']} "
        f"(resolved {ro['resolved']}, withdrawn {ro['withdrawn']}, still open {ro['open']}); "
        f"answered by the other board within the response window: {_pct(theirs['within_window'], s['challenges_raised'])}.",
        f"Challenges received by the {fig.board_short}: {s['challenges_received']} "
        f"(resolved {rr['resolved']}, withdrawn {rr['withdrawn']}, still open {rr['open']}); "
        f"answered within the response window: {_pct(ours['within_window'], s['challenges_received'])}"
        + (f", median {ours['median_working_days']} working days to the first response" if ours["median_working_days"] is not None else "")
        + ".",
    ]
    got = {t: n + s["received_by_rung"].get(t, 0) for t, n in s["raised_by_rung"].items()}
    steps = "; ".join(f"{t}: {n}" for t, n in got.items() if n)
    if steps:
        lines.append(f"Step reached (raised and received): {steps}.")
    lines += [
        f"Agenda items the {fig.board_short} asked other boards for: {ar['total']} (accepted {ar['accepted']}, "
        f"deferred {ar['deferred']}, declined {ar['declined']}, awaiting {ar['requested']}); asked of it: {ac['total']} "
        f"(accepted {ac['accepted']}, deferred {ac['deferred']}, declined {ac['declined']}, awaiting {ac['requested']}).",
        f"Reports the protocol says the {fig.board_short} presents: {len(fig.reports)}; their reminders marked done: "
        f"{s['reports_done']} of {s['reports_due']} due in the period.",
        f"Reminders for the {fig.board_short} due in the period: {s['reminders_due']} — done {s['reminders_done']}, "
        f"not this time {s['reminders_not_this_time']}, missed (no answer) {s['reminders_missed']}.",
    ]
    return lines


def _md_table(head: list[str], rows: list[list[str]]) -> list[str]:
    return ["| " + " | ".join(head) + " |", "| " + " | ".join("---" for _ in head) + " |",
            *("| " + " | ".join(cell(c) for c in r) + " |" for r in rows)]


def _challenge_rows(fig: YearFigures, direction: str) -> list[list[str]]:
    rows = []
    for c in (fig.raised() if direction == "raised" else fig.received()):
        window = f"the {c.window}-working-day window" + (", extended" if c.extended else "")
        due = f", due {fmt_date(c.due)}" if c.due else ""
        if c.response_days is not None:
            resp = f"{c.response_days} working days ({'within' if c.within_window else 'outside'} {window}{due})"
        elif c.within_window is False:
            resp = f"none; {window} passed{due}"
        else:
            resp = "not yet; window still open"
        rows.append([f"C{c.number}", c.other, c.subject, fmt_date(c.raised_on), f"{c.rung}: {c.rung_title}", resp,
                     c.status.replace("_", " ") + (f": {c.outcome}" if c.outcome else "")])
    return rows


def _sections(fig: YearFigures) -> list[tuple[str, list[str], list[str], list[list[str]]]]:
    """(heading, paragraphs, table head, table rows) for each part of the draft; both formats are built from these."""
    head = ["No.", "Other board", "Subject", "Raised", "Step reached", "First response", "Outcome"]
    agenda_head = ["No.", "Other board", "Item", "Asked", "Decision"]

    def agenda_rows(direction: str) -> list[list[str]]:
        out = []
        for a in fig.agenda:
            if a.direction != direction:
                continue
            decision = {"requested": "awaiting a decision"}.get(a.status, a.status)
            if a.status == "accepted" and a.meeting:
                decision = f"accepted onto the meeting of {fmt_date(a.meeting)}"
            if a.from_challenge:
                decision += f" (step of challenge C{a.from_challenge})"
            out.append([f"A{a.number}", a.other, a.title, fmt_date(a.requested_on), decision])
        return out

    reports = [[r.report, ", ".join(r.to) or "-", r.action, r.season or "not given",
                (f"{len(r.done)} of {len(r.due)} marked done" if r.due else "none due in the period"), r.clause]
               for r in fig.reports]
    missed = [[m.title, fmt_date(m.due), m.clause] for m in fig.missed]
    skipped = [[t, fmt_date(d), why] for t, d, why in fig.reminders_not_this_time]
    return [
        ("Challenges the board raised", [] if fig.raised() else ["None in this period."], head, _challenge_rows(fig, "raised")),
        ("Challenges the board received", [] if fig.received() else ["None in this period."], head,
         _challenge_rows(fig, "received")),
        ("Agenda items asked of other boards", [], agenda_head, agenda_rows("requested")),
        ("Agenda items other boards asked for", [], agenda_head, agenda_rows("received")),
        ("Reports presented, and to whom (as the protocol sets out)",
         [] if reports else ["The protocol names no report this board presents."],
         ["Report", "To", "How", "Season", "Reminders", "Clause"], reports),
        ("Reminders missed", [f"{len(fig.missed)} reminder(s) fell due with no answer (neither done nor "
                              "\u201cnot this time\u201d)." if fig.missed else "None: every reminder due was answered."],
         ["Reminder", "Due", "Clause"], missed),
        ("Reminders marked \u201cnot this time\u201d", [] if skipped else ["None."], ["Reminder", "Due", "Reason"], skipped),
    ]


def _title(fig: YearFigures) -> str:
    return f"Partnership working and challenge — {fig.board_name} ({fig.board_short}), {fmt_date(fig.start)} to {fmt_date(fig.end)}"


def _preamble(fig: YearFigures) -> str:
    return (f"A draft for the annual report, from the record boardbot keeps for {fig.area_name} as at "
            f"{fmt_date(fig.as_at)}. Check it, and add what the record cannot show (what changed as a result).")


def markdown(fig: YearFigures, png: bytes) -> str:
    out = [f"# {_title(fig)}", "", f"_{_preamble(fig)}_", "", "## In figures", ""]
    out += [f"- {line}" for line in summary_lines(fig)]
    out += ["", f"![Challenges by month and step reached]"
                f"(data:image/png;base64,{base64.b64encode(png).decode('ascii')})", ""]
    for heading, paras, head, rows in _sections(fig):
        out += [f"## {heading}", ""]
        out += [*paras, ""] if paras else []
        if rows:
            out += [*_md_table(head, rows), ""]
    return "\n".join(out)


def docx_bytes(fig: YearFigures, png: bytes) -> bytes:
    from docx import Document
    from docx.shared import Inches

    doc = Document()
    doc.add_heading(_title(fig), level=1)
    doc.add_paragraph(_preamble(fig)).runs[0].italic = True
    doc.add_heading("In figures", level=2)
    for line in summary_lines(fig):
        doc.add_paragraph(line, style="List Bullet")
    doc.add_picture(io.BytesIO(png), width=Inches(6.2))
    for heading, paras, head, rows in _sections(fig):
        doc.add_heading(heading, level=2)
        for p in paras:
            doc.add_paragraph(p)
        if rows:
            table = doc.add_table(rows=1, cols=len(head))
            table.style = "Light Grid Accent 1"
            for cell, text in zip(table.rows[0].cells, head, strict=True):
                cell.text = text
            for r in rows:
                for cell, text in zip(table.add_row().cells, r, strict=True):
                    cell.text = str(text)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def draft(fig: YearFigures) -> Draft:
    png = chart_png(fig)
    return Draft(stem=stem(fig), markdown=markdown(fig, png), docx=docx_bytes(fig, png), png=png,
                 summary_text="\n".join(summary_lines(fig)))
