"""The health grade of a day, and the deadline checks."""

from datetime import date, datetime, timedelta

from dagster import AssetMaterialization, DagsterInstance

from nba_assets.automation.deadlines import deadline_result, due_date
from nba_assets.health.report import BRONZE, DEADLINES, GOLD, SILVER, DayFacts, deadline, grade_day

DAY = date(2025, 1, 20)


def on_time() -> dict:
    return {asset: deadline(DAY, asset) - timedelta(hours=1) for asset in DEADLINES}


def test_grades():
    assert grade_day(DayFacts(DAY, 7, on_time())) == (GOLD, [])
    late = on_time() | {"predictions": deadline(DAY, "predictions").replace(hour=14)}
    grade, issues = grade_day(DayFacts(DAY, 7, late))
    assert grade == SILVER and issues[0].startswith("late: predictions first materialised 2025-01-20 14:00 ET, due 2025-01-20 13:00 ET")
    missing = on_time() | {"raw_box_scores": None}
    assert grade_day(DayFacts(DAY, 7, missing)) == (BRONZE, ["missing: raw_box_scores"])
    assert grade_day(DayFacts(DAY, 7, on_time(), failed_checks=[("feature_store", "feature_store_varies", "ERROR")]))[0] == BRONZE
    assert grade_day(DayFacts(DAY, 7, on_time(), failed_checks=[("raw_player_props", "x", "WARN")]))[0] == SILVER
    assert grade_day(DayFacts(DAY, 7, on_time(), failed_runs=2)) == (SILVER, ["2 failed run(s) for this date"])
    assert grade_day(DayFacts(DAY, 0, {})) == (GOLD, ["off day: no games"])
    honest = grade_day(DayFacts(DAY, 7, on_time(), no_edge="no edge: catboost's out-of-sample picks hit 49.8% of 812"))
    assert honest == (GOLD, ["note: no picks published: no edge: catboost's out-of-sample picks hit 49.8% of 812"])


def test_the_date_that_falls_due():
    et = deadline(DAY, "raw_box_scores").tzinfo
    assert due_date("raw_box_scores", datetime(2025, 1, 21, 2, 59, tzinfo=et)) == date(2025, 1, 19)
    assert due_date("raw_box_scores", datetime(2025, 1, 21, 3, 0, tzinfo=et)) == date(2025, 1, 20)
    assert due_date("predictions", datetime(2025, 1, 20, 13, 30, tzinfo=et)) == date(2025, 1, 20)
    assert due_date("predictions", datetime(2025, 1, 20, 12, 59, tzinfo=et)) == date(2025, 1, 19)


def test_deadline_check_missing_late_and_on_time():
    et = deadline(DAY, "raw_box_scores").tzinfo
    now = datetime(2025, 1, 21, 4, 0, tzinfo=et)
    with DagsterInstance.ephemeral() as instance:
        missing = deadline_result(instance, "raw_box_scores", now)
        assert not missing.passed and missing.severity.value == "ERROR" and "2025-01-20 is missing" in missing.description
        instance.report_runless_asset_event(AssetMaterialization("raw_box_scores", partition="2025-01-20"))  # recorded now: long after the deadline
        late = deadline_result(instance, "raw_box_scores", now)
        assert not late.passed and late.severity.value == "WARN" and late.metadata["late_minutes"].value > 0
        instance.report_runless_asset_event(AssetMaterialization("raw_box_scores", partition="2099-01-20"))
        future = datetime(2099, 1, 21, 4, 0, tzinfo=et)
        assert deadline_result(instance, "raw_box_scores", future).passed  # materialised before its deadline
