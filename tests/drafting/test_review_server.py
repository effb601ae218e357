"""The review server's guards, over real HTTP on 127.0.0.1: token, host, origin, body, path."""

from __future__ import annotations

import aiohttp
import pytest
import yaml

from drafting.assemble import draft
from drafting.readers import read
from drafting.review.server import prepare, start
from drafting.writer import render
from tests.drafting.documents import write


@pytest.fixture
async def served(tmp_path):
    src = write("md", tmp_path)
    out = tmp_path / "northshire.yaml"
    out.write_text(render(draft([read(src)]), [src.name])[0])
    review = prepare(out, [src])
    runner = await start(review)
    try:
        yield review, f"http://127.0.0.1:{review.port}"
    finally:
        await runner.cleanup()


async def test_saving_needs_the_token_the_page_carries(served):
    review, base = served
    before = review.file.read_text()
    data = yaml.safe_load(before)
    async with aiohttp.ClientSession() as s:
        page = await (await s.get(base + "/")).text()
        assert review.token in page
        r = await s.post(base + "/api/save", json={"data": data})
        assert r.status == 403
        r = await s.post(base + "/api/save", json={"data": data}, headers={"X-Review-Token": "guess"})
        assert r.status == 403
        r = await s.post(base + "/api/save", json={"data": data},
                         headers={"X-Review-Token": review.token, "Origin": "http://evil.example"})
        assert r.status == 403
        r = await s.post(base + "/api/save", data="data=1", headers={"X-Review-Token": review.token,
                                                                    "Content-Type": "application/x-www-form-urlencoded"})
        assert r.status == 415
        r = await s.post(base + "/api/save", data="{not json", headers={"X-Review-Token": review.token,
                                                                       "Content-Type": "application/json"})
        assert r.status == 400
        r = await s.post(base + "/api/save", json={"data": data, "path": "/etc/passwd"}, headers={"X-Review-Token": review.token})
        assert r.status == 403 and "saves only northshire.yaml" in await r.text()
    assert review.file.read_text() == before


async def test_a_request_for_another_host_or_a_file_outside_is_refused(served):
    _review, base = served
    async with aiohttp.ClientSession() as s:
        r = await s.get(base + "/api/state", headers={"Host": "attacker.example"})
        assert r.status == 403
        r = await s.get(base + "/static/..%2Fserver.py")
        assert r.status == 404
        r = await s.get(base + "/static/index.html")
        assert r.status == 404


async def test_an_invalid_save_lists_the_problems_and_keeps_the_file(served):
    review, base = served
    before = review.file.read_text()
    data = yaml.safe_load(before)
    data["themes"][0]["leads"] = ["nobody"]
    async with aiohttp.ClientSession() as s:
        r = await s.post(base + "/api/save", json={"data": data}, headers={"X-Review-Token": review.token})
        body = await r.json()
    assert r.status == 422 and body["saved"] is False
    assert any("unknown board 'nobody'" in p["message"] and p["field"] == "themes[0].leads[0]" for p in body["problems"])
    assert review.file.read_text() == before


async def test_a_valid_save_writes_only_the_reviewed_file(served):
    review, base = served
    data = yaml.safe_load(review.file.read_text())
    data["themes"][0]["source"]["review"] = "reviewed"
    async with aiohttp.ClientSession() as s:
        r = await s.post(base + "/api/save", json={"data": data}, headers={"X-Review-Token": review.token})
        body = await r.json()
    assert r.status == 200 and body["saved"] is True
    assert body["import"] == f"boardbot protocol import {review.file}"
    saved = yaml.safe_load(review.file.read_text())
    assert saved["themes"][0]["source"]["review"] == "reviewed"
    assert sorted(p.name for p in review.file.parent.iterdir() if p.suffix == ".yaml") == ["northshire.yaml"]


async def test_a_file_name_that_looks_like_markup_is_shown_as_text(tmp_path):
    src = write("md", tmp_path)
    out = tmp_path / '<img src=x onerror=alert(1)><form action="http:evil">.yaml'
    out.write_text(render(draft([read(src)]), [src.name])[0])
    review = prepare(out, [src])
    runner = await start(review)
    try:
        async with aiohttp.ClientSession() as s:
            page = await (await s.get(f"http://127.0.0.1:{review.port}/")).text()
    finally:
        await runner.cleanup()
    assert "<img" not in page and '<form action="http:evil">' not in page
    assert "&lt;img src=x onerror=alert(1)&gt;&lt;form action=&quot;http:evil&quot;&gt;.yaml" in page


@pytest.mark.parametrize("body", ["[" * 100_000 + "]" * 100_000,
                                  '{"data": ' + '{"a": ' * 5_000 + "1" + "}" * 5_000 + "}",
                                  '{"data": {"area": ' + "9" * 5_000 + "}}"])  # past Python's 4,300 digits
async def test_a_save_json_cannot_read_is_refused_plainly_and_keeps_the_file(served, body):
    review, base = served
    before = review.file.read_text()
    async with aiohttp.ClientSession() as s:
        r = await s.post(base + "/api/save", data=body, headers={"X-Review-Token": review.token,
                                                                 "Content-Type": "application/json"})
        text = await r.text()
    assert r.status in (400, 422), (r.status, text[:200])
    assert review.file.read_text() == before


async def test_a_token_header_that_is_not_ascii_is_refused_not_a_crash(served):
    review, base = served
    before = review.file.read_text()
    async with aiohttp.ClientSession() as s:
        r = await s.post(base + "/api/save", data=b'{"data": {}}', headers={
            "X-Review-Token": "\u00e9t\u00e9".encode().decode("latin-1"), "Content-Type": "application/json"})
    assert r.status == 403
    assert review.file.read_text() == before
