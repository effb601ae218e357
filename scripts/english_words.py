"""Write bot/language/data/english_words.txt.gz from Debian's British English word list.

    apt-get install wbritish && python scripts/english_words.py

The list says which words are English words in their own right, so a question's "police" or
"voice" is never taken for a slip of a protocol's "policy" or "vice" (bot.language.english).
Only lower-case words of five letters or more are kept: shorter ones are never corrected, and
names ("Leeds") are no reason to leave a slip ("leeds" for "leads") alone.
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path

SOURCE = Path("/usr/share/dict/british-english")
OUT = Path(__file__).resolve().parent.parent / "bot" / "language" / "data" / "english_words.txt.gz"
NOTICE = """\
# English words of five letters or more, from SCOWL (Spell Checker Oriented Word Lists) as Debian's
# wbritish package gives them (scripts/english_words.py). SCOWL's notice:
# Copyright 2000-2011 by Kevin Atkinson. Permission to use, copy, modify, distribute and sell these
# word lists, the associated scripts, the output created from the scripts, and its documentation for
# any purpose is hereby granted without fee, provided that the above copyright notice appears in all
# copies and that both that copyright notice and this permission notice appear in supporting
# documentation. Kevin Atkinson makes no representations about the suitability of this array for any
# purpose. It is provided "as is" without express or implied warranty.
"""


def main() -> None:
    words = {w.strip() for w in SOURCE.read_text(encoding="utf-8").splitlines()}
    # lower-case entries only: names of places and people ("Leeds") are no reason to leave a slip alone
    kept = sorted(w for w in words if len(w) >= 5 and re.fullmatch(r"[a-z]+", w))
    OUT.write_bytes(gzip.compress((NOTICE + "\n".join(kept) + "\n").encode(), 9, mtime=0))
    print(f"{len(kept)} words -> {OUT}")


if __name__ == "__main__":
    main()
