"""PDF through pdfplumber: text lines with their fonts, and ruled tables.

Tables found by pdfplumber are read cell by cell and their area is left out of the running
text. Lines are grouped into paragraphs by the gaps between them; a line in a larger or
bold font standing alone is a heading; a line starting with a bullet or a number starts a
list item or clause. Page numbers and lines repeated on every page (running headers and
footers) are dropped.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pdfplumber

from drafting.model import Block, Cell, Document, build, clean, split_number

_BULLET = re.compile(r"^\s*(?:[-*•●▪◦✓✔·]|\u2022|\uf0b7)\s*")
_PAGE_NO = re.compile(r"^\s*(?:page\s*)?\d+(?:\s*(?:of|/)\s*\d+)?\s*$", re.I)


def _inside(obj, boxes) -> bool:
    x = (obj["x0"] + obj["x1"]) / 2
    y = (obj["top"] + obj["bottom"]) / 2
    return any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes)


def read_pdf(path: Path) -> Document:
    items: list[tuple[int, float, str, object]] = []  # (page, top, kind, payload)
    sizes: Counter[float] = Counter()
    with pdfplumber.open(str(path)) as pdf:
        for pno, page in enumerate(pdf.pages):
            tables = page.find_tables()
            boxes = [t.bbox for t in tables]
            for t in tables:
                rows = [[Cell(clean(c or "")) for c in row] for row in t.extract()]
                items.append((pno, t.bbox[1], "table", rows))
            body = page.filter(lambda o, boxes=boxes: not (o.get("object_type") == "char" and _inside(o, boxes)))
            for line in body.extract_text_lines(return_chars=True, strip=True):
                chars = [c for c in line["chars"] if c["text"].strip()]
                if not chars:
                    continue
                size = round(sum(c["size"] for c in chars) / len(chars), 1)
                bold = sum(1 for c in chars if re.search(r"bold|black|heavy", c["fontname"], re.I)) > 0.8 * len(chars)
                if len(chars) >= 50:  # running prose, not headings or table cells, sets the body size
                    sizes[size] += len(chars)
                items.append((pno, line["top"], "line",
                              {"text": line["text"], "size": size, "bold": bold, "top": line["top"],
                               "bottom": line["bottom"], "x0": line["x0"]}))
    items.sort(key=lambda it: (it[0], it[1]))
    body_size = sizes.most_common(1)[0][0] if sizes else 10.0
    repeated = Counter(clean(p["text"]) for _, _, k, p in items if k == "line")
    pages = len({it[0] for it in items}) or 1
    blocks: list[Block] = []
    current: Block | None = None
    last_bottom = None
    last_page = -1
    last_kind_on_page: dict[int, str] = {}
    for pno, _top, kind, payload in items:
        if kind == "table":
            current = None
            rows = payload  # type: ignore[assignment]
            prev = blocks[-1] if blocks else None
            # a table that starts a page and has the width of the table ending the page before continues it
            if (prev is not None and prev.kind == "table" and pno not in last_kind_on_page
                    and len(prev.rows[0]) == len(rows[0])):
                head = [c.text for c in prev.rows[0]]
                rows = [r for r in rows if [c.text for c in r] != head]
                if rows and not rows[0][0].text:
                    # the last row broke across the page: its other cells continue the row above
                    last = prev.rows[-1]
                    for j, c in enumerate(rows.pop(0)):
                        if c.text and j < len(last):
                            last[j] = Cell(clean(last[j].text + " " + c.text))
                prev.rows.extend(rows)
            else:
                blocks.append(Block("table", "", rows=rows))
            last_kind_on_page[pno] = "table"
            continue
        line = payload  # type: ignore[assignment]
        text = clean(line["text"])
        if _PAGE_NO.match(text) or (pages >= 3 and repeated[text] >= pages - 1 and len(text) < 80):
            continue
        last_kind_on_page.setdefault(pno, "line")
        height = line["bottom"] - line["top"]
        gap = (line["top"] - last_bottom) if (last_bottom is not None and pno == last_page) else 999
        last_bottom, last_page = line["bottom"], pno
        big = line["size"] >= body_size * 1.15
        b = _BULLET.match(text)
        if b and b.end() < len(text):
            current = Block("item", text[b.end():], level=1 if line["x0"] < 90 else 2)
            blocks.append(current)
            continue
        num, rest = split_number(text)
        short = len(text) < 90 and not text.endswith((".", ";", ",", ":"))
        wrapped = current is not None and current.kind == "heading" and gap < height * 0.6 and current.end > 55
        if (big or (line["bold"] and short)) and not wrapped:
            if num and num[0].isdigit():
                current = Block("heading", rest, number=num, level=num.count(".") + 1)
            else:
                numbered = [x for x in blocks if x.kind == "heading" and x.number]
                level = 1 if line["size"] >= body_size * 1.5 and not numbered else (numbered[-1].level + 1 if numbered else 2)
                current = Block("heading", text, level=level)
            current.end = len(text)  # the printed width of its last line, for telling a wrapped heading apart
            blocks.append(current)
            continue
        if wrapped and (big or line["bold"]):
            current.text += " " + text
            current.end = len(current.text)
            continue
        starts_clause = num is not None and (num[0].isdigit() or re.match(r"^\(?[a-z]\)", text))
        if (starts_clause and current is not None and current.kind in ("paragraph", "item") and gap < height * 0.9
                and not current.text.rstrip().endswith((".", ":", ";")) and rest[:1].islower()):
            starts_clause = False  # "… who should respond within" / "20 working days.": a wrapped line, not clause 20
        if current is not None and current.kind in ("paragraph", "item") and gap < height * 0.9 and not starts_clause:
            current.text += " " + text
            continue
        if starts_clause and num is not None and not num[0].isdigit():
            current = Block("item", rest, number=num, level=2)
        elif starts_clause:
            current = Block("paragraph", rest, number=num)
        else:
            current = Block("paragraph", text, bold=line["bold"])
        blocks.append(current)
    return build(path.name, blocks)
