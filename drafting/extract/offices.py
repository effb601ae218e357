"""A board's offices as drafted: whether words are a person's name, an office read from a
cell or a line ("Jo Bell, Independent Chair"), and the record of the offices found so far,
board by board, each said once."""

from __future__ import annotations

import re

from drafting.extract.names import find_names
from drafting.model import clean

_HONORIFIC = r"(?:(?:County |Borough |District |City )?Councillor|Cllr\.?|Dr\.?|Mr\.?|Mrs\.?|Ms\.?|Miss|Prof(?:essor)?\.?|Sir|Dame|Lord|Lady|Rev(?:erend)?\.?|(?:Chief |Detective )?(?:Superintendent|Inspector|Constable)|Ch(?:ief)? Supt\.?|Supt\.?)"


_PERSON = re.compile(rf"^(?:{_HONORIFIC}\s+)*(?:[A-Z][a-zA-Z'’\-]+|[A-Z]{{1,3}}\.?)(?:\s+(?:{_HONORIFIC}|[A-Z][a-zA-Z'’\-]+|[A-Z]{{1,3}}\.?|de|van|von|da|le)){{1,5}}(?:,?\s+(?:OBE|MBE|CBE|QPM|DL|KC|QC|JP))*$")


ROLE = re.compile(r"\b(independent co-?chair|independent chair|co-?\s?chair(?:man|person)?|vice[- ]chair(?:man|person)?|joint chair|chair(?:man|person)?)\b", re.I)


_NOT_PERSON = re.compile(r"\b(?:board|partnership|trust|council|group|committee|panel|signature|signed|date|chair|name|role|services|safeguarding|health|director|officer|manager|executive|police|nhs)\b", re.I)


POST = re.compile(r"\b(?:chair\w*|scrutineer|director|member|officer|leader|independent|executive|head|cabinet|commissioner|commander|manager|lead|representative|deputy|mayor|portfolio|superintendent|inspector|constable)\b", re.I)


def is_person(text: str) -> bool:
    t = clean(text).strip(" ,.")
    bare = re.sub(_HONORIFIC, "", t)
    return bool(t) and len(t) < 70 and bool(_PERSON.match(t)) and not _NOT_PERSON.search(bare) and not POST.search(bare)


def office_of(text: str, co: bool = False) -> dict | None:
    """A post as printed: 'Councillor Jo Bell', 'the Leader of the Council, Councillor Jo Bell',
    'Mrs Ann Lee, Independent Chair', 'Independent Chair: Mr Ben Ode', 'Director of Children's
    Services (currently Ms Amy Roe)', 'the Director of Children's Services' -> title and name."""
    t = clean(text).strip(" ,.;:")
    t = re.sub(r"^(?:the|an?|its|their)\s+", "", t, flags=re.I)
    t = re.sub(r"\s*\((?:currently|at present|presently)\s+([^)]+)\)", r", \1", t, flags=re.I)
    br = re.fullmatch(r"(?P<a>[^()]+?)\s*\((?P<b>[^()]+)\)", t)
    if br and (is_person(br.group("a")) or is_person(br.group("b"))):
        t = f"{br.group('a')}, {br.group('b')}"  # "Cllr Jo Bell (Lead Member for Children)"
    if not t or len(t) > 160:
        return None
    head = "Co-Chair: " if co else ""
    if is_person(t):
        return {"title": "Co-Chair" if co else "Chair", "name": t}
    parts = [clean(x) for x in re.split(r"\s*[:,–]\s*|\s+-\s+", t, maxsplit=1)]
    if len(parts) == 2 and parts[0] and parts[1]:
        a, b = parts
        b_name = re.split(r",\s*", b)[0]
        if is_person(b_name) and not is_person(a):
            a = re.sub(r"^(?:the|an?)\s+", "", a, flags=re.I)
            return {"title": head + a[0].upper() + a[1:], "name": b_name}
        if is_person(a) and not is_person(b):
            b = re.sub(r"^(?:the|an?)\s+", "", b, flags=re.I)
            if re.fullmatch(r"independent", b, re.I):
                b = "Independent Chair"
            b = re.split(r"\s*\(", b)[0]
            return {"title": head + b[0].upper() + b[1:] if b else head + "Chair", "name": a}
    if re.search(r"\d", t) or find_names(t) and not POST.search(t):
        return None
    return {"title": (head + t[0].upper() + t[1:])[:120]}


def title_of(role: str) -> str:
    r = role.lower().replace(" ", "")
    if "co" in r and "chair" in r:
        return "Independent Co-Chair" if "independent" in r else "Co-Chair"
    if "vice" in r:
        return "Vice-Chair"
    return "Independent Chair" if "independent" in r else "Chair"


class Offices:
    """The offices found so far, board by board, each said once: a named office supersedes the
    same office titled only, and a second mention of a person adds nothing."""

    def __init__(self) -> None:
        self.found: dict[str, list[dict]] = {}

    def add(self, board: str, office: dict) -> None:
        found = self.found
        lst = found.setdefault(board, [])
        for o in lst:
            if office.get("name") and o.get("name") and office["name"].lower() == o["name"].lower():
                return
            if not office.get("name") and o["title"] == office["title"] and not o.get("name"):
                return
            if not office.get("name") and o.get("name") and office["title"] in (o["title"], "Chair"):
                return
        if not office.get("name") and office["title"] not in ("Co-Chair", "Vice-Chair") and not office["title"].startswith("Co-Chair"):
            named = [o for o in lst if o.get("name")]
            if len(named) == 1 and named[0]["title"] in ("Chair",):
                named[0]["title"] = office["title"]
                return
        if office.get("name"):
            # a titled-only entry for the same office is superseded by a named one
            lst[:] = [o for o in lst if o.get("name") or o["title"] not in (office["title"], "Chair")]
        lst.append(office)
