"""End to end through the UI: `dagster dev` (webserver and daemon) on 127.0.0.1, Debian's headless
Chromium driven by Playwright, one partition of the raw layer materialised from an asset page.

The test saves its screenshots and the `dagster dev` log in its `tmp_path` and copies them to
`test-output/ui/` at the repo root (git-ignored). It needs `/usr/bin/chromium` (Debian's `chromium`
package); without it the test is skipped, unless `NBA_UI_TEST_REQUIRED` is set (as `.ci/run` does),
in which case it fails.
"""

from __future__ import annotations

import os
import re
import shutil
import time

import duckdb
import pytest

from nba_assets_tests.ui_driver import CHROMIUM, CHROMIUM_ARGS, REPO_ROOT, DagsterDev, copy_artifacts

PARTITION = "2025-01-20"
CLOCK = "2025-01-22T12:00:00-05:00"  # the simulated league has finished the games of 2025-01-20
ASSET = "raw_games"
LOCATION = "nba_assets"
ARTIFACTS = REPO_ROOT / "test-output" / "ui"

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists() and not os.environ.get("NBA_UI_TEST_REQUIRED"),
    reason=f"UI test needs Debian's Chromium at {CHROMIUM} (apt-get install chromium); "
    "set NBA_UI_TEST_REQUIRED=1 to make its absence a failure",
)


@pytest.fixture
def dagster_dev(tmp_path):
    """`dagster dev` on a free port of 127.0.0.1 with a fresh instance and warehouse, its code location loaded."""
    if not CHROMIUM.exists():
        pytest.fail(f"NBA_UI_TEST_REQUIRED is set but {CHROMIUM} is missing: apt-get install -y chromium")
    home, data = tmp_path / "dagster_home", tmp_path / "data"
    home.mkdir()
    data.mkdir()
    shutil.copy(REPO_ROOT / ".dagster" / "dagster.yaml", home / "dagster.yaml")  # instance settings: pool limits
    server = DagsterDev(
        home, data, tmp_path / "dagster-dev.log",
        env={"NBA_SOURCE": "simulated", "NBA_WAREHOUSE": "duckdb", "NBA_CLOCK": CLOCK},
    )
    shutil.rmtree(ARTIFACTS, ignore_errors=True)  # this run's artefacts only
    started = time.monotonic()
    # The code location's sensors, schedules and automation conditions default to RUNNING: on a fresh
    # instance they would launch runs of their own at once, which queue with the UI's run on the
    # `duckdb` pool (minutes) and write other dates. The test is about the UI, so they start stopped.
    server.stopped_automation = server.stop_automation()
    server.stop_automation_seconds = time.monotonic() - started
    server.start()
    try:
        server.ready_seconds = server.wait_until_loaded(LOCATION, ASSET, timeout=120)
        yield server
    finally:
        stopping = time.monotonic()
        leftovers = server.stop()
        print(f"dagster dev: teardown {time.monotonic() - stopping:.1f} s, {time.monotonic() - started:.1f} s in all")
        copy_artifacts([server.log_path], ARTIFACTS)
        assert not leftovers, f"processes of dagster dev left running after teardown: {leftovers}"


def test_materialize_raw_partition_from_ui(dagster_dev, tmp_path):
    try:
        from playwright.sync_api import expect, sync_playwright
    except ImportError as error:  # pragma: no cover - the dev extra installs it
        pytest.fail(f"playwright is not installed ({error}): pip install -e '.[dev]'")

    timings = {"stop sensors and schedules": dagster_dev.stop_automation_seconds, "dagster dev ready": dagster_dev.ready_seconds}
    shots = {name: tmp_path / f"{name}.png" for name in ("launch-dialog", "run-success", "failure")}
    url = dagster_dev.url
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
            try:
                context = browser.new_context(viewport={"width": 1440, "height": 1000})
                # Dismiss the "Join the Dagster community" dialog the UI shows on a first visit to localhost.
                context.add_init_script("window.localStorage.setItem('communityNux', JSON.stringify('1'));")
                page = context.new_page()
                page.set_default_timeout(30_000)
                try:
                    # 1. The asset page, its Materialize button.
                    clock = time.monotonic()
                    page.goto(f"{url}/assets/{ASSET}", wait_until="domcontentloaded")
                    materialize = page.get_by_role("button").filter(has_text=re.compile(r"^Materialize(…|\.\.\.)?$"))
                    expect(materialize).to_be_enabled()
                    materialize.click()

                    # 2. The partitions dialog. Its key input appears once partition health has loaded, in
                    # the same render as the "Showing the last 90 days" notice (when older keys exist):
                    # show all partitions, then type the one key.
                    dialog = page.get_by_role("dialog").filter(has_text=f"Launch runs to materialize {ASSET}")
                    key_input = dialog.locator("input[type='text']").first
                    expect(key_input).to_be_visible()
                    show_all = dialog.get_by_role("button", name="Show all partitions")
                    all_time = dialog.get_by_role("button", name="All time")
                    expect(show_all.or_(all_time)).to_be_visible()
                    if show_all.is_visible():
                        show_all.click()
                    expect(all_time).to_be_visible()
                    key_input.fill(PARTITION)
                    key_input.press("Enter")
                    expect(dialog.get_by_text("1 partition", exact=True)).to_be_visible()
                    launch = dialog.get_by_role("button", name="Launch 1 run", exact=True)
                    expect(launch).to_be_enabled()
                    page.screenshot(path=str(shots["launch-dialog"]))
                    launch.click()

                    # 3. The toast names the run; its View button links to the run page.
                    toast_link = page.locator("a[href^='/runs/']", has_text="View")
                    expect(page.get_by_text("Launched run")).to_be_visible()
                    href = toast_link.first.get_attribute("href")
                    run_id = href.split("/runs/", 1)[1].split("?")[0]
                    timings["UI: page to launched run"] = time.monotonic() - clock

                    # 4. The daemon dequeues the run; it must succeed.
                    clock = time.monotonic()
                    run = dagster_dev.wait_for_run(run_id, timeout=180)
                    timings["run: launch to terminal status"] = time.monotonic() - clock
                    assert run["status"] == "SUCCESS", (
                        f"run {run_id} ended {run['status']}:\n{dagster_dev.run_messages(run_id)}"
                    )
                    tags = {t["key"]: t["value"] for t in run["tags"]}
                    assert tags.get("dagster/partition") == PARTITION, tags
                    assert [a["path"] for a in run["assetSelection"]] == [[ASSET]]

                    # 5. The run page shows the success.
                    clock = time.monotonic()
                    page.goto(f"{url}/runs/{run_id}", wait_until="domcontentloaded")
                    expect(page.get_by_text("Success", exact=True).first).to_be_visible()
                    expect(page.get_by_text(f"partition: {PARTITION}")).to_be_visible()
                    expect(page.get_by_text("RUN_SUCCESS", exact=True)).to_be_visible()
                    page.screenshot(path=str(shots["run-success"]), full_page=True)
                    timings["UI: run page"] = time.monotonic() - clock
                except Exception:
                    page.screenshot(path=str(shots["failure"]), full_page=True)
                    raise
            finally:
                browser.close()
    finally:
        copy_artifacts(list(shots.values()), ARTIFACTS)

    # 6. The partition is materialised: in the instance, and in the warehouse; no other run wrote it.
    others = [r for r in dagster_dev.runs() if r["runId"] != run_id]
    assert not others, f"runs launched by something other than the UI (stopped sensors or schedules?): {others}"
    [materialization] = dagster_dev.materializations(ASSET, PARTITION)
    assert materialization["runId"] == run_id
    metadata = {m["label"]: m.get("intValue") for m in materialization["metadataEntries"]}
    with duckdb.connect(str(dagster_dev.data_dir / "warehouse.duckdb"), read_only=True) as conn:
        rows, final, game_ids = conn.execute(
            f"select count(*), bool_and(is_final), list(game_id order by game_id) from nba.{ASSET} "
            "where game_date = cast(? as date)", [PARTITION],
        ).fetchone()
    assert rows > 0 and final, f"nba.{ASSET} {PARTITION}: {rows} rows, all final: {final}"
    assert all(g.startswith(PARTITION.replace("-", "")) for g in game_ids), game_ids
    assert metadata.get("rows") == rows, metadata
    print(f"sensors and schedules stopped before start: {', '.join(dagster_dev.stopped_automation) or 'none'}")
    print("timings: " + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in timings.items()))
    print(f"screenshot: {shots['run-success']} (copied to {ARTIFACTS})")
