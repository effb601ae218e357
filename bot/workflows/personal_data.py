"""Spotting text that looks like personal data about a child or an adult at risk.

The protocols are about systems, not cases: a challenge or agenda request should never
carry an NHS number or a date of birth. This is a warning with a confirmation step, not a
filter; it errs on the side of asking.
"""

from __future__ import annotations

import re

_NHS = re.compile(r"(?<!\d)(\d{3})[\s-]?(\d{3})[\s-]?(\d{4})(?!\d)")
_DOB_WORDS = re.compile(r"\b(d\.?o\.?b\.?|date of birth|born on|born)\b", re.I)
_DATE = re.compile(r"\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})\b")
_AGE = re.compile(r"\b(aged?|age)\s*\d{1,2}\b", re.I)


def nhs_number_valid(digits: str) -> bool:
    """The NHS number modulus 11 check digit."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def findings(text: str) -> list[str]:
    """What in ``text`` looks like personal data, in words a user understands."""
    out = []
    for m in _NHS.finditer(text):
        if nhs_number_valid("".join(m.groups())):
            out.append(f"an NHS number ({m.group(0)})")
    if _DOB_WORDS.search(text) and _DATE.search(text):
        out.append("a date of birth")
    elif _DOB_WORDS.search(text) and re.search(r"\b(19|20)\d{2}\b", text):
        out.append("a date of birth")
    if _AGE.search(text) and _DATE.search(text):
        out.append("an age with a date")
    return out
