"""Asset checks every table gets: unique keys, and no empty table on a date with games.

Checks are partitioned like their asset, so each evaluates only the dates just materialised (a
range in a single-run backfill), and report per-date findings in their metadata.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from dagster import AssetCheckResult, AssetChecksDefinition, AssetIn, MetadataValue, asset_check

from nba_assets.partitions import game_date_partitions


def _dates(frame: pd.DataFrame) -> list[str]:
    return sorted(frame["game_date"].dt.strftime("%Y-%m-%d").unique()) if len(frame) else []


def unique_keys_check(asset: str, keys: Sequence[str], partitioned: bool = True) -> AssetChecksDefinition:
    """Blocking: no two rows of `asset` share `keys` (duplicates from concurrent writers or a bad join)."""

    @asset_check(
        asset=asset, name=f"{asset}_unique_keys", blocking=True, partitions_def=game_date_partitions if partitioned else None,
        description=f"No two rows share ({', '.join(keys)}).",
    )
    def _check(frame: pd.DataFrame) -> AssetCheckResult:
        duplicated = frame[frame.duplicated(list(keys), keep=False)] if len(frame) else frame
        return AssetCheckResult(
            passed=duplicated.empty,
            metadata={"rows": len(frame), "duplicated_rows": len(duplicated),
                      "examples": MetadataValue.md(duplicated.head(10)[list(keys)].to_markdown(index=False) if len(duplicated) else "none")},
        )

    return _check


def empty_dates(frame: pd.DataFrame, upstream: pd.DataFrame) -> list[str]:
    """Dates on which `upstream` has rows and `frame` has none."""
    return sorted(set(_dates(upstream)) - set(_dates(frame)))


def not_empty_on_game_days_check(asset: str, reference: str = "raw_games", what: str = "scheduled games") -> AssetChecksDefinition:
    """Blocking: a date on which `reference` has rows (`what`: scheduled games by default) never
    yields an empty table (a failed scrape is not an off day). Tables built from box scores take
    `raw_box_scores` as reference: a date whose games never got a box score is flagged there."""

    @asset_check(
        asset=asset, name=f"{asset}_not_empty_on_game_days", blocking=True,
        partitions_def=game_date_partitions, additional_ins={"upstream": AssetIn(reference)},
        description=f"Every date of the run that has {what} ({reference}) has rows.",
    )
    def _check(frame: pd.DataFrame, upstream: pd.DataFrame) -> AssetCheckResult:
        empty = empty_dates(frame, upstream)
        return AssetCheckResult(
            passed=not empty,
            metadata={"reference": reference, f"dates_with_{what.replace(' ', '_')}": len(_dates(upstream)), "empty_dates": ", ".join(empty) or "none"},
        )

    return _check


SCHEDULE = ("raw_games", "scheduled games")


def table_checks(asset: str, keys: Sequence[str], partitioned: bool = True, reference: tuple[str, str] | None = SCHEDULE) -> list[AssetChecksDefinition]:
    """The checks every table gets; `reference` is (asset, what its rows are) whose dates must have
    rows here (None: the table's own module checks it)."""
    checks = [unique_keys_check(asset, keys, partitioned)]
    if partitioned and reference is not None:
        checks.append(not_empty_on_game_days_check(asset, *reference))
    return checks
