"""A whole simulated year per area: the protocol's reminders, in the right channels, on the right London dates.

The clock runs from 1 January 2026 to 1 January 2027, stopping at every moment the calendar
says a post may be due (and every three days at 06:00). Every channel of every board is linked.
Each expected post is written out by hand from the protocol data and boardbot's documented
defaults (first Tuesday at 10:00 for meetings; the first day of the season for reports, autumn
where the protocol gives none; 14 days and 1 day before, moved back to a working day;
England and Wales bank holidays: Good Friday 3 April, Easter Monday 6 April, 4 May, 31 August
2026), and the test checks there is nothing more and nothing less.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from schedtest import Clock, RecordingSender, link_boards, london, machinery
from sqlalchemy import select

from bot.knowledge import Knowledge
from bot.messages import Actor, Request
from bot.router import handle
from bot.services import Services
from storage import directory
from storage.models import BoardMeeting, Delivery

START = london(2026, 1, 1)
END = london(2027, 1, 1)

MEETING_POSTS = ["2026-01-05", "2026-03-24", "2026-04-02", "2026-06-23", "2026-07-06", "2026-09-22", "2026-10-05",
                 "2026-12-22"]  # first Tuesdays of Jan/Apr/Jul/Oct 2026 and Jan 2027, 14 and 1 days before
ANNUAL_MEETING = ["2026-09-22", "2026-10-05"]  # first Tuesday of October (6 Oct 2026)
AUTUMN = ["2026-08-18", "2026-08-28"]  # 1 Sep 2026: 14 days before; 1 day before is the bank holiday, so Friday
WINTER = ["2026-11-17", "2026-11-30"]  # 1 Dec 2026

# rule key -> (post dates, boards whose channels get it)
EXPECTED: dict[str, dict[str, tuple[list[str], list[str]]]] = {
    "buckinghamshire": {
        "meeting:officers_quarterly": (MEETING_POSTS, ["bscb", "bsab", "hwb", "ssbpb"]),
        "meeting:chairs_annual": (ANNUAL_MEETING, ["bscb", "bsab", "hwb", "ssbpb"]),
        "meeting:protocol_review_meeting": (ANNUAL_MEETING, ["bscb", "bsab", "hwb", "ssbpb", "hasc", "cscl_select"]),
        # first Tuesdays of May (5th) and November (3rd); 4 May is a bank holiday, so Friday 1 May
        "meeting:prevent_at_ssbpb": (["2026-04-21", "2026-05-01", "2026-10-20", "2026-11-02"], ["ssbpb", "bscb", "bsab"]),
        "report:bscb:bscb_annual_report:autumn:1": (AUTUMN, ["bscb", "bsab", "hwb", "ssbpb", "icet", "cpp", "cscl_select"]),
        "report:bsab:bsab_annual_report:winter:1": (WINTER, ["bsab", "bscb", "hwb", "ssbpb"]),
        "report:bsab:bsab_annual_report:unseasoned:1": (AUTUMN, ["bsab", "icet"]),
        "report:bsab:bsab_annual_report:autumn:1": (AUTUMN, ["bsab", "hasc"]),
        "report:hwb:hwb_annual_report:autumn:1": (AUTUMN, ["hwb", "bscb", "bsab", "ssbpb", "icet", "cpp", "cscl_select", "hasc"]),
        "report:ssbpb:safer_bucks_plan:unseasoned:1": (AUTUMN, ["ssbpb", "bscb", "bsab", "hwb", "icet", "cpp", "tec_committee"]),
        "report:ssbpb:strategic_assessment:unseasoned:1": (AUTUMN, ["ssbpb", "bscb", "bsab", "hwb", "icet", "cpp", "tec_committee"]),
        "report:icet:commissioning_intentions:unseasoned:1": (AUTUMN, ["icet", "hwb", "cscl_select"]),
        "report:icet:children_s_joint_executive_team_icet_annual_report:unseasoned:1": (AUTUMN, ["icet", "hwb", "cscl_select"]),
        "report:cpp:corporate_parenting_panel_annual_report:unseasoned:1": (AUTUMN, ["cpp", "bscb", "cscl_select"]),
        # JHWS and JSNA: every 4 years from 2017 (2025, 2029): nothing in 2026.
        # Review: due by 31 January 2018 and none recorded, so overdue: reminded each year on
        # 31 January, as the answers date it. Sat 31 Jan 2026: 14 days before is a Saturday, so
        # Friday 16 Jan; 1 day before is Friday 30 Jan. 31 Jan 2027's fall after the year.
        "review:protocol": (["2026-01-16", "2026-01-30"], ["bscb", "bsab", "hwb", "ssbpb"]),
    },
    "central-bedfordshire": {
        "meeting:business_managers_quarterly": (MEETING_POSTS, ["lscb", "sab", "hwb", "childrens_trust", "csp"]),
        "meeting:chairs_annual": (ANNUAL_MEETING, ["lscb", "sab", "hwb", "childrens_trust", "csp"]),
        **{f"report:{b}:{r}:unseasoned:1": (AUTUMN, [b, *[o for o in ["lscb", "sab", "hwb", "childrens_trust", "csp"] if o != b]])
           for b, r in [("lscb", "lscb_annual_report"), ("sab", "safeguarding_adults_board_annual_report"),
                        ("hwb", "health_and_wellbeing_board_annual_report"), ("childrens_trust", "children_s_trust_annual_report"),
                        ("csp", "community_safety_partnership_annual_report")]},
        "report:lscb:lscb_annual_report_on_the_effectiveness_of_child_s:unseasoned:1": (AUTUMN, ["lscb"]),
        "report:sab:sab_annual_report_on_its_strategic_aims:unseasoned:1": (AUTUMN, ["sab"]),
        "report:child_death_overview_panel_covers_bedfordshire:child_death_overview_panel_annual_report:unseasoned:1": (AUTUMN, ["lscb"]),
        "report:lscb:safeguarding_partners_yearly_report_on_the_multi_a:unseasoned:1": (AUTUMN, ["lscb"]),
        "report:csp:csp_partnership_plan:unseasoned:1": (AUTUMN, ["csp"]),
        # reviewed yearly from signing; the date is not recorded, so 1 April
        "review:protocol": (["2026-03-18", "2026-03-31"], ["lscb", "sab", "hwb", "childrens_trust", "csp"]),
        # publication recorded on 30 June 2026: due 7 working days later, Thu 9 July; 5 days before is a Saturday
        "deadline:yearly_report_copy_to_national_panel": (["2026-07-03", "2026-07-08", "2026-07-09"], ["lscb"]),
        # the LSCB meets on Tue 10 March 2026 at 14:00: agenda 7 and 1 days before, minutes 5 working days after
        "agenda:lscb": (["2026-03-03", "2026-03-09"], ["lscb"]),
        "minutes:lscb": (["2026-03-17"], ["lscb"]),
    },
    "lancashire": {
        "report:lscb:lscb_annual_report:unseasoned:1": (AUTUMN, ["lscb", "hwb"]),
        "report:hwb:hwb_formal_response_to_the_lscb_annual_report:unseasoned:1": (AUTUMN, ["hwb", "lscb"]),
        "report:hwb:information_on_the_health_and_well_being_of_childr:unseasoned:1": (AUTUMN, ["hwb", "lscb"]),
        # by the Chief Executive and Leader: no board, so the area's admins channel
        "report:chief_executive_and_leader_of_the_council:annual_assessment_of_the_effectiveness_of_local_go:unseasoned:1":
            (AUTUMN, ["admins"]),
        "review:protocol": (["2026-03-18", "2026-03-31"], ["hwb", "lscb"]),
        # the HWB meets on Tue 16 June 2026: minutes shared 5 working days later
        "minutes:hwb": (["2026-06-23"], ["hwb"]),
    },
    "suffolk": {
        "meeting:chairs_annual_meeting": (ANNUAL_MEETING, ["lscb", "ctjcg", "cpb", "hwb"]),
        "report:lscb:lscb_annual_report:unseasoned:1": (AUTUMN, ["lscb", "hwb", "ctjcg", "cpb"]),
        "report:ssab:ssab_annual_report:unseasoned:1": (AUTUMN, ["ssab", "hwb"]),
        "report:cpb:cpb_annual_report_and_exception_reports_as_necessa:unseasoned:1": (AUTUMN, ["cpb", "lscb"]),
        "report:cpb:cpb_annual_report_to_cabinet:unseasoned:1": (AUTUMN, ["cpb", "cabinet"]),
        "report:not_named_in_the_protocol:annual_report_on_the_progress_made_by_the_corporat:unseasoned:1": (AUTUMN, ["cpb"]),
        "report:leader_of_the_council_and_chief_executive:leader_of_the_council_s_and_chief_executive_s_asse:unseasoned:1":
            (AUTUMN, ["hwb"]),
        "report:lead_member_for_children_young_people_education:lead_member_s_annual_report:unseasoned:1": (AUTUMN, ["lscb"]),
        # the protocol states no review date: no review reminder
    },
}

# things people do during the year, (London time, area, as whom, what they type)
ACTIONS = [
    (london(2026, 6, 30, 12, 0), "central-bedfordshire", "business_manager:lscb", "remind published yearly report 2026-06-30"),
]
MEETINGS = [("central-bedfordshire", "lscb", london(2026, 3, 10, 14, 0)), ("lancashire", "hwb", london(2026, 6, 16, 10, 0))]
POST_TIMES = {"meeting": (10, 0), "report": (9, 0), "review": (9, 0), "deadline": (9, 0), "minutes": (9, 0), "agenda": (9, 0)}


def expected_posts(area: str) -> Counter:
    out: Counter = Counter()
    for key, (dates, boards) in EXPECTED[area].items():
        for d in dates:
            for b in boards:
                out[(key, f"C-{b}", d)] += 1
    return out


async def run_year(store, area: str) -> tuple[RecordingSender, Clock, list]:
    clock = Clock(START)
    sender = RecordingSender(clock)
    calendar, dispatcher = machinery(store, clock, sender)
    await link_boards(store, area, at=START, purposes=("admins", "directors"))
    async with store.session() as s:
        aid = await directory.area_id(s, area)
        for a, board, starts in MEETINGS:
            if a == area:
                s.add(BoardMeeting(area_id=aid, board_key=board, starts_at=starts, title="", created_by="test", created_at=START))
        await s.commit()
    services = Services(knowledge=Knowledge(await store.protocols()), store=store, clock=clock)
    services.calendar = calendar
    todo = sorted(a for a in ACTIONS if a[1] == area)
    replies = []
    await calendar.tick()
    await dispatcher.tick()
    while True:
        # every wake-up the calendar asks for, plus a tick every few days that should find nothing to do
        extra = (clock.now + dt.timedelta(days=3)).replace(hour=6, minute=0, second=0, microsecond=0)
        candidates = [extra] + ([calendar.next_wakeup()] if calendar.next_wakeup() else []) + [a[0] for a in todo[:1]]
        nxt = min(c for c in candidates if c > clock.now)
        if nxt >= END:
            break
        clock.set(nxt)
        while todo and todo[0][0] <= clock.now:
            _, _, role, text = todo.pop(0)
            actor = Actor.holding("console", "console", "bm", "Business Manager", roles=frozenset({role}))
            replies.append(await handle(Request(text=text, actor=actor, area=area), services))
        await calendar.tick()
        await dispatcher.tick()
    return sender, clock, replies


@pytest.mark.parametrize("area", sorted(EXPECTED))
async def test_a_year_of_reminders(store, area: str) -> None:
    sender, clock, replies = await run_year(store, area)
    assert all(r.ok for r in replies), [r.text for r in replies]
    got: Counter = Counter()
    for p in sender.posted:
        got[(p.reminder.get("rule_key"), p.channel, p.local.date().isoformat())] += 1
        kind = p.reminder["rule_key"].split(":")[0]
        lead = p.reminder["lead"]
        # posted on time (not late), at the rule's London time (lead 0 is the occurrence itself)
        assert not p.message.late, p
        if lead:
            assert (p.local.hour, p.local.minute) == POST_TIMES[kind], (p.reminder, p.local)
    want = expected_posts(area)
    missing = want - got
    extra = got - want
    assert not missing and not extra, f"missing: {sorted(missing)}\nextra: {sorted(extra)}"
    # every reminder says what, when, for whom, which clause, and carries its buttons
    for p in sender.posted:
        reply = p.message.reply
        assert reply.text.startswith(reply.title.removeprefix("Reminder: ")[:40])
        assert "Due: " in reply.text and ("For: " in reply.text or "Who: " in reply.text)
        assert "Required by: " in reply.text and reply.citations
        assert [b.label for b in reply.buttons] == ["Done", "Snooze 1 day", "Snooze 1 week", "Not this time"]
    async with store.session() as s:
        statuses = Counter((await s.execute(select(Delivery.status))).scalars())
    assert statuses == Counter({"sent": len(sender.posted)})
