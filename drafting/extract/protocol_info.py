"""The protocol document itself: title, version, dates, approval, review rule, history."""

from __future__ import annotations

import re

from drafting.extract.common import cite, find_date, sentences
from drafting.model import Document, clean

_KV = re.compile(r"^\s*(?P<k>[A-Za-z][A-Za-z ()/'’]{2,40}?)\s*:\s*(?P<v>.*)$")
_VERSION = re.compile(r"^(?P<v>v(?:ersion)?\s*\d+(?:\.\d+)*|\d+\.\d+)\b[\s,:\-–]*(?P<rest>.*)$", re.I)


def _kv_pairs(doc: Document):
    """'Key: value' pairs from the front matter, paragraphs and two-column tables."""
    for b in doc.blocks:
        if b.kind == "table":
            for r, row in enumerate(b.rows):
                cells = [c.text for c in row]
                if len(cells) >= 2 and cells[0] and len(cells[0]) < 45:
                    yield cells[0].rstrip(":"), " ".join(c for c in cells[1:] if c), b, r
        elif b.kind in ("paragraph", "item") and len(b.text) < 400:
            for part in re.split(r"(?<=[.;|])\s+(?=[A-Z])|\s+(?=[A-Z][A-Za-z ]{2,30}:\s)|\s*\|\s*", b.text):
                m = _KV.match(part)
                if m:
                    yield m.group("k"), m.group("v").rstrip("."), b, None


_YEARS = {"two": 2, "three": 3, "four": 4, "five": 5, "2": 2, "3": 3, "4": 4, "5": 5}
_EVERY_N = re.compile(r"every (?P<n>two|three|four|five|[2-5]) years|(?P<n2>two|three|four|five|[2-5])[- ]yearly|(?P<bi>biennial|bi-ennial|bi-annual|every other year)")
_FROM_SIGNING = re.compile(r"from the date of signing|from (?:the )?date (?:of|it was) (?:signing|signed|signature|agreement|approval)|anniversary")
_ABOUT = re.compile(r"\b(?:this |the )?(?:protocol|document|agreement|memorandum|terms of reference|terms of engagement)\b")
# "…; date of next review: January 2027", "The next review is due in September 2026"
_NEXT_DATE = re.compile(r"(?:next review|review date|due for review|(?:will be |to be |is )?reviewed (?:in|by|on|before))\b[^.;]*", re.I)


def _rule_of(low: str) -> tuple[str, int | None] | None:
    """The review rule a phrase states and, for the every_years rules, how many years:
    "every two years" (also "biennial", "bi-annual") is every_years 2, counted from the signing
    where the phrase says so."""
    signing = bool(_FROM_SIGNING.search(low))
    m = _EVERY_N.search(low)
    if m:
        n = 2 if m.group("bi") else _YEARS[m.group("n") or m.group("n2")]
        return ("every_years_from_signing" if signing else "every_years"), n
    if re.search(r"annual|yearly|every year|each year|12 months|twelve months", low):
        return ("annual_from_signing" if signing else "annual"), None
    return None


def _next_date(sentence: str) -> str | None:
    """The next review date a sentence gives beside its rule ("… every two years; date of next
    review: January 2027")."""
    m = _NEXT_DATE.search(sentence)
    d = find_date(m.group(0)) if m else None
    return d[0] if d else None


def _said(text: str) -> str:
    """A next-review sentence as the protocol's words ("The next review is due in September 2026."),
    or a field's value labelled ("Next review: April 2026.")."""
    t = clean(text).rstrip(". ")
    return f"{t}." if re.search(r"\breview", t, re.I) else f"Next review: {t}."


def _review(rule: tuple[str, int | None], text: str, source: dict) -> dict:
    out = {"rule": rule[0], "text": text, "source": source}
    if rule[1] is not None:
        out["every_years"] = rule[1]
    return out


def extract_protocol_info(doc: Document, title: str, key: str = "protocol") -> dict:
    info: dict = {"title": title}
    history: list[dict] = []
    next_review = None
    kv_review: dict | None = None
    for k, v, b, r in _kv_pairs(doc):
        kl = k.lower()
        v = clean(v)
        if not v:
            continue
        src = cite(doc, b, row=r, key=key).source() if r is not None else cite(doc, b, key=key).source()
        if re.search(r"next review|to be reviewed|review date|due for review|date of review", kl):
            d = find_date(v)
            if d:
                next_review = (d[0], v, src)
        elif re.search(r"^review(?:\s+(?:frequency|period|cycle|arrangements?))?$", kl):
            # "Review: every two years; next review September 2026"
            d = find_date(v)
            if d:
                next_review = next_review or (d[0], v, src)
            rule = _rule_of(v.lower())
            if rule and kv_review is None:
                kv_review = _review(rule, clean(f"{k}: {v}"), src)
        elif re.search(r"^version(?: number| no\.?)?$|^version$", kl):
            vm = re.match(r"(v?\d+(?:\.\d+)*)", v, re.I)
            if vm:
                info["version"] = vm.group(1)
                d = find_date(v)
                if d:
                    info["version_date"] = d[0]
        elif re.search(r"date created|created|first published", kl):
            d = find_date(v)
            if d:
                info["created"] = d[0]
                vm = re.match(r"(v?\d+(?:\.\d+)*)\b", v, re.I)
                if vm:
                    history.append({"version": vm.group(1), "date": d[0], "change": "Created.", "source": src})
        elif re.search(r"date agreed|agreed|approved|approval|date signed|signed on|adopted", kl) and not re.search(r"approved by|agreed by", kl):
            d = find_date(v)
            if d:
                info["agreed"] = d[0]
        elif re.search(r"approved by|agreed by|endorsed by|signed off by", kl):
            info["approved_by"] = [clean(x) for x in re.split(r",\s*|;\s*|\s+and\s+", v.rstrip(".")) if clean(x)]
        elif re.search(r"author", kl):
            info["authors"] = v
    if "agreed" not in info:
        # front matter: "Agreed by the Leaders' Board, 14 January 2025. Version 3.", "… · Agreed 21 May 2024"
        for b in [x for x in doc.blocks[:10] if x.kind in ("paragraph", "heading")]:
            m = re.search(r"\b(?:agreed|approved|adopted)\b(?:\s+by\s+[^,.·|;]{1,60})?\s*[,:]?\s*(?:on\s+|in\s+)?(?P<rest>[^.·|;]{3,30})", b.text, re.I)
            d = find_date(m.group("rest")) if m else None
            if d and d[1] < 3:
                info["agreed"] = d[0]
                break
    if "agreed" not in info:
        for b in doc.blocks:
            if b.kind not in ("paragraph", "item") or "agreed" in info:
                continue
            about = bool(_ABOUT.search(b.text.lower()))
            for s in sentences(b.text):
                m = re.search(r"\b(?:was|were|has been|have been|is)\s+(?:formally\s+)?(?:agreed|approved|signed|adopted|endorsed)\b[^.;]{0,80}?\b(?:in|on)\s+(?P<rest>[^.;]{3,40})", s, re.I)
                if m and (_ABOUT.search(s.lower()) or about and re.match(r"it\b", s, re.I)):
                    d = find_date(m.group("rest"))
                    if d and d[1] < 5:
                        info["agreed"] = d[0]
                        break
    # version history: list items / paragraphs "V2.0 October 2015: Scrutiny added", or a table
    for b in doc.blocks:
        header_row = [c.text for c in b.rows[0]] if b.kind == "table" and b.rows else []
        if header_row and any(re.fullmatch(r"v?\d+(?:\.\d+)*", h.strip(), re.I) for h in header_row):
            pass  # "Version | 1.2" first: a document-control table of fields and values, not a version history
        elif b.kind == "table" and b.rows and re.search(r"version", " ".join(c.text for c in b.rows[0]), re.I):
            header = [c.text.lower() for c in b.rows[0]]
            vi = next((i for i, h in enumerate(header) if "version" in h), 0)
            di = next((i for i, h in enumerate(header) if "date" in h), None)
            ci = next((i for i, h in enumerate(header) if re.search(r"change|summary|description|amend|detail|comment|reason", h)), None)
            for r, row in enumerate(b.rows[1:], start=1):
                ver = row[vi].text if vi < len(row) else ""
                if not ver:
                    continue
                d = find_date(row[di].text) if di is not None and di < len(row) else None
                change = row[ci].text if ci is not None and ci < len(row) else ""
                h = {"version": ver, "change": change or "(no change described)", "source": cite(doc, b, row=r, key=key).source()}
                if d:
                    h["date"] = d[0]
                history.append(h)
        elif b.kind in ("item", "paragraph") and len(b.text) < 600:
            m = _VERSION.match(b.text)
            if m and (b.kind == "item" or (b.heading and re.search(r"version", b.heading.text, re.I))):
                rest = m.group("rest")
                d = find_date(rest)
                change = rest
                if d and d[1] < 5:
                    change = rest[d[2]:].lstrip(" :–-,")
                h = {"version": m.group("v"), "change": clean(change) or "(no change described)",
                     "source": cite(doc, b, key=key).source()}
                if d and d[1] < 25:
                    h["date"] = d[0]
                if not any(x["version"].lower() == h["version"].lower() for x in history):
                    history.append(h)
    if history:
        info["history"] = history
        if "version" not in info:
            last = history[-1]
            info["version"] = last["version"]
            if last.get("date"):
                info["version_date"] = last["date"]
    if "version" not in info:
        # front matter: "Version 4.0 – approved by the Joint Chairs' Group, 9 January 2025"
        for b in [x for x in doc.blocks[:10] if x.kind in ("paragraph", "heading")]:
            m = re.search(r"\bversion\s+(\d+(?:\.\d+)*)\b", b.text, re.I)
            if m:
                info["version"] = m.group(1)
                break
    # the review rule, and a next review date said beside it (in its sentence or the ones after it)
    review = None
    for b in doc.blocks:
        if b.kind not in ("paragraph", "item", "heading") or review:
            continue
        # "It was agreed in 2024 and will be reviewed every two years." is about the protocol
        # when its paragraph (or section) is
        about_protocol = bool(_ABOUT.search(b.text.lower()) or (b.heading and re.search(r"\breview", b.heading.text, re.I)))
        for s in sentences(b.text):
            low = s.lower()
            if not re.search(r"\breview(?:ed)?\b", low):
                continue
            if not (_ABOUT.search(low) or re.search(r"\bit will be reviewed|\b(?:this|these)\s+\w+(?:\s+\w+)?\s+(?:will|shall|is|are|should)\s+(?:be\s+)?reviewed", low)
                    or about_protocol and re.search(r"^it\b|\band (?:will|shall|is to) be reviewed|next review", low)):
                continue
            rule = _rule_of(low)
            if rule is None or review is not None:
                d = find_date(s)
                if d and re.search(r"review(?:ed)? (?:in|by|on|before)|next review|review (?:is )?due", low):
                    next_review = next_review or (d[0], s, cite(doc, b, s, key=key).source())
                continue
            also = []
            m = re.search(r"\bor\s+(?:sooner\s+)?(?:when|if|with|following|where|in the event (?:of|that))\s+(.+)$", s, re.I)
            if m:
                also = [clean(re.sub(r"^(?:any\s+)?", "", m.group(1)).rstrip("."))]
                if re.match(r"with\b", m.group(0)[3:].strip(), re.I):
                    also = [clean(m.group(1).rstrip("."))]
            review = _review(rule, clean(s), cite(doc, b, s, key=key).source())
            if also:
                review["also_when"] = also
            nd = _next_date(s)
            if nd and not next_review:
                review = {**review, "rule": "on_date", "next_due": nd}
                review.pop("every_years", None)
    if review is None and kv_review is not None:
        review = kv_review
    if next_review:
        date, text, src = next_review
        if review:
            # a stated next date is what a reminder can be set by; the rule's own words stay in the text
            review = {**review, "rule": "on_date", "next_due": date,
                      "text": review["text"] if clean(text).rstrip(". ") in review["text"] else clean(f"{review['text']} {_said(text)}")}
            review.pop("every_years", None)
            if src["clause"] != review["source"]["clause"]:
                review["source"]["clause"] = f"{review['source']['clause']}; {src['clause']}"
        else:
            review = {"rule": "on_date", "next_due": date, "text": _said(text), "source": src}
    if review:
        info["review"] = review
    return info
