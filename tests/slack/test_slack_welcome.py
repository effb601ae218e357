"""Slack's Messages tab: a first-use welcome, once per person; greetings get a friendly answer."""

from __future__ import annotations


def _messages_tab(slack_payload, event_id: str, user: str = "U0JO1234"):
    ev = slack_payload("event_app_home_opened")
    ev["event"]["tab"] = "messages"
    ev["event"]["user"] = user
    ev["event"]["channel"] = f"D{user}"
    ev["event_id"] = event_id
    return ev


async def test_the_messages_tab_greets_a_person_once_with_what_to_try(slack, slack_payload) -> None:
    status, _ = await slack.event(_messages_tab(slack_payload, "Ev0MSG01"))
    assert status == 200
    await slack.settle()
    (post,) = slack.fake.calls_to("chat.postMessage")
    assert post.args["channel"] == "DU0JO1234"
    shown = post.args["text"] + str(post.args.get("blocks", ""))
    assert "Buckinghamshire" in shown and "who chairs the BSCB?" in shown
    assert not slack.fake.calls_to("views.publish")  # the Home tab is not republished for the Messages tab
    # opened again (a new event, not a retry): no second welcome
    await slack.event(_messages_tab(slack_payload, "Ev0MSG02"))
    await slack.settle()
    assert len(slack.fake.calls_to("chat.postMessage")) == 1
    # someone else gets their own
    await slack.event(_messages_tab(slack_payload, "Ev0MSG03", user="U0OTHER99"))
    await slack.settle()
    assert [c.args["channel"] for c in slack.fake.calls_to("chat.postMessage")] == ["DU0JO1234", "DU0OTHER99"]


async def test_a_welcome_that_slack_refused_is_tried_on_the_next_visit(slack, slack_payload) -> None:
    slack.fake.fail("chat.postMessage", {"error": "ratelimited"})
    await slack.event(_messages_tab(slack_payload, "Ev0MSG11"))
    await slack.settle()
    await slack.event(_messages_tab(slack_payload, "Ev0MSG12"))
    await slack.settle()
    assert len(slack.fake.calls_to("chat.postMessage")) == 2


async def test_hi_and_thanks_get_a_friendly_answer_not_a_shrug(slack) -> None:
    for text in ("hi", "thanks!", "cheers"):
        status, ack = await slack.command(text)
        assert status == 200
        answer = ack["text"] + str(ack.get("blocks", ""))
        assert "didn't understand" not in answer and "help" in answer, answer


async def test_report_year_in_slack_gives_the_figures_and_private_links_only_to_the_asker(slack) -> None:
    import datetime as dt

    from storage import directory

    async with slack.services.store.session() as s:
        await directory.upsert_person(s, area_slug="buckinghamshire", platform="slack", workspace="T0001BUCKS",
                                      user_id="U0CHAIR01", add_roles=frozenset({"chair:bscb"}))
        await s.commit()
    slack.services.public_url = "https://boards.example"
    slack.services.clock = lambda: dt.datetime(2026, 4, 15, 9, 0, tzinfo=dt.UTC)
    status, ack = await slack.command("report year 2025-04-01 2026-03-31")
    assert status == 200
    await slack.settle()
    shown = json_text = str(ack)
    for call in slack.fake.posts():
        shown += str(call.args)
    assert "Challenges raised by the BSCB: 0" in shown
    assert "https://boards.example/reports/" in shown
    # never in the channel: only to the person who asked (the ack, or an ephemeral / direct message)
    assert not any(c.method == "chat.postMessage" and str(c.args.get("channel", "")).startswith("C") and "/reports/" in str(c.args)
                   for c in slack.fake.calls)
    assert ack.get("response_type") != "in_channel" or "/reports/" not in json_text
