"""The words that pick out a narrower facet within a kind of question (the chair's
appointment rather than their name, a report's deadline rather than its recipients).

Data for :mod:`bot.language.lexicon`, which normalises the phrases when first used.
"""

from __future__ import annotations

# Facets: narrower sub-questions within a kind. First match in order wins.
FACETS: dict[str, list[tuple[str, tuple[str, ...]]]] = {
    "chair": [
        ("manager", ("business manager", "lead officer", "board manager", "manager", "bm")),
        ("appoint", ("appoint", "appoints", "appointed", "appointing", "appointment", "removes", "remove", "who picks", "who picked",
                    "who chooses", "who chose", "chosen", "selects", "selected", "recruits", "recruited", "hires", "hired", "sack", "sacks")),
        ("account", ("account", "accountable", "answer to", "answerable")),
        ("independent", ("independent", "independence")),
        ("councillor", ("councillor", "cllr", "elected member", "politician", "an elected")),
        ("cochair", ("co chair", "cochair", "co chairs", "vice chair", "joint chair")),
    ],
    "membership": [
        ("organisations", ("agencies", "agency", "organisations", "organisation", "represented", "representation",
                           "responsible authorities", "partners", "lay member", "lay members")),
        ("both", ("both", "more than one board", "several boards", "multiple boards", "two or more boards",
                  "more than one of the boards", "several of the boards")),
        ("reference", ("where can i find", "terms of reference", "find the membership", "published")),
    ],
    "meeting": [
        ("public", ("public",)),
        ("purpose", ("what is it for", "for what", "purpose", "what for", "why do")),
        ("attendees", ("who goes", "who attends", "who is invited", "who comes", "who meets", "meet with", "send someone")),
        ("when", ("when", "what month", "which month")),
        ("often", ("how often", "how frequently", "frequency", "how many times", "regularly")),
    ],
    "report": [
        ("deadline", ("deadline", "working days", "within", "by when", "how long")),
        ("often", ("how often", "every", "how frequently")),
        ("contents", ("what has to be in", "what goes in", "contents", "include", "what should be in", "what is in")),
        ("when", ("when", "what season", "which season", "what time of year", "due")),
        ("received", ("which reports does", "what reports does", "reports does", "get from", "receive from",
                      "reports do", "what goes to")),
        ("handling", ("what happens to", "what does", "do with")),
        ("recipients", ("who", "where", "which board", "to whom", "go to", "goes to", "send", "submitted", "presented to")),
    ],
    "challenge": [
        ("window", ("how long", "how many days", "working days", "deadline", "time limit", "respond within")),
        ("attendees", ("who attends", "who goes", "who has to be", "who is at", "who sits", "attend", "who comes", "who is involved",
                       "involved")),
        ("final", ("final step", "last step", "last resort", "final", "ultimately", "top of", "if that fails", "if it fails",
                   "in the end", "how far", "how high", "highest")),
        ("count", ("how many steps", "how many stages", "how many")),
        ("next", ("what happens if", "what if", "next step", "next rung", "rung up", "step up", "deferred", "deferring",
                  "whats next", "what next", "now what", "what comes after",
                  "after", "doesnt work", "doesnt resolve", "not sorted", "no answer", "no response", "no reply",
                  "heard nothing", "ignores", "ignored", "hasnt responded", "not responded", "fails", "what can we do",
                  "still not", "what now", "nothing happened", "nothing has happened", "got nowhere", "gone nowhere", "no joy",
                  "didnt work", "didnt help", "not worked", "hasnt worked", "stuck", "push it further", "push further",
                  "take it further", "take this further", "go further", "sat on")),
        ("who_may", ("who can", "can any", "can a", "can the", "can i", "can we", "who may", "is it only", "allowed")),
    ],
    "protocol": [
        ("outdated", ("out of date", "up to date", "still current", "overdue", "expired", "still valid", "current", "due a review",
                      "valid", "passed", "past", "lapsed", "gone past")),
        ("review", ("review", "reviewed", "reviewing", "trigger")),
        ("approved", ("approved", "approve", "endorsed", "sign off", "agreed by", "who agreed", "who needs to")),
        ("history", ("history", "changed", "changes", "change in", "what changed", "replaced", "replace", "added", "v1", "v2", "v3")),
        ("authors", ("who wrote", "wrote", "author", "authors", "written by")),
        ("signed", ("signed", "signatories", "signature", "who signed")),
        ("created", ("created", "first", "how old", "when was it written", "when was the protocol written", "started")),
        ("agreed", ("agreed", "date")),
        ("updated", ("last updated", "updated", "latest")),
        ("previous", ("before this one", "previous", "earlier", "before")),
        ("version", ("version", "which version", "what version")),
        ("aim", ("aim", "for", "purpose", "about")),
    ],
    "other": [
        ("spelled_out", ("stand for", "stands for", "short for", "abbreviation", "acronym", "initials")),
        ("subgroups", ("subgroup", "sub committee", "working group", "groups under", "groups does", "groups has")),
        ("profile", ("tell me about", "what do you know about", "describe")),
        ("statutory", ("act", "law", "legislation", "statute", "statutory", "footing", "set up", "established", "created")),
        ("funding", ("funded", "funding", "budget", "pays", "cost")),
        ("principles", ("principle", "principles")),
        ("priorities", ("priority", "priorities")),
        # one board above another, or none: "is the LSCB above the HWB?", "are they equals?"
        ("standing", ("hierarchical", "hierarchy", "above", "senior", "superior", "subordinate", "sit under", "sits under",
                      "final say", "last word", "equals", "equal", "outrank", "outranks", "higher than", "in charge of the",
                      "folded", "subsumed", "merged into", "overlap", "overlapping", "duplicate", "duplication")),
        ("independence", ("independent", "independence")),
        ("accountability", ("accountable", "account", "answer to", "answerable")),
        ("purpose", ("what is", "whats", "what does", "what do", "purpose", "for", "role", "do", "mean", "job", "remit")),
    ],
}
