"""Web pages through BeautifulSoup with the lxml parser.

Headings h1-h6, paragraphs, list items (ordered lists numbered as printed) and tables
become blocks; scripts, styles, navigation and page furniture are dropped; text sitting
directly in a ``div`` or ``section`` becomes a paragraph.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, NavigableString, Tag

from drafting.model import Block, Cell, Document, build, clause_number, clean, split_number

_SKIP = {"script", "style", "noscript", "nav", "header", "footer", "template", "svg", "form", "button", "head"}
_BLOCKY = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "table", "div", "section", "article",
           "main", "aside", "blockquote", "dl", "dt", "dd", "pre", "figure", "body", "html", "tr", "td", "th"}


def read_html(data: bytes, name: str) -> Document:
    soup = BeautifulSoup(data, "lxml")
    root = soup.find("main") or soup.find("article") or soup.body or soup
    return build(name, _walk(root, depth=0))


def html_blocks(fragment: str) -> list[Block]:
    return _walk(BeautifulSoup(fragment, "lxml"), depth=0)


def _text(el: Tag) -> str:
    return clean(el.get_text(" "))


def _is_bold(el: Tag) -> bool:
    strong = el.find(["b", "strong"])
    return bool(strong) and clean(strong.get_text(" ")).rstrip(":.") == _text(el).rstrip(":.")


def _walk(el: Tag, depth: int) -> list[Block]:
    out: list[Block] = []
    loose: list[str] = []

    def flush() -> None:
        s = clean(" ".join(loose))
        loose.clear()
        if s:
            num, rest = clause_number(s)
            out.append(Block("paragraph", rest if num else s, number=num))

    for child in el.children:
        if isinstance(child, NavigableString):
            if child.__class__.__name__ in ("Comment", "Doctype", "Declaration", "ProcessingInstruction"):
                continue
            loose.append(str(child))
            continue
        if not isinstance(child, Tag) or child.name in _SKIP:
            continue
        name = child.name
        if name not in _BLOCKY:
            if name == "br":
                loose.append(" ")
            else:
                loose.append(child.get_text(" "))
            continue
        flush()
        if re.fullmatch(r"h[1-6]", name):
            s = _text(child)
            num, rest = split_number(s)
            out.append(Block("heading", rest if num else s, number=num, level=int(name[1])))
        elif name == "p":
            s = _text(child)
            num, rest = clause_number(s)
            out.append(Block("paragraph", rest if num else s, number=num,
                             bold=_is_bold(child)))
        elif name in ("ul", "ol"):
            out.extend(_list(child, depth + 1))
        elif name == "table":
            rows = []
            for tr in child.find_all("tr"):
                if tr.find_parent("table") is not child:
                    continue
                cells = [Cell(_text(td)) for td in tr.find_all(["td", "th"], recursive=False)]
                for td in tr.find_all(["td", "th"], recursive=False):
                    span = int(td.get("colspan", 1) or 1) if str(td.get("colspan", "1")).isdigit() else 1
                    if span > 1:
                        idx = [c.text for c in cells].index(_text(td))
                        cells[idx + 1:idx + 1] = [Cell("") for _ in range(span - 1)]
                if cells:
                    rows.append(cells)
            if rows:
                width = max(len(r) for r in rows)
                out.append(Block("table", "", rows=[r + [Cell("")] * (width - len(r)) for r in rows]))
        elif name in ("dt",):
            out.append(Block("paragraph", _text(child), bold=True))
        elif name in ("dd", "pre", "blockquote", "figure"):
            out.extend(_walk(child, depth) if child.find(list(_BLOCKY)) else [Block("paragraph", _text(child))])
        else:
            out.extend(_walk(child, depth))
    flush()
    return out


def _list(lst: Tag, depth: int) -> list[Block]:
    out: list[Block] = []
    ordered = lst.name == "ol"
    n = int(lst.get("start", 1) or 1) - 1 if ordered and str(lst.get("start", "1")).lstrip("-").isdigit() else 0
    kind = (lst.get("type") or "1") if ordered else None
    for li in lst.find_all("li", recursive=False):
        n += 1
        nested = li.find_all(["ul", "ol"], recursive=False)
        for sub in nested:
            sub.extract()
        s = _text(li)
        number = None
        if ordered:
            number = chr(96 + n) if kind == "a" else (chr(64 + n) if kind == "A" else str(li.get("value") or n))
        num, rest = split_number(s)
        if num and number is None and num[0].isdigit():
            number, s = num, rest
        if s:
            out.append(Block("item", s, number=number, level=depth))
        for sub in nested:
            out.extend(_list(sub, depth + 1))
    return out
