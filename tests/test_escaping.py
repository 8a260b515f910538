"""Office names and cell text come from untrusted web pages: on the dashboard and in the notices
an office named ``<script>alert(1)</script>`` and a cell holding ``<img … onerror=…>`` appear as
text and run nothing. Checked in the HTML, in the Markdown and in Chromium (no dialog opens, the
text is visible); the browser part skips without /usr/bin/chromium."""

from __future__ import annotations

import pytest
from browser_support import OfflinePage, browser, needs_chromium  # noqa: F401 - browser is a fixture
from publish_fixtures import publish_fixture

SCRIPT_OFFICE = "<script>alert(1)</script>"
IMG_CELL = '<img src=x onerror="alert(2)">'
HOSTILE = dict(rename={"金屯镇人民政府": SCRIPT_OFFICE},
               raw_overrides={("S7", "new_received", "total"): IMG_CELL})


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    return publish_fixture(tmp_path_factory.mktemp("hostile"), **HOSTILE)


def notice_files(folder, suffix):
    return sorted((folder / "notices").rglob(f"*_2023_S7.{suffix}"))


def test_the_dashboard_html_holds_the_markup_only_as_escaped_text(published):
    _, folder = published
    page = (folder / "dashboard.html").read_text(encoding="utf-8")
    assert SCRIPT_OFFICE not in page
    assert "<img" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=&quot;alert(2)&quot;&gt;" in page
    assert page.count("<script") == 1  # the page's own, allowed by its hash only
    assert "script-src 'sha256-" in page


def test_notices_escape_the_markup_and_get_safe_file_names(published):
    _, folder = published
    [html] = notice_files(folder, "html")
    [markdown] = notice_files(folder, "md")
    assert html.parent.parent == folder / "notices"
    assert "<" not in html.name and "/" not in html.name[:-5]
    text = html.read_text(encoding="utf-8")
    assert SCRIPT_OFFICE not in text and "<img" not in text and "<script" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;：" in text
    md = markdown.read_text(encoding="utf-8")
    assert SCRIPT_OFFICE not in md and "<img" not in md
    assert "**&lt;script&gt;alert(1)&lt;/script&gt;**：" in md


@needs_chromium
def test_in_the_browser_nothing_runs_and_the_text_is_visible(browser, published, tmp_path):  # noqa: F811
    _, folder = published
    offline = OfflinePage(browser)
    # A control: the same markup, unescaped, does open dialogs, so their absence below means
    # something.
    control = tmp_path / "control.html"
    control.write_text(f"<!DOCTYPE html><p>{SCRIPT_OFFICE}{IMG_CELL}</p>", encoding="utf-8")
    offline.open(control).wait_for_timeout(300)
    assert sorted(offline.dialogs) == ["alert: 1", "alert: 2"]
    offline.dialogs.clear()

    page = offline.open(folder / "dashboard.html")
    page.wait_for_timeout(300)
    row = page.locator("#submissions tr[data-id='S7']")
    assert row.locator("td").first.inner_text() == SCRIPT_OFFICE
    page.fill("#f-office", "<script>")  # the filter matches the text, nothing else
    assert page.locator("#submissions tbody tr:visible").count() == 1
    row.locator("a").click()
    raw = page.locator("details#sub-S7 td.raw", has_text="onerror")
    raw.wait_for(state="visible")
    assert raw.inner_text() == IMG_CELL
    assert page.locator("img").count() == 0
    assert page.evaluate("document.scripts.length") == 1
    page.wait_for_timeout(300)

    [notice] = notice_files(folder, "html")
    notice_page = offline.open(notice)
    assert notice_page.get_by_text(f"{SCRIPT_OFFICE}：", exact=True).is_visible()
    assert notice_page.get_by_text(IMG_CELL, exact=True).is_visible()
    assert notice_page.locator("img").count() == 0
    notice_page.wait_for_timeout(300)

    assert offline.dialogs == []
    assert offline.blocked == []
    assert offline.errors == []
    offline.close()
