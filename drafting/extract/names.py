"""Finding the names of boards and partnerships in running text.

A name is a run of capitalised words ending in a head noun (Board, Partnership, Trust,
Panel, Group, Committee, Team, Forum; "Safeguarding Arrangements"), joined by "and", "&"
or "of" where the word before the joiner is not itself a complete name. Text printed in
capitals is read as if title-cased. An abbreviation in brackets after a name ("(SAB)") is
taken as that board's short name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

HEADS = {"board", "partnership", "panel", "group", "committee", "team", "forum", "trust", "arrangements",
         "executive", "commission", "alliance", "network", "assembly", "collaborative"}
STOP = {"protocol", "between", "the", "this", "that", "these", "those", "each", "every", "any", "all", "both", "our",
        "their", "its", "chair", "chairs", "co-chair", "co-chairs", "vice-chair", "chairman", "chairperson", "member",
        "members", "manager", "managers", "director", "officer", "officers", "lead", "head", "annual", "report",
        "reports", "minutes", "agenda", "meeting", "meetings", "relationship", "outlining", "appendix", "terms",
        "reference", "with", "to", "for", "from", "in", "on", "by", "within", "under", "including", "where", "when",
        "if", "as", "key", "other", "new", "existing", "relevant", "named", "respective", "following", "above",
        "below", "said", "a", "an", "either", "neither", "agreement", "memorandum", "understanding",
        "between:", "and", "or", "of", "is", "are", "will", "should", "must", "may", "can", "chaired", "led",
        "business", "independent", "statutory", "partners", "partner", "representative", "representatives",
        "signed", "signature", "date", "name", "role", "version", "draft", "document", "section", "clause",
        "stage", "step", "level", "joint-protocol", "inter-board", "working", "together", "framework",
        "i", "we", "it", "they", "he", "she", "who", "which", "what", "how", "also", "then", "so", "thus",
        "however", "further", "via", "per", "at", "not", "no", "yes", "n/a", "x", "present", "inform",
        "consult", "receive", "submit", "respond", "attends", "chairs:"}
GENERIC = {"board", "boards", "partnership", "partnerships", "strategic", "executive", "group", "panel", "partner",
           "local", "joint", "main", "multi-agency", "multi", "agency", "the", "partnership-board", "programme",
           "project", "steering", "sub", "sub-group", "subgroup", "task", "finish", "working", "operational",
           "management", "leadership", "team", "committee", "forum", "county", "council", "city", "district",
           "borough", "trust", "arrangements", "safeguarding", "and", "&", "of", "for"}
TRUST_OK = re.compile(r"children|young people|childrens|family|families", re.I)

_WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]*|&|\(|\)|[,;:.!?/|•·]")
_ABBR_AFTER = re.compile(r"\s*\((?:the\s+)?[\"'‘“]?([A-Z][A-Za-z&]{1,9}|[A-Z][a-z]+(?:[ -][A-Z][a-z]+)? [A-Z][A-Z&]{1,7})[\"'’”]?\)")


# a defined term: "(the Panel)", "(“the Partnership”)", "(hereafter ‘the Board’)", "(the ‘Board’)"
_DEFINED = re.compile(r"\s*\((?:(?:hereafter|hereinafter|referred\s+to\s+as|known\s+as)\s+)?(?:[\"'‘“]?the\s+[\"'‘“]?|[\"'‘“])"
                      r"([A-Z][a-z]+(?: [A-Z][a-z]+)?)[\"'’”]?\)")


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    name: str
    abbr: str | None = None


def titlecase_caps(text: str) -> str:
    """Title-case text printed in capitals, keeping its length (so spans stay valid)."""
    def fix(m: re.Match) -> str:
        w = m.group(0)
        if (len(w) <= 6 and re.fullmatch(r"[A-Z]+", w) and len(re.findall(r"[AEIOU]", w)) <= 1
                and w not in ("AND", "OF", "THE", "FOR", "TRUST", "CHILD", "TEAM", "WITH", "SAFE", "SAFER", "CARE", "CRIME", "PLAN", "LEAD")):
            return w  # an abbreviation inside a capitals title (LSCB)
        return w[:1] + w[1:].lower()
    letters = re.sub(r"[^A-Za-z]", "", text)
    if len(letters) >= 8 and sum(ch.isupper() for ch in letters) > 0.8 * len(letters):
        return re.sub(r"[A-Za-z][A-Za-z'’]*", fix, text)
    return text


def _is_cap(tok: str) -> bool:
    return tok[:1].isupper() or tok == "&"


def _is_abbr(tok: str) -> bool:
    return len(tok) >= 2 and tok.replace("&", "").isupper() and tok.isalpha()


def find_names(text: str) -> list[Mention]:
    """Every board-like name in ``text`` with its span (and its bracketed abbreviation)."""
    src = titlecase_caps(text)
    toks = [(m.group(0), m.start(), m.end()) for m in _WORD.finditer(src)]
    out: list[Mention] = []
    i = 0
    n = len(toks)
    while i < n:
        w = toks[i][0]
        low = w.lower().strip("'’")
        plural_next = i + 1 < n and toks[i + 1][0].lower().rstrip("s") in HEADS and toks[i + 1][0].lower().endswith("s")
        if low in HEADS and _is_cap(w) and not plural_next and (i + 1 >= n or toks[i + 1][0].lower() not in HEADS or not _is_cap(toks[i + 1][0])):
            # extend right over "X Board Y Group" compounds
            j = i
            k = i + 1
            while low in ("trust", "executive") and k < n and _is_cap(toks[k][0]) and toks[k][0].lower() not in STOP and toks[k][0] not in "&":
                if toks[k][0].lower() in HEADS:
                    j = k
                    k += 1
                    continue
                k += 1
                if k - j > 4:
                    break
            end_i = j
            if end_i != i:
                i = end_i
                continue
            start_i = _extend_left(toks, i)
            if start_i is not None:
                words = [t[0] for t in toks[start_i:end_i + 1]]
                lows = [x.lower().strip("'’") for x in words]
                content = [x for x in lows if x not in GENERIC and x not in ("'s",)]
                ok = len(words) >= 2 and (bool(content) or kind_of(" ".join(words)) != "other")
                if lows[-1] == "trust" and not TRUST_OK.search(" ".join(lows)):
                    ok = False
                if lows[-1] == "arrangements" and "safeguarding" not in lows:
                    ok = False
                if lows[-1] == "executive" and len(words) < 3:
                    ok = False
                if ok:
                    s, e = toks[start_i][1], toks[end_i][2]
                    abbr = None
                    m = _ABBR_AFTER.match(text, e)
                    if m and _looks_abbr(m.group(1)):
                        abbr = m.group(1)
                    else:
                        # a defined term: "… Corporate Parenting Panel (the Panel)"
                        t = _DEFINED.match(text, e)
                        if t and t.group(1).split()[-1].lower() in HEADS and t.group(1).lower() in src[s:e].lower():
                            abbr = t.group(1)
                    out.append(Mention(s, e, src[s:e], abbr))
            i = end_i + 1
            continue
        i += 1
    return out


def _looks_abbr(s: str) -> bool:
    if " " in s:  # "(Ashworth HWB)": a place and an abbreviation, where two councils each have one
        return _looks_abbr(s.rsplit(" ", 1)[1])
    caps = sum(ch.isupper() for ch in s)
    return caps >= 2 and caps >= len(s) - 2


def _extend_left(toks, i: int) -> int | None:
    start = i
    k = i - 1
    while k >= 0:
        w = toks[k][0]
        low = w.lower()
        if w in ("&",) or low in ("and", "of", "for"):
            # a joiner: only inside one name ("Health and Wellbeing", "Safer and Stronger")
            left = toks[k - 1][0] if k - 1 >= 0 else ""
            if not left or not _is_cap(left) or left.lower() in STOP or left.lower() in HEADS or _is_abbr(left):
                break
            if low in ("of", "for") and left.lower() in STOP:
                break
            k -= 1
            continue
        if w == "," and k - 1 >= 0:
            # "Safer, Stronger Bucks Partnership Board": a comma between two adjectives of one name
            left = toks[k - 1][0]
            before = toks[k - 2][0] if k - 2 >= 0 else ""
            if (_is_cap(left) and left.lower() not in STOP and left.lower() not in HEADS and not _is_abbr(left)
                    and (not before or not _is_cap(before))):
                k -= 1
                continue
            break
        if not _is_cap(w) or low in STOP or w in "(),;:.!?/|•·":
            break
        if low in HEADS and low not in ("trust", "partnership", "executive", "safeguarding"):
            break  # "… Board Central Bedfordshire Health …": the earlier name ended
        start = k
        k -= 1
    # a leading joiner or possessive-only start is not part of the name
    while start < i and (toks[start][0].lower() in ("and", "of", "for", "&") ):
        start += 1
    return start


def normal_words(name: str) -> frozenset[str]:
    """The words of a name as a set, normalised so that variants compare equal."""
    s = name.lower().replace("&", " and ").replace("well-being", "wellbeing").replace("well being", "wellbeing")
    s = re.sub(r"['’]s\b|s['’](?=\s|$)", "", s)
    out = set()
    for w in re.findall(r"[a-z]+", s):
        w = {"childrens": "children", "child": "children", "adult": "adults", "adults": "adults",
             "partnerships": "partnership", "boards": "board", "safer": "safe", "safety": "safe"}.get(w, w)
        if w in ("and", "the", "of", "for", "local", "s"):
            continue
        out.add(w)
    return frozenset(out)


def initials(name: str) -> str:
    words = [w for w in re.findall(r"[A-Za-z][A-Za-z'’\-]*", name) if w.lower() not in ("and", "of", "the", "for")]
    return "".join(w[0].upper() for w in words)


KINDS: list[tuple[str, str]] = [
    ("corporate_parenting", r"corporate parenting"),
    ("safeguarding_adults", r"\badults?\b[^.]*safeguarding|safeguarding[^.]*\badults?\b|\bsab\b|\bssab\b"),
    ("safeguarding_children", r"safeguarding children|children'?s? safeguarding|safeguarding (?:child|young)|\blscb\b|safeguarding arrangements|safeguarding partnership|child safeguarding|\bscp\b|\blscp\b"),
    ("health_and_wellbeing", r"health (?:and|&) ?well-?\s?being|well-?being board|\bhwb\b|\bhwbb\b"),
    ("community_safety", r"community safety|\bsafer\b|crime and disorder|crime reduction|\bcsp\b|community safe|stronger communities"),
    ("childrens_trust", r"children'?s trust|children and young people'?s|children'?s (?:strategic )?(?:partnership|board|leadership|alliance|executive)|children and families (?:partnership|board)|children'?s and young"),
    ("commissioning", r"commissioning"),
    ("scrutiny", r"scrutiny|select committee|overview and"),
    ("policing", r"police and crime|police & crime"),
    ("early_help", r"early help"),
]


def kind_of(name: str) -> str:
    low = name.lower().replace("’", "'")
    for kind, rx in KINDS:
        if re.search(rx, low):
            return kind
    return "other"
