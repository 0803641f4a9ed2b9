"""Per-game-date deadline checks: was the partition whose deadline last passed materialised in time?

Dagster's freshness policies judge an asset as a whole (a backfill of an old date makes it look
fresh), and its time-partition freshness checks expect the newest partition, which for assets that
include today's slate is the wrong date. These checks look at the one game date that is due: e.g.
at 09:00 ET on Jan 21, `prediction_grades` must hold Jan 20 (due 08:00), and must have held it by
08:00. A late date warns; a missing one fails. The deadline sensor runs them once a deadline passes.

They judge the day's operations, not the dates a run writes: a backfill's runs (which fill past
dates, many runs at once) record no verdict; the deadline sensor's check runs, "Execute checks" and
a materialisation from the UI do.
"""


from datetime import date, datetime, timedelta, timezone

from dagster import (
    AssetCheckExecutionContext,
    AssetCheckKey,
    AssetCheckResult,
    AssetCheckSeverity,
    AssetCheckSpec,
    AssetKey,
    AssetSelection,
    multi_asset_check,
)

from dagster._core.storage.tags import BACKFILL_ID_TAG

from nba_assets.health.records import first_materialized
from nba_assets.health.report import DEADLINES, deadline
from nba_assets.partitions import FIRST_GAME_DATE
from resources.clock import ET, now_utc

DEADLINE_ASSETS = ("raw_games", "predictions", "raw_box_scores", "prediction_grades", "results_export")


def due_date(asset: str, now: datetime) -> date:
    """The latest game date whose deadline for `asset` has passed at `now`."""
    days, _ = DEADLINES[asset]
    day = now.astimezone(ET).date() - timedelta(days=days)
    return day if deadline(day, asset) <= now else day - timedelta(days=1)


def deadline_result(instance, asset: str, now: datetime) -> AssetCheckResult:
    day = due_date(asset, now)
    due = deadline(day, asset)
    key = {"asset_key": AssetKey(asset), "check_name": on_time_key(asset).name}
    meta = {"game_date": day.isoformat(), "due_utc": due.astimezone(timezone.utc).isoformat(timespec="minutes")}
    if day < date.fromisoformat(FIRST_GAME_DATE):
        return AssetCheckResult(**key, passed=True, metadata=meta)
    first = first_materialized(instance, asset, day.isoformat())
    if first is None:
        return AssetCheckResult(**key, passed=False, severity=AssetCheckSeverity.ERROR, description=f"{asset} {day} is missing (due {due:%Y-%m-%d %H:%M} ET)", metadata=meta)
    meta["first_materialized_utc"] = first.isoformat(timespec="minutes")
    if first > due:
        return AssetCheckResult(**key, passed=False, severity=AssetCheckSeverity.WARN, description=f"{asset} {day} arrived late", metadata={**meta, "late_minutes": round((first - due).total_seconds() / 60)})
    return AssetCheckResult(**key, passed=True, metadata=meta)


def on_time_key(asset: str) -> AssetCheckKey:
    """The key of `asset`'s deadline check."""
    return AssetCheckKey(AssetKey(asset), f"{asset}_on_time")


def deadline_check(asset: str):
    days, hour = DEADLINES[asset]
    spec = AssetCheckSpec(
        on_time_key(asset).name, asset=asset,
        description=f"The game date due now was materialised by {hour:02d}:00 ET, {days} day(s) after it (missing: error; late: warning). "
        "Judged by the deadline sensor's check runs and by UI materialisations, not by backfill runs (they fill past dates).",
    )

    @multi_asset_check(specs=[spec], name=spec.name, can_subset=True)
    def _check(context: AssetCheckExecutionContext):
        if context.run.tags.get(BACKFILL_ID_TAG):
            context.log.info(f"{spec.name}: not judged in a backfill run (it fills past dates); the deadline sensor runs it")
            return
        yield deadline_result(context.instance, asset, now_utc())

    return _check


DEADLINE_CHECKS = [deadline_check(asset) for asset in DEADLINE_ASSETS]
DEADLINE_SELECTION = AssetSelection.checks(*DEADLINE_CHECKS)


def data_selection(*assets: str | AssetKey | AssetSelection) -> AssetSelection:
    """`assets` (names, keys or selections) with the checks that judge their data, without the
    on-time checks: those judge the day's operations, not the dates a run writes, and the deadline
    sensor runs them when due. Every job, the reconciliation sensor, the CLI, the tests and the
    benches select assets through this."""
    selection = AssetSelection.assets(*(a for a in assets if not isinstance(a, AssetSelection)))
    for part in assets:
        if isinstance(part, AssetSelection):
            selection = selection | part
    return selection - DEADLINE_SELECTION
