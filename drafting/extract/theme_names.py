"""A theme's name as drafted: a list of themes split into names, their other names, and the
keys shared across areas (so one area's theme is answered plainly in another).
"""

from __future__ import annotations

import re

from drafting.model import clean

_TRIM_THEME = re.compile(r"^(?:the|all|any|a|an|matters? (?:relating|related) to|issues? (?:relating|related) to|work on|work around|understanding need,? and performance in relation to|understanding need(?:,| and)? (?:and )?performance (?:in relation to|on)|the strategic development and overview of (?:the )?(?:[A-Z]\w+ )?(?:multi-agency )?response to)\s+", re.I)


_TAIL = re.compile(r"\s+(?:issues|matters|work|agenda)$", re.I)


def split_themes(phrase: str) -> list[str]:
    phrase = clean(re.sub(r"\(.*?\)", lambda m: m.group(0) if re.fullmatch(r"\([A-Z]{2,6}\)", m.group(0)) else "", phrase))
    extra = []
    inc = re.search(r",?\s+including\s+([^,;]+)$", phrase)
    if inc:
        extra = [inc.group(1)]
        phrase = phrase[: inc.start()]
    phrase = re.split(r"\s+(?:and has|and is|and will|which|through|by means of|so that|in order to|ensuring that|with a|with the|across|within|as well as|including|—|–|-\s)\s*", phrase)[0]
    phrase = _TRIM_THEME.sub("", phrase.strip())
    phrase = re.sub(r"^(?:ensuring|ensure|understanding|overseeing|promoting|delivering|improving|co-?ordinating|tackling|addressing|reducing)\s+(?:the\s+)?"
                    r"(?:effectiveness of (?:services|arrangements|work)(?: (?:that|which|to) (?:ensure|promote|protect)s?)?\s+(?:the\s+)?)?", "", phrase, flags=re.I)
    again = re.split(r"\s+and\s+(?:also\s+)?(?:on|for|in|around|to|in relation to)\s+", phrase)
    if len(again) >= 2:
        parts = again  # "self-neglect and on financial abuse of adults": the repeated word makes two themes
    elif "," in phrase or ";" in phrase:
        parts = re.split(r",\s*(?:and\s+|or\s+)?|;\s*|\s+and\s+(?=[^,]+$)", phrase)
    else:
        bits = re.split(r"\s+and\s+", phrase)
        parts = bits if len(bits) == 2 and all(len(x.split()) <= 3 and " of " not in f" {x} " for x in bits) and len(bits[1].split()) > 1 else [phrase]
    _ = extra  # what follows "including" is an alias of the theme, not a theme of its own (see including())
    out = []
    for p in parts:
        p = _TAIL.sub("", _TRIM_THEME.sub("", p.strip(" .,:;")))
        if 2 <= len(p) <= 80 and len(p.split()) <= 9 and re.search(r"[a-z]{3}", p, re.I):
            out.append(p[0].upper() + p[1:])
    return out


def including(phrase: str) -> list[str]:
    """'child criminal exploitation, including county lines' -> ['County lines'] (aliases)."""
    m = re.search(r",?\s+including\s+([^,;.]+)", phrase)
    if not m:
        return []
    out = []
    for x in re.split(r"\s+and\s+|,\s*", m.group(1)):
        x = x.strip(" .")
        if 2 < len(x) < 60:
            out.append(x[0].upper() + x[1:])
    return out


def aliases(name: str) -> list[str]:
    out = []
    for m in re.finditer(r"\(([A-Z][A-Za-z]{1,7})\)", name):
        out.append(m.group(1))
    base = re.sub(r"\s*\(.*?\)", "", name).strip()
    if base != name and base:
        out.append(base)
    return list(dict.fromkeys(a for a in out if a.lower() != name.lower()))


# Keys shared across areas (docs/protocol-data.md), so a theme one area names can be
# answered plainly in another; the first pattern that matches a drafted theme's name wins.
SHARED_KEYS: list[tuple[str, str]] = [
    ("cse", r"child sexual exploitation|\bcse\b"), ("fgm", r"genital mutilation|\bfgm\b"),
    ("forced_marriage_hbv", r"forced marriage|honour"), ("domestic_abuse", r"domestic (?:abuse|violence)"),
    ("prevent", r"\bprevent\b|radicali[sz]ation|extremism|terrorism"), ("human_trafficking", r"trafficking|modern (?:day )?slavery"),
    ("hate_crime", r"hate|mate crime"), ("mental_health", r"mental health"), ("substance_misuse", r"substance|drugs?\b|alcohol"),
    ("asb", r"anti-?\s?social behaviour|\basb\b"), ("sexual_abuse", r"sexual abuse|sexual violence"),
    ("reoffending", r"re-?offending"), ("workforce_sufficiency", r"workforce"), ("early_help", r"early help"),
    ("transition", r"transition"), ("safeguarding_adults_reviews", r"safeguarding adults? reviews?"),
    ("serious_case_reviews", r"serious case|practice reviews?"), ("child_deaths", r"child deaths?|deaths of children"),
    ("private_fostering", r"private(?:ly)? foster"), ("jsna", r"strategic needs assessment|\bjsna\b"),
    ("health_wellbeing_strategy", r"health and well-?being strategy"), ("integrated_commissioning", r"integrated commissioning|joint commissioning"),
    ("health_inequalities", r"health inequalit|health and well-?being outcomes"), ("safeguarding_training", r"training"),
    ("allegations", r"allegations"), ("safer_recruitment", r"recruitment"), ("thresholds", r"thresholds?"),
    ("cypp", r"children and young people'?s plan|\bcypp\b"), ("crime_and_disorder", r"crime and disorder|community safety"),
    ("neglect", r"(?<!self-)(?<!self )\bneglect\b"), ("missing_children", r"missing"), ("online_safety", r"online|digital safeguarding"),
    ("looked_after_children", r"looked after|children in care|care leavers"),
    ("adult_safeguarding", r"safeguarding adults|adult safeguarding|adults at risk"),
    ("children_safeguarding", r"^safeguarding children$|^children'?s safeguarding$"),
]


def shared_key(name: str) -> str | None:
    for key, rx in SHARED_KEYS:
        if re.search(rx, name, re.I):
            return key
    return None


def normal_name(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", re.sub(r"\(.*?\)", "", name.lower())).strip()


def same_theme(a: str, b: str) -> bool:
    from rapidfuzz import fuzz

    na, nb = normal_name(a), normal_name(b)
    # a name inside another is not the same theme when the other adds a word of its own ("Neglect", "Self-neglect")
    return bool(na and nb) and (na == nb or (fuzz.token_set_ratio(na, nb) >= 88 and fuzz.token_sort_ratio(na, nb) >= 75))
