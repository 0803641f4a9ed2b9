"""The export assets: JSON files for the front end, validated against their schemas, written atomically."""

from collections.abc import Callable
from datetime import datetime, timezone

import pandas as pd
from dagster import AssetExecutionContext, AssetIn, AssetKey, AssetRecordsFilter, BackfillPolicy, Failure, MaterializeResult, MetadataValue, asset

from nba_assets.partitions import game_date_partitions
from nba_assets.publishing.documents import (
    best_bets_document,
    live_document,
    live_grading_document,
    performance_document,
    predictions_document,
    results_document,
)
from nba_assets.publishing.odds_screen import odds_screen_document
from nba_assets.publishing.validate import schema_errors
from nba_assets.tables import OWNER
from resources.clock import now_utc, today_et
from resources.export_store import ExportStore

STATUS_ASSETS = ("raw_games", "raw_player_props", "feature_store", "points_model", "predictions", "raw_box_scores", "prediction_grades",
                 "system_performance", "live_box_scores", "health_report")


def export_asset(partitioned: bool = True, **kwargs):
    """`@asset` for a set of JSON files in the export store (no warehouse table of its own)."""
    return asset(
        partitions_def=game_date_partitions if partitioned else None,
        group_name="publishing", owners=[OWNER], kinds={"python", "json"}, pool="duckdb",
        **({"backfill_policy": BackfillPolicy.single_run()} if partitioned else {}),
        **kwargs,
    )


def publish(exports: ExportStore, schema: str, paths: list[str], document: dict) -> list[str]:
    """Validate `document` against `schema`, then replace each of `paths` with it; nothing is written if invalid."""
    errors = schema_errors(schema, document)
    if errors:
        raise Failure(description=f"export {paths[0]} breaks schema {schema}: {'; '.join(errors[:5])}", allow_retries=False)
    return [exports.write_json(path, document) for path in paths]


def generated_at() -> datetime:
    return now_utc().replace(microsecond=0)


def dated_exports(context: AssetExecutionContext, exports: ExportStore, schema: str, folder: str, build: Callable[[pd.Timestamp], dict]) -> MaterializeResult:
    """One file per date of the run (`{folder}/{date}.json`), and `{folder}/latest.json` for today's date."""
    written = []
    for key in context.partition_keys:
        paths = [f"{folder}/{key}.json"] + ([f"{folder}/latest.json"] if key == today_et().isoformat() else [])
        written += publish(exports, schema, paths, build(pd.Timestamp(key)))
    return MaterializeResult(metadata={"files": len(written), "written": MetadataValue.md("\n".join(f"- `{p}`" for p in written[:20]))})


@export_asset(ins={"predictions": AssetIn(), "upcoming_player_game_context": AssetIn()})
def predictions_export(context: AssetExecutionContext, exports: ExportStore, predictions: pd.DataFrame, upcoming_player_game_context: pd.DataFrame) -> MaterializeResult:
    """`predictions/{date}.json` (and `predictions/latest.json` for today): every game of the date and
    every player with his consensus line and, for each of the four systems (market, catboost,
    moving_average, blend), its predicted points, edge, P(over) beside the market's, recommendation
    and reason, and the best offer it found across books: side, book, line, price, the system's and
    the market's probability of the side, EV per unit staked and the stake in units (0 unless a pick)."""
    return dated_exports(context, exports, "predictions", "predictions", lambda day: predictions_document(day, predictions, upcoming_player_game_context, generated_at()))


@export_asset(ins={"predictions": AssetIn(), "upcoming_player_game_context": AssetIn()})
def best_bets_export(context: AssetExecutionContext, exports: ExportStore, predictions: pd.DataFrame, upcoming_player_game_context: pd.DataFrame) -> MaterializeResult:
    """`best-bets/{date}.json` (and `best-bets/latest.json` for today): the 15 best picks of the
    headline system (the first of blend, catboost, market and moving_average that picks that day)
    ranked by EV, then probability, each naming the book, line and price to take, the consensus line,
    the market's fair probability and the system's, the EV and the stake in units; in tiers A (EV >=
    10%), B (>= 6%) and C, with the date's `status` and a `message`: `no_edge` says that no system's
    out-of-sample picks pay at the offered prices, so none publishes picks."""
    return dated_exports(context, exports, "best-bets", "best-bets", lambda day: best_bets_document(day, predictions, upcoming_player_game_context, generated_at()))


@export_asset(ins={"prop_offers": AssetIn(), "upcoming_player_game_context": AssetIn()})
def odds_screen_export(context: AssetExecutionContext, exports: ExportStore, prop_offers: pd.DataFrame, upcoming_player_game_context: pd.DataFrame) -> MaterializeResult:
    """`odds-screen/{date}.json` (and `odds-screen/latest.json` for today), published every day,
    whether or not any system picks (an off day: no games): per game, in order of tip, every player
    with a quote on the latest board (each book's latest snapshot before tip: what can be bet now), his
    team, the consensus line, the fair line and the market's P(over) at the consensus line, how many
    books (and sharp books) quote him, the best over and the best under across books (book, line,
    price, the market's fair probability of the side at that line and the EV at it), and every book's
    quotes (line, both prices, the book's own no-vig P(over), main line or alternate, when posted)."""
    return dated_exports(context, exports, "odds-screen", "odds-screen", lambda day: odds_screen_document(day, prop_offers, upcoming_player_game_context, generated_at()))


@export_asset(ins={"prediction_grades": AssetIn()})
def results_export(context: AssetExecutionContext, exports: ExportStore, prediction_grades: pd.DataFrame) -> MaterializeResult:
    """`results/{date}.json` (and `results/latest.json` for the latest date of the run, unless a newer
    date is published there already): each system's record of the date (hit rate, ROI at the offered
    prices with its 95% interval, units won at the stakes, closing-line value, MAE, log loss beside the
    market's) and every graded pick at its book, line and price, with its return, units and
    closing-line value against the same book and the consensus."""
    written, current = [], exports.read_json("results/latest.json")
    newest = max(context.partition_keys)
    keep_latest = bool(current) and current.get("game_date", "") > newest
    if keep_latest:
        context.log.info(f"results/latest.json stays on {current['game_date']}, newer than {newest}")
    for key in context.partition_keys:
        latest = key == newest and not keep_latest
        paths = [f"results/{key}.json"] + (["results/latest.json"] if latest else [])
        written += publish(exports, "results", paths, results_document(pd.Timestamp(key), prediction_grades, generated_at()))
    return MaterializeResult(metadata={"files": len(written)})


@export_asset(ins={"system_performance": AssetIn()})
def performance_export(context: AssetExecutionContext, exports: ExportStore, system_performance: pd.DataFrame) -> MaterializeResult:
    """`systems/performance.json`: each system's record as of the latest date, over 7 days, 30 days
    and the season, overall, by edge bucket and by probability decile: hit rate, ROI and units at the
    offered prices, closing-line value, MAE and bias, log loss and Brier score beside the market's.
    Re-materialising an older date never replaces a newer record."""
    document = performance_document(system_performance, generated_at())
    current = exports.read_json("systems/performance.json")
    if current and current.get("as_of") and document["as_of"] and current["as_of"] > document["as_of"]:
        return MaterializeResult(metadata={"skipped": f"systems/performance.json is as of {current['as_of']}, newer than {document['as_of']}"})
    return MaterializeResult(metadata={"written": publish(exports, "performance", ["systems/performance.json"], document)[0], "as_of": document["as_of"] or "none"})


@export_asset(partitioned=False, ins={"live_box_scores": AssetIn()})
def live_exports(exports: ExportStore, live_box_scores: pd.DataFrame) -> MaterializeResult:
    """`live/{date}.json` (games in progress: score, clock, each player's points so far) and
    `live-grading/{date}.json` (today's published best bets against the points so far), plus `latest`
    copies; refreshed every few minutes during game windows."""
    day, now = today_et().isoformat(), generated_at()
    written = publish(exports, "live", [f"live/{day}.json", "live/latest.json"], live_document(day, live_box_scores, now))
    grading = live_grading_document(day, live_box_scores, exports.read_json(f"best-bets/{day}.json"), now)
    written += publish(exports, "live-grading", [f"live-grading/{day}.json", "live-grading/latest.json"], grading)
    return MaterializeResult(metadata={"games_in_progress": int(live_box_scores["game_id"].nunique()) if len(live_box_scores) else 0, "files": len(written)})


def status_document(instance, health: pd.DataFrame, now: datetime) -> dict:
    assets = {}
    for name in STATUS_ASSETS:
        records = instance.fetch_materializations(AssetRecordsFilter(asset_key=AssetKey(name)), limit=1).records
        record = records[0] if records else None
        assets[name] = {
            "last_partition": record.partition_key if record else None,
            "last_materialized_at_utc": datetime.fromtimestamp(record.timestamp, tz=timezone.utc).isoformat(timespec="seconds") if record else None,
        }
    latest = health.sort_values("game_date").iloc[-1] if len(health) else None
    return {
        "generated_at_utc": now.isoformat(timespec="seconds"), "today": today_et().isoformat(),
        "health": {"game_date": f"{latest['game_date']:%Y-%m-%d}", "grade": latest["grade"], "issues": [i for i in (latest["issues"] or "").split("; ") if i]}
        if latest is not None else None,
        "assets": assets,
    }


@export_asset(partitioned=False, ins={"health_report": AssetIn()})
def status_export(context: AssetExecutionContext, exports: ExportStore, health_report: pd.DataFrame) -> MaterializeResult:
    """`status.json`: the latest health grade with its issues, and when each key asset was last
    materialised (and for which date)."""
    document = status_document(context.instance, health_report, generated_at())
    return MaterializeResult(metadata={"written": publish(exports, "status", ["status.json"], document)[0],
                                       "grade": document["health"]["grade"] if document["health"] else "none"})


EXPORT_ASSETS = [predictions_export, best_bets_export, odds_screen_export, results_export, performance_export, live_exports, status_export]
