"""boardbot's own default dates are labelled as such in chat; an overdue protocol review is said
beside every answer quoting the protocol, and reminded each month until a review is recorded."""

from __future__ import annotations

AREA = "buckinghamshire"


async def test_remind_list_and_the_calendar_label_boardbots_default_dates(world):
    manager = world.person("LSCB Manager", "business_manager:lscb", "business_manager:hwb")
    listed = await world.say(manager, "remind list", "central-bedfordshire")
    lines = listed.text.splitlines()
    defaulted = [ln for ln in lines if "boardbot's default" in ln]
    assert defaulted, listed.text
    # a default date is never shown as if the clause set it
    annual = next(ln for ln in lines if "annual meeting" in ln.lower())
    assert "when: boardbot's default, not the protocol's; what:" in annual, annual
    calendar = await world.say(manager, "calendar area", "central-bedfordshire")
    assert any(e["default_date"] for e in calendar.data["events"]) or "boardbot's default" in calendar.text


async def test_an_answer_quoting_an_overdue_protocol_says_so(world):
    member = world.person("Member")
    answer = await world.say(member, "who leads on CSE?", AREA)
    assert "Note: Buckinghamshire's protocol was due for review by 31 January 2018" in answer.text, answer.text
    assert answer.data["review_overdue"]
    # a protocol whose review is not overdue is quoted plainly
    fresh = await world.say(member, "who leads on CSE?", "suffolk")
    assert "was due for review" not in fresh.text


async def test_business_managers_are_reminded_monthly_until_a_review_is_recorded(world):
    from bot.workflows.protocol_review import review_nudges

    async def nudged() -> list:
        return [d for d in await world.deliveries() if d.payload["title"] == "Protocol review overdue \u2014 Buckinghamshire"]

    assert await review_nudges(world.services) > 0
    assert await review_nudges(world.services) == 0  # once a month
    posts = await nudged()
    parties = [b.key for b in world.services.knowledge.area(AREA).protocol.boards if b.party]
    assert sorted(d.channel_id for d in posts) == sorted(f"C-{AREA}-{b}" for b in parties)
    assert all("remind reviewed protocol" in d.payload["text"] for d in posts)

    world.advance(days=31)
    await review_nudges(world.services)
    assert len(await nudged()) == 2 * len(parties)
    manager = world.person("BSCB Manager", "business_manager:bscb")
    recorded = await world.say(manager, "remind reviewed protocol 2026-12-20", AREA)
    assert recorded.ok and "Recorded" in recorded.text, recorded.text
    world.advance(days=31)
    await review_nudges(world.services)
    assert len(await nudged()) == 2 * len(parties)
    answer = await world.say(world.person("Member"), "who leads on CSE?", AREA)
    assert "was due for review" not in answer.text


async def test_a_challenge_card_quoting_an_overdue_protocol_says_so(world):
    from tests.workflows.test_typed_steps import raise_challenge

    chair = world.person("BSCB Chair", "chair:bscb")
    raised = await raise_challenge(world, AREA, chair, "hwb")
    assert "Note: Buckinghamshire's protocol was due for review" in raised.text
    suffolk = await raise_challenge(world, "suffolk", world.person("LSCB Chair", "chair:lscb"), "hwb", request_id="v2")
    assert "was due for review" not in suffolk.text


async def test_is_the_protocol_out_of_date_says_what_the_note_says_and_counts_a_recorded_review(world):
    member = world.person("Member")
    before = await world.say(member, "is the protocol out of date?", AREA)
    assert before.text.startswith("Yes"), before.text
    assert "due for review by 31 January 2018 (the protocol gives January 2018), so its review is overdue" in before.text
    note = (await world.say(member, "who leads on CSE?", AREA)).data["review_overdue"]
    assert "due for review by 31 January 2018" in note and "the protocol gives January 2018" in note  # the same basis

    today = world.now.date()
    manager = world.person("BSCB Manager", "business_manager:bscb")
    recorded = await world.say(manager, f"remind reviewed protocol {today:%Y-%m-%d}", AREA)
    assert recorded.ok, recorded.text
    after = await world.say(member, "is the protocol out of date?", AREA)
    next_due = f"{today.replace(year=today.year + 1):%-d %B %Y}"
    assert after.text.startswith("No"), after.text
    assert (f"next due for review by {next_due} (yearly from the review recorded on {today:%-d %B %Y})"
            in after.text), after.text
    when = await world.say(member, "when is the protocol due for review?", AREA)
    assert f"next due for review by {next_due}" in when.text, when.text
    current = await world.say(member, "is the protocol still current?", AREA)
    assert current.text.startswith("Yes"), current.text


async def test_a_protocol_reviewed_from_signing_is_dated_once_the_signing_is_recorded(world):
    member = world.person("Member")
    area = "central-bedfordshire"
    unknown = await world.say(member, "is the protocol out of date?", area)
    assert "can't tell whether it is overdue" in unknown.text, unknown.text
    manager = world.person("LSCB Manager", "business_manager:lscb")
    assert (await world.say(manager, "remind signed protocol 2019-06-12", area)).ok
    signed = await world.say(member, "is the protocol out of date?", area)
    assert signed.text.startswith("Yes"), signed.text
    assert "due for review by 12 June 2020 (yearly from 12 June 2019), so its review is overdue" in signed.text


async def test_once_a_review_is_recorded_the_rule_the_full_entry_and_the_home_give_the_next_due_date(world):
    from bot.home import build_panel

    member = world.person("Member")

    async def coming_up() -> list[str]:
        panel = await build_panel(world.services, member, AREA)
        return [s.text for s in panel.work if s.heading == "Coming up"]

    rule = await world.say(member, "how often is the protocol reviewed?", AREA)
    assert "The protocol is due for review in January 2018." in rule.text and "Next due" not in rule.text, rule.text
    entry = await world.say(member, "protocol", AREA)
    assert "Review: next review due January 2018." in entry.text and "Next due" not in entry.text, entry.text
    assert await coming_up() == ["Protocol review due by 31 January 2018 (the protocol gives January 2018), and overdue."]

    today = world.now.date()
    manager = world.person("BSCB Manager", "business_manager:bscb")
    assert (await world.say(manager, f"remind reviewed protocol {today:%Y-%m-%d}", AREA)).ok
    since = f"Next due by {today.replace(year=today.year + 1):%-d %B %Y} (yearly from the review recorded on {today:%-d %B %Y})."
    rule = await world.say(member, "how often is the protocol reviewed?", AREA)
    assert f"The protocol gave January 2018 as its review date. {since}" in rule.text, rule.text
    assert "The front page gives the date of next review as January 2018." in rule.text  # its own words, quoted
    entry = await world.say(member, "protocol", AREA)
    assert f"Review: the protocol gave January 2018 as its next review.\n  {since}" in entry.text, entry.text
    assert await coming_up() == [f"Protocol review due by {today.replace(year=today.year + 1):%-d %B %Y} "
                                 f"(yearly from the review recorded on {today:%-d %B %Y})."]


async def test_done_on_the_review_reminder_offers_to_record_the_review_and_recording_ends_the_overdue_note(world):
    from sqlalchemy import select

    from scheduler.calendar import ensure_synced
    from scheduler.rules import REVIEW_KEY
    from storage import directory
    from storage.models import ReminderRule

    async with world.services.store.session() as s:
        await ensure_synced(s, AREA, world.now)
        aid = await directory.area_id(s, AREA)
        rule = (await s.execute(select(ReminderRule).where(ReminderRule.area_id == aid,
                                                           ReminderRule.key == REVIEW_KEY))).scalar_one()
    manager = world.person("BSCB Manager", "business_manager:bscb")
    done = await world.act(manager, "reminder.done", {"rule": rule.id, "occ": "2026-01-31T09:00:00+00:00"}, AREA)
    assert done.ok and done.text.startswith("\u2713 Done: Review of the joint protocol"), done.text
    assert "\u201cremind reviewed protocol 2026-11-23\u201d" in done.text  # the typed way, with today's date
    still = await world.say(world.person("Member"), "who leads on CSE?", AREA)
    assert "was due for review" in still.text  # Done answered the reminder only

    recorded = await world.press(manager, done, "Record the review", AREA)
    assert recorded.ok and "Recorded: the last review of the protocol on Mon 23 Nov 2026." in recorded.text, recorded.text
    answer = await world.say(world.person("Member"), "who leads on CSE?", AREA)
    assert "was due for review" not in answer.text


async def test_done_on_any_other_reminder_offers_no_review(world):
    from sqlalchemy import select

    from scheduler.calendar import ensure_synced
    from scheduler.rules import REVIEW_KEY
    from storage import directory
    from storage.models import ReminderRule

    async with world.services.store.session() as s:
        await ensure_synced(s, AREA, world.now)
        aid = await directory.area_id(s, AREA)
        rule = (await s.execute(select(ReminderRule).where(ReminderRule.area_id == aid, ReminderRule.key != REVIEW_KEY,
                                                           ReminderRule.audience.is_not(None)).limit(1))).scalar_one()
    admin = world.person("Admin", admin=True)
    done = await world.act(admin, "reminder.done", {"rule": rule.id, "occ": "2026-01-31T09:00:00+00:00"}, AREA)
    assert done.ok and done.text.startswith("\u2713 Done:"), done.text
    assert "remind reviewed protocol" not in done.text and not done.buttons
