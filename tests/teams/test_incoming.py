"""Reading what Teams sends: mentions, tenants, channels, malformed bodies (no server needed)."""

from __future__ import annotations

import json

from bot.platforms.teams.activities import (
    channel_of,
    conversation_reference,
    incoming_text,
    parse_activity,
    tenant_of,
)

from .standin import PAYLOADS, TENANT

BOT = "28:6f1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"


def sample(name: str, **changes) -> dict:
    data = json.loads((PAYLOADS / f"{name}.json").read_text())
    data.update(changes)
    return data


def mention(uid: str, name: str, **extra) -> dict:
    return {"type": "mention", "text": f"<at>{name}</at>", "mentioned": {"id": uid, "name": name, **extra}}


def test_the_bots_own_mention_is_removed():
    activity = parse_activity(sample("channel_mention"))
    assert incoming_text(activity) == ("who chairs the adults board?", ())


def test_other_mentions_become_ids_in_the_text_and_in_order():
    body = sample("channel_mention", text="<at>boardbot</at> admin link-user <at>Sam Patel</at> and <at>Ann (BSAB)</at> chair",
                  entities=[mention("29:ann", "Ann (BSAB)", aadObjectId="aad-ann"), mention(BOT, "boardbot"),
                            mention("29:sam", "Sam Patel")])
    text, mentions = incoming_text(parse_activity(body))
    assert text == "admin link-user @29:sam and @aad-ann chair"
    assert mentions == ("29:sam", "aad-ann")  # the AAD object id where Teams sends one


def test_entities_and_non_breaking_spaces_are_plain_text():
    body = sample("personal_message", text="who leads on DV &amp; stalking?\u00a0 ")
    assert incoming_text(parse_activity(body)) == ("who leads on DV & stalking?", ())


def test_tenant_comes_from_channel_data_else_the_conversation():
    assert tenant_of(parse_activity(sample("personal_message"))) == TENANT
    no_channel_data = sample("personal_message")
    del no_channel_data["channelData"]
    assert tenant_of(parse_activity(no_channel_data)) == TENANT


def test_a_channel_thread_is_its_channel():
    activity = parse_activity(sample("channel_mention"))
    assert channel_of(activity) == "19:8d1e5b0c6a2f4e7b9c3d1a5f7e9b2c4d@thread.tacv2"
    personal = parse_activity(sample("personal_message"))
    assert channel_of(personal) == personal.conversation.id


def test_the_stored_reference_points_at_the_channel_and_keeps_the_tenant():
    ref = conversation_reference(parse_activity(sample("channel_mention")))
    assert ref == {
        "bot": {"id": BOT, "name": "boardbot"},
        "conversation": {"id": "19:8d1e5b0c6a2f4e7b9c3d1a5f7e9b2c4d@thread.tacv2", "conversationType": "channel",
                         "isGroup": True, "tenantId": TENANT},
        "channelId": "msteams",
        "serviceUrl": "https://smba.trafficmanager.net/uk/",
    }


def test_the_stored_reference_holds_the_people_as_msrest_writes_them():
    for path in sorted(PAYLOADS.glob("*.json")):
        body = json.loads(path.read_text())
        body.setdefault("from", {})["properties"] = {"x": [1, "two"]}  # an account's free-form properties too
        activity = parse_activity(body)
        ref = conversation_reference(activity)
        assert ref["bot"] == activity.recipient.serialize(), path.name
        if "user" in ref:
            assert ref["user"] == activity.from_property.serialize(), path.name


def test_what_is_not_an_activity_is_refused():
    assert parse_activity([]) is None
    assert parse_activity({"text": "hi"}) is None
    assert parse_activity(sample("personal_message", serviceUrl=None)) is None
    assert parse_activity(sample("personal_message", serviceUrl="javascript:alert(1)")) is None
    assert parse_activity(sample("personal_message", conversation={"id": 5})) is None
    assert parse_activity(sample("personal_message", **{"from": None})) is None
    assert parse_activity(sample("personal_message", entities={"not": "a list"})) is None
