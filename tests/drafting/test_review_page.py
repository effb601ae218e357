"""The review page in a real browser: Debian's Chromium, headless, driven by Playwright.

Skips (saying why) where Chromium or Playwright is missing; with BOARDBOT_REQUIRE_BROWSER=1
(set by .ci/run) it fails instead. With BOARDBOT_SCREENSHOTS=DIR it also saves the
screenshots docs/onboarding.md shows.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.drafting.documents import write

pytestmark = pytest.mark.e2e

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]


def _missing() -> str | None:
    if not Path(CHROMIUM).exists():
        return f"no browser at {CHROMIUM} (install Debian's chromium package: apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -e '.[test]')"
    return None


@pytest.fixture(scope="module")
def browser():
    reason = _missing()
    if reason:
        if os.environ.get("BOARDBOT_REQUIRE_BROWSER"):
            pytest.fail(f"BOARDBOT_REQUIRE_BROWSER is set but {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def review(tmp_path):
    """A drafted file served by `boardbot protocol review` (a real process); yields (url, file, source)."""
    src = write("docx", tmp_path)
    out = tmp_path / "northshire.yaml"
    r = subprocess.run([sys.executable, "-m", "bot.cli", "protocol", "draft", str(src), "--out", str(out)],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    proc = subprocess.Popen([sys.executable, "-m", "bot.cli", "protocol", "review", str(out), "--source", str(src),
                             "--no-browser"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        m = re.search(r"(http://127\.0\.0\.1:\d+/)", line)
        assert m, line + proc.stderr.read()
        yield m.group(1), out, src
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def expect(locator):
    from playwright.sync_api import expect as _expect

    return _expect(locator)


def fact(page, text: str):
    return page.locator(".fact", has=page.locator(".label", has_text=text)).first


def shoot(page, name: str) -> None:
    folder = os.environ.get("BOARDBOT_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / name))


def test_accept_edit_reject_save_and_the_file_imports(browser, review, tmp_path):
    url, out, _src = review
    page = browser.new_page(viewport={"width": 1360, "height": 860})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url)
    page.wait_for_selector(".fact")
    expect(page.locator("#status")).to_contain_text("facts")
    # selecting a fact highlights its passage in the document
    fact(page, "Domestic abuse").click()
    page.wait_for_selector("#documents mark")
    assert "Domestic abuse" in page.locator("#documents mark").first.inner_text()
    shoot(page, "review-page.png")

    # accept one, with the keyboard
    fact(page, "Domestic abuse").focus()
    page.keyboard.press("a")
    page.wait_for_selector(".fact[data-status=reviewed] >> text=Domestic abuse")
    expect(page.locator("#status")).to_contain_text("Accepted: Domestic abuse")

    # edit one: the quarterly meeting's title
    fact(page, "(quarterly)").get_by_role("button", name=re.compile("^Edit")).click()
    dialog = page.locator("#edit-dialog")
    dialog.get_by_label("title").fill("Business managers' quarterly meeting")
    shoot(page, "review-edit.png")
    dialog.get_by_role("button", name="Save this fact as reviewed").click()
    expect(page.locator("#status")).to_contain_text("Edited and accepted")

    # reject one
    fact(page, "Modern slavery").get_by_role("button", name=re.compile("^Reject")).click()
    assert fact(page, "Modern slavery").count() == 0
    expect(page.locator("#status")).to_contain_text("Rejected and removed: Modern slavery")

    # save (Ctrl+S) and read what the page says
    page.keyboard.press("Control+s")
    page.wait_for_selector("#next:not([hidden])")
    expect(page.locator("#status")).to_contain_text("Saved northshire.yaml")
    shoot(page, "review-saved.png")
    assert errors == []

    data = yaml.safe_load(out.read_text())
    themes = {t["name"]: t for t in data["themes"]}
    assert themes["Domestic abuse"]["source"]["review"] == "reviewed"
    assert "Modern slavery" not in themes
    assert any(m["title"] == "Business managers' quarterly meeting" and m["source"]["review"] == "reviewed"
               for m in data["meetings"])
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'boardbot.db'}"}
    r = subprocess.run([sys.executable, "-m", "bot.cli", "protocol", "import", str(out), "--by", "Reviewer"],
                       capture_output=True, text=True, timeout=120, env=env)
    assert r.returncode == 0, r.stderr
    r = subprocess.run([sys.executable, "-m", "bot.cli", "ask", "--area", "northshire", "who leads on domestic abuse?"],
                       capture_output=True, text=True, timeout=120, env=env)
    assert r.returncode == 0 and "Community Safety Partnership" in r.stdout, r.stdout + r.stderr


def test_a_save_that_would_not_validate_shows_the_problems_and_changes_nothing(browser, review):
    url, out, _src = review
    before = out.read_text()
    page = browser.new_page(viewport={"width": 1360, "height": 860})
    page.goto(url)
    page.wait_for_selector(".fact")
    fact(page, "Domestic abuse").get_by_role("button", name=re.compile("^Edit")).click()
    page.locator("#edit-dialog").get_by_label("leads (one per line)").fill("nobody")
    page.locator("#edit-dialog").get_by_role("button", name="Save this fact as reviewed").click()
    page.get_by_role("button", name="Save and validate").click()
    page.wait_for_selector("#problems:not([hidden])")
    assert "unknown board 'nobody'" in page.locator("#problem-list").inner_text()
    expect(page.locator("#status")).to_contain_text("Not saved")
    shoot(page, "review-problems.png")
    page.locator("#problem-list").get_by_role("button", name="Go to the fact").first.click()
    assert page.evaluate("document.activeElement.classList.contains('fact')")
    assert out.read_text() == before
    # undo brings the fact back as it was; a missed fact can be added from the document
    page.keyboard.press("u")
    expect(page.locator("#status")).to_contain_text("Undone")
    page.keyboard.press("n")
    page.locator("#add-kind").select_option("a recurring meeting")
    page.locator("#add-json").fill('{"key": "chairs_annual", "title": "Chairs\' annual meeting", "cadence": "annual", '
                                   '"attendees": ["the chairs"], "source": {"doc": "protocol", "clause": "4 Meetings"}}')
    page.locator("#add-dialog").get_by_role("button", name="Add").click()
    assert fact(page, "Chairs' annual meeting").count() == 1
    page.keyboard.press("s")
    page.wait_for_selector("#next:not([hidden])")
    assert "chairs_annual" in out.read_text()
