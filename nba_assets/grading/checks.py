"""Asset checks of grading: voided picks have no result; a hit rate too good to be true is a leak alarm."""

import pandas as pd
from dagster import AssetCheckResult, MetadataValue, asset_check

from nba_assets.partitions import game_date_partitions
from nba_assets.quality import table_checks, unique_keys_check

LEAK_HIT_RATE = 0.80
LEAK_MIN_PICKS = 100


def voided_with_result(grades: pd.DataFrame) -> pd.DataFrame:
    """Voided rows that nevertheless carry a result, a correctness flag or an actual score."""
    voided = grades[grades["is_voided"].astype(bool)]
    return voided[voided["result"].notna() | voided["prediction_correct"].notna() | voided["actual_points"].notna()]


def leak_alarms(record: pd.DataFrame) -> pd.DataFrame:
    """Records with 100+ decided picks and a hit rate above 80%: honest picks hit about 50-55%."""
    decided = record["wins"].astype(float) + record["losses"].astype(float)
    return record[(decided >= LEAK_MIN_PICKS) & (record["hit_rate"] > LEAK_HIT_RATE)]


@asset_check(asset="prediction_grades", blocking=True, partitions_def=game_date_partitions,
             description="A voided pick (the player did not play) has no result, no correctness and no actual points.")
def voided_picks_have_no_result(prediction_grades: pd.DataFrame) -> AssetCheckResult:
    bad = voided_with_result(prediction_grades)
    return AssetCheckResult(passed=bad.empty, metadata={"voided": int(prediction_grades["is_voided"].sum()) if len(prediction_grades) else 0,
                                                        "voided_with_result": len(bad)})


@asset_check(asset="system_performance", blocking=True, partitions_def=game_date_partitions,
             description="Leak alarm: a graded hit rate above 80% on 100 or more picks fails (an honest model hits about 50-55%).")
def hit_rate_is_not_too_good(system_performance: pd.DataFrame) -> AssetCheckResult:
    alarms = leak_alarms(system_performance)
    shown = ["game_date", "system_id", "period", "segment_type", "segment", "wins", "losses", "hit_rate"]
    return AssetCheckResult(passed=alarms.empty, metadata={"alarms": MetadataValue.md(alarms[shown].head(20).to_markdown(index=False) if len(alarms) else "none")})


GRADING_CHECKS = [
    *table_checks("prediction_grades", ["game_id", "player_lookup", "system_id"], reference=("player_game_summary", "box scores")),
    voided_picks_have_no_result,
    unique_keys_check("system_performance", ["game_date", "system_id", "period", "segment_type", "segment"]),
    hit_rate_is_not_too_good,
]
