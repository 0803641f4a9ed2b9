"""The `health_report` asset: reads the instance's record of a game date and grades it."""

import pandas as pd
from dagster import AssetExecutionContext, AssetIn, MetadataValue, Output

from nba_assets.health.records import AssetGraph, all_check_keys, failed_checks_by_partition, failed_runs_by_partition, first_materializations
from nba_assets.health.report import DEADLINES, DayFacts, grade_day
from nba_assets.publishing.documents import pick_status
from nba_assets.tables import table_asset
from resources.clock import now_utc

HEALTH_COLUMNS = {"game_date": "datetime64[us]", "grade": "string", "games": "Int64", "issues": "string", "checked_at_utc": "datetime64[us]"}


def no_edge_message(predictions: pd.DataFrame) -> str | None:
    """Why a date's predictions publish no picks, when it is because no system's picks pay at the offered prices."""
    status, message = pick_status(predictions) if len(predictions) else ("no_predictions", "")
    return message if status == "no_edge" else None


@table_asset(group="health", columns=HEALTH_COLUMNS, kinds={"dagster"}, single_run_backfill=True, ins={"raw_games": AssetIn(), "predictions": AssetIn()},
             deps=["prediction_grades", "results_export"])
def health_report(context: AssetExecutionContext, asset_graph: AssetGraph, raw_games: pd.DataFrame, predictions: pd.DataFrame) -> Output[pd.DataFrame]:
    """How the game date went, from what Dagster recorded: GOLD (everything on time, every check
    passed, no failed run), SILVER (complete and sound but late, or a failed run, or a warning) or
    BRONZE (something missing or a blocking check failed), with the list of what was late or failed.
    Deadlines (ET): schedule 11:00 and lines, features and predictions 13:00 on the day; box scores
    03:00 and grades and results 08:00 the next day. A date whose predictions publish no picks
    because no system's out-of-sample picks pay at the offered prices says so in a note. Feeds `status.json`."""
    instance, keys = context.instance, list(context.partition_keys)
    # a range run reads the instance once for all its dates
    first = {asset: first_materializations(instance, asset, keys) for asset in DEADLINES}
    failed = failed_checks_by_partition(instance, all_check_keys(asset_graph), keys)
    failed_runs = failed_runs_by_partition(instance, keys)
    games, slates = raw_games.groupby("game_date").size(), dict(list(predictions.groupby("game_date")))
    rows = []
    for key in keys:
        day = pd.Timestamp(key)
        facts = DayFacts(
            game_date=day.date(),
            games=int(games.get(day, 0)),
            first_materialized={asset: first[asset].get(key) for asset in DEADLINES},
            failed_checks=failed[key],
            failed_runs=failed_runs[key],
            no_edge=no_edge_message(slates.get(day, predictions.head(0))),
        )
        grade, issues = grade_day(facts)
        rows.append({"game_date": day, "grade": grade, "games": facts.games, "issues": "; ".join(issues), "checked_at_utc": pd.Timestamp(now_utc().replace(tzinfo=None))})
    frame = pd.DataFrame(rows, columns=list(HEALTH_COLUMNS)).astype(HEALTH_COLUMNS)
    latest = frame.iloc[-1] if len(frame) else None
    return Output(frame, metadata={"grade": latest["grade"] if latest is not None else "none",
                                   "issues": MetadataValue.md("\n".join(f"- {i}" for i in latest["issues"].split("; ")) if latest is not None and latest["issues"] else "none")})
