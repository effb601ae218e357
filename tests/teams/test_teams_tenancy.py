"""An area is a wall through real botbuilder against the stand-in Bot Connector, with
Buckinghamshire's and Suffolk's Teams tenants each linked to its own area, on SQLite and PostgreSQL:
a card pressed from Suffolk's tenant on Buckinghamshire's challenge, a resolve form submitted with
the area changed, and typed commands about Buckinghamshire are refused, recorded, and change nothing."""

from __future__ import annotations

import copy

import pytest
from sqlalchemy import select

from storage import directory
from storage.models import AuditEvent, Challenge

from .conftest import SUFFOLK_TENANT
from .standin import TENANT, card_text, payload
from .test_teams_challenge_e2e import find_action

pytestmark = pytest.mark.e2e

CHAIR = "3f2a8c61-5b7d-4e9a-9c1f-2d6e8b4a7c05"  # Jo Smith in the payload samples: Buckinghamshire's BSCB chair
SUE = "0c9d8e7f-6a5b-4c3d-2e1f-0a9b8c7d6e5f"  # Suffolk's admin and HWB chair


def from_tenant(body: dict, tenant: str, aad: str, name: str) -> dict:
    body = copy.deepcopy(body)
    body["from"] = {"id": f"29:{aad}", "name": name, "aadObjectId": aad}
    body["conversation"]["tenantId"] = tenant
    body.setdefault("channelData", {})["tenant"] = {"id": tenant}
    return body


async def invoke(client, connector, action: dict, tenant: str, aad: str, name: str, activity_id: str, **inputs) -> dict:
    body = from_tenant(payload("card_action_invoke", connector, id=activity_id), tenant, aad, name)
    data = copy.deepcopy(action["data"])
    data.update({f"f_{k}": v for k, v in inputs.items()})
    data["n"] = f"{data.get('n', '')}-{activity_id}"  # each press as from a card of its own
    body["value"]["action"].update(verb=action["verb"], data=data, title=action["title"])
    resp = await client.post("/api/messages", json=body)
    assert resp.status == 200, await resp.text()
    return (await resp.json())["value"]


async def message(client, connector, text: str, tenant: str, aad: str, name: str, activity_id: str) -> str:
    body = from_tenant(payload("personal_message", connector, id=activity_id, text=text), tenant, aad, name)
    resp = await client.post("/api/messages", json=body)
    assert resp.status == 200
    return card_text(connector.posts[-1].card)


async def test_suffolks_tenant_cannot_act_on_or_read_buckinghamshires_challenge(teams_two_areas, connector):
    client = teams_two_areas
    services = client.services
    async with services.store.session() as s, s.begin():
        await directory.upsert_person(s, area_slug="buckinghamshire", platform="teams", workspace=TENANT, user_id=CHAIR,
                                      display_name="Jo Smith", add_roles=frozenset({"chair:bscb"}))
        await directory.upsert_person(s, area_slug="suffolk", platform="teams", workspace=SUFFOLK_TENANT, user_id=SUE,
                                      display_name="Sue Folk", add_roles=frozenset({"chair:hwb", "business_manager:hwb"}),
                                      is_admin=True)
    resp = await client.post("/api/messages", json=payload("personal_message", connector, id="raise1", text="challenge HWB"))
    assert resp.status == 200
    submit = find_action(connector.posts[-1].card, "Raise challenge")
    raised = await invoke(client, connector, submit, TENANT, CHAIR, "Jo Smith", "submit1", to_board="hwb",
                          subject="CSE profile", concern="No CSE profile.", response_sought="A plan.")
    assert "Challenge C1 raised" in card_text(raised)

    # Suffolk's admin presses the raising chair's buttons, and submits a resolve form naming Suffolk
    for n, title in enumerate(("Escalate", "Resolve", "Withdraw")):
        answer = await invoke(client, connector, find_action(raised, title), SUFFOLK_TENANT, SUE, "Sue Folk", f"forge{n}")
        assert "belongs to Buckinghamshire" in card_text(answer), card_text(answer)
    form = await invoke(client, connector, find_action(raised, "Resolve"), TENANT, CHAIR, "Jo Smith", "resolve1")
    resolve = copy.deepcopy(find_action(form, "Resolve"))
    resolve["data"]["area"] = "suffolk"
    resolve["data"]["v"]["area"] = "suffolk"
    answer = await invoke(client, connector, resolve, SUFFOLK_TENANT, SUE, "Sue Folk", "forge-resolve", text="Closed.")
    assert "belongs to Buckinghamshire" in card_text(answer)

    # typed from Suffolk's tenant
    for n, text in enumerate(("challenge in buckinghamshire", "challenges in buckinghamshire",
                              "challenge 1 in buckinghamshire", "admin directory in buckinghamshire",
                              "admin link-area buckinghamshire")):
        shown = await message(client, connector, text, SUFFOLK_TENANT, SUE, "Sue Folk", f"typed{n}")
        assert "Buckinghamshire" in shown and "CSE profile" not in shown and "Jo Smith" not in shown, (text, shown)

    async with services.store.session() as s:
        ch = (await s.execute(select(Challenge))).scalar_one()
        assert (ch.status, ch.rung_index, ch.outcome) == ("open", 0, None)
        assert await directory.workspace_area(s, "teams", SUFFOLK_TENANT) == "suffolk"
        bucks = await directory.area_id(s, "buckinghamshire")
        refused = (await s.execute(select(AuditEvent).where(AuditEvent.area_id == bucks, AuditEvent.kind == "refused"))).scalars().all()
    assert len(refused) >= 9, [(e.detail.get("action") or e.detail.get("command"), e.detail.get("reason")) for e in refused]
    assert all(e.detail.get("from_area") == "suffolk" for e in refused)

    # Jo carries on: the same resolve form, submitted by her, resolves it
    done = await invoke(client, connector, find_action(form, "Resolve"), TENANT, CHAIR, "Jo Smith", "resolve2", text="Agreed.")
    assert "resolved" in card_text(done)
