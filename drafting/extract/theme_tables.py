"""Themes and their leads from tables: "Theme | Lead | …" tables, one row per board with the
themes it leads on, and lead matrices ("L" in the lead board's column).

A lead printed as an abbreviation the document never defines (a misprint) is read from the
row's own text ("The BSCB is the lead …") rather than guessed.
"""

from __future__ import annotations

import re

from drafting.extract.board_index import BoardIndex
from drafting.extract.common import cite, sentences
from drafting.extract.theme_leads import NO_LEAD, SUPPORT_CUT, leads_from
from drafting.extract.theme_names import aliases
from drafting.model import Document, clean

_THEME_COL = re.compile(r"\b(theme|issue|priorit|area|topic|subject|agenda|work ?stream|matter)", re.I)


_LEAD_COL = re.compile(r"\blead|accountab|responsib|\bowner|who leads", re.I)


def from_tables(doc: Document, index: BoardIndex, key: str) -> list[dict]:
    themes: list[dict] = []
    for b in doc.blocks:
        if b.kind != "table" or len(b.rows) < 2:
            continue
        header = [c.text for c in b.rows[0]]
        tcol = next((i for i, h in enumerate(header) if _THEME_COL.search(h) and not _LEAD_COL.search(h)), None)
        lcol = next((i for i, h in enumerate(header) if _LEAD_COL.search(h)), None)
        if tcol is None or lcol is None or tcol == lcol:
            continue
        info_cols = [i for i in range(len(header)) if i not in (tcol, lcol)]
        for r, row in enumerate(b.rows[1:], start=1):
            name = row[tcol].text if tcol < len(row) else ""
            lead = row[lcol].text if lcol < len(row) else ""
            # "the Panel (with the Partnership Board)", "TCSP, supported by TSAB": a supporting board does not lead
            lead = re.sub(r"\s*\((?:with|supported by|assisted by|working with|alongside|support from)\b[^)]*\)", "", lead, flags=re.I)
            lead = SUPPORT_CUT.sub("", lead) if not re.search(r"\bjointly with\b", lead, re.I) else lead
            info = " ".join(row[i].text for i in info_cols if i < len(row))
            if not name or len(name) > 120:
                continue
            src = cite(doc, b, row=r, key=key).source()
            theme: dict = {"key": "", "name": name, "aliases": aliases(name)}
            if NO_LEAD.search(lead) or (not lead and re.search(r"no (?:single )?lead", info, re.I)):
                theme["no_lead"] = clean(f"{lead}. {info}" if lead and info else (lead or info)) or "No lead is named."
            else:
                leads, note = leads_from(lead, index)
                if not leads or (re.fullmatch(r"[A-Z]{2,8}", lead.strip()) and not index.keys_in(lead)):
                    m = re.search(r"(?P<subj>[^.]{0,80}?)\b(?:is|will be|will act as|act as|acts as)\s+(?:the\s+)?(?:strategic\s+)?lead\b", info, re.I)
                    subj_keys = index.keys_in(m.group("subj")) if m else []
                    if subj_keys:
                        leads = subj_keys
                        theme["notes"] = [{"text": f"The Lead column prints {lead!r}; the row's text names the lead.",
                                           "source": src}]
                if not leads:
                    continue
                theme["leads"] = leads
                if note:
                    theme.setdefault("notes", []).append({"text": note, "source": src})
                role = next((s for s in sentences(info) if re.search(r"\blead", s, re.I)), None) or (sentences(info)[0] if info else None)
                if role:
                    theme["lead_role"] = clean(role)[:600]
            theme["source"] = src
            themes.append(theme)
    return themes


def from_board_rows(doc: Document, index: BoardIndex, key: str) -> list[dict]:
    """A table with one row per board and the themes it leads on in a cell:
    "Partnership | Leads on | Contributes to" / "SAB | Self-neglect; financial abuse | …"."""
    themes: list[dict] = []
    for b in doc.blocks:
        if b.kind != "table" or len(b.rows) < 2:
            continue
        header = [c.text for c in b.rows[0]]
        lcol = next((i for i, h in enumerate(header) if re.fullmatch(r"\s*(?:leads?(?: on| for)?|lead (?:responsibilit(?:y|ies)|role|themes?|areas?)|themes? led)\s*", h, re.I)), None)
        if lcol is None:
            continue
        for r, row in enumerate(b.rows[1:], start=1):
            ks = index.keys_in(row[0].text) if row else []
            if len(ks) != 1 or lcol >= len(row) or lcol == 0:
                continue
            src = cite(doc, b, row=r, key=key).source()
            for part in re.split(r"\s*[;\n•]\s*|,\s*(?![^()]*\))", row[lcol].text):
                part = part.strip(" .")
                if len(part) < 3 or index.keys_in(part) or NO_LEAD.search(part):
                    continue
                name = part[0].upper() + part[1:]
                themes.append({"key": "", "name": name, "aliases": aliases(name), "leads": ks, "lead_role": clean(" | ".join(c.text for c in row)),
                               "source": src})
    return themes


_LEAD_MARK = re.compile(r"^\s*(?:l|lead(?:\s+(?:board|partnership|body))?|joint lead|co-?lead|lead\s*\(joint\))\s*[.*]?\s*$", re.I)


def from_matrices(doc: Document, index: BoardIndex, key: str) -> list[dict]:
    """A lead matrix: themes down the side, one column per board, 'L' or 'Lead' in the lead's
    cell (and 'S' or 'Support' in the others'); two marked leads make a joint lead."""
    themes: list[dict] = []
    for b in doc.blocks:
        if b.kind != "table" or len(b.rows) < 2 or len(b.rows[0]) < 3:
            continue
        header = [c.text for c in b.rows[0]]
        cols = {}
        for i, h in enumerate(header[1:], start=1):
            ks = index.keys_in(h)
            if len(ks) == 1 and ks[0] not in cols.values():
                cols[i] = ks[0]
        if len(cols) < 2:
            continue
        marks = [row[i].text for row in b.rows[1:] for i in cols if i < len(row)]
        if not any(_LEAD_MARK.match(m) for m in marks if m):
            continue
        for r, row in enumerate(b.rows[1:], start=1):
            name = row[0].text
            if not name or len(name) > 120 or index.keys_in(name) and len(name) < 12:
                continue
            leads = [k for i, k in cols.items() if i < len(row) and _LEAD_MARK.match(row[i].text or "")]
            src = cite(doc, b, row=r, key=key).source()
            theme: dict = {"key": "", "name": name, "aliases": aliases(name)}
            if leads:
                theme["leads"] = leads
            else:
                theme["no_lead"] = "No board is marked as the lead in the matrix."
            theme["source"] = src
            themes.append(theme)
    return themes
