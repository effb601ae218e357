"""The neutral document model every reader produces and every extractor reads.

A document is a list of blocks in reading order: headings (with their numbering and
level), paragraphs, list items and tables (rows of cells). Every block and cell knows its
character span in one plain-text rendering of the whole document (``Document.text``), so a
drafted fact can quote the passage it came from and the review page can highlight it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

BlockKind = Literal["heading", "paragraph", "item", "table"]


@dataclass
class Cell:
    text: str
    start: int = 0
    end: int = 0


@dataclass
class Block:
    """One heading, paragraph, list item or table.

    ``number`` is the clause or list number as printed or as the document's numbering gives
    it ("10.3", "2", "a"); ``level`` is the heading level or the list depth (1 = top).
    ``bold`` marks a paragraph printed wholly in bold (often a heading in disguise).
    """

    kind: BlockKind
    text: str
    number: str | None = None
    level: int = 1
    bold: bool = False
    rows: list[list[Cell]] = field(default_factory=list)
    start: int = 0
    end: int = 0
    index: int = 0
    # filled by Document: the headings this block sits under, outermost first
    headings: list[Block] = field(default_factory=list, repr=False)

    @property
    def heading(self) -> Block | None:
        return self.headings[-1] if self.headings else None


@dataclass
class Document:
    """A protocol document in reading order, with its plain-text rendering."""

    name: str
    blocks: list[Block]
    text: str = ""

    def block_at(self, pos: int) -> Block | None:
        for b in self.blocks:
            if b.start <= pos < b.end:
                return b
        return None


_NUM = re.compile(r"^\s*((?:\d{1,2}(?:\.\d{1,2}){0,3})|[a-z]|[ivx]{1,4})([.):]|\s)\s*(?=\S)", re.I)


def split_number(text: str) -> tuple[str | None, str]:
    """'10.3 Any of the Chairs' -> ('10.3', 'Any of the Chairs'); 'a) text' -> ('a', 'text')."""
    m = _NUM.match(text)
    if not m:
        return None, text
    num, sep = m.group(1), m.group(2)
    rest = text[m.end():]
    if num.isalpha() and sep.isspace():
        return None, text  # a word, not a letter number ("I think", "a board")
    if num.isalpha() and len(num) > 1 and not re.fullmatch(r"[ivx]+", num, re.I):
        return None, text
    if re.fullmatch(r"\d{3,}", num):
        return None, text
    return num.rstrip("."), rest


_CLAUSE_ALNUM = re.compile(r"^\s*([A-Z]\d{1,2}(?:\.\d{1,2}){0,2})(?:[.):]\s*|\s+)(?=\S)")
_CLAUSE_BRACKET = re.compile(r"^\s*\(?(\d{1,2}|[a-z]|[ivx]{1,4})\)\s*(?=\S)")


def clause_number(text: str) -> tuple[str | None, str]:
    """The clause number a paragraph is printed with, if it is one: '2.1 …', 'B3. …' (sections
    lettered and clauses numbered within them), '(c) …' or 'c) …'; otherwise (None, text).
    A bare letter without a bracket ('a …') is a word, not a number."""
    m = _CLAUSE_BRACKET.match(text) or _CLAUSE_ALNUM.match(text)
    if m:
        return m.group(1), text[m.end():]
    num, rest = split_number(text)
    if num and num[0].isdigit():
        return num, rest
    return None, text


def clean(text: str) -> str:
    """Collapse whitespace; keep the words as printed."""
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


def build(name: str, blocks: list[Block]) -> Document:
    """Lay out ``blocks`` as one plain text, give each its span, and link each to its headings."""
    parts: list[str] = []
    pos = 0
    stack: list[Block] = []
    out: list[Block] = []
    for b in blocks:
        if b.kind != "table":
            b.text = clean(b.text)
            if not b.text:
                continue
        else:
            b.rows = [[Cell(clean(c.text)) for c in row] for row in b.rows]
            b.rows = [r for r in b.rows if any(c.text for c in r)]
            if not b.rows:
                continue
        if parts:
            parts.append("\n\n")
            pos += 2
        b.start = pos
        if b.kind == "table":
            lines = []
            for r, row in enumerate(b.rows):
                if r:
                    lines.append("\n")
                    pos += 1
                for c, cell in enumerate(row):
                    if c:
                        lines.append(" | ")
                        pos += 3
                    cell.start = pos
                    lines.append(cell.text)
                    pos += len(cell.text)
                    cell.end = pos
            parts.append("".join(lines))
            b.text = "".join(lines)
        else:
            label = f"{b.number} " if b.number and b.kind == "heading" else ""
            if b.kind == "item":
                label = f"{b.number}. " if b.number else "• "
            elif b.number and b.kind == "paragraph":
                label = f"{b.number} "
            parts.append(label + b.text)
            pos += len(label)
            b_text_start = pos
            pos += len(b.text)
            b.start = b_text_start
        b.end = pos
        if b.kind == "heading":
            while stack and stack[-1].level >= b.level:
                stack.pop()
            b.headings = list(stack)
            stack.append(b)
        else:
            b.headings = list(stack)
        b.index = len(out)
        out.append(b)
    return Document(name=name, blocks=out, text="".join(parts))


def heading_label(h: Block) -> str:
    return f"{h.number} {h.text}" if h.number else h.text


def section_label(b: Block) -> str:
    """The heading a block sits under, with the nearest section number: '2.1 Governance'."""
    if not b.headings:
        return "Front page"
    h = b.headings[-1]
    if h.number:
        return heading_label(h)
    num = next((x.number for x in reversed(b.headings) if x.number), None)
    return f"{num} {h.text}" if num else h.text


def clause_of(b: Block, row: int | None = None, doc: Document | None = None) -> str:
    """How a fact drawn from ``b`` is cited: '10.3', '7 Mutual Challenge, item 2',
    '4 Themes table (Domestic Abuse)'."""
    if b.kind == "heading":
        return heading_label(b)
    if b.kind == "table":
        label = f"{section_label(b)} table"
        if row is not None and 0 <= row < len(b.rows):
            first = next((c.text for c in b.rows[row] if c.text), "")
            if first:
                label += f" ({shorten(first, 60)})"
        return label
    if b.number and re.fullmatch(r"\d+(\.\d+)+|\d+", b.number):
        if b.kind == "item" and doc is not None and not _has_dotted(b.number):
            return f"{section_label(b)}, item {b.number}"
        return b.number
    if b.kind == "item":
        if b.number:
            return f"{section_label(b)}, {b.number})"
        if doc is not None:
            n = 1
            i = b.index - 1
            while i >= 0 and doc.blocks[i].kind == "item":
                if doc.blocks[i].level == b.level:
                    n += 1
                i -= 1
            # a list under a numbered clause paragraph cites that clause
            if i >= 0 and doc.blocks[i].kind == "paragraph" and doc.blocks[i].number and _has_dotted(doc.blocks[i].number):
                return f"{doc.blocks[i].number}, item {n}"
            return f"{section_label(b)}, item {n}"
    if b.kind == "paragraph" and b.number:
        return b.number if b.number[0].isupper() else f"{section_label(b)}, ({b.number})"
    if doc is not None and b.kind == "paragraph":
        # a paragraph following a numbered clause belongs to it
        i = b.index - 1
        while i >= 0 and doc.blocks[i].kind in ("paragraph", "item") and not doc.blocks[i].number:
            i -= 1
        if i >= 0 and doc.blocks[i].kind == "paragraph" and doc.blocks[i].number and _has_dotted(doc.blocks[i].number):
            return doc.blocks[i].number
    return section_label(b)


def _has_dotted(n: str) -> bool:
    return "." in n


def shorten(text: str, width: int) -> str:
    text = clean(text)
    if len(text) <= width:
        return text
    cut = text[: width - 1].rsplit(" ", 1)[0]
    return cut + "…"
