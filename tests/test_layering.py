"""The layering DESIGN.md asks for: only bot/platforms may touch a platform SDK, and storage
knows nothing of the bot. Checked on the source, so a stray import fails the build."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SDKS = ("slack_bolt", "slack_sdk", "botbuilder", "botframework", "aiohttp")


def imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
    return out


def py_files(*dirs: str):
    for d in dirs:
        yield from (ROOT / d).rglob("*.py")


def test_commands_workflows_storage_never_import_a_platform_sdk():
    offenders = []
    for f in py_files("bot/commands", "bot/workflows", "bot/language", "storage"):
        for name in imports(f):
            if name.split(".")[0] in SDKS:
                offenders.append(f"{f.relative_to(ROOT)} imports {name}")
    for f in [ROOT / "bot" / n for n in ("router.py", "messages.py", "knowledge.py", "identity.py", "actions.py", "notify.py", "services.py")]:
        for name in imports(f):
            if name.split(".")[0] in SDKS:
                offenders.append(f"{f.relative_to(ROOT)} imports {name}")
    assert offenders == []


def test_botbuilder_only_in_the_teams_package():
    offenders = [
        f"{f.relative_to(ROOT)}" for f in py_files("bot", "storage", "scheduler")
        if any(n.split(".")[0] in ("botbuilder", "botframework") for n in imports(f))
        and (ROOT / "bot" / "platforms" / "teams") not in f.parents
    ]
    assert offenders == []


def test_storage_does_not_import_the_bot():
    offenders = [f"{f.relative_to(ROOT)}: {n}" for f in py_files("storage") for n in imports(f) if n.split(".")[0] == "bot"]
    assert offenders == []


def test_scheduler_uses_no_platform_sdk():
    offenders = [f"{f.relative_to(ROOT)}: {n}" for f in py_files("scheduler") for n in imports(f)
                 if n.split(".")[0] in ("slack_bolt", "slack_sdk", "botbuilder", "botframework")]
    assert offenders == []


def test_drafting_imports_no_chat_platform_and_only_its_review_page_serves_http():
    offenders = []
    for f in py_files("drafting"):
        for n in imports(f):
            top = n.split(".")[0]
            if top == "bot" or top in ("slack_bolt", "slack_sdk", "botbuilder", "botframework"):
                offenders.append(f"{f.relative_to(ROOT)}: {n}")
            if top == "aiohttp" and "review" not in f.relative_to(ROOT).parts:
                offenders.append(f"{f.relative_to(ROOT)}: {n}")
    assert offenders == []
