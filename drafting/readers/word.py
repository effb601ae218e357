"""Word (.docx) through python-docx.

Paragraphs and tables are read in document order. Headings come from the Heading/Title
styles (or an outline level); list items and clause numbers from Word's own numbering
(``w:numPr`` on the paragraph or its style), counted the way Word prints them, so an
automatically numbered "10.3" is cited as 10.3 although the digits are not in the text.
"""

from __future__ import annotations

import re
from pathlib import Path

import docx
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from drafting.model import Block, Cell, Document, build, clause_number, clean, split_number


class _Numbering:
    """Word's list numbering: formats per (numId, level) and running counters."""

    def __init__(self, document) -> None:
        self.formats: dict[tuple[str, int], tuple[str, str, int]] = {}
        self.counters: dict[str, list[int]] = {}
        try:
            root = document.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):
            return
        abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
        for an in root.findall(qn("w:abstractNum")):
            levels = {}
            for lvl in an.findall(qn("w:lvl")):
                ilvl = int(lvl.get(qn("w:ilvl")))
                fmt = lvl.find(qn("w:numFmt"))
                text = lvl.find(qn("w:lvlText"))
                start = lvl.find(qn("w:start"))
                levels[ilvl] = (fmt.get(qn("w:val")) if fmt is not None else "decimal",
                                text.get(qn("w:val")) if text is not None else f"%{ilvl + 1}.",
                                int(start.get(qn("w:val"))) if start is not None else 1)
            abstract[an.get(qn("w:abstractNumId"))] = levels
        for num in root.findall(qn("w:num")):
            ref = num.find(qn("w:abstractNumId"))
            if ref is None:
                continue
            for ilvl, spec in abstract.get(ref.get(qn("w:val")), {}).items():
                self.formats[(num.get(qn("w:numId")), ilvl)] = spec

    def label(self, num_id: str, ilvl: int) -> tuple[str | None, bool]:
        """The printed number of the next paragraph in list ``num_id`` at ``ilvl``; (None, True) for a bullet."""
        fmt, text, start = self.formats.get((num_id, ilvl), ("decimal", f"%{ilvl + 1}.", 1))
        if fmt in ("bullet", "none"):
            return None, True
        c = self.counters.setdefault(num_id, [])
        while len(c) <= ilvl:
            c.append(self.formats.get((num_id, len(c)), ("decimal", "", 1))[2] - 1)
        c[ilvl] += 1
        del c[ilvl + 1:]

        def render(level: int) -> str:
            value = c[level] if level < len(c) else 1
            f = self.formats.get((num_id, level), ("decimal", "", 1))[0]
            if f == "lowerLetter":
                return chr(96 + value)
            if f == "upperLetter":
                return chr(64 + value)
            if f in ("lowerRoman", "upperRoman"):
                r = _roman(value)
                return r if f == "upperRoman" else r.lower()
            return str(value)

        printed = re.sub(r"%(\d)", lambda m: render(int(m.group(1)) - 1), text)
        printed = printed.strip().rstrip(".):").lstrip("(")
        return printed or None, False


def _roman(n: int) -> str:
    out = ""
    for v, s in ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= v:
            out, n = out + s, n - v
    return out


def _num_pr(p: Paragraph):
    ppr = p._p.pPr
    if ppr is not None and ppr.numPr is not None:
        return ppr.numPr
    style = p.style
    while style is not None:
        sp = style.element.pPr
        if sp is not None and sp.numPr is not None:
            return sp.numPr
        style = style.base_style
    return None


def _heading_level(p: Paragraph) -> int | None:
    name = (p.style.name if p.style is not None else "") or ""
    if name == "Title":
        return 1
    m = re.match(r"Heading (\d)", name)
    if m:
        return int(m.group(1))
    ppr = p._p.pPr
    lvl = ppr.find(qn("w:outlineLvl")) if ppr is not None else None
    if lvl is not None and lvl.get(qn("w:val")).isdigit() and int(lvl.get(qn("w:val"))) < 9:
        return int(lvl.get(qn("w:val"))) + 1
    return None


def _all_bold(p: Paragraph) -> bool:
    runs = [r for r in p.runs if r.text.strip()]
    return bool(runs) and all(r.bold or (r.style is not None and r.style.font.bold) for r in runs)


def read_docx(path: Path) -> Document:
    d = docx.Document(str(path))
    numbering = _Numbering(d)
    blocks: list[Block] = []
    for part in d.iter_inner_content():
        if isinstance(part, Table):
            rows = []
            for tr in part.rows:
                cells, seen = [], set()
                for cell in tr.cells:
                    key = id(cell._tc)
                    cells.append(Cell("" if key in seen else clean(cell.text)))
                    seen.add(key)
                rows.append(cells)
            blocks.append(Block("table", "", rows=rows))
            continue
        text = clean(part.text)
        if not text:
            continue
        level = _heading_level(part)
        num_pr = _num_pr(part)
        number, bullet = None, False
        ilvl = 0
        if num_pr is not None and num_pr.numId is not None and num_pr.numId.val != 0:
            ilvl = num_pr.ilvl.val if num_pr.ilvl is not None else 0
            number, bullet = numbering.label(str(num_pr.numId.val), ilvl)
        if level is not None:
            if number is None:
                number, text = _printed_number(text)
            blocks.append(Block("heading", text, number=number, level=level))
        elif number is not None or bullet:
            if number is not None and re.fullmatch(r"\d+(\.\d+)+", number) and ilvl == 0:
                blocks.append(Block("paragraph", text, number=number))
            else:
                blocks.append(Block("item", text, number=number, level=ilvl + 1))
        else:
            style = (part.style.name if part.style is not None else "") or ""
            if style.startswith("List"):
                blocks.append(Block("item", text, level=1))
                continue
            num, rest = _printed_number(text)
            blocks.append(Block("paragraph", rest, number=num, bold=_all_bold(part)))
    return build(path.name, blocks)


def _printed_number(text: str) -> tuple[str | None, str]:
    return clause_number(text)
