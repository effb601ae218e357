"""What a reminder rule is (:class:`RuleSpec`), and an area's calendar settings over boardbot's defaults.

:mod:`scheduler.rules` derives the protocol's rules; this module is what they, the stored
rules and the commands share: the settings an area may give (``areas.settings["calendar"]``,
see :mod:`scheduler.rules`), their fingerprint, and the dates people can record.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from scheduler.recurrence import SEASON_STARTS, validate
from storage.protocol.schema import Protocol

# Bump when derive() changes what it produces, so every replica re-syncs on start.
DERIVATION_VERSION = 5  # 4: the review reminder follows the recorded reviews (kind review); 5: and next_due under any rule

# The first Tuesday of a month at 10:00 is boardbot's default meeting date: boards in
# England commonly meet early in the month, and a Tuesday avoids Monday bank holidays.
DEFAULTS: dict[str, Any] = {
    "lead_days": [14, 1],
    "deadline_lead_days": [5, 1, 0],
    "minutes_lead_days": [0],
    "agenda_lead_days": [7, 1],
    "meeting_time": "10:00",
    "post_time": "09:00",
    "default_report_season": "autumn",
    "minutes_working_days": 5,
    # the annual chairs' meeting follows the annual reports (published in the summer/autumn)
    "annual_meeting": {"kind": "nth_weekday", "n": 1, "weekday": 1, "months": [10]},
    "quarterly_meeting": {"kind": "nth_weekday", "n": 1, "weekday": 1, "months": [1, 4, 7, 10]},
    "six_monthly_meeting": {"kind": "nth_weekday", "n": 1, "weekday": 1, "months": [4, 10]},
    "monthly_meeting": {"kind": "nth_weekday", "n": 1, "weekday": 1},
    # where a protocol is reviewed yearly from a date boardbot does not know
    "review_default": [4, 1],
    # the first year of an "every N years" cycle when the protocol gives no year at all
    "cycle_anchor_year": 2025,
}

RECORDABLE = {
    "protocol_signed": "signing of the protocol",
    "protocol_reviewed": "last review of the protocol",
}


@dataclass(frozen=True)
class RuleSpec:
    """What a reminder_rules row should hold."""

    key: str
    title: str
    body: str
    citation: dict[str, str] | None
    recurrence: dict[str, Any]
    audience: list[str]
    lead_days: list[int]
    local_time: str
    public: bool = True
    all_day: bool = False

    def row_values(self) -> dict[str, Any]:
        return {"title": self.title[:500], "body": self.body, "citation": self.citation,
                "recurrence": {**self.recurrence, "all_day": self.all_day}, "audience": self.audience,
                "lead_days": self.lead_days, "local_time": self.local_time, "public": self.public}


def slug(text: str, limit: int = 60) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")[:limit] or "x"


def date_key(after: str) -> str:
    """The AreaDate key a deadline counts from: "publication of the yearly report" -> publication_of_the_yearly_report."""
    return slug(after, 100)


def calendar_settings(settings: Mapping[str, Any] | None) -> dict[str, Any]:
    """The area's calendar settings over boardbot's defaults."""
    own = dict((settings or {}).get("calendar") or {})
    return {**DEFAULTS, **{k: v for k, v in own.items() if k != "overrides"}, "overrides": own.get("overrides") or {}}


def settings_fingerprint(settings: Mapping[str, Any] | None) -> str:
    own = (settings or {}).get("calendar") or {}
    return hashlib.sha1(json.dumps(own, sort_keys=True, default=str).encode()).hexdigest()[:16]


def season_date(cfg: Mapping[str, Any], season: str) -> tuple[int, int]:
    own = (cfg.get("seasons") or {}).get(season)
    if own:
        try:
            m, d = (int(x) for x in str(own).split("-"))
            return m, d
        except ValueError:
            pass
    return SEASON_STARTS[season]


def overridden(r: RuleSpec, o: Mapping[str, Any] | None) -> RuleSpec:
    if not o:
        return r
    return RuleSpec(
        key=r.key, title=r.title, body=r.body, citation=r.citation,
        recurrence=validate(o["recurrence"]) if o.get("recurrence") else r.recurrence,
        audience=r.audience, lead_days=[int(x) for x in o.get("lead_days", r.lead_days)],
        local_time=o.get("local_time", r.local_time), public=r.public, all_day=r.all_day,
    )


def record_phrase(after: str) -> str:
    words = after.lower().split()
    if words and words[0] == "publication":
        rest = [w for w in words[1:] if w not in ("of", "the")]
        return "published " + " ".join(rest)
    return "record " + after.lower()


def recordable_events(protocol: Protocol) -> dict[str, str]:
    """AreaDate keys people can record for this area, with their labels."""
    out = {date_key(d.after): d.after for d in protocol.deadlines}
    rule = protocol.protocol.review.rule if protocol.protocol.review else "unspecified"
    if rule.endswith("from_signing"):
        out["protocol_signed"] = RECORDABLE["protocol_signed"]
    if rule != "unspecified":  # a review done (even of a protocol past its date) is recorded: the next counts from it
        out["protocol_reviewed"] = RECORDABLE["protocol_reviewed"]
    return out
