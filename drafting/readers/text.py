"""Plain text: blank-line paragraphs, bullets and numbered clauses, tab-separated tables.

Text exported from Word or copied from a web page often keeps a little markup (``**bold**``,
``## headings``, ``<b>`` tags, ``[links](#)``, HTML inside table cells); it is stripped here
with BeautifulSoup rather than by hand, and headings are recognised by their numbering,
``#`` marks, capitals, or by being a short line standing alone before longer text.
"""

from __future__ import annotations

import re

from drafting.model import Block, Cell, Document, build, split_number

_BULLET = re.compile(r"^(\s*)(?:[-*•●▪◦✓✔·]|\u2022)\s+")
_HASH = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_TAG = re.compile(r"</?(?:b|strong|i|em|u|a|span|br|p|ul|li|ol|div)\b[^>]*>", re.I)
_TERMINAL = (".", ";", ",", ":", "?", "!")


def strip_markup(line: str) -> tuple[str, bool]:
    """Remove inline markup; say whether the whole line was bold."""
    s = line.strip()
    bold = bool(re.fullmatch(r"(\*\*|__)(.+?)\1[:.]?", s)) or bool(re.fullmatch(r"<(b|strong)>.*</\1>.*", s, re.I))
    s = _LINK.sub(r"\1", s)
    s = s.replace("\\(", "(").replace("\\)", ")")
    if "<" in s and ">" in s:
        s = _html_text(s)
    s = re.sub(r"(\*\*|__)(.+?)\1", r"\2", s)
    s = s.replace("**", "")
    s = re.sub(r"(?<!\w)\*(\S(?:.*?\S)?)\*(?!\w)", r"\1", s)
    return s.strip(), bold


def _html_text(s: str) -> str:
    from bs4 import BeautifulSoup

    if not _TAG.search(s) and not re.search(r"</?\w+[^>]*>", s):
        return s
    soup = BeautifulSoup(s, "lxml")
    for li in soup.find_all("li"):
        li.insert_before(" • ")
    for p in soup.find_all(["p", "br", "div"]):
        p.insert_after(" ")
    return soup.get_text(" ")


def _is_heading_candidate(s: str) -> bool:
    if not s or len(s) > 90 or len(s.split()) > 12:
        return False
    if s.endswith(_TERMINAL) or _BULLET.match(s):
        return False
    if re.search(r":\s*\S", s):  # "Date of next review: January 2018"
        return False
    return bool(re.search(r"[A-Za-z]{3,}", s))


def read_text(text: str, name: str) -> Document:
    raw = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    # 1. logical lines: join markdown hard breaks ("  " at end) and wrapped continuations
    lines: list[tuple[str, str]] = []  # (original line, kind hint)
    for line in raw:
        if "\t" in line and line.strip():
            lines.append((line, "row"))
        elif not line.strip() or re.fullmatch(r"\s*(-{3,}|_{3,}|\*{3,})\s*", line):
            lines.append(("", "blank"))
        else:
            if lines and lines[-1][1] == "text" and lines[-1][0].endswith("  "):
                lines[-1] = (lines[-1][0].rstrip() + " " + line.lstrip(), "text")
            else:
                lines.append((line.rstrip("\n"), "text"))
    blocks: list[Block] = []
    pending_rows: list[list[Cell]] = []

    def flush_table() -> None:
        if pending_rows:
            width = max(len(r) for r in pending_rows)
            rows = [r + [Cell("")] * (width - len(r)) for r in pending_rows]
            blocks.append(Block("table", "", rows=rows))
            pending_rows.clear()

    next_of: dict[int, int | None] = {}
    following: int | None = None
    for j in range(len(lines) - 1, -1, -1):
        next_of[j] = following
        if lines[j][1] != "blank":
            following = j
    for i, (line, kind) in enumerate(lines):
        if kind == "row":
            cells = [Cell(strip_markup(c)[0]) for c in line.split("\t")]
            if len(cells) == 1:
                kind = "text"
            else:
                if pending_rows and not cells[0].text and any(c.text for c in cells):
                    # a cell's text wrapped onto the next line: part of the row above
                    prev = pending_rows[-1]
                    for j, c in enumerate(cells):
                        if c.text and j < len(prev):
                            prev[j] = Cell((prev[j].text + " " + c.text).strip())
                        elif c.text:
                            prev.append(c)
                    continue
                pending_rows.append(cells)
                continue
        if kind == "blank":
            # a blank line inside a table (a wrapped cell) does not end it
            nxt = next_of.get(i)
            if pending_rows and not (nxt is not None and lines[nxt][1] == "row"):
                flush_table()
            continue
        flush_table()
        m = _HASH.match(line)
        if m:
            s, _ = strip_markup(m.group(2))
            num, rest = split_number(s)
            blocks.append(Block("heading", rest if num else s, number=num, level=len(m.group(1))))
            continue
        b = _BULLET.match(line)
        if b:
            depth = 1 + (len(b.group(1).replace("\t", "    ")) + 1) // 2
            s, _ = strip_markup(line[b.end():])
            num, rest = split_number(s)
            blocks.append(Block("item", rest if num else s, number=num, level=depth))
            continue
        s, bold = strip_markup(line)
        if not s:
            continue
        num, rest = split_number(s)
        if num and re.fullmatch(r"[a-z]|[ivx]+", num, re.I) and re.match(r"^\s*\(?[a-z]{1,4}\)", s, re.I):
            blocks.append(Block("item", rest, number=num, level=2))
            continue
        nxt = next_of.get(i)
        nxt_text = strip_markup(lines[nxt][0])[0] if nxt is not None else ""
        nxt_is_row = nxt is not None and lines[nxt][1] == "row"
        letters = re.sub(r"[^A-Za-z]", "", s)
        caps = len(letters) >= 4 and letters.isupper()
        if num and re.fullmatch(r"\d+(\.\d+)*", num) and (_is_heading_candidate(rest) or caps and len(rest) < 250):
            blocks.append(Block("heading", rest, number=num, level=num.count(".") + 1))
            continue
        if num and re.fullmatch(r"\d+(\.\d+)*", num):
            blocks.append(Block("paragraph", rest, number=num))
            continue
        if caps and _is_heading_candidate(s) or (caps and len(s) < 200 and not s.endswith(".")):
            blocks.append(Block("heading", s, level=1 if not blocks else 2, bold=bold))
            continue
        standalone = (i == 0 or lines[i - 1][1] == "blank")
        if _is_heading_candidate(s) and standalone and (
                nxt_is_row or _BULLET.match(lines[nxt][0] if nxt is not None else "") or len(nxt_text) > 90
                or (bold and not s.endswith(":"))):
            blocks.append(Block("heading", s, level=_sub_level(blocks), bold=bold))
            continue
        if blocks and blocks[-1].kind == "paragraph" and not standalone and blocks[-1].text and \
                not blocks[-1].text.rstrip().endswith(_TERMINAL) and s[:1].islower():
            blocks[-1].text += " " + s  # a wrapped line
            continue
        blocks.append(Block("paragraph", s, bold=bold))
    flush_table()
    return build(name, blocks)


def _sub_level(blocks: list[Block]) -> int:
    for b in reversed(blocks):
        if b.kind == "heading" and b.number:
            return b.level + 1
    return 2
