"""What every extractor shares: citing a passage, sentences, dates, cadences."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from drafting.model import Block, Document, clause_of, clean

QUOTE_MAX = 400


@dataclass(frozen=True)
class Cite:
    """Where a drafted fact came from: the clause as the document numbers or heads it, and the words."""

    clause: str
    quote: str
    doc: str = "protocol"

    def source(self) -> dict:
        return {"doc": self.doc, "clause": self.clause, "review": "pending", "quote": self.quote}


def cite(doc: Document, block: Block, quote: str | None = None, row: int | None = None, key: str = "protocol") -> Cite:
    text = quote if quote is not None else (
        " | ".join(c.text for c in block.rows[row] if c.text) if row is not None else block.text)
    text = clean(text)
    if len(text) > QUOTE_MAX:
        text = text[: QUOTE_MAX - 1].rsplit(" ", 1)[0] + "…"
    return Cite(clause_of(block, row=row, doc=doc), text, key)


_SENT = re.compile(r"(?<=[.!?;])\s+(?=[A-Z(\"'‘“])")


def sentences(text: str) -> list[str]:
    """Split prose into sentences, keeping abbreviations like 'e.g.' together well enough."""
    parts = _SENT.split(text)
    out: list[str] = []
    for p in parts:
        if out and re.search(r"\b(e\.g|i\.e|etc|no|cf|vs|St|Dr|Mr|Mrs|Ms|Cllr)\.$", out[-1], re.I):
            out[-1] += " " + p
        else:
            out.append(p)
    return [s.strip() for s in out if s.strip()]


MONTHS = {m: i + 1 for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"])}
MONTHS.update({k[:3]: v for k, v in list(MONTHS.items())})
MONTHS["sept"] = 9

_DATE_DMY = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?,?\s+(\d{4})\b", re.I)
_DATE_MY = re.compile(r"\b(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?,?\s+(\d{4})\b", re.I)
_DATE_ISO = re.compile(r"\b(\d{4})-(\d{2})(?:-(\d{2}))?\b")
_DATE_NUM = re.compile(r"\b(\d{1,2})[/.](\d{1,2})[/.](\d{4})\b")
_DATE_MNUM = re.compile(r"\b(\d{1,2})[/.](\d{4})\b")


def find_date(text: str) -> tuple[str, int, int] | None:
    """The first date in ``text`` as a partial ISO date ('2018-01', '2016-04-28', '2019'), with its span."""
    found = []
    for rx, kind in ((_DATE_DMY, "dmy"), (_DATE_MY, "my"), (_DATE_ISO, "iso"), (_DATE_NUM, "num"), (_DATE_MNUM, "mnum")):
        for m in rx.finditer(text):
            found.append((m.start(), m.end(), kind, m))
    if not found:
        m = re.search(r"\b(19|20)\d{2}\b", text)
        return (m.group(0), m.start(), m.end()) if m else None
    found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
    start, end, kind, m = found[0]
    if kind == "dmy" and 1 <= int(m.group(1)) <= 31 and not text[max(0, start - 2):start].endswith("."):
        return f"{m.group(3)}-{MONTHS[m.group(2).lower()]:02d}-{int(m.group(1)):02d}", start, end
    if kind == "dmy":
        kind, m = "my", _DATE_MY.search(text, start)
        start, end = m.start(), m.end()
    if kind == "my":
        return f"{m.group(2)}-{MONTHS[m.group(1).lower()]:02d}", start, end
    if kind == "iso":
        return m.group(0), start, end
    if kind == "num":
        d, mo, y = int(m.group(1)), int(m.group(2)), m.group(3)
        if 1 <= mo <= 12 and 1 <= d <= 31:
            return f"{y}-{mo:02d}-{d:02d}", start, end
        return None
    mo, y = int(m.group(1)), m.group(2)
    return (f"{y}-{mo:02d}", start, end) if 1 <= mo <= 12 else None


CADENCES: list[tuple[str, str, float | None]] = [
    ("after_each_meeting", r"after (?:each|every) (?:board )?meeting", None),
    ("monthly", r"\bmonthly\b|every month|each month|once a month|12 times (?:a|per|each) year", 12),
    ("quarterly", r"quarterly|every (?:three|3) months|four times (?:a|per|each) year|4 times (?:a|per|each) year|each quarter|every quarter|once a quarter", 4),
    ("six_monthly", r"six[- ]monthly|6[- ]monthly|twice (?:a|per|each) year|twice[- ]yearly|every (?:six|6) months|bi-?annual(?:ly)?\b|half[- ]yearly|two times (?:a|per) year", 2),
    ("annual", r"annually|\bannual basis|\ban annual\b(?= meeting)|once (?:a|per|each) year|every year|each year|yearly|at least annually|on an annual|at least once a year|\bannual meeting", 1),
    ("as_needed", r"as and when|as required|when required|as necessary|when necessary|as needed|when needed|ad hoc|in response to emerging", None),
]


_NUMBER = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
           "eleven": 11, "twelve": 12}
_N = r"(\d+|" + "|".join(_NUMBER) + r")"
# a count a year in any of its wordings; the schema's cadences are named after the counts they hold
_COUNTS: list[tuple[str, Callable[[int], float | None]]] = [
    (rf"(?:\b(?:at\s+least|a\s+minimum\s+of|no\s+(?:fewer|less)\s+than)\s+)?(?:\bon\s+)?\b{_N}\s+(?:times|meetings|occasions)\s+(?:a|per|each|every|in\s+a|in\s+each)\s+(?:year|annum)", lambda n: n),
    (rf"\bevery\s+{_N}\s+months\b", lambda n: 12 / n if n else None),
    (r"\btermly\b|\bonce\s+(?:a|per|each)\s+(?:school\s+)?term\b|\b(?:each|every|per)\s+(?:school\s+)?term\b(?!\s+of)", lambda n: 3),
    (r"\bbi-?monthly\b|every\s+other\s+month", lambda n: 6),
]
_PER_YEAR = {1: "annual", 2: "six_monthly", 4: "quarterly", 12: "monthly"}


def cadence_of(text: str) -> tuple[str, float | None, str] | None:
    """('quarterly', 4, 'meet quarterly') for the first cadence ``text`` states.

    A count a year the schema has no cadence for ("three times a year", "termly", "every
    four months") is ('other', 3, the words): its number is kept, its name is not invented."""
    low = text.lower()
    best = None
    for name, rx, per in CADENCES:
        m = re.search(rx, low)
        if m and (best is None or m.start() < best[3]):
            best = (name, per, m.group(0), m.start())
    count = None
    for rx, per_year in _COUNTS:
        m = re.search(rx, low)
        if m and (count is None or m.start() < count[1].start()):
            n = m.group(1) if m.groups() and m.group(1) else ""
            num = int(n) if n.isdigit() else _NUMBER.get(n, 0)
            count = (per_year(num), m)
    if count and count[0] and (best is None or count[1].start() <= best[3]):
        n, m = count
        n = float(n)
        name = _PER_YEAR.get(int(n)) if n == int(n) else None
        return (name, n, m.group(0)) if name else ("other", n, text[m.start():m.end()])
    if best is None:
        return None
    return best[0], best[1], best[2]


SEASONS = ("spring", "summer", "autumn", "winter")
MONTH_SEASON = {3: "spring", 4: "spring", 5: "spring", 6: "summer", 7: "summer", 8: "summer", 9: "autumn",
                10: "autumn", 11: "autumn", 12: "winter", 1: "winter", 2: "winter"}


def season_of(text: str) -> tuple[str | None, int | None]:
    """The season a text names, or the season of the month it names (with the month)."""
    low = text.lower()
    for s in SEASONS:
        if re.search(rf"\b{s}\b", low):
            return s, None
    if re.search(r"\bfall\b", low):
        return "autumn", None
    m = re.search(r"\b(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\b", low)
    if m and not (m.group(1) == "may" and not re.search(r"\bin may\b|\bmay\s+(?:each|every|meeting)|\bby may\b", low)):
        month = MONTHS[m.group(1)]
        return MONTH_SEASON[month], month
    return None, None


def slug_key(text: str, taken: set[str] | None = None, max_len: int = 48) -> str:
    """A schema key (lower_snake) from a name, unique among ``taken``."""
    k = re.sub(r"[^a-z0-9]+", "_", text.lower().replace("&", " and ").replace("'", "")).strip("_")
    k = re.sub(r"_+", "_", k)[:max_len].strip("_") or "item"
    if not k[0].isalpha():
        k = "x_" + k
    if taken is not None:
        base, n = k, 2
        while k in taken:
            k = f"{base}_{n}"
            n += 1
        taken.add(k)
    return k


def parse_partial(value: str):
    """'2025', '2025-04' or '2025-04-01' as a date (the first day where partial)."""
    import datetime as dt

    parts = [int(x) for x in value.split("-")] + [1, 1]
    return dt.date(parts[0], parts[1] or 1, parts[2] or 1)
