"""The dashboard in headless Chromium, opened from file:// with the network off: the counts it
shows are the database's, the filters work, and an inconsistent submission opens on its failed
rule, cells, values and raw text. Skips when /usr/bin/chromium is absent (.ci/run installs it).

``NIANBAO_UPDATE_SCREENSHOT=1`` also writes the screenshot to docs/dashboard.png (the README's).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from browser_support import OfflinePage, browser, needs_chromium  # noqa: F401 - browser is a fixture
from publish_fixtures import publish_fixture

REPO = Path(__file__).resolve().parent.parent
pytestmark = needs_chromium


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    return publish_fixture(tmp_path_factory.mktemp("dash"))


@pytest.fixture
def page(browser):  # noqa: F811 - the fixture above
    offline = OfflinePage(browser)
    yield offline
    assert offline.blocked == [], "the dashboard must not touch the network"
    assert offline.errors == []
    offline.close()


def db_counts(db: Path) -> tuple[dict, dict]:
    """What the dashboard should show: the summary and district_rollup, from the database."""
    with duckdb.connect(str(db), read_only=True) as con:
        summary = dict(zip(
            ("current_reports", "consistent", "inconsistent", "quarantined", "superseded"),
            con.execute("""SELECT count(*) FILTER (WHERE is_current),
                                  count(*) FILTER (WHERE is_current AND status = 'consistent'),
                                  count(*) FILTER (WHERE is_current AND status = 'inconsistent'),
                                  count(*) FILTER (WHERE status = 'quarantined'),
                                  count(*) FILTER (WHERE NOT is_current AND status <> 'quarantined')
                           FROM submissions""").fetchone(), strict=True))
        summary["missing"] = con.execute("SELECT count(*) FROM missing_reports").fetchone()[0]
        districts = {(d or "（未识别区县）", str(y)): dict(
            offices_expected=e, offices_reporting=r, offices_missing=m, offices_inconsistent=i,
            new_received=n)
            for d, y, e, r, m, i, n in con.execute(
                "SELECT district, year, offices_expected, offices_reporting, offices_missing, "
                "offices_inconsistent, new_received FROM district_rollup").fetchall()}
    return summary, districts


def shown_counts(page) -> tuple[dict, dict]:
    """The same numbers as the page shows them (visible text, read back as numbers)."""
    summary = {card.get_attribute("data-field"): int(card.locator(".value").inner_text())
               for card in page.locator("#summary .card").all()}
    districts = {}
    for row in page.locator("#district-years tbody tr").all():
        key = (row.get_attribute("data-district"), row.get_attribute("data-year"))
        districts[key] = {cell.get_attribute("data-field"): _number(cell.inner_text())
                          for cell in row.locator("td[data-field]").all()}
    return summary, districts


def check_counts_match(page, db: Path) -> None:
    want_summary, want_districts = db_counts(db)
    got_summary, got_districts = shown_counts(page)
    assert got_summary == want_summary
    assert got_districts == want_districts


def test_the_counts_shown_are_the_databases(page, published):
    db, folder = published
    check_counts_match(page.open(folder / "dashboard.html"), db)


def test_the_submission_table_filters(page, published):
    db, folder = published
    p = page.open(folder / "dashboard.html")
    with duckdb.connect(str(db), read_only=True) as con:
        total, shown_by_default, inconsistent_now = con.execute(
            "SELECT count(*), count(*) FILTER (WHERE is_current OR status = 'quarantined'), "
            "count(*) FILTER (WHERE is_current AND status = 'inconsistent') FROM submissions"
        ).fetchone()
    rows = p.locator("#submissions tbody tr")
    assert rows.count() == total
    assert p.locator("#submissions tbody tr:visible").count() == shown_by_default
    p.select_option("#f-status", "inconsistent")
    assert p.locator("#submissions tbody tr:visible").count() == inconsistent_now
    assert p.locator("#f-count").inner_text() == f"显示 {inconsistent_now} / {total} 份"
    p.fill("#f-office", "金屯镇")
    assert p.locator("#submissions tbody tr:visible").count() == 1


def test_an_inconsistent_submission_opens_on_its_failed_rule_and_cells(page, published, tmp_path):
    db, folder = published
    p = page.open(folder / "dashboard.html")
    details = p.locator("details#sub-S7")
    assert not details.locator(".failure").is_visible()
    p.locator("#submissions tr[data-id='S7'] a").click()
    failure = details.locator(".failure[data-rule='balance']")
    failure.wait_for(state="visible")
    assert "勾稽关系不平衡" in failure.inner_text()
    assert "本年新收6＋上年结转1＝7" in failure.locator(".message").inner_text()
    cells = failure.locator("table.cells tbody tr")
    assert cells.count() == 4
    first = cells.nth(0).locator("td").all_inner_texts()
    assert first[:4] == ["表三「一、本年新收政府信息公开申请数量」「总计」", "6", "数字", "6"]
    assert "按计算关系应为 7，报告中为 6" in failure.inner_text()
    notice = details.locator("a", has_text="网页版")
    assert (folder / notice.get_attribute("href")).exists()

    shot = tmp_path / "dashboard.png"
    p.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    if os.environ.get("NIANBAO_UPDATE_SCREENSHOT"):
        shutil.copyfile(shot, REPO / "docs" / "dashboard.png")


@pytest.mark.slow
def test_a_real_run_publishes_a_dashboard_with_the_databases_counts(page, tmp_path,
                                                                     prefect_server):
    """`nianbao run` on a generated inbox (3 districts × 3 years, corrections, bad files)."""
    from nianbao.generate.inbox import generate_inbox

    inbox = generate_inbox(tmp_path / "gen", 30, seed=5)
    db = tmp_path / "out" / "nianbao.duckdb"
    done = subprocess.run(
        [sys.executable, "-m", "nianbao.cli", "run", "--inbox", str(inbox.inbox), "--db", str(db),
         "--registry", str(inbox.registry)],
        cwd=REPO, env={**os.environ, "PREFECT_API_URL": prefect_server},
        capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    folder = db.parent / "publish"
    check_counts_match(page.open(folder / "dashboard.html"), db)
    for name in ("district_rollup", "year_rollup", "office_kind_rollup", "submissions"):
        assert (folder / f"{name}.parquet").exists()
        assert (folder / f"{name}.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def _number(text: str) -> float | None:
    return None if text == "—" else float(text)
