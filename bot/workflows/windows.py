"""Response windows: how long the other board has, in working days, at each rung.

A protocol may state the window of a rung (``window_working_days`` in the area's file): that
is used. Where it does not, boardbot's defaults are below, and an area may set its own
in ``areas.settings["challenge_windows"]`` (rung key -> working days). Deadlines fall at
17:00 London time on the last working day.
"""

from __future__ import annotations

import datetime as dt

from scheduler.timeutil import LONDON, local_to_utc
from scheduler.workdays import add_working_days, working_days_between

DEFAULT_WINDOWS = {
    "written_request": 20,
    "agenda_item": 30,
    "chairs_meeting": 15,
    "resolution_meeting": 10,
    "chief_executive_meeting": 10,
}
END_OF_DAY = dt.time(17, 0)


def window_days(rung_key: str, rung_kind: str, settings: dict | None = None) -> int:
    custom = (settings or {}).get("challenge_windows", {})
    return int(custom.get(rung_key, custom.get(rung_kind, DEFAULT_WINDOWS.get(rung_key, DEFAULT_WINDOWS.get(rung_kind, 20)))))


def rung_window(rung, settings: dict | None = None) -> int:
    """The working days at ``rung``: the protocol's own window where it states one, else the default."""
    stated = getattr(rung, "window_working_days", None)
    return int(stated) if stated else window_days(rung.key, rung.kind, settings)


def due_after(now: dt.datetime, working_days: int) -> dt.datetime:
    """The deadline ``working_days`` working days from ``now`` (UTC), at 17:00 London."""
    today = now.astimezone(LONDON).date()
    return local_to_utc(add_working_days(today, working_days), END_OF_DAY)


def working_days_left(now: dt.datetime, due: dt.datetime) -> int:
    return working_days_between(now.astimezone(LONDON).date(), due.astimezone(LONDON).date())
