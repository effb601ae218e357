"""The words that say *what* is being asked, as opposed to what it is about.

A question is about things the protocol names (boards, themes, posts…, see
:mod:`bot.language.entities`) and asks something of them: who leads, who chairs, who sits
on, how often they meet, where a report goes, what happens next in a challenge. This
module holds the second half as data: cue phrases and the weight each lends to a kind of
question, the words that pick out a narrower facet within a kind (the chair's
appointment rather than their name), abbreviations people use for posts and themes,
and the small words that carry no meaning for telling things apart.

Phrases are written as people type them and normalised with
:func:`bot.language.normalise.tokens` when first used, so "sits", "sit" and "sitting on"
meet the same way the protocol's own phrases do. Nothing here names a particular area's
boards or themes: the lexicon must serve any protocol.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from bot.language.normalise import tokens

KINDS = ("lead", "chair", "membership", "meeting", "report", "challenge", "sharing", "protocol", "other")

# Function words: never evidence for a kind or a thing, never a search term.
STOPWORDS = frozenset(
    """
    a an the of on for to in at by with about from into onto as and or but so if than then
    is are was were be been being am do does did done doing has have had having will would
    shall should can could may might must i me my we us our ours you your yours he him his
    she her hers it its they them their theirs this that these those there here what which who
    whom whose whos whats when where why how s t d ll re ve m please pls thanks thank hi hello
    hey just really actually also any all some each every much many more most other another
    such only own same too very up out over again further once both either neither nor not no
    yes ok okay someone somebody anyone anybody something anything thing stuff get got
    overall main general exactly currently usually normally actually basically
    supposed meant ought expected wonder wondering wondered idea ideas advice guys folks sorry apologies apologise
    quick question questions message hoping hope thought think asking asked cheers morning afternoon evening
    everyone silly debate discussion nobody
    """.split()
)

# Words that open a yes/no question.
YESNO_OPENERS = frozenset(
    "is are was were does do did can could should has have had will would must may shall isnt arent doesnt dont "
    "cant couldnt shouldnt hasnt havent wont wouldnt".split()
)

# "we", "our": the asker's own board or challenge, when the directory knows who they are.
OURS = frozenset("we our ours us my i me".split())

# Abbreviations people use that the protocols may spell out. Expanded only where the
# area's own vocabulary does not already know the short form.
ABBREVIATIONS: dict[str, str] = {
    "ad": "assistant director",
    "ads": "assistant director",
    "ce": "chief executive",
    "ceo": "chief executive",
    "chief exec": "chief executive",
    "bm": "business manager",
    "bms": "business manager",
    "cllr": "councillor",
    "exec": "executive",
    "ops": "operations",
    "coo": "chief operating officer",
    "ccg": "clinical commissioning group",
    "dcs": "director of childrens services",
    "dph": "director of public health",
    "das": "director of adult services",
    "dass": "director of adult social services",
    "vawg": "violence against women and girls",
    "cce": "child criminal exploitation",
    "mds": "modern day slavery",
    "cic": "children in care",
    "yot": "youth offending team",
    "yos": "youth offending service",
    "hbv": "honour based violence",
    "hba": "honour based abuse",
    "fm": "forced marriage",
    "asb": "antisocial behaviour",
    "sen": "special educational needs",
    "mh": "mental health",
    "lac": "looked after children",
    "cla": "children looked after",
    "sar": "safeguarding adults review",
    "scr": "serious case review",
    "cspr": "child safeguarding practice review",
    "lcspr": "local child safeguarding practice review",
    "ar": "annual report",
    "tor": "terms of reference",
    "hwbb": "health and wellbeing board",
}

# Cue phrase -> {kind: weight}. The longest phrase at a position wins, so "lead officer"
# (a post) is not "lead" (who leads), and "chairs meeting" is a meeting, not a chair.
_CUES: dict[str, dict[str, float]] = {
    # --- who leads
    "lead": {"lead": 3.0},
    "leads": {"lead": 3.0},
    "leading": {"lead": 2.5},
    "take the lead": {"lead": 3.5},
    "strategic lead": {"lead": 3.5},
    "lead board": {"lead": 3.5},
    "lead partnership": {"lead": 3.5},
    "responsible for": {"lead": 2.0},
    "responsibility for": {"lead": 2.0},
    "in charge of": {"lead": 2.0},
    "whose job": {"lead": 3.0},
    "whose responsibility": {"lead": 3.0},
    "deal with": {"lead": 1.5},
    "deals with": {"lead": 1.5},
    "handles": {"lead": 1.0},
    "handle": {"lead": 1.0},
    "covers": {"lead": 1.0},
    "oversee": {"lead": 1.5},
    "oversees": {"lead": 1.5},
    "owns": {"lead": 1.5},
    "own": {"lead": 0.5},
    "champion": {"lead": 1.5},
    "champions": {"lead": 1.5},
    "runs": {"lead": 1.0},
    "who runs": {"chair": 2.0, "lead": 0.5},
    "who heads": {"chair": 2.0},
    "heads up": {"chair": 2.0},
    "take this to": {"lead": 3.0},
    "who do we alert": {"lead": 3.0},
    "who should we alert": {"lead": 3.0},
    "alert": {"lead": 1.5},
    "notify": {"lead": 1.0},
    "where does this go": {"lead": 3.0},
    "where should this go": {"lead": 3.0},
    "where do we take": {"lead": 3.0},
    "who do we tell": {"lead": 3.0},
    "who should we tell": {"lead": 3.0},
    "who do i tell": {"lead": 3.0},
    "report this": {"lead": 3.0},
    "report it": {"lead": 3.0},
    "report concerns": {"lead": 2.5},
    "report a concern": {"lead": 2.5},
    "take it to": {"lead": 3.0},
    "go to": {"lead": 1.0, "report": 0.5},
    "should this go": {"lead": 2.0},
    "refer": {"lead": 1.5},
    "talk to": {"lead": 2.0},
    "speak to": {"lead": 2.0},
    "contact": {"lead": 1.5},
    "which board": {"lead": 1.0},
    "which partnership": {"lead": 1.0},
    "what board": {"lead": 1.0},
    "which group": {"lead": 0.5, "other": 0.5},
    "sign off": {"lead": 1.5},
    "signs off": {"lead": 1.5},
    "produce": {"lead": 0.5},
    "produces": {"lead": 0.5},
    # --- offices: chairs, business managers
    "chair": {"chair": 4.0},
    "chairs": {"chair": 4.0},
    "chaired": {"chair": 4.0},
    "chairing": {"chair": 4.0},
    "co chair": {"chair": 4.5},
    "cochair": {"chair": 4.5},
    "vice chair": {"chair": 4.5},
    "chairperson": {"chair": 4.0},
    "chairman": {"chair": 4.0},
    "chairwoman": {"chair": 4.0},
    "business manager": {"chair": 4.0},
    "board manager": {"chair": 4.0},
    "lead officer": {"chair": 4.0},
    "manager": {"chair": 2.0},
    "appoint": {"chair": 2.0, "other": 0.5},
    "appoints": {"chair": 2.0, "other": 0.5},
    "appointed": {"chair": 2.0, "other": 0.5},
    "removes": {"chair": 1.0},
    "hold to account": {"chair": 1.0, "other": 1.5},
    "holds to account": {"chair": 1.0, "other": 1.5},
    "accountable to": {"chair": 0.5, "other": 2.0},
    # chairs as a group: their meetings, their right to challenge
    "chairs meet": {"meeting": 6.0},
    "chairs meeting": {"meeting": 3.5},
    "chair meeting": {"meeting": 3.5},
    "chairs get together": {"meeting": 6.0},
    "chairs annual meeting": {"meeting": 6.0},
    "annual chairs meeting": {"meeting": 6.0},
    "meeting of chairs": {"challenge": 3.0, "meeting": 2.0},
    "any of the chairs": {"challenge": 5.0},
    "any chair": {"challenge": 3.0},
    # --- membership
    "sit on": {"membership": 4.0},
    "sits on": {"membership": 4.0},
    "sitting on": {"membership": 4.0},
    "sit": {"membership": 2.0},
    "member": {"membership": 2.5},
    "members": {"membership": 2.5},
    "membership": {"membership": 4.0},
    "represented": {"membership": 3.0},
    "representation": {"membership": 3.0},
    "who is on": {"membership": 3.5},
    "whos on": {"membership": 3.5},
    "who sits": {"membership": 3.5},
    "on both": {"membership": 3.0},
    "both the": {"membership": 1.5},
    "seat": {"membership": 2.0},
    "voting member": {"membership": 3.0},
    "full member": {"membership": 3.0},
    "participant observer": {"membership": 3.0},
    "lay member": {"membership": 3.0},
    "agencies": {"membership": 1.5},
    "organisations": {"membership": 1.0},
    "partners": {"membership": 1.0},
    "responsible authorities": {"membership": 3.0},
    "one of them": {"membership": 1.5},
    "attends": {"membership": 1.0, "meeting": 1.0},
    # --- meetings
    "meet": {"meeting": 4.0},
    "meets": {"meeting": 4.0},
    "meeting": {"meeting": 3.0},
    "meetings": {"meeting": 3.0},
    "how frequently": {"meeting": 2.0},
    "how often": {"meeting": 2.0},
    "frequency": {"meeting": 3.0},
    "get together": {"meeting": 3.0},
    "in public": {"meeting": 3.0},
    "held in public": {"meeting": 4.0},
    "public": {"meeting": 1.0},
    "invited": {"meeting": 1.5},
    "attend": {"meeting": 1.0, "membership": 1.0},
    "come to": {"meeting": 1.0},
    "invited to": {"meeting": 4.0},
    "what goes to": {"report": 3.0},
    "get from": {"report": 3.0},
    "gets from": {"report": 3.0},
    "receive from": {"report": 3.0},
    "receives from": {"report": 3.0},
    "discuss": {"meeting": 1.5},
    "talk about": {"meeting": 1.5},
    "quarterly": {"meeting": 1.0},
    # --- reports
    "report": {"report": 3.0},
    "reports": {"report": 3.0},
    "annual report": {"report": 4.0},
    "yearly report": {"report": 4.0},
    "present": {"report": 2.5},
    "presents": {"report": 2.5},
    "presented": {"report": 2.5},
    "submit": {"report": 2.5},
    "submitted": {"report": 2.5},
    "publish": {"report": 2.0},
    "published": {"report": 2.0},
    "deadline": {"report": 3.0},
    "due": {"report": 1.5, "protocol": 0.5},
    "consult": {"report": 2.0},
    "consulted": {"report": 1.5, "sharing": 1.0},
    "consults": {"report": 2.0},
    "receive": {"report": 1.5, "sharing": 0.5},
    "receives": {"report": 1.5, "sharing": 0.5},
    "send": {"report": 1.0, "sharing": 1.0},
    "sent": {"report": 1.0, "sharing": 1.0},
    "autumn": {"report": 1.5},
    "winter": {"report": 1.5},
    "spring": {"report": 1.5},
    "summer": {"report": 1.5},
    "season": {"report": 2.0},
    "every 4 years": {"report": 2.0},
    "assessment": {"report": 0.5},
    "exception report": {"report": 2.0, "sharing": 1.5},
    "exception reports": {"report": 2.0, "sharing": 1.5},
    # --- mutual challenge
    "challenge": {"challenge": 5.0},
    "challenging": {"challenge": 4.0},
    "escalate": {"challenge": 5.0},
    "escalation": {"challenge": 5.0},
    "dispute": {"challenge": 4.0},
    "disputes": {"challenge": 4.0},
    "disagree": {"challenge": 4.0},
    "disagreement": {"challenge": 4.0},
    "resolution": {"challenge": 3.0},
    "resolve": {"challenge": 3.0},
    "resolved": {"challenge": 2.5},
    "unresolved": {"challenge": 3.0},
    "formally raise": {"challenge": 3.5},
    "raise a concern": {"challenge": 2.5},
    "raise it with": {"challenge": 2.5},
    "raise concerns": {"challenge": 2.0},
    "not happy": {"challenge": 2.5},
    "what happens if": {"challenge": 2.5},
    "what if": {"challenge": 2.0},
    "next step": {"challenge": 3.0},
    "whats next": {"challenge": 3.0},
    "what next": {"challenge": 3.0},
    "happen next": {"challenge": 3.0},
    "then what": {"challenge": 3.0},
    "what then": {"challenge": 3.0},
    "cant agree": {"challenge": 3.0},
    "cannot agree": {"challenge": 3.0},
    "dont agree": {"challenge": 3.0},
    "doesnt settle": {"challenge": 3.0},
    "not settled": {"challenge": 3.0},
    "now what": {"challenge": 3.0},
    "what now": {"challenge": 3.0},
    "nothing happened": {"challenge": 2.5},
    "got nowhere": {"challenge": 3.0},
    "no joy": {"challenge": 2.5},
    "what can we do": {"challenge": 2.0},
    "no answer": {"challenge": 2.0},
    "no response": {"challenge": 2.0},
    "no reply": {"challenge": 2.0},
    "heard nothing": {"challenge": 2.5},
    "not responded": {"challenge": 2.0},
    "hasnt responded": {"challenge": 2.5},
    "havent responded": {"challenge": 2.5},
    "ignores": {"challenge": 2.0},
    "ignored": {"challenge": 2.0},
    "doesnt work": {"challenge": 1.5},
    "doesnt resolve": {"challenge": 3.0},
    "fails": {"challenge": 1.5},
    "not sorted": {"challenge": 2.0},
    "last resort": {"challenge": 3.0},
    "final step": {"challenge": 3.0},
    "last step": {"challenge": 3.0},
    "step": {"challenge": 2.0},
    "steps": {"challenge": 2.0},
    "route": {"challenge": 1.5},
    "written request": {"challenge": 4.0},
    "agenda item": {"challenge": 2.5},
    "item on": {"challenge": 2.0},
    "mutual": {"challenge": 2.0},
    "respond": {"challenge": 1.5},
    "above": {"other": 1.0},
    # --- information sharing
    "share": {"sharing": 4.0},
    "sharing": {"sharing": 4.0},
    "shared": {"sharing": 3.0},
    "minutes": {"sharing": 4.0},
    "agenda": {"sharing": 2.0},
    "agendas": {"sharing": 3.0},
    "copy": {"sharing": 2.5},
    "copies": {"sharing": 2.5},
    "circulate": {"sharing": 3.0},
    "swap": {"sharing": 3.0},
    "exchange": {"sharing": 3.0},
    "information": {"sharing": 2.0},
    "info": {"sharing": 2.0},
    "tell me about": {"other": 3.0},
    "subgroup": {"other": 3.0},
    "subgroups": {"other": 3.0},
    "sub committee": {"other": 3.0},
    "working group": {"other": 2.0},
    "groups under": {"other": 3.0},
    "what do you know about": {"other": 3.0},
    "give": {"sharing": 1.0},
    "gives": {"sharing": 1.0},
    "provide": {"sharing": 1.5},
    "provides": {"sharing": 1.5},
    "tell": {"sharing": 1.5},
    "inform": {"sharing": 1.0, "report": 0.5},
    "update": {"sharing": 1.5},
    "updates": {"sharing": 1.5},
    "keep in touch": {"sharing": 3.5},
    "communication": {"sharing": 2.0},
    "communicated": {"sharing": 2.0},
    "annual plan": {"sharing": 3.0},
    "annual plans": {"sharing": 3.0},
    "risk log": {"sharing": 3.0},
    "risks": {"sharing": 1.5},
    "lessons": {"sharing": 2.0},
    "named individual": {"sharing": 1.5, "other": 1.0},
    "inspection reports": {"sharing": 2.5},
    "more than one board": {"sharing": 6.0},
    "common members": {"sharing": 6.0},
    "common membership": {"sharing": 2.0, "membership": 2.0},
    "consulted on": {"sharing": 2.0, "report": 1.5},
    # --- the protocol itself
    "protocol": {"protocol": 2.5},
    "version": {"protocol": 4.0},
    "review": {"protocol": 2.0},
    "reviewed": {"protocol": 2.5},
    "out of date": {"protocol": 4.0},
    "up to date": {"protocol": 3.0},
    "still current": {"protocol": 3.5},
    "current": {"protocol": 1.0},
    "overdue": {"protocol": 3.0},
    "due a review": {"protocol": 3.5},
    "due for review": {"protocol": 4.0},
    "approved": {"protocol": 3.0},
    "approve": {"protocol": 3.0},
    "signed": {"protocol": 3.0},
    "agreed": {"protocol": 2.0},
    "endorsed": {"protocol": 3.0},
    "created": {"protocol": 2.5},
    "wrote": {"protocol": 3.0},
    "author": {"protocol": 3.0},
    "authors": {"protocol": 3.0},
    "history": {"protocol": 3.0},
    "changed": {"protocol": 2.0},
    "changes": {"protocol": 1.5},
    "updated": {"protocol": 2.5},
    "replace": {"protocol": 1.0},
    "replaced": {"protocol": 1.5},
    "before this one": {"protocol": 3.0},
    "previous protocol": {"protocol": 3.0},
    "aim": {"protocol": 1.0, "other": 0.5},
    "v1": {"protocol": 4.0},
    "v2": {"protocol": 4.0},
    "v3": {"protocol": 4.0},
    "v4": {"protocol": 4.0},
    # --- other facts
    "act": {"other": 3.0},
    "law": {"other": 3.0},
    "legislation": {"other": 2.5, "protocol": 0.5},
    "statutory": {"other": 2.5},
    "statute": {"other": 3.0},
    "footing": {"other": 3.0},
    "set up": {"other": 1.5},
    "established": {"other": 1.5},
    "purpose": {"other": 2.5},
    "function": {"other": 2.0},
    "functions": {"other": 2.0},
    "role": {"other": 1.5},
    "mean": {"other": 2.0},
    "principle": {"other": 3.0},
    "principles": {"other": 3.0},
    "priority": {"other": 2.5},
    "priorities": {"other": 2.5},
    "funded": {"other": 3.0},
    "funding": {"other": 3.0},
    "budget": {"other": 3.0},
    "independent": {"other": 1.5, "chair": 1.0},
    "accountable": {"other": 2.0},
    "hierarchical": {"other": 3.0},
    "decision making": {"other": 2.0},
    "advisory": {"other": 2.0},
    "making sure": {"other": 1.0},
    "ensuring": {"other": 0.5},
    "cover": {"other": 1.0},
    "area": {"other": 0.5},
    "do": {"other": 0.5},
    "does": {"other": 0.3},
}

# Facets: narrower sub-questions within a kind. First match in order wins.
_FACETS: dict[str, list[tuple[str, tuple[str, ...]]]] = {
    "chair": [
        ("manager", ("business manager", "lead officer", "board manager", "manager", "bm")),
        ("appoint", ("appoint", "appoints", "appointed", "appointing", "removes", "remove", "who picks", "who chooses")),
        ("account", ("account", "accountable", "answer to")),
        ("independent", ("independent", "independence")),
        ("cochair", ("co chair", "cochair", "co chairs", "vice chair", "joint chair")),
    ],
    "membership": [
        ("organisations", ("agencies", "agency", "organisations", "organisation", "represented", "representation",
                           "responsible authorities", "partners", "lay member", "lay members")),
        ("both", ("both",)),
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
        ("next", ("what happens if", "what if", "next step", "whats next", "what next", "now what", "what comes after",
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
        ("subgroups", ("subgroup", "sub committee", "working group", "groups under", "groups does", "groups has")),
        ("profile", ("tell me about", "what do you know about", "describe")),
        ("statutory", ("act", "law", "legislation", "statute", "statutory", "footing", "set up", "established", "created")),
        ("funding", ("funded", "funding", "budget", "pays", "cost")),
        ("principles", ("principle", "principles")),
        ("priorities", ("priority", "priorities")),
        ("independence", ("independent", "independence", "subordinate")),
        ("accountability", ("accountable", "account", "hierarchical", "above", "answer to")),
        ("purpose", ("what is", "whats", "what does", "what do", "purpose", "for", "role", "do", "mean", "job", "remit")),
    ],
}

# Verbs of what a chair *does* (attends, presents, is invited): "the LSCB chair attends HWB
# meetings" is about the meeting, not about who holds the chair.
CHAIR_ACTIVITIES = frozenset("attend attends attending present presents presenting invited invite meet meets send "
                             "go goes raise make request write come".split())
# Forms of question that ask when or how, never who leads.
WHEN_OPENERS = (("when",), ("how", "often"), ("how", "frequently"), ("what", "time"), ("how", "long"), ("how", "do"),
                ("which", "month"), ("what", "month"), ("which", "season"), ("what", "season"),
                ("how", "does"), ("how", "is"), ("how", "are"), ("how", "many"))

# Words a question uses for what the protocols say in other words (added to a search, never
# to what is recognised): "is the LSCB above the HWB?" is answered by "not hierarchical".
SEARCH_SYNONYMS: dict[str, tuple[str, ...]] = {
    "above": ("hierarchical", "subordinate"), "below": ("hierarchical", "subordinate"), "superior": ("hierarchical",),
    "boss": ("hierarchical", "accountable"), "accountable to": ("hierarchical", "subordinate"), "keep in touch": ("communication", "interface"), "talk": ("communication",),
    "money": ("funding", "budget"), "pays": ("funding",), "budget": ("funding",), "cost": ("funding",),
    "rules": ("principles",), "values": ("principles",), "area": ("geographical", "footprint", "cover"),
    "say": ("state",), "tell": ("inform",), "job": ("role", "responsibility"), "exist": ("establish", "exists"),
}

# Words that may stand before a theme's name without making it another theme
# ("tackling CSE", "local domestic abuse services").
THEME_MODIFIERS = frozenset(
    "tackling tackle reducing reduce preventing prevent addressing address improving improve supporting support "
    "protecting protect responding respond dealing deal handling handle work working strategy strategic local "
    "multiagency partnership overall wider response services service policy policies issues issue cases case "
    "concerns concern around regarding about relating related safeguarding".split()
)

# Openers of a follow-up ("and in Suffolk?", "what about the adults board?").
FOLLOWUP_OPENERS = ("and", "what about", "how about", "and what about", "same for", "and for", "also", "and the", "what of")
PRONOUNS = frozenset("it they them that this those these its their theirs one ones he she him her".split())
MORE = ("more", "tell me more", "more detail", "more details", "details", "full profile", "the full profile", "show more",
        "everything", "full answer", "in full", "more please", "more info", "more information")


@cache
def _norm(phrase: str) -> tuple[str, ...]:
    return tokens(phrase)


@cache
def kind_cues() -> dict[tuple[str, ...], dict[str, float]]:
    """The cue table with its phrases normalised (first writer wins on a clash)."""
    out: dict[tuple[str, ...], dict[str, float]] = {}
    for phrase, weights in _CUES.items():
        out.setdefault(_norm(phrase), weights)
    return out


@cache
def cue_max_len() -> int:
    return max(len(k) for k in kind_cues())


@cache
def facet_phrases(kind: str) -> tuple[tuple[str, tuple[tuple[str, ...], ...]], ...]:
    return tuple((facet, tuple(_norm(p) for p in phrases)) for facet, phrases in _FACETS.get(kind, ()))


@cache
def abbreviations() -> dict[tuple[str, ...], tuple[str, ...]]:
    return {_norm(k): _norm(v) for k, v in ABBREVIATIONS.items()}


@cache
def more_phrases() -> frozenset[tuple[str, ...]]:
    return frozenset(_norm(p) for p in MORE)


def contains(t: tuple[str, ...], phrase: tuple[str, ...]) -> bool:
    """Whether ``phrase`` occurs as consecutive tokens in ``t``."""
    n = len(phrase)
    if not n:
        return False
    return any(t[i : i + n] == phrase for i in range(len(t) - n + 1))


def content_words(t: Iterable[str]) -> list[str]:
    """Tokens that are neither function words nor bare numbers."""
    return [w for w in t if w not in STOPWORDS and not w.isdigit()]


@cache
def cue_words() -> frozenset[str]:
    """Every word the lexicon and the situation table use: known words, never "corrected"."""
    from bot.language.concepts import trigger_words

    out: set[str] = set()
    for phrase in kind_cues():
        out.update(phrase)
    for kind in _FACETS:
        for _facet, phrases in facet_phrases(kind):
            for p in phrases:
                out.update(p)
    for p in more_phrases():
        out.update(p)
    out.update(trigger_words())
    return frozenset(out)
