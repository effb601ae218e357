"""The Teams app package an administrator side-loads: manifest rules Teams enforces, and the icons."""

from __future__ import annotations

import json
import re
import zipfile

import pytest

from bot.platforms.teams import manifest as tm

MANIFEST = json.loads((tm.HERE / "manifest.json").read_text())
APP_ID = "6f1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"


def test_the_manifest_has_what_teams_requires():
    for key in ("$schema", "manifestVersion", "version", "id", "developer", "name", "description", "icons", "accentColor"):
        assert MANIFEST[key], key
    assert MANIFEST["$schema"].endswith(f"/v{MANIFEST['manifestVersion']}/MicrosoftTeams.schema.json")
    assert re.fullmatch(r"\d+\.\d+\.\d+", MANIFEST["version"])
    assert tm.GUID.match(MANIFEST["id"])
    assert all(MANIFEST["developer"][k].startswith("https://") for k in ("websiteUrl", "privacyUrl", "termsOfUseUrl"))
    assert len(MANIFEST["name"]["short"]) <= 30 and len(MANIFEST["name"]["full"]) <= 100
    assert len(MANIFEST["description"]["short"]) <= 80 and len(MANIFEST["description"]["full"]) <= 4000
    assert re.fullmatch(r"#[0-9A-Fa-f]{6}", MANIFEST["accentColor"])


def test_the_bot_works_in_chats_teams_and_group_chats_with_example_commands():
    [bot] = MANIFEST["bots"]
    assert tm.GUID.match(bot["botId"]) and bot["botId"] == MANIFEST["id"]
    assert set(bot["scopes"]) == {"personal", "team", "groupChat"}
    commands = [c for lst in bot["commandLists"] for c in lst["commands"]]
    titles = [c["title"] for c in commands]
    assert {"who leads on CSE?", "boards", "help"} <= set(titles)
    assert all(len(c["title"]) <= 32 and 0 < len(c["description"]) <= 128 for c in commands)
    assert all(len(lst["commands"]) <= 10 and set(lst["scopes"]) <= set(bot["scopes"]) for lst in bot["commandLists"])


async def test_the_example_commands_are_ones_boardbot_understands(bot):
    """Every command the Teams menu offers gets a real answer, not "I didn't understand"."""
    for command in MANIFEST["bots"][0]["commandLists"][0]["commands"]:
        reply = await bot(command["title"], area="buckinghamshire")
        assert reply.ok, (command["title"], reply.text)
        assert "didn't understand" not in reply.text.lower()


def test_the_colour_icon_is_192_square_and_opaque():
    width, height, rows = tm.read_png((tm.HERE / MANIFEST["icons"]["color"]).read_bytes())
    assert (width, height) == (192, 192)
    assert all(p[3] == 255 for row in rows for p in row)
    assert len({p for row in rows for p in row}) > 2  # a glyph on a background, not a flat square


def test_the_outline_icon_is_32_square_white_on_transparent():
    width, height, rows = tm.read_png((tm.HERE / MANIFEST["icons"]["outline"]).read_bytes())
    assert (width, height) == (32, 32)
    pixels = [p for row in rows for p in row]
    assert all(p[:3] == (255, 255, 255) for p in pixels)
    assert any(p[3] == 0 for p in pixels) and any(p[3] == 255 for p in pixels)
    assert rows[0][0][3] == 0  # the corner is transparent


def test_the_icons_in_the_repository_are_what_the_script_draws():
    assert (tm.HERE / "color.png").read_bytes() == tm.color_icon()
    assert (tm.HERE / "outline.png").read_bytes() == tm.outline_icon()


def test_package_puts_the_app_id_in_and_the_files_at_the_root(tmp_path):
    out = tm.package(APP_ID, tmp_path / "boardbot-teams.zip", valid_domain="boardbot.example.gov.uk", version="1.0.1")

    with zipfile.ZipFile(out) as z:
        assert sorted(z.namelist()) == ["color.png", "manifest.json", "outline.png"]
        data = json.loads(z.read("manifest.json"))
        assert z.read("outline.png") == (tm.HERE / "outline.png").read_bytes()
    assert data["id"] == APP_ID and data["bots"][0]["botId"] == APP_ID
    assert data["validDomains"] == ["boardbot.example.gov.uk"] and data["version"] == "1.0.1"


def test_package_refuses_an_app_id_that_is_not_a_guid(tmp_path, capsys):
    with pytest.raises(ValueError, match="MicrosoftAppId"):
        tm.package("my-bot", tmp_path / "x.zip")
    assert tm.main(["package", "--app-id", "my-bot", "--out", str(tmp_path / "x.zip")]) == 2
    assert "GUID" in capsys.readouterr().err
    assert not (tmp_path / "x.zip").exists()
