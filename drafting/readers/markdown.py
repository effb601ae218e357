"""Markdown through markdown-it-py's token stream (CommonMark plus pipe tables)."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt

from drafting.model import Block, Cell, Document, build, clause_number, split_number


def _inline(tok) -> str:
    out = []
    for ch in tok.children or []:
        if ch.type in ("text", "code_inline", "html_inline"):
            out.append(ch.content if ch.type != "html_inline" else "")
        elif ch.type in ("softbreak", "hardbreak"):
            out.append(" ")
        elif ch.type == "image":
            out.append(ch.content)
    return "".join(out)


def _bold(tok) -> bool:
    kids = [c for c in (tok.children or []) if not (c.type == "text" and not c.content.strip())]
    return len(kids) >= 3 and kids[0].type == "strong_open" and kids[-1].type == "strong_close" or \
        (len(kids) >= 4 and kids[0].type == "strong_open" and kids[-2].type == "strong_close" and kids[-1].type == "text" and kids[-1].content.strip() in (":", "."))


def _lettered(content: str) -> bool:
    lines = [x.strip() for x in content.split("\n") if x.strip()]
    marked = [x for x in lines if re.match(r"^\(?(?:[a-z]|[ivx]{1,4}|\d{1,2})[.)]\s", x)]
    return len(marked) >= 2 and len(marked) >= len(lines) - 1


def read_markdown(text: str, name: str) -> Document:
    md = MarkdownIt("commonmark").enable("table")
    tokens = md.parse(text)
    blocks: list[Block] = []
    lists: list[dict] = []  # {"ordered": bool, "n": int}
    item: Block | None = None
    table: Block | None = None
    row: list[Cell] | None = None
    heading_level = 0
    for _i, tok in enumerate(tokens):
        t = tok.type
        if t == "heading_open":
            heading_level = int(tok.tag[1])
        elif t == "heading_close":
            heading_level = 0
        elif t in ("bullet_list_open", "ordered_list_open"):
            start = int(tok.attrGet("start") or 1) if t == "ordered_list_open" else 0
            lists.append({"ordered": t == "ordered_list_open", "n": start - 1})
        elif t in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif t == "list_item_open":
            lst = lists[-1]
            number = None
            if lst["ordered"]:
                lst["n"] = int(tok.info) if tok.info and tok.info.isdigit() else lst["n"] + 1
                number = str(lst["n"])
            item = Block("item", "", number=number, level=len(lists))
            blocks.append(item)
        elif t == "list_item_close":
            item = None
        elif t == "table_open":
            table = Block("table", "", rows=[])
            blocks.append(table)
        elif t == "table_close":
            table = None
        elif t == "tr_open":
            row = []
        elif t == "tr_close" and table is not None and row is not None:
            table.rows.append(row)
            row = None
        elif t == "inline":
            content = _inline(tok)
            if row is not None:
                row.append(Cell(content))
            elif heading_level:
                num, rest = split_number(content)
                blocks.append(Block("heading", rest if num else content, number=num, level=heading_level))
            elif item is not None:
                if item.text:
                    # a second paragraph inside an item stands on its own, under the item
                    blocks.append(Block("paragraph", content))
                else:
                    num, rest = split_number(content)
                    if num and item.number is None:
                        item.number, content = num, rest
                    item.text = content
            elif _lettered(tok.content):
                # "a) …\nb) …" lines in one paragraph: a lettered list CommonMark does not know
                for line in tok.content.split("\n"):
                    num, rest = split_number(line.strip())
                    if num:
                        blocks.append(Block("item", rest, number=num, level=len(lists) + 1))
                    elif blocks and blocks[-1].kind == "item":
                        blocks[-1].text += " " + line.strip()
            else:
                num, rest = clause_number(content)
                blocks.append(Block("paragraph", rest if num else content, number=num, bold=_bold(tok)))
        elif t == "html_block":
            from drafting.readers.html import html_blocks

            blocks.extend(html_blocks(tok.content))
    return build(name, blocks)
